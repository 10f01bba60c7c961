"""Rule matching: a profile's facts in, ranked recommendations with reasons out.

Pure: no Django imports. Rules are data (fixtures/library/*.yaml); this module only knows how
to evaluate one condition and how to rank. The same facts always give the same result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assessment.scoring import Profile

DEFAULT_LIMIT = 5
STRENGTH_MIN = 60.0


@dataclass(frozen=True)
class Condition:
    """One test on the facts. `kind` is one of: theme, dimension, answer, gap, any_gap,
    completeness, all."""

    kind: str
    key: str = ""
    below: float | None = None
    above: float | None = None
    values: frozenset[str] = frozenset()
    children: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class RuleSpec:
    condition: Condition
    priority: int


@dataclass(frozen=True)
class RecommendationSpec:
    key: str
    rules: tuple[RuleSpec, ...]


@dataclass(frozen=True)
class Facts:
    theme_scores: Mapping[str, float | None]
    dimension_scores: Mapping[str, float | None]
    gaps: Mapping[str, float | None]
    completeness: float
    answer_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @classmethod
    def from_profile(cls, profile: Profile) -> Facts:
        return cls(
            theme_scores={t.key: t.score for t in profile.themes},
            dimension_scores={d.key: d.score for d in profile.dimensions},
            gaps={t.key: t.gap for t in profile.themes},
            completeness=profile.completeness,
            answer_counts=profile.answer_counts,
        )


@dataclass(frozen=True)
class Subject:
    """What a matched rule is about, so texts can say "{label} got {score}"."""

    kind: str  # theme | dimension | gap | completeness | answer
    key: str
    value: float | None


@dataclass(frozen=True)
class Match:
    key: str
    priority: int
    rules: tuple[int, ...]  # indexes of every rule that matched, best first
    subject: Subject | None


@dataclass(frozen=True)
class MatchResult:
    recommendations: tuple[Match, ...]
    strengths: tuple[str, ...]  # dimension keys scoring at least STRENGTH_MIN, best first


def _in_range(value: float | None, cond: Condition) -> bool:
    if value is None:
        return False
    if cond.below is not None and not value < cond.below:
        return False
    return not (cond.above is not None and not value > cond.above)


def _majority(counts: Mapping[str, int], values: frozenset[str]) -> bool:
    """At least half of those who answered (not "don't know") gave one of `values`."""
    answered = {v: n for v, n in counts.items() if v != "dont_know"}
    total = sum(answered.values())
    return total > 0 and 2 * sum(n for v, n in answered.items() if v in values) >= total


def evaluate(cond: Condition, facts: Facts) -> tuple[bool, Subject | None]:
    """Whether the condition holds, and what it was about."""
    if cond.kind == "theme":
        value = facts.theme_scores.get(cond.key)
        return _in_range(value, cond), Subject("theme", cond.key, value)
    if cond.kind == "dimension":
        value = facts.dimension_scores.get(cond.key)
        return _in_range(value, cond), Subject("dimension", cond.key, value)
    if cond.kind == "gap":
        gap = facts.gaps.get(cond.key)
        return _in_range(None if gap is None else abs(gap), cond), Subject("gap", cond.key, gap)
    if cond.kind == "any_gap":
        known = [(k, g) for k, g in facts.gaps.items() if g is not None]
        if not known:
            return False, None
        # Largest gap; equal gaps are told apart by key, so dict order never decides.
        key, gap = min(known, key=lambda item: (-abs(item[1]), item[0]))
        return _in_range(abs(gap), cond), Subject("gap", key, gap)
    if cond.kind == "completeness":
        value = facts.completeness
        return _in_range(value, cond), Subject("completeness", "", value)
    if cond.kind == "answer":
        counts = facts.answer_counts.get(cond.key, {})
        return _majority(counts, cond.values), Subject("answer", cond.key, None)
    if cond.kind == "all":
        subject = None
        for child in cond.children:
            ok, child_subject = evaluate(child, facts)
            if not ok:
                return False, None
            subject = subject or child_subject
        return True, subject
    raise ValueError(f"unknown condition kind {cond.kind!r}")


def _urgency(subject: Subject | None) -> float:
    # Among equal priorities, the lower score (or larger gap) goes first.
    if subject is None or subject.value is None:
        return 0.0
    if subject.kind == "gap":
        return -abs(subject.value)
    return subject.value


def match(
    library: Sequence[RecommendationSpec], facts: Facts, *, limit: int = DEFAULT_LIMIT
) -> MatchResult:
    found: list[tuple[int, float, int, Match]] = []
    for order, rec in enumerate(library):
        hits = []
        for index, rule in enumerate(rec.rules):
            ok, subject = evaluate(rule.condition, facts)
            if ok:
                hits.append((rule.priority, index, subject))
        if not hits:
            continue
        hits.sort(key=lambda h: (-h[0], h[1]))
        priority, _, subject = hits[0]
        found.append(
            (
                -priority,
                _urgency(subject),
                order,
                Match(
                    key=rec.key,
                    priority=priority,
                    rules=tuple(h[1] for h in hits),
                    subject=subject,
                ),
            )
        )
    found.sort(key=lambda item: item[:3])
    strengths = sorted(
        (k for k, v in facts.dimension_scores.items() if v is not None and v >= STRENGTH_MIN),
        key=lambda k: (-(facts.dimension_scores[k] or 0), k),
    )
    return MatchResult(
        recommendations=tuple(item[3] for item in found[:limit]), strengths=tuple(strengths)
    )


def result_to_dict(result: MatchResult) -> dict:
    return {
        "recommendations": [
            {
                "key": m.key,
                "priority": m.priority,
                "rules": list(m.rules),
                "subject": None
                if m.subject is None
                else {"kind": m.subject.kind, "key": m.subject.key, "value": m.subject.value},
            }
            for m in result.recommendations
        ],
        "strengths": list(result.strengths),
    }


def result_from_dict(data: Mapping) -> MatchResult:
    return MatchResult(
        recommendations=tuple(
            Match(
                key=m["key"],
                priority=m["priority"],
                rules=tuple(m["rules"]),
                subject=None if m["subject"] is None else Subject(**m["subject"]),
            )
            for m in data.get("recommendations", [])
        ),
        strengths=tuple(data.get("strengths", [])),
    )

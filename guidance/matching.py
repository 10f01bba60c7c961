"""Rule matching: a profile's facts in, ranked recommendations with reasons out.

Pure: no Django imports. Rules are data (fixtures/library/*.yaml); this module only knows how
to evaluate one condition and how to rank. The same facts always give the same result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assessment.display import display_score
from assessment.scoring import Profile

DEFAULT_LIMIT = 5
STRENGTH_MIN = 60.0
MAX_PER_ADVICE_ITEM = 2


@dataclass(frozen=True)
class Condition:
    """One test on the facts. `kind` is one of: theme, dimension, answer, gap, any_gap,
    completeness, register, all. For `register`, `values` are the statuses that hold
    (assessment/register.py)."""

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
    advice_item: int | None = None  # which piece of the research's advice it draws on


@dataclass(frozen=True)
class Facts:
    theme_scores: Mapping[str, float | None]
    dimension_scores: Mapping[str, float | None]
    gaps: Mapping[str, float | None]
    completeness: float
    answer_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # Plan-register fact -> status (bank v2 on).
    register: Mapping[str, str] = field(default_factory=dict)
    # Where each theme, question and register fact belongs, so the ranking can tell which
    # dimension a recommendation is about.
    theme_dimensions: Mapping[str, str] = field(default_factory=dict)
    question_themes: Mapping[str, str] = field(default_factory=dict)
    register_themes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_profile(
        cls,
        profile: Profile,
        *,
        question_themes: Mapping[str, str] | None = None,
        register_themes: Mapping[str, str] | None = None,
    ) -> Facts:
        return cls(
            theme_scores={t.key: t.score for t in profile.themes},
            dimension_scores={d.key: d.score for d in profile.dimensions},
            gaps={t.key: t.gap for t in profile.themes},
            completeness=profile.completeness,
            answer_counts=profile.answer_counts,
            register={k: str(v["status"]) for k, v in profile.register.items()},
            theme_dimensions={t.key: t.dimension for t in profile.themes},
            question_themes=question_themes or {},
            register_themes=register_themes or {},
        )

    def dimension_of(self, subject: Subject | None) -> str | None:
        """The dimension a matched rule is about (None for completeness)."""
        if subject is None:
            return None
        if subject.kind == "dimension":
            return subject.key
        theme = {
            "theme": subject.key,
            "gap": subject.key,
            "answer": self.question_themes.get(subject.key),
            "register": self.register_themes.get(subject.key),
        }.get(subject.kind)
        return self.theme_dimensions.get(theme) if theme else None


@dataclass(frozen=True)
class Subject:
    """What a matched rule is about, so texts can say "{label} got {score}"."""

    kind: str  # theme | dimension | gap | completeness | answer | register
    key: str
    value: float | None
    # For an answer rule: how many gave one of the rule's answers, of how many answered, so
    # a text states shares ("2 of 4 answered no") and never turns a tie into a fact.
    count: int = 0
    total: int = 0
    values: tuple[str, ...] = ()  # the answers the rule counts


@dataclass(frozen=True)
class Match:
    key: str
    priority: int
    rules: tuple[int, ...]  # indexes of every rule that matched, best first
    subject: Subject | None
    advice_item: int | None = None


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


def _share(counts: Mapping[str, int], values: frozenset[str]) -> tuple[int, int]:
    """(how many gave one of `values`, how many answered), "don't know" left out."""
    answered = {v: n for v, n in counts.items() if v != "dont_know"}
    return sum(n for v, n in answered.items() if v in values), sum(answered.values())


def _majority(count: int, total: int) -> bool:
    """At least half of those who answered gave one of the values."""
    return total > 0 and 2 * count >= total


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
        count, total = _share(facts.answer_counts.get(cond.key, {}), cond.values)
        return _majority(count, total), Subject(
            "answer", cond.key, None, count, total, tuple(sorted(cond.values))
        )
    if cond.kind == "register":
        status = facts.register.get(cond.key)
        return status in cond.values, Subject("register", cond.key, None)
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


def _ranked(library: Sequence[RecommendationSpec], facts: Facts) -> list[Match]:
    """Every recommendation with a rule that holds, best first: by the highest priority among
    its rules, then the lower score (or larger gap) it is about, then its place in the library."""
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
                    advice_item=rec.advice_item,
                ),
            )
        )
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]


def _single_answer(match: Match) -> tuple[str, str] | None:
    # What "triggered by the same single answer" means: the same question or register fact.
    subject = match.subject
    if subject is not None and subject.kind in ("answer", "register"):
        return subject.kind, subject.key
    return None


def diversify(
    ranked: Sequence[Match], facts: Facts, *, limit: int, represent_below: float | None
) -> tuple[Match, ...]:
    """Pick `limit` recommendations from the ranked list so that no piece of the research's
    advice fills more than two places, no single answer or register fact triggers two, and
    every dimension scoring below `represent_below` gets at least one place (lowest dimension
    first). The chosen keep their ranked order."""
    chosen: list[Match] = []

    def allowed(match: Match) -> bool:
        if match in chosen:
            return False
        if match.advice_item is not None and (
            sum(1 for m in chosen if m.advice_item == match.advice_item) >= MAX_PER_ADVICE_ITEM
        ):
            return False
        trigger = _single_answer(match)
        return trigger is None or all(_single_answer(m) != trigger for m in chosen)

    if represent_below is not None:
        # Compared as shown (one rounding): a dimension shown at the level is not below it.
        weak = sorted(
            (s, k)
            for k, s in facts.dimension_scores.items()
            if s is not None and (display_score(s) or 0) < represent_below
        )
        for _score, dimension in weak:
            if len(chosen) >= limit:
                break
            if any(facts.dimension_of(m.subject) == dimension for m in chosen):
                continue
            pick = next(
                (m for m in ranked if facts.dimension_of(m.subject) == dimension and allowed(m)),
                None,
            )
            if pick is not None:
                chosen.append(pick)
    for match in ranked:
        if len(chosen) >= limit:
            break
        if allowed(match):
            chosen.append(match)
    order = {m.key: i for i, m in enumerate(ranked)}
    return tuple(sorted(chosen, key=lambda m: order[m.key]))


def match(
    library: Sequence[RecommendationSpec],
    facts: Facts,
    *,
    limit: int = DEFAULT_LIMIT,
    represent_below: float | None = None,
    diversified: bool = True,
) -> MatchResult:
    """The `limit` best recommendations, diversified (see `diversify`); with
    `diversified=False` simply the best `limit`, as library v1 ranked them."""

    def shown(value: float) -> float:
        # Method 2 compares scores as shown (one rounding); v1 compared the raw score.
        return (display_score(value) or 0) if diversified else value

    strengths = sorted(
        (
            k
            for k, v in facts.dimension_scores.items()
            if v is not None and shown(v) >= STRENGTH_MIN
        ),
        key=lambda k: (-(facts.dimension_scores[k] or 0), k),
    )
    ranked = _ranked(library, facts)
    chosen = (
        diversify(ranked, facts, limit=limit, represent_below=represent_below)
        if diversified
        else tuple(ranked[:limit])
    )
    return MatchResult(recommendations=chosen, strengths=tuple(strengths))


def result_to_dict(result: MatchResult) -> dict:
    return {
        "recommendations": [
            {
                "key": m.key,
                "priority": m.priority,
                "rules": list(m.rules),
                "advice_item": m.advice_item,
                "subject": None
                if m.subject is None
                else {
                    "kind": m.subject.kind,
                    "key": m.subject.key,
                    "value": m.subject.value,
                    "count": m.subject.count,
                    "total": m.subject.total,
                    "values": list(m.subject.values),
                },
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
                subject=None
                if m["subject"] is None
                else Subject(**{**m["subject"], "values": tuple(m["subject"].get("values", ()))}),
                advice_item=m.get("advice_item"),
            )
            for m in data.get("recommendations", [])
        ),
        strengths=tuple(data.get("strengths", [])),
    )

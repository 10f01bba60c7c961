"""Scoring: answers in, a frozen Profile out.

Pure on purpose: no Django imports, no I/O. The web wizard, the `assess_file` command, result
snapshots and the tests all go through `score()`, so one set of rules decides every number the
product shows. The method is explained for humans in docs/method.md; keep the two in step.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from assessment import privacy
from assessment.display import display_change, display_score
from assessment.register import FactResult, Status, truth


class Kind(StrEnum):
    SCALE = "scale"
    YESNO = "yesno"
    CHOICE = "choice"
    NUMBER = "number"
    TEXT = "text"
    # "Has the council adopted ... this term?": scored by whether the answer matches the plan
    # register (assessment/register.py), so it measures awareness, never the fact itself.
    AWARENESS = "awareness"


class Audience(StrEnum):
    ALL = "all"
    POLITICIAN = "politician"
    ADMINISTRATION = "administration"


class RoleGroup(StrEnum):
    POLITICIAN = "politician"
    ADMINISTRATION = "administration"
    OTHER = "other"


SCALE_SCORES: Mapping[str, float] = {"1": 0.0, "2": 25.0, "3": 50.0, "4": 75.0, "5": 100.0}
YESNO_SCORES: Mapping[str, float] = {"no": 0.0, "partly": 50.0, "yes": 100.0}
AWARENESS_VALUES: Mapping[str, float | None] = {"yes": None, "no": None}
KNOWS, DOES_NOT_KNOW = 100.0, 0.0


@dataclass(frozen=True)
class Condition:
    """Ask a question only when an earlier answer is one of `values`."""

    question: str
    values: frozenset[str]


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: Kind
    weight: float = 1.0
    audience: Audience = Audience.ALL
    condition: Condition | None = None
    # Only for CHOICE: the score of each option, None for an option that does not score.
    choice_scores: Mapping[str, float | None] = field(default_factory=dict)
    # Only for AWARENESS: the plan-register fact the answer is checked against.
    fact: str = ""

    @property
    def scored(self) -> bool:
        if self.kind in (Kind.SCALE, Kind.YESNO, Kind.AWARENESS):
            return True
        if self.kind is Kind.CHOICE:
            return any(score is not None for score in self.choice_scores.values())
        return False

    def value_scores(self) -> Mapping[str, float | None]:
        if self.kind is Kind.SCALE:
            return SCALE_SCORES
        if self.kind is Kind.YESNO:
            return YESNO_SCORES
        if self.kind is Kind.AWARENESS:
            return AWARENESS_VALUES
        return self.choice_scores

    def score_of(self, value: str) -> float | None:
        return self.value_scores().get(value)

    def asked_of(self, role: RoleGroup) -> bool:
        return self.audience is Audience.ALL or self.audience.value == role.value

    @property
    def common(self) -> bool:
        """Asked of politicians and the administration alike: a role gap compares only these."""
        return self.audience is Audience.ALL


@dataclass(frozen=True)
class ThemeSpec:
    key: str
    questions: tuple[QuestionSpec, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class DimensionSpec:
    key: str
    themes: tuple[ThemeSpec, ...]


@dataclass(frozen=True)
class RegisterItem:
    """A plan-register fact that scores in a theme (bank v2 on)."""

    fact: str
    theme: str
    weight: float = 1.0


@dataclass(frozen=True)
class Band:
    key: str
    min: float


@dataclass(frozen=True)
class BankSpec:
    version: str
    dimensions: tuple[DimensionSpec, ...]
    bands: tuple[Band, ...]
    low_confidence_below: float = 0.7
    role_gap_threshold: float = 20.0
    split_threshold: float = 25.0
    min_group_size: int = 2
    # 1: bank v1's method, kept so v1 rounds reproduce. 2: facts from the plan register,
    # equal voices per role group, gaps on common questions only (docs/method.md).
    method: int = 1
    register: tuple[RegisterItem, ...] = ()
    # In method 2 the register is one part of a theme score, weighing as much as one group.
    register_weight: float = 1.0

    def band_for(self, score: float | None) -> str | None:
        if score is None:
            return None
        chosen = None
        for band in sorted(self.bands, key=lambda b: b.min):
            if score >= band.min:
                chosen = band.key
        return chosen


@dataclass(frozen=True)
class Answer:
    value: str | None = None
    dont_know: bool = False


@dataclass(frozen=True)
class Response:
    """One respondent's answers, keyed by question key. Never leaves this module whole."""

    role: RoleGroup
    answers: Mapping[str, Answer]


@dataclass(frozen=True)
class GroupStat:
    role: str
    n: int
    # None when the group is smaller than the bank's minimum group size: a figure for one
    # person would reveal that person's answers.
    mean: float | None
    spread: float | None


@dataclass(frozen=True)
class ThemeScore:
    key: str
    dimension: str
    score: float | None
    answered: int
    applicable: int
    dont_know: int
    groups: tuple[GroupStat, ...] = ()
    gap: float | None = None
    large_gap: bool = False
    spread: float | None = None
    split: bool = False
    # Method 2: the register's part of the theme score, and the groups' means on the questions
    # both were asked (what the gap compares).
    register_score: float | None = None
    gap_means: Mapping[str, float] = field(default_factory=dict)

    @property
    def completeness(self) -> float:
        return self.answered / self.applicable if self.applicable else 0.0


@dataclass(frozen=True)
class DimensionScore:
    key: str
    score: float | None
    band: str | None
    theme_keys: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    bank_version: str
    overall: float | None
    band: str | None
    dimensions: tuple[DimensionScore, ...]
    themes: tuple[ThemeScore, ...]
    completeness: float
    dont_know: int
    low_confidence: bool
    respondents: int
    respondents_by_role: Mapping[str, int]
    # How many respondents gave each answer, per categorical question ("dont_know" included),
    # and the median of each number question. Aggregates only: the report shows them when at
    # least `min_group_size` people answered, and the rules read them.
    answer_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    number_medians: Mapping[str, float] = field(default_factory=dict)
    # Submitted respondents per role group whose answers are in no figure, because their
    # group is smaller than `min_group_size` (see assessment/privacy.py).
    held_back: Mapping[str, int] = field(default_factory=dict)
    method: int = 1
    # Method 2: the plan register's facts as scored on the day the round closed
    # (register.FactResult.to_dict() per fact).
    register: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def theme(self, key: str) -> ThemeScore:
        return next(t for t in self.themes if t.key == key)

    def dimension(self, key: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.key == key)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.method < 2:
            # Bank v1's profile keeps exactly the keys it always had, so a v1 round closed
            # today freezes the same document (and content hash) as before method 2 existed.
            del data["method"], data["register"]
            for theme in data["themes"]:
                del theme["register_score"], theme["gap_means"]
        return data


def profile_from_dict(data: Mapping[str, Any]) -> Profile:
    """Rebuild a Profile from `Profile.to_dict()` output (snapshots, JSON files)."""
    return Profile(
        bank_version=data["bank_version"],
        overall=data["overall"],
        band=data["band"],
        dimensions=tuple(
            DimensionScore(
                key=d["key"], score=d["score"], band=d["band"], theme_keys=tuple(d["theme_keys"])
            )
            for d in data["dimensions"]
        ),
        themes=tuple(
            ThemeScore(
                **{k: v for k, v in t.items() if k != "groups"},
                groups=tuple(GroupStat(**g) for g in t["groups"]),
            )
            for t in data["themes"]
        ),
        completeness=data["completeness"],
        dont_know=data["dont_know"],
        low_confidence=data["low_confidence"],
        respondents=data["respondents"],
        respondents_by_role=dict(data["respondents_by_role"]),
        answer_counts={k: dict(v) for k, v in data.get("answer_counts", {}).items()},
        number_medians=dict(data.get("number_medians", {})),
        held_back=dict(data.get("held_back", {})),
        method=data.get("method", 1),
        register={k: dict(v) for k, v in data.get("register", {}).items()},
    )


# --- computation -------------------------------------------------------------------------


@dataclass(frozen=True)
class _ThemeTally:
    score: float | None
    answered: int
    applicable: int
    dont_know: int


def question_status(
    q: QuestionSpec, response: Response, questions: Mapping[str, QuestionSpec]
) -> str:
    """'asked', 'implied_zero' or 'skipped' for one respondent.

    A follow-up whose condition was answered the other way asks about something the
    municipality does not have, so it counts as 0 (answered). When the condition's question
    does not count for this respondent (unanswered, "don't know", asked of another role group,
    or itself a follow-up that was left out), the follow-up is left out too: the gap is already
    counted on the earlier question. Conditions are upward-closed (checked when a bank is
    loaded), so a better earlier answer can only replace an implied 0 with a real answer:
    scores stay monotone.
    """
    if not q.asked_of(response.role):
        return "skipped"
    if q.condition is None:
        return "asked"
    parent = questions[q.condition.question]
    parent_status = question_status(parent, response, questions)
    if parent_status != "asked":
        return parent_status  # a chain inherits its head's fate
    answer = response.answers.get(parent.key)
    if answer is None or answer.dont_know or answer.value is None:
        return "skipped"
    return "asked" if answer.value in q.condition.values else "implied_zero"


def _tally_theme(
    theme: ThemeSpec,
    response: Response,
    questions: Mapping[str, QuestionSpec],
    truths: Mapping[str, bool | None],
    *,
    common_only: bool = False,
) -> _ThemeTally:
    weighted = 0.0
    weights = 0.0
    scores: list[float] = []
    answered = applicable = dont_know = 0
    for q in theme.questions:
        if not q.scored or (common_only and not q.common):
            continue
        status = question_status(q, response, questions)
        if status == "skipped":
            continue
        if q.kind is Kind.AWARENESS and truths.get(q.fact) is None:
            continue  # the register does not say, so nobody's answer can be checked
        applicable += 1
        if status == "implied_zero":
            answered += 1
            weights += q.weight
            scores.append(0.0)
            continue
        answer = response.answers.get(q.key)
        if q.kind is Kind.AWARENESS and answer is not None:
            # Not knowing is the finding: "don't know" scores like a wrong answer.
            value_score: float | None = (
                KNOWS
                if not answer.dont_know and (answer.value == "yes") == truths[q.fact]
                else DOES_NOT_KNOW
            )
        elif answer is None or answer.value is None:
            dont_know += 1 if answer is not None and answer.dont_know else 0
            continue
        else:
            value_score = q.score_of(answer.value)
        if value_score is None:
            continue  # an option that does not score (e.g. "not relevant")
        answered += 1
        weighted += q.weight * value_score
        weights += q.weight
        scores.append(value_score)
    score = _within(weighted / weights, scores) if weights else None
    return _ThemeTally(score=score, answered=answered, applicable=applicable, dont_know=dont_know)


def _within(value: float, inputs: Sequence[float]) -> float:
    # A mean lies between its smallest and largest input; floating point can overshoot by an
    # ulp (100.00000000000001), which would break "every score is within 0-100".
    return min(max(value, min(inputs)), max(inputs))


def _mean(values: Sequence[float]) -> float | None:
    return _within(statistics.fmean(values), values) if values else None


def _spread(values: Sequence[float]) -> float | None:
    # Population standard deviation: we describe this group, we do not estimate a larger one.
    return statistics.pstdev(values) if len(values) >= 2 else None


def _weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    known = [(score, weight) for score, weight in pairs if score is not None]
    total = sum(weight for _, weight in known)
    if not known or total == 0:
        return None
    mean = sum(score * weight for score, weight in known) / total
    return _within(mean, [score for score, _ in known])


def _group_means(
    tallies: Sequence[tuple[RoleGroup, _ThemeTally]], min_n: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Each role group's theme scores, and the means of the groups that may be shown
    (privacy rule 2: at least `min_n` members with a score in this theme)."""
    scored = {
        role.value: [t.score for r, t in tallies if r is role and t.score is not None]
        for role in RoleGroup
    }
    shown = privacy.publishable_groups({role: len(v) for role, v in scored.items()}, min_n)
    means: dict[str, float] = {
        role.value: m
        for role in RoleGroup  # in a fixed order, so sums (and floats) never depend on a set
        if role.value in shown and (m := _mean(scored[role.value])) is not None
    }
    return scored, means


def _register_part(bank: BankSpec, theme_key: str, facts: Mapping[str, FactResult]) -> float | None:
    """The weighted mean of the theme's register facts that score (not "not due", not unknown)."""
    return _weighted_mean(
        (facts[item.fact].score if item.fact in facts else None, item.weight)
        for item in bank.register
        if item.theme == theme_key
    )


def score(
    bank: BankSpec,
    responses: Sequence[Response],
    facts: Mapping[str, FactResult] | None = None,
) -> Profile:
    """Compute the profile of one assessment from every respondent's answers and, from bank
    method 2 on, the round's plan register (`facts`: register.FactResult per fact).

    The privacy rule (assessment/privacy.py) is applied here, before anything is computed, so
    no figure anywhere can derive from fewer than `min_group_size` people of a role group."""
    facts = facts or {}
    min_n = bank.min_group_size
    method2 = bank.method >= 2
    questions = {q.key: q for d in bank.dimensions for t in d.themes for q in t.questions}
    truths = {k: truth(v) for k, v in facts.items()}
    role_counts = {role.value: sum(1 for r in responses if r.role is role) for role in RoleGroup}
    responses, held_back = privacy.publishable_responses(responses, min_n)
    theme_scores: list[ThemeScore] = []
    dimension_scores: list[DimensionScore] = []
    total_answered = total_applicable = total_dont_know = 0

    for dimension in bank.dimensions:
        for theme in dimension.themes:
            tallies = [(r.role, _tally_theme(theme, r, questions, truths)) for r in responses]
            answered = sum(t.answered for _, t in tallies)
            applicable = sum(t.applicable for _, t in tallies)
            dont_know = sum(t.dont_know for _, t in tallies)
            scored, means = _group_means(tallies, min_n)
            # Only groups that may be shown enter the theme score: otherwise "theme score
            # minus the other group's mean" would give a lone member's score back.
            per_respondent = [v for role in means for v in scored[role]]
            groups = tuple(
                GroupStat(
                    role=role.value,
                    n=len(scored[role.value]),
                    mean=means.get(role.value),
                    spread=_spread(scored[role.value]) if role.value in means else None,
                )
                for role in RoleGroup
                if scored[role.value]
            )
            spread = _spread(per_respondent) if len(per_respondent) >= min_n else None
            register_score = None
            if method2:
                register_score = _register_part(bank, theme.key, facts)
                theme_answered, theme_applicable = _register_tally(bank, theme.key, facts)
                answered += theme_answered
                applicable += theme_applicable
                # Equal voices: each shown role group counts once, whatever its size, and the
                # register counts as much as one group.
                theme_score = _weighted_mean(
                    [(m, 1.0) for m in means.values()] + [(register_score, bank.register_weight)]
                )
                common = [
                    (r.role, _tally_theme(theme, r, questions, truths, common_only=True))
                    for r in responses
                ]
                gap_means = {
                    role: m
                    for role, m in _group_means(common, min_n)[1].items()
                    if role != RoleGroup.OTHER.value
                }
                # Markers are read off the shown figures (one rounding): a gap shown as 20
                # is never marked as larger than 20, a spread shown as 25 is split.
                shown_spread = display_score(spread)
                split = shown_spread is not None and shown_spread >= bank.split_threshold
            else:
                theme_score = _mean(per_respondent)
                gap_means = {role: m for role, m in means.items() if role != RoleGroup.OTHER.value}
                split = spread is not None and spread > bank.split_threshold
            pol = gap_means.get(RoleGroup.POLITICIAN.value)
            adm = gap_means.get(RoleGroup.ADMINISTRATION.value)
            gap = pol - adm if pol is not None and adm is not None else None
            if method2:
                shown_gap = display_change(adm, pol)
                large_gap = shown_gap is not None and abs(shown_gap) > bank.role_gap_threshold
            else:
                large_gap = gap is not None and abs(gap) > bank.role_gap_threshold
            total_answered += answered
            total_applicable += applicable
            total_dont_know += dont_know
            theme_scores.append(
                ThemeScore(
                    key=theme.key,
                    dimension=dimension.key,
                    score=theme_score,
                    answered=answered,
                    applicable=applicable,
                    dont_know=dont_know,
                    groups=groups,
                    gap=gap,
                    large_gap=large_gap,
                    spread=spread,
                    split=split,
                    register_score=register_score,
                    gap_means=gap_means if method2 else {},
                )
            )
        own = theme_scores[-len(dimension.themes) :] if dimension.themes else []
        dim_score = _weighted_mean(
            (ts.score, th.weight) for ts, th in zip(own, dimension.themes, strict=True)
        )
        dimension_scores.append(
            DimensionScore(
                key=dimension.key,
                score=dim_score,
                band=_band(bank, dim_score),
                theme_keys=tuple(t.key for t in dimension.themes),
            )
        )

    answer_counts, number_medians = _answer_summary(questions, responses, min_n)
    overall = _mean([d.score for d in dimension_scores if d.score is not None])
    completeness = total_answered / total_applicable if total_applicable else 0.0
    return Profile(
        bank_version=bank.version,
        overall=overall,
        band=_band(bank, overall),
        dimensions=tuple(dimension_scores),
        themes=tuple(theme_scores),
        completeness=completeness,
        dont_know=total_dont_know,
        low_confidence=completeness < bank.low_confidence_below,
        respondents=len(responses),
        respondents_by_role=role_counts,
        answer_counts=answer_counts,
        number_medians=number_medians,
        held_back=held_back,
        method=bank.method,
        register={k: v.to_dict() for k, v in facts.items()} if method2 else {},
    )


def _band(bank: BankSpec, value: float | None) -> str | None:
    # Method 2 reads the level off the score as shown: a score shown as 60 is never called
    # "developing" because it was 59.8 before rounding (one rounding everywhere).
    return bank.band_for(display_score(value) if bank.method >= 2 else value)


def _register_tally(
    bank: BankSpec, theme_key: str, facts: Mapping[str, FactResult]
) -> tuple[int, int]:
    """(answered, applicable) for the theme's register facts: a fact not yet due is not
    applicable; one the coordinator has not recorded is a gap, like an unanswered question."""
    answered = applicable = 0
    for item in bank.register:
        result = facts.get(item.fact)
        if item.theme != theme_key or (result is not None and result.status is Status.NOT_DUE):
            continue
        applicable += 1
        answered += result is not None and result.score is not None
    return answered, applicable


def _answer_summary(
    questions: Mapping[str, QuestionSpec], responses: Sequence[Response], min_n: int
) -> tuple[dict[str, dict[str, int]], dict[str, float]]:
    counts: dict[str, dict[str, int]] = {}
    numbers: dict[str, list[float]] = {}
    for q in questions.values():
        for response in responses:
            if question_status(q, response, questions) != "asked":
                continue
            answer = response.answers.get(q.key)
            if answer is None:
                continue
            if q.kind is Kind.NUMBER and not answer.dont_know and answer.value is not None:
                try:
                    numbers.setdefault(q.key, []).append(float(answer.value))
                except ValueError:
                    continue
            elif q.kind in (Kind.SCALE, Kind.YESNO, Kind.CHOICE, Kind.AWARENESS):
                value = "dont_know" if answer.dont_know else answer.value
                if value is not None:
                    per_value = counts.setdefault(q.key, {})
                    per_value[value] = per_value.get(value, 0) + 1
    # A median of one value is that person's answer: keep medians of min_n values or more.
    medians = {
        k: statistics.median(v) for k, v in numbers.items() if privacy.group_shown(len(v), min_n)
    }
    shown = {k: v for k, v in counts.items() if privacy.counts_shown(v, min_n)}
    return shown, medians

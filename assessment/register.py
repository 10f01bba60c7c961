"""The plan register: facts about a municipality's plans, recorded once per round by the
coordinator, and what each fact means on the round's date. Pure: no Django imports.

Facts are not opinions. Averaging six people's guesses about whether the planning strategy is
adopted gave points to a strategy that was not, so bank v2 no longer asks respondents; the
coordinator records the fact (with its date), and this module scores it. Deadlines come from
the election term: what is not yet due is reported as "due by <date>" and never scores as a
failure, so a baseline round early in a term is not penalised for the calendar.

One function per fact rule; `evaluate()` applies them all. docs/method.md explains them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

Day = date  # for annotations inside FactResult, whose field `date` hides the type


class Status(StrEnum):
    MET = "met"  # done, and on time where there is a deadline
    LATE = "late"  # done this term, after the deadline
    NOT_DUE = "not_due"  # not done, and the deadline has not passed: never a failure
    MISSING = "missing"  # not done, and due (or a duty without a date)
    CURRENT = "current"  # a plan part adopted this term
    KEPT = "kept"  # a plan part this term's planning strategy decided to keep as it is
    PREVIOUS = "previous"  # from the previous term, not kept by this term's strategy, which is due
    OLD = "old"  # a plan part older than the previous term
    PARTLY = "partly"  # a weaker form of the practice (e.g. linked, not merged)
    NONE = "none"  # a practice the municipality does not have (not a legal duty)
    RECORDED = "recorded"  # context only (a number), never scored
    UNKNOWN = "unknown"  # the coordinator has not recorded it: a data gap


FACTS = (
    "strategy_adopted",
    "community_part",
    "land_use_part",
    "action_part",
    "plan_count",
    "delegation_adopted",
    "youth_council",
    "planning_cooperation",
)
# Facts a respondent can be asked whether they know (awareness questions): true or false.
AWARENESS_FACTS = ("strategy_adopted", "delegation_adopted", "youth_council")

ACTION_PART_SCORES: Mapping[str, tuple[Status, float]] = {
    "merged": (Status.MET, 100.0),
    "linked": (Status.PARTLY, 75.0),
    "separate": (Status.PARTLY, 25.0),
    "none": (Status.MISSING, 0.0),
}
COOPERATION_SCORES: Mapping[str, tuple[Status, float]] = {
    "shared_office": (Status.MET, 100.0),
    "other": (Status.PARTLY, 70.0),
    "none": (Status.NONE, 0.0),
}
# Scores by status where the status alone decides.
STATUS_SCORES: Mapping[Status, float] = {
    Status.MET: 100.0,
    Status.CURRENT: 100.0,
    Status.KEPT: 100.0,
    Status.LATE: 75.0,
    Status.PREVIOUS: 50.0,
    Status.OLD: 25.0,
    Status.MISSING: 0.0,
}


@dataclass(frozen=True)
class Term:
    """An election term: the council is constituted in the autumn after the September
    election; duties with deadlines count from that date."""

    first_year: int
    constituted: date

    @property
    def strategy_due(self) -> date:
        # pbl. § 10-1: the planning strategy at the latest one year after constitution.
        return _one_year_after(self.constituted)

    @property
    def delegation_due(self) -> date:
        # kommuneloven § 5-14: the delegation regulation by 31 December of the year after.
        return date(self.constituted.year + 1, 12, 31)

    @property
    def previous_start(self) -> date:
        return date(self.first_year - 4, self.constituted.month, self.constituted.day)


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def default_constituted(first_year: int) -> date:
    """The latest day the new council can be constituted (the end of October of the election
    year). Used until the coordinator records the real date; a later assumed date never makes
    a duty overdue sooner than the law does."""
    return date(first_year, 10, 31)


def term_of(period: str, constituted: date | None = None) -> Term | None:
    """The term "2023-2027" (as rounds record it), or None when the text is not a term."""
    head = period.strip()[:4]
    if not head.isdigit():
        return None
    first_year = int(head)
    return Term(first_year=first_year, constituted=constituted or default_constituted(first_year))


@dataclass(frozen=True)
class Register:
    """What the coordinator recorded; None = not recorded."""

    strategy_adopted: date | None = None
    strategy_missing: bool = False  # recorded as "not adopted this term"
    community_part: date | None = None
    community_part_kept: bool = False
    community_part_missing: bool = False
    land_use_part: date | None = None
    land_use_part_kept: bool = False
    land_use_part_missing: bool = False
    action_part: str = ""
    plan_count: int | None = None
    delegation_adopted: date | None = None
    delegation_missing: bool = False
    youth_council: bool | None = None
    planning_cooperation: str = ""


@dataclass(frozen=True)
class FactResult:
    fact: str
    status: Status
    score: float | None  # None: not scored (not due, context, unknown)
    date: Day | None = None  # the recorded date, where there is one
    due: Day | None = None  # the deadline, where the law sets one
    number: int | None = None  # a recorded count (plan_count), shown as context

    def to_dict(self) -> dict[str, object]:
        return {
            "fact": self.fact,
            "status": self.status.value,
            "score": self.score,
            "date": self.date.isoformat() if self.date else None,
            "due": self.due.isoformat() if self.due else None,
            "number": self.number,
        }


def fact_from_dict(data: Mapping[str, object]) -> FactResult:
    def day(value: object) -> date | None:
        return date.fromisoformat(str(value)) if value else None

    score, number = data.get("score"), data.get("number")
    return FactResult(
        fact=str(data["fact"]),
        status=Status(str(data["status"])),
        score=None if score is None else float(str(score)),
        date=day(data.get("date")),
        due=day(data.get("due")),
        number=None if number is None else int(str(number)),
    )


def _scored(
    fact: str, status: Status, *, date: Day | None = None, due: Day | None = None
) -> FactResult:
    return FactResult(fact=fact, status=status, score=STATUS_SCORES.get(status), date=date, due=due)


def _deadline_duty(
    fact: str, adopted: date | None, missing: bool, due: date, term: Term, today: date
) -> FactResult:
    """A duty to adopt something once per term by a deadline (strategy, delegation rules)."""
    if adopted is not None and adopted >= term.constituted:
        return _scored(fact, Status.MET if adopted <= due else Status.LATE, date=adopted, due=due)
    if adopted is None and not missing:
        return FactResult(fact, Status.UNKNOWN, None, due=due)
    # Not adopted this term (an earlier date is the previous term's decision).
    if today <= due:
        return FactResult(fact, Status.NOT_DUE, None, date=adopted, due=due)
    return _scored(fact, Status.MISSING, date=adopted, due=due)


def strategy_rule(reg: Register, term: Term, today: date) -> FactResult:
    return _deadline_duty(
        "strategy_adopted",
        reg.strategy_adopted,
        reg.strategy_missing,
        term.strategy_due,
        term,
        today,
    )


def delegation_rule(reg: Register, term: Term, today: date) -> FactResult:
    return _deadline_duty(
        "delegation_adopted",
        reg.delegation_adopted,
        reg.delegation_missing,
        term.delegation_due,
        term,
        today,
    )


def _plan_part(
    fact: str, adopted: date | None, kept: bool, missing: bool, term: Term, today: date
) -> FactResult:
    """A part of the master plan: current when adopted this term, kept (as good as current)
    when this term's planning strategy decided to keep it. A part from the previous term is
    not a shortfall while the strategy, which decides whether to revise it, is not yet due;
    once it is due, a part the strategy did not keep is awaiting revision."""
    if adopted is not None and adopted >= term.constituted:
        return _scored(fact, Status.CURRENT, date=adopted)
    if kept:
        return _scored(fact, Status.KEPT, date=adopted)
    if missing:
        return _scored(fact, Status.MISSING)
    if adopted is None:
        return FactResult(fact, Status.UNKNOWN, None)
    if adopted >= term.previous_start:
        if today <= term.strategy_due:
            return FactResult(fact, Status.NOT_DUE, None, date=adopted, due=term.strategy_due)
        return _scored(fact, Status.PREVIOUS, date=adopted, due=term.strategy_due)
    return _scored(fact, Status.OLD, date=adopted)


def community_part_rule(reg: Register, term: Term, today: date) -> FactResult:
    return _plan_part(
        "community_part",
        reg.community_part,
        reg.community_part_kept,
        reg.community_part_missing,
        term,
        today,
    )


def land_use_part_rule(reg: Register, term: Term, today: date) -> FactResult:
    return _plan_part(
        "land_use_part",
        reg.land_use_part,
        reg.land_use_part_kept,
        reg.land_use_part_missing,
        term,
        today,
    )


def _choice(fact: str, value: str, table: Mapping[str, tuple[Status, float]]) -> FactResult:
    if value not in table:
        return FactResult(fact, Status.UNKNOWN, None)
    status, points = table[value]
    return FactResult(fact, status, points)


def action_part_rule(reg: Register, term: Term, today: date) -> FactResult:
    return _choice("action_part", reg.action_part, ACTION_PART_SCORES)


def cooperation_rule(reg: Register, term: Term, today: date) -> FactResult:
    return _choice("planning_cooperation", reg.planning_cooperation, COOPERATION_SCORES)


def youth_council_rule(reg: Register, term: Term, today: date) -> FactResult:
    if reg.youth_council is None:
        return FactResult("youth_council", Status.UNKNOWN, None)
    return _scored("youth_council", Status.MET if reg.youth_council else Status.MISSING)


def plan_count_rule(reg: Register, term: Term, today: date) -> FactResult:
    if reg.plan_count is None:
        return FactResult("plan_count", Status.UNKNOWN, None)
    return FactResult("plan_count", Status.RECORDED, None, number=reg.plan_count)


RULES: Mapping[str, Callable[[Register, Term, date], FactResult]] = {
    "strategy_adopted": strategy_rule,
    "community_part": community_part_rule,
    "land_use_part": land_use_part_rule,
    "action_part": action_part_rule,
    "plan_count": plan_count_rule,
    "delegation_adopted": delegation_rule,
    "youth_council": youth_council_rule,
    "planning_cooperation": cooperation_rule,
}


def evaluate(reg: Register, term: Term, today: date) -> dict[str, FactResult]:
    """Every fact's status and score on `today` (the day the round closes, or now)."""
    return {fact: RULES[fact](reg, term, today) for fact in FACTS}


def truth(result: FactResult) -> bool | None:
    """Whether an awareness fact is true ("has the council adopted ... this term?"), or None
    when the register does not say."""
    if result.status in (Status.MET, Status.LATE):
        return True
    if result.status in (Status.NOT_DUE, Status.MISSING):
        return False
    return None

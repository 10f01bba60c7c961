"""What a plan-register fact's status means, in plain words for the coordinator's page (and,
later, the reports). The rules themselves are in assessment/register.py; this module only
says them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessment.models import PlanRegister
from assessment.register import ACTION_PART_SCORES, COOPERATION_SCORES, FactResult, Status

FACT_LABELS: Mapping[str, str | Promise] = {
    "strategy_adopted": gettext_lazy("Planning strategy"),
    "community_part": gettext_lazy("Community part of the master plan"),
    "land_use_part": gettext_lazy("Land-use part of the master plan"),
    "action_part": gettext_lazy("Action part"),
    "plan_count": gettext_lazy("Thematic and sector plans in force"),
    "delegation_adopted": gettext_lazy("Delegation regulation"),
    "youth_council": gettext_lazy("Youth council"),
    "planning_cooperation": gettext_lazy("Planning cooperation"),
}

_PLAN_PART_RULE = gettext_lazy(
    "Planning and Building Act §§ 10-1 and 11-1: this term's planning strategy decides whether "
    "to revise the part or keep it. Until the strategy is due, a part from the previous term "
    "counts as not yet due; after that, only a part adopted this term or kept by the strategy "
    "counts in full."
)

# One sentence per fact: the rule behind its status (docs/method.md has the detail).
RULE_TEXTS: Mapping[str, str | Promise] = {
    "strategy_adopted": gettext_lazy(
        "Planning and Building Act § 10-1: the council adopts a planning strategy at the latest "
        "one year after it is constituted."
    ),
    "community_part": _PLAN_PART_RULE,
    "land_use_part": _PLAN_PART_RULE,
    "action_part": gettext_lazy(
        "Planning and Building Act § 11-1: the action part is revised every year, and the "
        "financial plan may be the action part; merged counts most, linked less."
    ),
    "plan_count": gettext_lazy("Context only: the number is shown, never scored."),
    "delegation_adopted": gettext_lazy(
        "Local Government Act § 5-14: the new council adopts its delegation regulation by 31 "
        "December of the year after it is constituted."
    ),
    "youth_council": gettext_lazy(
        "Local Government Act § 5-12: every municipality has a youth council or another "
        "arrangement for young people's participation."
    ),
    "planning_cooperation": gettext_lazy(
        "Not a legal duty: a shared planning office counts most, other cooperation partly."
    ),
}

_PLAN_PARTS = ("community_part", "land_use_part")


# Day.month.year in every language, as the form asks for them (assessment/forms.py): a
# Norwegian deadline read in English is still 31.10.2024, not 10/31/2024.
DATE_SHOWN = "d.m.Y"


def _day(value: date | None) -> str:
    return date_format(value, DATE_SHOWN) if value else ""


def _choice_label(
    result: FactResult,
    table: Mapping[str, tuple[Status, float]],
    labels: Mapping[str, str | Promise],
) -> str:
    # The result keeps the status and the points, not the recorded choice; in each table the
    # pair names one choice.
    for key, (status, points) in table.items():
        if status is result.status and points == result.score:
            return str(labels[key])
    return _("Recorded")


def status_text(result: FactResult, *, plan_count: int | None = None) -> str:
    """The status of one fact as a short sentence: "Adopted 14.03.2024, on time", "Not yet
    due: due by 31.10.2024", "Overdue since 31.10.2024", "Not recorded". `plan_count` is the
    recorded number, which the result itself does not carry."""
    status, fact = result.status, result.fact
    values = {"date": _day(result.date), "due": _day(result.due)}
    if status is Status.UNKNOWN:
        return _("Not recorded")
    if fact == "action_part":
        return _choice_label(result, ACTION_PART_SCORES, dict(PlanRegister.ActionPart.choices))
    if fact == "planning_cooperation":
        return _choice_label(result, COOPERATION_SCORES, dict(PlanRegister.Cooperation.choices))
    if fact == "youth_council":
        return _("Yes, there is a youth council") if status is Status.MET else _("No youth council")
    if fact == "plan_count":
        plan_count = result.number if plan_count is None else plan_count
        if plan_count is None:
            return _("Recorded")
        return ngettext("%(count)d plan in force", "%(count)d plans in force", plan_count) % {
            "count": plan_count
        }
    if status is Status.MET:
        return _("Adopted %(date)s, on time") % values
    if status is Status.LATE:
        return _("Adopted %(date)s, after the deadline of %(due)s") % values
    if status is Status.NOT_DUE:
        if fact in _PLAN_PARTS and result.date:
            return (
                _(
                    "Adopted %(date)s in the previous term; not yet due for review (the planning "
                    "strategy is due by %(due)s)"
                )
                % values
            )
        return _("Not yet due: due by %(due)s") % values
    if status is Status.MISSING:
        if result.due:
            return _("Overdue since %(due)s") % values
        return _("None adopted")
    if status is Status.CURRENT:
        return _("Adopted %(date)s, this term") % values
    if status is Status.KEPT:
        if result.date:
            return _("Kept by this term's planning strategy (last adopted %(date)s)") % values
        return _("Kept by this term's planning strategy")
    if status is Status.PREVIOUS:
        return (
            _(
                "Adopted %(date)s in the previous term and not kept by this term's planning "
                "strategy (due %(due)s): a revision is expected"
            )
            % values
        )
    if status is Status.OLD:
        return _("Adopted %(date)s, before the previous term") % values
    return _("Recorded")

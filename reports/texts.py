"""The words of a report: labels for library codes and the council texts (key messages,
questions to discuss, the draft resolution, the method), written from ReportData."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import cast

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from assessment.display import display_score
from assessment.scoring import SCALE_SCORES, YESNO_SCORES
from reports.rows import RecommendationRow, RegisterRow, ReportData


def who_label(key: str) -> str:
    return {
        "council": _("Municipal council"),
        "mayor": _("Mayor"),
        "chief_executive": _("Chief executive"),
        "planner": _("Planner"),
        "organisation": _("The whole organisation"),
    }.get(key, key)


def effort_label(key: str) -> str:
    return {
        "small": pgettext("effort", "Small"),
        "medium": pgettext("effort", "Medium"),
        "large": pgettext("effort", "Large"),
    }.get(key, key)


def approach_label(key: str) -> str:
    return {
        "ready_made": _("Ready-made (hyllevare)"),
        "tailored": _("Tailored (skreddersøm)"),
    }.get(key, key)


def _key_messages(
    data: ReportData, recommendations: tuple[RecommendationRow, ...]
) -> tuple[str, ...]:
    if not data.has_scores:
        return ()
    messages = [
        _("The overall level is “%(band)s”, %(score)s of 100.")
        % {"band": data.band_label, "score": data.overall}
    ]
    scored = [d for d in data.dimensions if d.score is not None]
    best = max(scored, key=lambda d: cast(int, d.score), default=None)
    worst = min(scored, key=lambda d: cast(int, d.score), default=None)
    # Method 2 never names one dimension as both strongest and weakest (equal scores).
    tied = (
        data.scoring_method >= 2
        and best is not None
        and worst is not None
        and best.score == worst.score
    )
    if len(scored) >= 2 and best is not None and worst is not None and not tied:
        messages.append(
            _(
                "Strongest dimension: %(best)s (%(best_score)s). Weakest: %(worst)s "
                "(%(worst_score)s)."
            )
            % {
                "best": best.name,
                "best_score": best.score,
                "worst": worst.name,
                "worst_score": worst.score,
            }
        )
    if recommendations:
        messages.append(
            _("Most important next step: %(title)s.") % {"title": recommendations[0].title}
        )
    return tuple(messages)


def _discussion(data: ReportData) -> tuple[str, ...]:
    """Questions for a joint meeting of council and administration: the largest role gaps,
    the themes where people disagree most, and the lowest themes."""
    questions = [
        _(
            "Elected politicians gave “%(theme)s” %(pol)s points, the administration %(adm)s. "
            "What does each side see that the other may not?"
        )
        % {"theme": g.name, "pol": g.politicians, "adm": g.administration}
        for g in data.differ[:3]
    ]
    questions += [
        _("Answers on “%(theme)s” vary a lot. What explains the different experiences?")
        % {"theme": name}
        for name in data.split_themes[:2]
    ]
    questions += [
        _(
            "“%(theme)s” scored %(score)s. What would it take to move one step up on the "
            "scale before the next round, and who would do it?"
        )
        % {"theme": t.name, "score": t.score}
        for t in data.development_areas[:2]
    ]
    return tuple(questions)


# --- the proposed resolution ------------------------------------------------------------
# One composition for the report's "Draft council resolution" and the council paper
# (reports/council_paper.py). Only what is the council's to decide goes in: it takes note,
# adopts priorities, asks the chief executive to follow up and report by a date, ties the
# follow-up to the next financial plan and decides when to look again. Operational steps
# belong to the administration's action plan. Priorities are named by the bank's themes (noun
# phrases in every language), never by recommendation titles, which are imperatives.

# Facts of the plan register that are legal duties; planning cooperation is not one, and the
# number of plans is context only.
LEGAL_DUTIES = (
    "strategy_adopted",
    "community_part",
    "land_use_part",
    "action_part",
    "delegation_adopted",
    "youth_council",
)
# The plan parts score 50 or 25 when their review is overdue (assessment/register.py).
_PLAN_PARTS = ("community_part", "land_use_part")


def overdue_duties(register: tuple[RegisterRow, ...]) -> tuple[RegisterRow, ...]:
    """The register's legal duties that are overdue: not done past the deadline, or a plan
    part whose review is overdue. What is not yet due or not recorded is never overdue."""
    return tuple(
        row
        for row in register
        if row.fact in LEGAL_DUTIES
        and row.score is not None
        and (row.score == 0 or (row.fact in _PLAN_PARTS and row.score <= 50))
    )


def paper_date(day: date) -> str:
    """A date as a council paper writes it: "31. mai 2027", and "31 May 2027" in English
    (British order, not Django's US default)."""
    return date_format(day, "j F Y" if get_language() == "en" else "j. F Y")


def default_deadline(when: date) -> date:
    """The last day of the month six months after the report: time for the administration to
    work the priorities into a plan before the next financial plan is drawn up."""
    month = when.month + 6
    year, month = when.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def financial_plan_years(deadline: date) -> tuple[int, int]:
    """The four-year financial plan the follow-up can still go into: the one adopted in
    December after the deadline, or the year after when the deadline falls in the budget
    season (October to December)."""
    first = deadline.year + (1 if deadline.month <= 9 else 2)
    return first, first + 3


def default_responsible() -> str:
    """Who the council asks, as the resolution writes it mid-sentence."""
    return pgettext("resolution: the council asks ...", "the chief executive")


def lower_first(name: str) -> str:
    """A theme name inside a sentence: "Roles and training" -> "roles and training". Left as
    it is when the second letter is a capital (an abbreviation such as "KOSTRA")."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def quoted_list(names: Sequence[str]) -> str:
    quoted = [_("“%(answer)s”") % {"answer": lower_first(n)} for n in names]
    return _listed(quoted) if len(quoted) > 1 else "".join(quoted)


@dataclass(frozen=True)
class ResolutionInput:
    """What the proposed resolution is written from: ReportData's findings, the round, and the
    coordinator's edits of the deadline and the responsible."""

    municipality: str
    period: str
    when: date  # the report's date: the round's closing day
    has_scores: bool = True
    development_areas: tuple[str, ...] = ()
    differ: tuple[str, ...] = ()
    overdue: tuple[str, ...] = ()
    round_key: str = ""
    deadline: date | None = None
    responsible: str = ""

    @classmethod
    def from_report(
        cls,
        data: ReportData,
        *,
        when: date,
        round_key: str = "",
        deadline: date | None = None,
        responsible: str = "",
    ) -> ResolutionInput:
        return cls(
            municipality=data.municipality,
            period=data.period,
            when=when,
            has_scores=data.has_scores,
            development_areas=tuple(t.name for t in data.development_areas[:3]),
            differ=tuple(g.name for g in data.differ[:3]),
            overdue=tuple(row.label for row in overdue_duties(data.register)),
            round_key=round_key,
            deadline=deadline,
            responsible=responsible,
        )


def resolution_points(given: ResolutionInput) -> tuple[str, ...]:
    """The chief executive's proposed resolution, numbered points in municipal form."""
    deadline = given.deadline or default_deadline(given.when)
    first, last = financial_plan_years(deadline)
    period = given.period.replace("-", "–")
    points = [
        _(
            "The municipal council takes note of the self-assessment of plan culture, role "
            "clarity and development capacity in %(municipality)s for the election term "
            "%(period)s."
        )
        % {"municipality": given.municipality, "period": period}
    ]
    priorities = []
    if given.development_areas:
        priorities.append(
            _("stronger practice in the areas that scored lowest: %(themes)s")
            % {"themes": quoted_list(given.development_areas)}
        )
    if given.differ:
        priorities.append(
            _(
                "a shared understanding between elected politicians and the administration "
                "where they judge the municipality differently: %(themes)s"
            )
            % {"themes": quoted_list(given.differ)}
        )
    if given.overdue:
        priorities.append(
            _("the statutory planning duties that are overdue: %(duties)s")
            % {"duties": quoted_list(given.overdue)}
        )
    if priorities:
        points.append(
            _(
                "The municipal council adopts these priorities for planning and development "
                "for the rest of the election term: %(priorities)s."
            )
            % {"priorities": "; ".join(priorities)}
        )
    values = {
        "responsible": given.responsible or default_responsible(),
        "date": paper_date(deadline),
    }
    if given.has_scores:
        points.append(
            _(
                "The municipal council asks %(responsible)s to follow up the priorities in the "
                "administration's action plan and to report to the council on the follow-up "
                "by %(date)s."
            )
            % values
        )
    else:
        points.append(
            _(
                "The municipal council asks %(responsible)s to follow up the findings of the "
                "self-assessment and to report to the council on the follow-up by %(date)s."
            )
            % values
        )
    points.append(
        _(
            "Measures that need funding are considered in the work on the financial plan "
            "%(first)s–%(last)s."
        )
        % {"first": first, "last": last}
    )
    points.append(_repeat_point(given.round_key))
    return tuple(points)


def _repeat_point(round_key: str) -> str:
    if round_key == "baseline":
        return _(
            "The self-assessment is repeated in the middle of the election term to follow the "
            "development."
        )
    if round_key == "midterm":
        return _(
            "The self-assessment is repeated at the end of the election term to follow the "
            "development."
        )
    if round_key == "end":
        return _(
            "The self-assessment is repeated early in the next election term, so that the new "
            "council starts from what this one learnt."
        )
    return _(
        "The self-assessment is repeated later in the election term to follow the development."
    )


def _resolution(
    municipality: str,
    period: str,
    recommendations: tuple[RecommendationRow, ...],
    *,
    data: ReportData | None = None,
    when: date | datetime | None = None,
    round_key: str = "",
) -> tuple[str, ...]:
    """The report's "Draft council resolution": the council paper's default points.

    `data` (the report's scores) names the priorities and `when` (the round's closing day)
    sets the default deadline; without them the points name no priorities and the deadline
    counts from today. The recommendations are not named in the resolution: their titles are
    steps for the administration, not decisions for the council."""
    del recommendations  # kept for the caller's signature; see the docstring
    if isinstance(when, datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    day = when or timezone.localdate()
    if data is None:
        given = ResolutionInput(municipality=municipality, period=period, when=day)
    else:
        given = ResolutionInput.from_report(data, when=day, round_key=round_key)
        given = replace(given, municipality=municipality, period=period)
    return resolution_points(given)


def _points(value: float) -> str:
    return str(display_score(value))


def _listed(items: list[str]) -> str:
    """ "0, 25, 50, 75 and 100" in the active language."""
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _method(
    threshold: int, min_group_size: int, method: int = 1, cutoffs: tuple[int, ...] = ()
) -> tuple[str, ...]:
    if method >= 2:
        return _method_v2(threshold, min_group_size, cutoffs)
    return (
        _(
            "Answers on the scale 1–5 count as %(scale)s points; yes, partly and no count as "
            "%(yesno)s."
        )
        % {
            # From the scoring module's own tables, so the text cannot drift from the method.
            "scale": _listed([_points(SCALE_SCORES[k]) for k in sorted(SCALE_SCORES)]),
            "yesno": _listed([_points(YESNO_SCORES[k]) for k in ("yes", "partly", "no")]),
        },
        _(
            "“Don't know” gives no points and is counted as a gap. Follow-up questions about "
            "something the municipality does not have count as 0."
        ),
        _(
            "A theme score is the weighted mean of its questions for each respondent, then the "
            "mean across respondents. A dimension is the weighted mean of its themes; the "
            "overall score is the mean of the dimensions."
        ),
        _(
            "Completeness is the share of questions answered. Results where less than "
            "%(threshold)s %% of the questions are answered are marked as low confidence."
        )
        % {"threshold": threshold},
        _privacy_sentence(min_group_size),
        _(
            "Recommendations are chosen by rules written from the research (Distriktskommune 3.0 "
            "and related sources) and ranked by priority; each cites its sources."
        ),
    )


def _privacy_sentence(min_group_size: int) -> str:
    return _(
        "To protect privacy, a role group's answers count only when at least %(n)s people "
        "in it have submitted, and results are computed only once the round is closed; so "
        "no one's individual answers can be read or worked out from the report."
    ) % {"n": min_group_size}


def _method_v2(threshold: int, min_group_size: int, cutoffs: tuple[int, ...]) -> tuple[str, ...]:
    """The method of bank v2 (docs/method.md, "Method 2")."""
    return (
        _(
            "Facts about the plans (the planning strategy, the parts of the master plan, the "
            "delegation regulation, the youth council, cooperation) are recorded once by the "
            "coordinator in a plan register, not asked of respondents. Deadlines follow the "
            "election term; what is not yet due is shown with its date and never counted as a "
            "shortfall. A duty met on time, or a plan part adopted this term or kept by the "
            "planning strategy, gives 100 points; met late 75; a part from the previous term "
            "awaiting revision 50; an older part 25; a missing duty 0."
        ),
        _(
            "Answers on the scale 1–5 count as %(scale)s points. Questions on whether people "
            "know a fact count 100 for a right answer and 0 for a wrong one or “don't know”."
        )
        % {"scale": _listed([_points(SCALE_SCORES[k]) for k in sorted(SCALE_SCORES)])},
        _(
            "A theme score gives each role group the same weight, however many answered: it is "
            "the mean of the groups' means and, where the theme has facts in the register, of "
            "the register's points, which count as much as one group."
        ),
        _(
            "The difference between elected politicians and the administration uses only the "
            "questions both groups were asked. A dimension is the weighted mean of its themes; "
            "the overall score is the mean of the dimensions."
        ),
        _(
            "Completeness is the share of questions answered and facts recorded. Results where "
            "less than %(threshold)s %% is answered are marked as low confidence."
        )
        % {"threshold": threshold},
        _privacy_sentence(min_group_size),
        _(
            "Recommendations are chosen by rules written from the research (Distriktskommune 3.0 "
            "and related sources) and ranked by priority, so that every dimension below the "
            "established level gets at least one, no piece of the research's advice fills more "
            "than two places, and no single answer or fact triggers two. Each cites its sources."
        ),
        _(
            "The level cut-offs (%(cutoffs)s) are a judgement, not a measurement: they were set "
            "so that each level describes a recognisable state of practice, and are data in the "
            "question bank that can be revised in a new version."
        )
        % {"cutoffs": _listed([str(c) for c in cutoffs]) if len(cutoffs) > 1 else cutoffs},
    )

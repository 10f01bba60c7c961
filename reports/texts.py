"""The words of a report: labels for library codes and the council texts (key messages,
questions to discuss, the draft resolution, the method), written from ReportData."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.display import display_score
from assessment.scoring import SCALE_SCORES, YESNO_SCORES
from reports.rows import RecommendationRow, ReportData


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


def _resolution(
    municipality: str, period: str, recommendations: tuple[RecommendationRow, ...]
) -> tuple[str, ...]:
    titles = "; ".join(r.title for r in recommendations[:3])
    points = [
        _(
            "The municipal council of %(municipality)s takes note of the self-assessment of plan "
            "culture, role clarity and development capacity for the election term %(period)s."
        )
        % {"municipality": municipality, "period": period},
        _(
            "The council adopts the action plan in the report and asks the chief executive to "
            "follow it up."
        ),
    ]
    if titles:
        points.append(_("The council gives priority to: %(titles)s.") % {"titles": titles})
    points += [
        _(
            "Progress on the action plan is reported to the council together with the next "
            "financial plan."
        ),
        _(
            "The self-assessment is repeated in the middle of the election term to follow the "
            "development."
        ),
    ]
    return tuple(points)


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
        _(
            "To protect privacy, a role group's answers count only when at least %(n)s people "
            "in it have submitted, and results are computed only once the round is closed; so "
            "no one's individual answers can be read or worked out from the report."
        )
        % {"n": min_group_size},
        _(
            "Recommendations are chosen by rules written from the research (Distriktskommune 3.0 "
            "and related sources) and ranked by priority; each cites its sources."
        ),
    )


def _method_v2(threshold: int, min_group_size: int, cutoffs: tuple[int, ...]) -> tuple[str, ...]:
    """The method of bank v2 (docs/method.md, "Method 2")."""
    return (
        _(
            "Facts about the plans (the planning strategy, the parts of the master plan, the "
            "delegation regulation, the youth council, cooperation) are recorded once by the "
            "coordinator in a plan register, not asked of respondents. Deadlines follow the "
            "election term; what is not yet due is shown with its date and never counted as a "
            "shortfall."
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
        _(
            "To protect privacy, a role group's answers count only when at least %(n)s people "
            "in it have submitted, and results are computed only once the round is closed; so "
            "no one's individual answers can be read or worked out from the report."
        )
        % {"n": min_group_size},
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

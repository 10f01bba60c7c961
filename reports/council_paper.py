"""The council paper (saksframlegg): a two-page case presentation for the municipal council,
composed from the report and the coordinator's edits.

Pure: ReportData, the round's facts and the edits in, a frozen CouncilPaper out; no database.
It follows the structure Norwegian municipalities use (background and facts, assessment,
financial and administrative consequences, the chief executive's proposed resolution), and
the PDF (reports/council_paper_pdf.py) and the Word file (reports/docx.py) render the same
CouncilPaper. An open round has no figures (assessment/privacy.py, rule 4), so its paper says
who has answered so far and that the figures come when the round closes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from assessment.i18n import file_slug
from reports.rows import ReportData
from reports.texts import (
    ResolutionInput,
    default_deadline,
    default_responsible,
    effort_label,
    financial_plan_years,
    lower_first,
    overdue_duties,
    paper_date,
    quoted_list,
    resolution_points,
)


@dataclass(frozen=True)
class PaperEdits:
    """What the coordinator changed (reports.models.CouncilPaper); empty means the default.

    The wording (responsible, assessment, resolution) belongs to the language it was written
    in and is used only for a paper in that language; the dates apply in every language."""

    language: str = ""
    meeting_date: date | None = None
    deadline: date | None = None
    responsible: str = ""
    assessment_text: str = ""
    resolution: tuple[str, ...] = ()

    def wording_for(self, language: str) -> PaperEdits:
        if self.language == language:
            return self
        return PaperEdits(meeting_date=self.meeting_date, deadline=self.deadline)


@dataclass(frozen=True)
class RoundFacts:
    """What the paper needs about the round beyond ReportData."""

    is_open: bool
    round_key: str  # Assessment.Round: baseline, midterm, end, other
    when: date  # the day the round closed, or today for an open round


@dataclass(frozen=True)
class Block:
    kind: Literal["p", "ul"]
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class CouncilPaper:
    language: str
    draft: bool
    fictional: bool
    municipality: str
    kind: str  # "Saksframlegg", or "Foreløpig saksframlegg" while the round is open
    title: str  # the case
    facts: tuple[tuple[str, str], ...]
    notices: tuple[str, ...]  # the draft and fictional notes under the title
    sections: tuple[Section, ...]
    resolution_heading: str
    resolution_lead: str
    resolution: tuple[str, ...]
    attachments: tuple[str, ...]
    running_label: str  # on every page: municipality, and the draft mark while open
    file_stem: str
    # The defaults the edit page offers and compares against.
    default_assessment: str = ""
    default_resolution: tuple[str, ...] = field(default=())
    deadline: date | None = None
    meeting_date: date | None = None
    responsible: str = ""


def paragraphs(text: str) -> tuple[str, ...]:
    """An edited text's paragraphs: separated by blank lines, inner line breaks as spaces."""
    chunks = [" ".join(chunk.split()) for chunk in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(chunk for chunk in chunks if chunk)


def compose_paper(
    data: ReportData, facts: RoundFacts, edits: PaperEdits | None = None
) -> CouncilPaper:
    """The council paper in the report's language (data.language)."""
    language = data.language
    edits = (edits or PaperEdits()).wording_for(language)
    with translation.override(language):
        deadline = edits.deadline or default_deadline(facts.when)
        responsible = edits.responsible.strip() or default_responsible()
        given = ResolutionInput.from_report(
            data, when=facts.when, round_key=facts.round_key, deadline=deadline
        )
        default_points = resolution_points(given)
        points = resolution_points(
            ResolutionInput.from_report(
                data,
                when=facts.when,
                round_key=facts.round_key,
                deadline=deadline,
                responsible=responsible,
            )
        )
        default_text = "\n\n".join(_assessment(data, facts))
        draft = facts.is_open
        kind = (
            pgettext("council paper", "Draft case presentation")
            if draft
            else pgettext("council paper", "Case presentation")
        )
        running = data.municipality
        if draft:
            running += " – " + pgettext("council paper, every page", "Draft")
        if data.fictional:
            running += " – " + _("fictional example")
        return CouncilPaper(
            language=language,
            draft=draft,
            fictional=data.fictional,
            municipality=data.municipality,
            kind=kind,
            title=_("Self-assessment of plan culture, role clarity and development capacity"),
            facts=_facts(data, facts, edits.meeting_date),
            notices=_notices(data, facts),
            sections=(
                Section(_("Background and facts"), _background(data, facts)),
                Section(
                    _("Assessment"),
                    tuple(
                        Block("p", p)
                        for p in paragraphs(edits.assessment_text.strip() or default_text)
                    ),
                ),
                Section(
                    _("Financial and administrative consequences"),
                    _consequences(data, deadline, responsible),
                ),
            ),
            resolution_heading=_("The chief executive's proposed resolution"),
            resolution_lead=_("The municipal council makes the following resolution:"),
            resolution=tuple(p for p in edits.resolution if p.strip()) or points,
            attachments=(
                _("Report: %(title)s – %(municipality)s, election term %(period)s (Planprofil)")
                % {
                    "title": _("Plan culture, role clarity and development capacity"),
                    "municipality": data.municipality,
                    "period": data.period.replace("-", "–"),
                },
            ),
            running_label=running,
            file_stem=_file_stem(data, language),
            default_assessment=default_text,
            default_resolution=default_points,
            deadline=deadline,
            meeting_date=edits.meeting_date,
            responsible=responsible,
        )


def _file_stem(data: ReportData, language: str) -> str:
    kind = "case-presentation" if language == "en" else "saksframlegg"
    return f"{kind}-{file_slug(data.municipality)}-{data.period}"


def _facts(
    data: ReportData, facts: RoundFacts, meeting_date: date | None
) -> tuple[tuple[str, str], ...]:
    rows = [
        (_("Municipality"), data.municipality),
        (_("Committee"), _("Municipal council")),
        (_("Meeting date"), paper_date(meeting_date) if meeting_date else "–"),
        (_("Date"), paper_date(facts.when)),
        (_("Election term"), data.period.replace("-", "–")),
        (_("Round"), data.round_label),
    ]
    return tuple((label, value) for label, value in rows if value)


def _notices(data: ReportData, facts: RoundFacts) -> tuple[str, ...]:
    notices = []
    if facts.is_open:
        notices.append(
            _(
                "Draft: the round is still open. The figures are published when the round "
                "is closed, and this paper is then written from them."
            )
        )
    if data.fictional:
        notices.append(
            _("Fictional example.")
            + " "
            + _(
                "The municipality is real, but the answers are invented to show how Planprofil "
                "works. Nothing in this report describes the municipality."
            )
        )
    return tuple(notices)


def _who_answered(counts: dict[str, int], *, all_groups: bool = True) -> str:
    """ "2 elected politicians, 3 from the administration and 0 other respondents"; with
    all_groups=False only the groups that have someone in them."""
    pol, adm, oth = (counts.get(k, 0) for k in ("politician", "administration", "other"))
    parts = [
        (pol, ngettext("%(n)s elected politician", "%(n)s elected politicians", pol)),
        (adm, ngettext("%(n)s from the administration", "%(n)s from the administration", adm)),
        (oth, ngettext("%(n)s other respondent", "%(n)s other respondents", oth)),
    ]
    return _listed([text % {"n": n} for n, text in parts if all_groups or n])


def _scored(names_scores: list[tuple[str, int | None]]) -> str:
    items = [
        _("%(name)s (%(score)s)")
        % {"name": quoted_list([name]), "score": "–" if score is None else score}
        for name, score in names_scores
    ]
    return (
        _("%(first)s and %(last)s")
        % {
            "first": ", ".join(items[:-1]),
            "last": items[-1],
        }
        if len(items) > 1
        else "".join(items)
    )


def _background(data: ReportData, facts: RoundFacts) -> tuple[Block, ...]:
    period = data.period.replace("-", "–")
    done = _(
        "The municipality has assessed its plan culture, role clarity and development capacity "
        "with Planprofil, a tool built on the research programme Distriktskommune 3.0. Elected "
        "politicians and staff in the administration answered questions on how the "
        "municipality plans and develops, and the coordinator recorded the facts about the "
        "plans in a plan register. The round “%(round)s” belongs to the election term "
        "%(period)s."
    ) % {"round": data.round_label, "period": period}
    counts = dict(data.respondents_by_role)
    total = sum(counts.values())
    if facts.is_open:
        answered = _(
            "Submitted so far: %(who)s. While the round is open, Planprofil publishes no "
            "figures at all, so that nobody's answers can be worked out by comparing results "
            "before and after one more person submits."
        ) % {"who": _who_answered(counts)}
        return (Block("p", done), Block("p", answered))
    answered = _(
        "Answers: %(who)s, %(total)s in all; %(completeness)s %% of the questions answered."
    ) % {
        "who": _who_answered(counts),
        "total": total,
        "completeness": data.completeness,
    }
    if data.held_back:
        answered += " " + _(
            "Not counted, to protect privacy: %(who)s. A role group's answers count only when "
            "at least two people in it have submitted."
        ) % {"who": _who_answered(dict(data.held_back), all_groups=False)}
    blocks = [Block("p", done), Block("p", answered)]
    if not data.has_scores:
        blocks.append(
            Block(
                "p",
                _(
                    "There are no results to show: no role group had at least two people who "
                    "submitted answers."
                ),
            )
        )
        return tuple(blocks)
    findings = [
        _("The overall level is “%(band)s”, %(score)s of 100.")
        % {"band": data.band_label, "score": data.overall}
    ]
    if data.strengths:
        findings.append(
            _("Strengths: %(themes)s.")
            % {"themes": _scored([(t.name, t.score) for t in data.strengths[:3]])}
        )
    if data.development_areas:
        findings.append(
            _("Development areas: %(themes)s.")
            % {"themes": _scored([(t.name, t.score) for t in data.development_areas[:3]])}
        )
    if data.differ:
        findings.append(
            _("Elected politicians and the administration differ most on %(themes)s.")
            % {
                "themes": _listed(
                    [
                        _("%(name)s (politicians %(pol)s, administration %(adm)s)")
                        % {
                            "name": quoted_list([g.name]),
                            "pol": g.politicians,
                            "adm": g.administration,
                        }
                        for g in data.differ[:3]
                    ]
                )
            }
        )
    findings.append(_register_finding(data))
    if data.low_confidence:
        findings.append(
            _(
                "Only %(completeness)s %% of the questions were answered, below the threshold "
                "of %(below)s %%: read the results as indications, not firm conclusions."
            )
            % {"completeness": data.completeness, "below": data.low_confidence_below}
        )
    blocks.append(Block("p", _("The main findings:")))
    blocks.append(Block("ul", items=tuple(findings)))
    return tuple(blocks)


def _listed(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _register_finding(data: ReportData) -> str:
    overdue = overdue_duties(data.register)
    if overdue:
        return _("Overdue in the plan register: %(duties)s.") % {
            "duties": "; ".join(f"{row.label}: {lower_first(row.status)}" for row in overdue)
        }
    if not data.register:
        return _("The plan register was not part of this round.")
    unknown = sum(1 for row in data.register if row.status == _("Not recorded"))
    if unknown == len(data.register):
        return _(
            "The plan register has not been filled in, so the statutory planning deadlines "
            "are not part of the findings."
        )
    if unknown:
        return ngettext(
            "No statutory planning duty in the plan register is overdue; %(n)s fact is not "
            "recorded.",
            "No statutory planning duty in the plan register is overdue; %(n)s facts are not "
            "recorded.",
            unknown,
        ) % {"n": unknown}
    return _("No statutory planning duty in the plan register is overdue.")


def _assessment(data: ReportData, facts: RoundFacts) -> tuple[str, ...]:
    """The default assessment, paragraph by paragraph (the coordinator may rewrite it)."""
    if facts.is_open:
        return (
            _(
                "The assessment is written when the round is closed and the results are known. "
                "Until then this paper shows only how far the round has come."
            ),
        )
    if not data.has_scores:
        return (
            _(
                "With too few answers in each role group, the self-assessment gives no basis "
                "for conclusions. The chief executive recommends that it is repeated with more "
                "respondents."
            ),
        )
    text = [
        _("The overall level is “%(band)s”, %(score)s of 100.")
        % {"band": data.band_label, "score": data.overall}
        + (" " + data.band_description if data.band_description else "")
    ]
    if data.strengths and data.development_areas:
        text.append(
            _(
                "The municipality has something to build on in %(strengths)s. The lowest "
                "scores are in %(weak)s; that is where effort will matter most."
            )
            % {
                "strengths": quoted_list([t.name for t in data.strengths[:3]]),
                "weak": quoted_list([t.name for t in data.development_areas[:3]]),
            }
        )
    if data.differ:
        text.append(
            _(
                "Elected politicians and the administration judge %(themes)s differently. Such "
                "differences are worth talking about before measures are chosen: they often "
                "point to roles and expectations that are not yet clear."
            )
            % {"themes": quoted_list([g.name for g in data.differ[:3]])}
        )
    recs = data.recommendations
    if recs:
        text.append(
            ngettext(
                "The report gives %(n)s recommendation based on the research, with first "
                "steps, who acts and sources: %(titles)s.",
                "The report gives %(n)s recommendations based on the research, with first "
                "steps, who acts and sources. The first are %(titles)s.",
                len(recs),
            )
            % {"n": len(recs), "titles": quoted_list([r.title for r in recs[:3]])}
        )
    text.append(
        _(
            "The recommendations are proposals. The chief executive turns them into the "
            "administration's action plan with responsibilities and deadlines; the council's "
            "part is to set the priorities, make room for them in the financial plan and "
            "follow up. The chief executive recommends that the council gives priority to the "
            "areas named in the proposed resolution."
        )
    )
    return tuple(text)


def _consequences(data: ReportData, deadline: date, responsible: str) -> tuple[Block, ...]:
    first, last = financial_plan_years(deadline)
    text = [
        _(
            "The self-assessment has been carried out within existing budgets. Following it "
            "up mainly takes working time in the administration and in the council."
        )
    ]
    efforts = Counter(r.effort for r in data.recommendations)
    if efforts:
        text.append(
            _("Estimated effort of the %(n)s recommendations: %(efforts)s.")
            % {
                "n": len(data.recommendations),
                "efforts": ", ".join(
                    f"{lower_first(effort_label(key))} {efforts[effort_label(key)]}"
                    for key in ("small", "medium", "large")
                    if efforts.get(effort_label(key))
                ),
            }
        )
    text.append(
        _(
            "Measures that need funding are considered in the work on the financial plan "
            "%(first)s–%(last)s. %(responsible)s reports to the council on the follow-up by "
            "%(date)s."
        )
        % {
            "first": first,
            "last": last,
            "responsible": responsible[:1].upper() + responsible[1:],
            "date": paper_date(deadline),
        }
    )
    return (Block("p", " ".join(text)),)

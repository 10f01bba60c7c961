"""What the paper says: composed from the report, a resolution in municipal form, the open
round's draft without figures, and edits applied in their own language only."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from reports import paper_store
from reports.council_paper import PaperEdits, compose_paper
from reports.report import build_report
from reports.rows import RegisterRow
from reports.texts import (
    ResolutionInput,
    default_deadline,
    financial_plan_years,
    overdue_duties,
    resolution_points,
)

pytestmark = pytest.mark.django_db


def test_default_deadline_is_end_of_month_six_months_on():
    assert default_deadline(date(2026, 11, 29)) == date(2027, 5, 31)
    assert default_deadline(date(2026, 3, 1)) == date(2026, 9, 30)
    assert default_deadline(date(2026, 8, 31)) == date(2027, 2, 28)


def test_financial_plan_is_the_next_one_the_follow_up_can_reach():
    assert financial_plan_years(date(2027, 5, 31)) == (2028, 2031)
    # A deadline in the budget season is too late for the plan adopted that December.
    assert financial_plan_years(date(2026, 11, 30)) == (2028, 2031)


def test_overdue_duties_are_only_legal_duties_past_their_deadline():
    rows = (
        RegisterRow("strategy_adopted", "Planning strategy", "Overdue since 19.10.2024", 0),
        RegisterRow("delegation_adopted", "Delegation", "Not yet due", None),
        RegisterRow("community_part", "Community part", "Review overdue", 50),
        RegisterRow("land_use_part", "Land-use part", "Adopted this term", 100),
        RegisterRow("planning_cooperation", "Cooperation", "None", 0),
        RegisterRow("youth_council", "Youth council", "Not recorded", None),
    )
    assert [r.fact for r in overdue_duties(rows)] == ["strategy_adopted", "community_part"]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_resolution_is_in_municipal_form(closed, language):
    paper = paper_store.build_paper(closed, language=language)
    report = build_report(closed, language=language)
    points = paper.resolution
    assert len(points) >= 4
    text = " ".join(points)
    # Never a recommendation title (an imperative) pasted into the resolution.
    for rec in report.recommendations:
        assert rec.title not in text
    # No capital after a colon or semicolon inside a point.
    for point in points:
        assert not re.search(r"[:;] [A-ZÆØÅ]", point), point
    with translation.override(language):
        from reports.texts import paper_date

        deadline = paper_date(paper.deadline)
    assert any(deadline in p for p in points), "the point asking for a report names its date"
    first, last = financial_plan_years(paper.deadline)
    assert any(f"{first}–{last}" in p for p in points), "a point ties follow-up to the plan"
    if language == "en":
        assert any("asks the chief executive" in p for p in points)
        # Only the council's tasks: no action-plan steps like "make a list of plans".
        assert not any(p.lower().startswith(("make ", "use ", "adopt ")) for p in points)


def test_priorities_are_theme_names_not_titles(closed):
    report = build_report(closed, language="en")
    given = ResolutionInput.from_report(report, when=date(2026, 11, 29))
    with translation.override("en"):
        points = resolution_points(given)
    if report.development_areas:
        name = report.development_areas[0].name
        assert f"“{name[:1].lower()}{name[1:]}”" in points[1]


def test_report_section_uses_the_same_composition(closed):
    report = build_report(closed, language="en")
    paper = paper_store.build_paper(closed, language="en")
    # The report's own resolution comes from resolution_points too: same first point, same
    # form of the follow-up point (its date depends on what the report passes).
    assert report.resolution[0] == paper.resolution[0]
    assert any("asks the chief executive" in p for p in report.resolution)


def test_open_round_paper_is_a_draft_without_figures(open_round):
    paper = paper_store.build_paper(open_round, language="en")
    assert paper.draft
    assert "Draft" in paper.kind and "Draft" in paper.running_label
    assert any("figures are published when the round is closed" in n for n in paper.notices)
    body = " ".join(
        [b.text for s in paper.sections for b in s.blocks]
        + [i for s in paper.sections for b in s.blocks for i in b.items]
    )
    assert "of 100" not in body
    assert "1 elected politician" in body  # who has answered is a count, never what


def test_edits_apply_in_their_language_and_dates_everywhere(closed):
    edits = PaperEdits(
        language="nb",
        meeting_date=date(2027, 2, 4),
        deadline=date(2027, 9, 1),
        responsible="rådmannen",
        assessment_text="Første avsnitt.\n\nAndre avsnitt.",
        resolution=("Kommunestyret tar saken til orientering.",),
    )
    nb = paper_store.build_paper(closed, language="nb", edits=edits)
    assert nb.resolution == ("Kommunestyret tar saken til orientering.",)
    assert [b.text for b in nb.sections[1].blocks] == ["Første avsnitt.", "Andre avsnitt."]
    assert "rådmannen" in " ".join(b.text for b in nb.sections[2].blocks).lower()
    en = paper_store.build_paper(closed, language="en", edits=edits)
    assert en.deadline == date(2027, 9, 1) and en.meeting_date == date(2027, 2, 4)
    assert en.resolution != nb.resolution and "1 September 2027" in " ".join(en.resolution)
    assert "the chief executive" in " ".join(en.resolution)
    assert ("Meeting date", "4 February 2027") in en.facts


def test_file_names_per_language(closed):
    assert paper_store.build_paper(closed, language="nb").file_stem == (
        "saksframlegg-vega-2023-2027"
    )
    assert paper_store.build_paper(closed, language="nn").file_stem.startswith("saksframlegg-")
    assert paper_store.build_paper(closed, language="en").file_stem == (
        "case-presentation-vega-2023-2027"
    )


def test_composition_is_pure(closed):
    report = build_report(closed, language="en")
    facts = paper_store.round_facts(closed)
    assert compose_paper(report, facts) == compose_paper(replace(report), facts)

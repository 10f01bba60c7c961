"""At most two A4 pages in nb, nn and en, for a real round and for one with five long
recommendations; the Word file read back with python-docx."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace

import docx
import pikepdf
import pytest

from reports import paper_store
from reports.council_paper import compose_paper
from reports.council_paper_pdf import render_paper_pdf
from reports.docx import render_docx
from reports.report import build_report
from reports.rows import GapRow, RecommendationRow, ThemeRow

pytestmark = pytest.mark.django_db
LANGUAGES = ["nb", "nn", "en"]


def page_texts(data: bytes) -> list[str]:
    pages = len(pikepdf.open(io.BytesIO(data)).pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        ).stdout.decode()
        for n in range(1, pages + 1)
    ]


def _pages(data: bytes) -> int:
    return len(pikepdf.open(io.BytesIO(data)).pages)


def _long_report(report):
    """The report made as long as a paper gets: five long recommendations, three long
    development areas and three large gaps, held-back groups and low confidence."""
    long = "Etabler en fast arena der kommunestyret og administrasjonen sammen går gjennom "
    recs = tuple(
        RecommendationRow(
            key=f"r{i}",
            rank=i,
            title=long + f"planene og prioriteringene for valgperioden, del {i}",
            advice_item=None,
            finding="",
            why="",
            reasons=(),
            first_steps=("Et første steg",),
            who=("Kommunestyret",),
            effort=["Liten", "Middels", "Stor"][i % 3],
            approach="",
            sources=(),
            examples=(),
        )
        for i in range(1, 6)
    )
    theme = "Handlingsdel, økonomiplan, planbehov og oppfølging av kommuneplanens samfunnsdel"
    rows = tuple(
        ThemeRow(f"t{i}", f"{theme} {i}", "d", "Dimensjon", 20 + i, 90, 0) for i in range(3)
    )
    gaps = tuple(
        GapRow(f"g{i}", f"{theme} {i}", 80, 30, 50, large=True, split=False) for i in range(3)
    )
    return replace(
        report,
        recommendations=recs,
        development_areas=rows,
        strengths=rows,
        gaps=gaps,
        held_back={"other": 1},
        low_confidence=True,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_paper_fits_two_pages(closed, language):
    paper = paper_store.build_paper(closed, language=language)
    assert _pages(render_paper_pdf(paper)) <= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_paper_with_five_long_recommendations_fits_two_pages(closed, language):
    report = _long_report(build_report(closed, language=language))
    paper = compose_paper(report, paper_store.round_facts(closed))
    data = render_paper_pdf(paper)
    assert _pages(data) <= 2
    texts = page_texts(data)
    assert all(paper.municipality in t for t in texts), "the running header on every page"


@pytest.mark.parametrize("language", LANGUAGES)
def test_docx_structure(closed, language):
    paper = paper_store.build_paper(closed, language=language)
    document = docx.Document(io.BytesIO(render_docx(paper)))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", paper.title) in styles
    assert [t for s, t in styles if s == "Heading 2"][:4] == [
        *[s.heading for s in paper.sections],
        paper.resolution_heading,
    ]
    assert [t for s, t in styles if s == "List Number"] == list(paper.resolution)
    assert document.tables == []  # no layout tables
    tag = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[language]
    assert document.core_properties.language == tag
    lang = document.styles.element.find(
        ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang"
    )
    assert lang is not None
    assert lang.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == tag
    header = document.sections[0].header.paragraphs[0].text
    assert paper.municipality in header


def test_open_round_docx_marks_draft_in_title_and_header(open_round):
    paper = paper_store.build_paper(open_round, language="en")
    document = docx.Document(io.BytesIO(render_docx(paper)))
    assert "DRAFT" in document.paragraphs[0].text
    assert "Draft" in document.sections[0].header.paragraphs[0].text
    assert "Draft" in document.core_properties.title

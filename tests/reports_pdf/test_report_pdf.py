"""The report of issue 14: at most eight pages before the appendices, appendices on demand, a
draft mark for an open round, the change since the last round, plain words, en-GB dates, and
the HTML that WeasyPrint alone renders the same."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from assessment.display import display_change
from assessment.i18n import tr
from assessment.models import Assessment, Coordinator
from guidance.models import Library as LibraryRecord
from reports import pdf, selectors
from reports.report import (
    _reference_numbers,
    _references,
    build_report,
    default_action_plan,
)
from reports.rows import ExampleRow, RecommendationRow, ReportData, SourceRow
from reports.texts import effort_label, who_label
from tests.reports_golden.make_golden import visible_text

LANGUAGES = ("nb", "nn", "en")
MAIN_PAGES = 8


def _pages(data: bytes) -> int:
    with pikepdf.open(__import__("io").BytesIO(data)) as doc:
        return len(doc.pages)


def _text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode()


def _page_texts(data: bytes) -> list[str]:
    return _text(data).split("\f")[:-1]


def worst_case(report: ReportData, language: str) -> ReportData:
    """The demo's report with the five longest recommendations of the library (every text,
    first step and example counted), each with all its examples and sources: the longest
    recommendations part the library can produce."""
    library = LibraryRecord.objects.get(version="2").parsed
    with translation.override(language):
        sources = {s.key: s for s in __import__("content.models").models.Source.objects.all()}

        def size(rec) -> int:
            texts = [rec.title, rec.finding, rec.why, *rec.first_steps]
            texts += [library.examples[k].summary for k in rec.examples if k in library.examples]
            return sum(len(tr(t)) for t in texts)

        longest = sorted(library.recommendations, key=size, reverse=True)[:5]
        recs = tuple(
            RecommendationRow(
                key=rec.key,
                rank=rank,
                title=tr(rec.title),
                advice_item=rec.advice_item,
                finding=tr(rec.finding),
                why=tr(rec.why),
                reasons=tuple(tr(rule.reason) for rule in rec.rules[:1]),
                first_steps=tuple(tr(step) for step in rec.first_steps),
                who=tuple(who_label(w) for w in rec.who),
                effort=effort_label(rec.effort),
                approach=rec.approach,
                sources=tuple(
                    SourceRow(k, sources[k].localized_citation, sources[k].url)
                    for k in rec.sources
                    if k in sources
                ),
                examples=tuple(
                    ExampleRow(
                        tr(library.examples[k].title),
                        library.examples[k].municipality,
                        tr(library.examples[k].summary),
                    )
                    for k in rec.examples
                    if k in library.examples
                ),
            )
            for rank, rec in enumerate(longest, start=1)
        )
    references = _references(recs)
    return dataclasses.replace(
        report,
        recommendations=recs,
        action_plan=default_action_plan(recs),
        references=references,
        reference_numbers=_reference_numbers(recs, references),
        approach_notes={r.key: "x" * 90 for r in recs},
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_main_part_is_at_most_eight_pages(demo, language):
    report = build_report(demo, language=language)
    assert len(report.recommendations) == 5
    main = pdf.render_pdf(report, appendices=False)
    assert _pages(main) <= MAIN_PAGES
    worst = pdf.render_pdf(worst_case(report, language), appendices=False)
    assert _pages(worst) <= MAIN_PAGES, f"the worst case has {_pages(worst)} pages"
    full = _text(pdf.render_pdf(report))
    with translation.override(language):
        appendix = gettext("Appendix: Method")
    assert appendix in full and appendix not in _text(main)


def test_the_download_includes_the_appendices_unless_asked_not_to(client, demo):
    user = Coordinator.objects.filter(municipality=demo.municipality).first().user
    client.force_login(user)
    url = reverse("reports:report_pdf", kwargs={"pk": demo.pk})
    full = b"".join(client.get(url).streaming_content)
    short = b"".join(client.get(url + "?appendices=0").streaming_content)
    also_full = b"".join(client.get(url + "?appendices=1").streaming_content)
    assert _pages(short) <= MAIN_PAGES < _pages(full) == _pages(also_full)
    assert "Vedlegg: Metode" in _text(full) and "Vedlegg" not in _text(short)


def test_the_command_leaves_the_appendices_out_on_request(demo, tmp_path):
    call_command("report", demo.pk, out=tmp_path / "a.pdf", verbosity=0)
    call_command("report", demo.pk, out=tmp_path / "b.pdf", no_appendices=True, verbosity=0)
    assert _pages((tmp_path / "b.pdf").read_bytes()) < _pages((tmp_path / "a.pdf").read_bytes())


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_open_round_is_a_draft_on_every_page(demo, language):
    later = Assessment.objects.create(
        municipality=demo.municipality, bank=demo.bank, period="2027-2031"
    )
    report = build_report(later, language=language)
    assert report.draft and not report.has_scores  # no figures while open (privacy rule)
    assert not report.answer_texts and not report.change
    data = pdf.render_pdf(report)
    with translation.override(language):
        draft = pgettext("report status: Foreløpig", "Draft")
        council = gettext(
            "Self-assessment report: an attachment to the case for the municipal council"
        )
    pages = _page_texts(data)
    # The running header is letter-spaced, which text extraction may give back as "F O R E …".
    assert all(draft.upper() in page.replace(" ", "") for page in pages), (
        "the running header marks every page"
    )
    assert council not in _text(data)
    with pikepdf.open(__import__("io").BytesIO(data)) as doc:
        assert str(doc.open_metadata().get("dc:title", "")).startswith(draft)
    assert not build_report(demo, language=language).draft


def test_the_change_since_the_last_round_uses_the_banks_mapping(demo):
    report = build_report(demo, language="en")
    earlier = Assessment.objects.get(municipality=demo.municipality, bank__version="1")
    assert report.change_crosses_versions and report.change_earlier_version == "1"
    assert earlier.period in report.change_since
    rows = {(r.is_dimension, r.key): r for r in report.change}
    scores = earlier.snapshot.scores
    for dim in report.dimensions:
        row = rows[(True, dim.key)]
        assert row.now == dim.score
        assert row.change == display_change(scores["dimensions"][dim.key], dim.score)
        assert row.change == row.now - row.before  # the change of the shown values
    mapped = [r for r in report.change if r.compared_with]
    assert mapped, "v2 splits a v1 theme: the change says what it is compared with"
    assert report.change_overall == display_change(earlier.snapshot.overall, report.overall)
    text = " ".join(_text(pdf.render_pdf(report, appendices=False)).split())
    assert "Change since the previous round" in text
    assert "version 1 of the questions" in text


def test_the_previous_round_is_read_in_one_query_and_only_from_closed_rounds(demo, utsira):
    """An open round of the same municipality and a closed round of another are never the
    previous round; reading it takes one query (and one for the earlier bank's names)."""
    Assessment.objects.create(municipality=demo.municipality, bank=demo.bank, period="2027-2031")
    with CaptureQueriesContext(connection) as queries:
        found = selectors._previous(demo)
    reads = [q["sql"] for q in queries.captured_queries if "assessment_assessment" in q["sql"]]
    assert len(reads) == 1
    assert found["previous"].bank_version == "1"
    earlier = Assessment.objects.get(municipality=demo.municipality, bank__version="1")
    assert found["previous"].assessment_id == earlier.pk
    # The earlier round itself has nothing before it.
    assert selectors._previous(earlier) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_plain_words_in_the_report(demo, language):
    report = build_report(demo, language=language)
    text = " ".join(_text(pdf.render_pdf(report)).split())
    for jargon in ("Hyllevare", "Skreddersøm", "Type løsning", "Ready-made (hyllevare)"):
        assert jargon not in text
    assert not re.search(r"(^|; )[1-5]: \d", text), "answers by code, not in words"
    rows = [row.summary for theme in report.answer_texts for row in theme.rows]
    assert any(re.fullmatch(r"\d+ \w+ \d+ .+", s) for s in rows)
    # Each source once, and each recommendation points at it by number.
    # Links wrap in the PDF, so count the citations in the text of its HTML.
    shown = "\n".join(visible_text(pdf.report_html(report)))
    assert len({r.key for r in report.references}) == len(report.references)
    for ref in report.references:
        assert shown.count(ref.citation) == 1, ref.citation
    assert all(report.reference_numbers[r.key] for r in report.recommendations)
    with translation.override(language):
        quartiles = gettext("Half scored between")
    assert quartiles in text  # the peers' quartiles in words


def test_english_dates_are_en_gb_in_the_report_and_on_the_web(demo, client):
    report = build_report(demo, language="en")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", report.report_date), report.report_date
    with translation.override("en"):
        assert date_format(__import__("datetime").date(2026, 11, 29)) == "29 November 2026"
        assert date_format(__import__("datetime").date(2026, 11, 29), "SHORT_DATE_FORMAT") == (
            "29/11/2026"
        )
    user = Coordinator.objects.filter(municipality=demo.municipality).first().user
    client.force_login(user)
    page = client.get(reverse("assessment:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not re.search(
        r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.? \d{1,2}, \d{4}", page
    )


def test_the_html_renders_the_same_with_weasyprint_alone(demo, tmp_path):
    """`manage.py report ID --html OUT.html`, then `weasyprint OUT.html out.pdf` (run anywhere):
    the same pages with the same text as the PDF the app renders."""
    html, ours = tmp_path / "report.html", tmp_path / "ours.pdf"
    call_command("report", demo.pk, html=html, out=ours, verbosity=0)
    theirs = tmp_path / "theirs.pdf"
    weasyprint = Path(settings.BASE_DIR) / ".venv" / "bin" / "weasyprint"
    subprocess.run([str(weasyprint), str(html), str(theirs)], cwd=tmp_path, check=True, timeout=300)
    a, b = ours.read_bytes(), theirs.read_bytes()
    assert _pages(a) == _pages(b)
    assert _page_texts(a) == _page_texts(b)
    assert "static/fonts/planprofil-symbols-400.ttf" in html.read_text()

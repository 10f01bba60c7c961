"""Downloads are downloads: the PDF report, JSON and spreadsheets come as attachments with
names in the report's language, and a spreadsheet's dates are dates."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.models import Municipality
from reports.views import results
from tests.assessment.adviser_factories import later, snapshot_round


@pytest.fixture
def no_pdf_rendering(monkeypatch):
    # The file's headers are what is tested here, not WeasyPrint (tests/reports_pdf does that).
    monkeypatch.setattr(
        results.pdf, "open_cached_pdf", lambda report, appendices=True: io.BytesIO(b"%PDF-1.7")
    )


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("nb", "planprofil-rapport-vega-2023-2027.pdf"),
        ("nn", "planprofil-rapport-vega-2023-2027.pdf"),
        ("en", "planprofil-report-vega-2023-2027.pdf"),
    ],
)
def test_the_pdf_report_is_an_attachment_named_in_its_language(
    client, alice, answered_assessment, no_pdf_rendering, lang, name
):
    client.force_login(alice)
    response = client.get(
        reverse("reports:report_pdf", kwargs={"pk": answered_assessment.pk}), {"lang": lang}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_report_file_name_follows_the_council_papers_pattern():
    assert results.report_file_name("Sømna", "2023-2027", "nb") == (
        "planprofil-rapport-somna-2023-2027.pdf"
    )
    assert results.report_file_name("Træna", "2019-2023", "en") == (
        "planprofil-report-traena-2019-2023.pdf"
    )


def test_the_results_page_form_asks_for_the_pdf(client, alice, answered_assessment):
    client.force_login(alice)
    html = client.get(
        reverse("reports:results", kwargs={"pk": answered_assessment.pk})
    ).content.decode()
    assert (
        f'action="{reverse("reports:report_pdf", kwargs={"pk": answered_assessment.pk})}"' in html
    )


CLOSED = 6  # the "Closed" column in reports.exports.dashboard_table


@pytest.fixture
def shared_round(bank_record):
    return snapshot_round(
        Municipality.objects.get(number="1815"), bank_record, overall=61.5, closed_at=later(0)
    )


def test_json_downloads_as_a_file(adviser_client, shared_round):
    response = adviser_client.get(reverse("reports:api_dashboard"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="planprofil-oversikt.json"'
    assert json.loads(response.content)["count"] == 1
    html = adviser_client.get(reverse("reports:adviser_dashboard")).content.decode()
    assert f'href="{reverse("reports:api_dashboard")}?" download>JSON</a>' in html


def test_xlsx_stores_the_closing_date_as_a_date(adviser_client, shared_round):
    response = adviser_client.get(reverse("reports:adviser_dashboard_export", args=["xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="planprofil-oversikt.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=CLOSED + 1)
    assert cell.is_date
    assert isinstance(cell.value, datetime.datetime)
    assert cell.value.date() == timezone.localdate(later(0))
    assert cell.number_format == "dd.mm.yyyy"


def test_csv_keeps_an_unambiguous_iso_date(adviser_client, shared_round):
    response = adviser_client.get(reverse("reports:adviser_dashboard_export", args=["csv"]))
    text = response.content.decode("utf-8-sig")
    header, first = (line.split(";") for line in text.splitlines()[:2])
    assert len(header) == len(first)
    closed = first[CLOSED]
    assert datetime.date.fromisoformat(closed)

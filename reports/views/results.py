"""The result page and its PDF: both render the same ReportData."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessment import selectors
from assessment.i18n import file_slug, tr
from assessment.permissions import can_coordinate, get_assessment
from reports import charts, pdf
from reports.report import build_report

REPORT_LANGUAGES = ("nb", "nn", "en")


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    report = build_report(assessment, language=get_language())
    is_coordinator = can_coordinate(request.user, assessment)
    context = {
        "assessment": assessment,
        "view": report,
        "bars_svg": charts.theme_bars_svg(report) if report.has_scores else "",
        "radar_svg": charts.dimension_radar_svg(report) if report.has_scores else "",
        "gaps_svg": charts.role_gap_svg(report) if report.gaps else "",
        # Comments and the action plan editor are the municipality's own, not advisers'.
        "comments": _comments(assessment) if is_coordinator else [],
        "is_coordinator": is_coordinator,
        "report_language": assessment.municipality.report_language,
        "report_languages": REPORT_LANGUAGES,
    }
    return render(request, "reports/results.html", context)


def _comments(assessment) -> list[tuple[str, list[str]]]:
    bank = selectors.bank_of(assessment)
    by_theme = selectors.theme_comments(assessment)
    return [(tr(t.name), by_theme[t.key]) for t in bank.themes if t.key in by_theme]


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    assessment = get_assessment(request.user, pk)
    if assessment.is_open:
        # No figures while a round is open (assessment/privacy.py), so no report either.
        messages.info(request, _("The report can be downloaded when the round is closed."))
        return redirect("reports:results", pk=pk)
    language = request.GET.get("lang")
    report = build_report(assessment, language=language if language in REPORT_LANGUAGES else None)
    appendices = request.GET.get("appendices", "1") != "0"  # included unless asked to leave out
    # A download, never a page that replaces the results (as_attachment), named in the
    # report's own language like the council paper's files.
    return FileResponse(
        pdf.open_cached_pdf(report, appendices=appendices),
        as_attachment=True,
        filename=report_file_name(assessment.municipality.name, assessment.period, report.language),
        content_type="application/pdf",
    )


def report_file_name(municipality: str, period: str, language: str) -> str:
    """ "planprofil-rapport-vega-2023-2027.pdf" in Norwegian, "planprofil-report-…" in English."""
    kind = "report" if language == "en" else "rapport"
    return f"planprofil-{kind}-{file_slug(municipality)}-{file_slug(period)}.pdf"


@login_required
def workshop(request: HttpRequest, pk: int) -> HttpResponse:
    """For a joint meeting of council and administration: big charts, group figures only,
    and questions to talk about. `?present=1` is the presentation mode for the meeting's
    screen (templates/reports/workshop.html)."""
    assessment = get_assessment(request.user, pk)
    report = build_report(assessment, language=get_language())
    context = {
        "assessment": assessment,
        "view": report,
        "bars_svg": charts.theme_bars_svg(report, chart_id="ws-bars-chart")
        if report.has_scores
        else "",
        "radar_svg": charts.dimension_radar_svg(report, chart_id="ws-radar-chart")
        if report.has_scores
        else "",
        "gaps_svg": charts.role_gap_svg(report, chart_id="ws-gaps-chart") if report.gaps else "",
        "present": request.GET.get("present") == "1",
    }
    return render(request, "reports/workshop.html", context)

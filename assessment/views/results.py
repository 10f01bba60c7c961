"""The result page: scores, charts, strengths and development areas."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment import selectors
from assessment.permissions import get_assessment
from guidance import charts
from guidance.report import build_report_data


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    profile = selectors.assessment_profile(assessment)
    view = build_report_data(selectors.bank_of(assessment), profile)
    context = {
        "assessment": assessment,
        "view": view,
        "bars_svg": charts.theme_bars_svg(view) if view.has_scores else "",
        "radar_svg": charts.dimension_radar_svg(view) if view.has_scores else "",
    }
    return render(request, "assessment/results.html", context)

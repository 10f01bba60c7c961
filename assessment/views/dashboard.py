"""Home, starting an assessment, and an assessment's overview for its coordinators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessment import selectors, services
from assessment.forms import AssessmentCreateForm, MunicipalitySearchForm
from assessment.models import Municipality
from assessment.permissions import (
    can_coordinate,
    can_start_assessment,
    coordinated_municipalities,
    get_assessment,
)

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "assessment/landing.html")
    assessments = selectors.assessments_for_user(request.user)
    context = {
        "assessments": assessments,
        "has_municipality": coordinated_municipalities(request.user).exists(),
    }
    return render(request, "assessment/home.html", context)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    form = MunicipalitySearchForm(request.GET or None)
    results = selectors.municipality_search(form.data.get("q", "")) if form.is_bound else []
    context = {
        "form": form,
        "results": results,
        "threshold": settings.PLANPROFIL_SMALL_MUNICIPALITY_THRESHOLD,
    }
    return render(request, "assessment/start.html", context)


@login_required
def create(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, number=number)
    if not can_start_assessment(request.user, municipality):
        return render(
            request, "assessment/start_refused.html", {"municipality": municipality}, status=403
        )
    form = AssessmentCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_create(
            user=request.user, municipality=municipality, **form.cleaned_data
        )
        messages.success(request, _("The assessment has been created."))
        return redirect("assessment:detail", pk=assessment.pk)
    context = {
        "form": form,
        "municipality": municipality,
        "threshold": settings.PLANPROFIL_SMALL_MUNICIPALITY_THRESHOLD,
    }
    return render(request, "assessment/create.html", context)


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    respondents = assessment.respondents.all()
    context = {
        "assessment": assessment,
        "own": respondents.filter(user=request.user).first(),
        "started": respondents.count(),
        "submitted": respondents.filter(submitted_at__isnull=False).count(),
    }
    return render(request, "assessment/detail.html", context)


@login_required
def share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The municipality's consent: what sharing with advisers means, and the switch."""
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    if request.method == "POST":
        share = request.POST.get("share") == "yes"
        services.assessment_share(assessment=assessment, share=share, actor=request.user)
        messages.success(
            request,
            _("The results are now shared with advisers.")
            if share
            else _("The results are no longer shared with advisers."),
        )
        return redirect("assessment:detail", pk=pk)
    return render(request, "assessment/share.html", {"assessment": assessment})

"""Home, starting an assessment, and an assessment's overview for its coordinators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from assessment import selectors, services
from assessment.forms import AssessmentCreateForm, MunicipalitySearchForm
from assessment.models import Assessment, Municipality
from assessment.permissions import (
    adviser_of,
    can_coordinate,
    can_start_assessment,
    coordinated_municipalities,
    get_assessment,
)
from assessment.views.wizard import resume_point

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest


def home(request: HttpRequest) -> HttpResponse:
    """Where login lands: an adviser's dashboard for an adviser who coordinates nothing,
    otherwise the rounds one coordinates, with one's own unfinished answers first."""
    if not request.user.is_authenticated:
        return render(request, "assessment/landing.html")
    has_municipality = coordinated_municipalities(request.user).exists()
    if not has_municipality and adviser_of(request.user) is not None:
        return redirect("reports:adviser_dashboard")
    context = {
        "assessments": selectors.assessments_for_user(request.user),
        "has_municipality": has_municipality,
        "unfinished": [
            (respondent, resume_point(respondent))
            for respondent in selectors.own_unfinished_responses(request.user)
        ],
    }
    return render(request, "assessment/home.html", context)


@login_required
def municipality_suggestions(request: HttpRequest) -> JsonResponse:
    """Suggestions while typing on the start page (static/js/suggest.js): the same search as
    the page's own form, as JSON. Public reference data only."""
    form = MunicipalitySearchForm(request.GET)
    query = form.data.get("q", "") if form.is_valid() else ""
    results = selectors.municipality_search(query, limit=8) if len(query.strip()) >= 2 else []
    return JsonResponse(
        {
            "results": [
                {
                    "name": m.name + (f" / {m.sami_name}" if m.sami_name else ""),
                    "detail": f"{m.number}, {m.county_name}",
                    "url": reverse("assessment:create", kwargs={"number": m.number})
                    + "?"
                    + urlencode({"q": query}),
                }
                for m in results
            ]
        }
    )


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
        try:
            assessment = services.assessment_create(
                user=request.user, municipality=municipality, **form.cleaned_data
            )
        except services.DuplicateRound as exc:
            form.add_error(None, _duplicate_message(exc.existing))
        else:
            messages.success(request, _("The assessment has been created."))
            return redirect("assessment:detail", pk=assessment.pk)
    query = request.GET.get("q", "")[:100]
    context = {
        "form": form,
        "municipality": municipality,
        "threshold": settings.PLANPROFIL_SMALL_MUNICIPALITY_THRESHOLD,
        "back_url": reverse("assessment:start") + (f"?{urlencode({'q': query})}" if query else ""),
    }
    return render(request, "assessment/create.html", context)


def _duplicate_message(existing: Assessment) -> str:
    return format_html(
        '{} <a class="ds-link" href="{}">{}</a>',
        _(
            "This municipality already has an open round for the same election term and round "
            "with the same label. Continue that round, or give this one its own label."
        ),
        reverse("assessment:detail", kwargs={"pk": existing.pk}),
        _("Go to the open round started %(date)s")
        % {"date": formats.date_format(timezone.localtime(existing.created_at), "DATE_FORMAT")},
    )


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

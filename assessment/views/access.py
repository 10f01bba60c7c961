"""Access to a municipality: a newcomer asks, staff or the municipality's coordinators decide.

Nobody gets a municipality by being first. The requester never learns who the existing
coordinators are; the decision reaches them by e-mail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment import services
from assessment.forms import AccessRequestForm
from assessment.models import AccessRequest, Municipality
from assessment.permissions import (
    can_review_access,
    coordinated_municipalities,
    reviewable_access_requests,
)
from assessment.views.respondents import ACCOUNT_CONFLICT_MESSAGE

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    initial: dict[str, object] = {}
    number = request.GET.get("kommune", "")
    if number.isascii() and number.isdigit():
        municipality = Municipality.objects.filter(number=number).first()
        if municipality is not None:
            initial["municipality"] = municipality
    if request.user.is_authenticated:
        initial["email"] = getattr(request.user, "email", "")
    form = AccessRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.access_request_create(
            municipality=form.cleaned_data["municipality"],
            name=form.cleaned_data["name"],
            job_title=form.cleaned_data["job_title"],
            email=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
            review_link=request.build_absolute_uri(reverse("assessment:access_review")),
        )
        # Post/redirect/get: a reload does not send the request twice.
        return redirect("assessment:access_request_sent")
    return render(request, "assessment/access/request.html", {"form": form})


def request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/access/sent.html")


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Requests the user may decide: all for staff, their municipalities' for coordinators."""
    if not (request.user.is_staff or coordinated_municipalities(request.user).exists()):
        raise Http404
    requests = reviewable_access_requests(request.user).select_related("municipality", "decided_by")
    pending = requests.filter(status=AccessRequest.Status.PENDING)
    decided = requests.exclude(status=AccessRequest.Status.PENDING).order_by("-decided_at")[:50]
    return render(
        request, "assessment/access/review.html", {"pending": pending, "decided": decided}
    )


@login_required
@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access_request = reviewable_access_requests(request.user).filter(pk=pk).first()
    if access_request is None or not can_review_access(request.user, access_request):
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose whether to approve or reject the request."))
        return redirect("assessment:access_review")
    try:
        services.access_request_decide(
            access_request=access_request,
            approve=decision == "approve",
            actor=request.user,
            request=request,
        )
    except services.AccountConflict:
        messages.error(request, ACCOUNT_CONFLICT_MESSAGE)
        return redirect("assessment:access_review")
    except services.ServiceError:
        messages.info(request, _("Someone else has already decided this request."))
        return redirect("assessment:access_review")
    if decision == "approve":
        messages.success(
            request,
            _("%(email)s is now a coordinator for %(name)s and has been told by e-mail.")
            % {"email": access_request.email, "name": access_request.municipality.name},
        )
    else:
        messages.success(request, _("The request has been rejected; the person has been told."))
    return redirect("assessment:access_review")

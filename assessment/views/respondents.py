"""The coordinator's side of a round: invitations, progress per role group, co-coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessment import selectors, services
from assessment.forms import CoordinatorAddForm, InvitationCreateForm
from assessment.permissions import (
    can_coordinate,
    coordinated_municipalities,
    get_assessment,
    is_coordinator,
)


def _link_for(request: HttpRequest):
    return lambda token: request.build_absolute_uri(
        reverse("assessment:invite", kwargs={"token": token})
    )


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    form = InvitationCreateForm(request.POST if request.POST.get("action") == "create" else None)
    issued = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create" and form.is_valid():
            issued = services.invitations_create(
                assessment=assessment,
                role_group=form.cleaned_data["role_group"],
                count=form.cleaned_data["count"] or 0,
                emails=form.cleaned_data["emails"],
                link_for=_link_for(request),
            )
            messages.success(
                request,
                ngettext("%(n)d link created.", "%(n)d links created.", len(issued))
                % {"n": len(issued)},
            )
        elif action in ("resend", "revoke"):
            invitation = get_object_or_404(
                assessment.invitations, pk=request.POST.get("invitation")
            )
            if action == "revoke":
                services.invitation_revoke(invitation=invitation)
                messages.success(request, _("The link has been revoked and no longer works."))
                return redirect("assessment:respondents", pk=pk)
            try:
                issued = [
                    services.invitation_resend(invitation=invitation, link_for=_link_for(request))
                ]
            except services.ServiceError:
                messages.error(request, _("A revoked link cannot be resent; create a new one."))
                return redirect("assessment:respondents", pk=pk)
            messages.success(request, _("A new link has been made; the old one no longer works."))
    context = {
        "assessment": assessment,
        "form": form,
        # Shown once, right after they are made: only their hashes are stored.
        "issued": [(i.invitation, _link_for(request)(i.token)) for i in issued],
        "progress": selectors.progress_by_role(assessment),
        "invitations": selectors.invitations_of(assessment),
    }
    return render(request, "assessment/respondents.html", context)


@login_required
def coordinators(request: HttpRequest) -> HttpResponse:
    municipalities = list(
        coordinated_municipalities(request.user).prefetch_related("coordinators__user")
    )
    form = CoordinatorAddForm(
        request.POST if request.method == "POST" else None, municipalities=municipalities
    )
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        if is_coordinator(request.user, municipality):
            services.coordinator_add(
                municipality=municipality, email=form.cleaned_data["email"], request=request
            )
            messages.success(
                request,
                _("%(email)s is now a coordinator for %(name)s.")
                % {"email": form.cleaned_data["email"], "name": municipality.name},
            )
            return redirect("assessment:coordinators")
    return render(
        request,
        "assessment/coordinators.html",
        {"municipalities": municipalities, "form": form},
    )

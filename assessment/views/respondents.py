"""The coordinator's side of a round: invitations, progress per role group, co-coordinators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from assessment import selectors, services
from assessment.forms import CoordinatorAddForm, InvitationCreateForm
from assessment.permissions import (
    can_coordinate,
    coordinated_municipalities,
    get_assessment,
    is_coordinator,
)

if TYPE_CHECKING:
    from assessment.permissions import AuthenticatedHttpRequest


def _link_for(request: HttpRequest):
    return lambda token: request.build_absolute_uri(
        reverse("assessment:invite", kwargs={"token": token})
    )


_ISSUED_GROUP_LINK = "planprofil_issued_group_link"
ACCOUNT_CONFLICT_MESSAGE = gettext_lazy(
    "Another account already uses this address as its user name. Ask Planprofil's staff to "
    "sort out the account, then try again."
)


@login_required
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress per role group (counts only) and the invitations. Personal links go only into
    e-mails; the one link shown here is a group link, which starts new, empty responses and
    opens nobody's answers."""
    assessment = get_assessment(request.user, pk, allowed=can_coordinate)
    action = request.POST.get("action")
    form = InvitationCreateForm(request.POST if action == "create" else None)
    if request.method == "POST":
        if action == "create" and form.is_valid():
            try:
                issued = services.invitations_create(
                    assessment=assessment,
                    role_group=form.cleaned_data["role_group"],
                    emails=form.cleaned_data["emails"],
                    group_link=form.cleaned_data["group_link"],
                    note=form.cleaned_data["note"],
                    link_for=_link_for(request),
                )
            except services.ServiceError:
                messages.error(request, _("The round is closed; no new invitations."))
                return redirect("assessment:respondents", pk=pk)
            sent = len(form.cleaned_data["emails"])
            if sent:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d invitation sent by e-mail.",
                        "%(n)d invitations sent by e-mail.",
                        sent,
                    )
                    % {"n": sent},
                )
            if issued is not None:
                request.session[_ISSUED_GROUP_LINK] = [issued.invitation.pk, issued.token]
            # Post/redirect/get: reloading the page does not send the invitations again.
            return redirect("assessment:respondents", pk=pk)
        if action in ("resend", "revoke"):
            return _invitation_action(request, assessment, action)
    issued_link = None
    stashed = request.session.pop(_ISSUED_GROUP_LINK, None)
    if stashed:
        invitation = assessment.invitations.filter(pk=stashed[0]).first()
        if invitation is not None:
            issued_link = (invitation, _link_for(request)(stashed[1]))
    progress = selectors.progress_by_role(assessment)
    context = {
        "assessment": assessment,
        "form": form,
        "issued": issued_link,
        "progress": progress,
        "invitations": selectors.invitations_of(assessment),
        "submitted": any(row["finished"] for row in progress),
    }
    return render(request, "assessment/respondents.html", context)


def _posted_id(request: HttpRequest, name: str) -> int | None:
    """A row id from a form's hidden field, or None for anything that is not one (text,
    "²", a 5,000-digit number): a tampered form gets a message, never a 500."""
    raw = request.POST.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 19 else None


def _invitation_action(request: HttpRequest, assessment, action: str) -> HttpResponse:
    invitation_id = _posted_id(request, "invitation")
    invitation = assessment.invitations.filter(pk=invitation_id).first() if invitation_id else None
    if invitation is None:
        messages.error(request, _("That invitation does not exist (any more)."))
        return redirect("assessment:respondents", pk=assessment.pk)
    if action == "revoke":
        if request.POST.get("confirm") != "yes" and not invitation.is_revoked:
            # Revoking cannot be undone: ask first (the page's dialog does this in place).
            return render(
                request,
                "assessment/revoke_confirm.html",
                {"assessment": assessment, "invitation": invitation},
            )
        services.invitation_revoke(invitation=invitation)
        messages.success(request, _("The link has been revoked and can no longer start answers."))
        return redirect("assessment:respondents", pk=assessment.pk)
    try:
        services.invitation_resend(invitation=invitation, link_for=_link_for(request))
    except services.ServiceError:
        messages.error(request, _("Only personal invitations can be sent again; make a new link."))
        return redirect("assessment:respondents", pk=assessment.pk)
    messages.success(
        request,
        _("A new invitation has been e-mailed to %(email)s; the old link no longer works.")
        % {"email": invitation.email},
    )
    return redirect("assessment:respondents", pk=assessment.pk)


@login_required
def coordinators(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add and remove colleagues; every change is in the audit list below the form."""
    municipalities = list(
        coordinated_municipalities(request.user).prefetch_related("coordinators__user")
    )
    action = request.POST.get("action", "add")
    form = CoordinatorAddForm(
        request.POST if request.method == "POST" and action == "add" else None,
        municipalities=municipalities,
    )
    if request.method == "POST" and action == "remove":
        return _coordinator_remove(request, municipalities)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        if is_coordinator(request.user, municipality):
            try:
                services.coordinator_add(
                    municipality=municipality,
                    email=form.cleaned_data["email"],
                    request=request,
                    actor=request.user,
                )
            except services.AccountConflict:
                messages.error(request, ACCOUNT_CONFLICT_MESSAGE)
                return redirect("assessment:coordinators")
            messages.success(
                request,
                _("%(email)s is now a coordinator for %(name)s.")
                % {"email": form.cleaned_data["email"], "name": municipality.name},
            )
            return redirect("assessment:coordinators")
    return render(
        request,
        "assessment/coordinators.html",
        {
            "municipalities": municipalities,
            "form": form,
            "events": selectors.coordinator_audit(municipalities),
        },
    )


def _coordinator_remove(request: AuthenticatedHttpRequest, municipalities: list) -> HttpResponse:
    raw_municipality = request.POST.get("municipality", "")
    coordinator_id = _posted_id(request, "coordinator")
    municipality = next((m for m in municipalities if m.pk == raw_municipality), None)
    if municipality is None or coordinator_id is None:
        messages.error(request, _("That coordinator does not exist (any more)."))
        return redirect("assessment:coordinators")
    try:
        services.coordinator_remove(
            municipality=municipality, coordinator_id=coordinator_id, actor=request.user
        )
    except services.ServiceError:
        messages.error(
            request,
            _(
                "The coordinator could not be removed: a municipality must keep at least one "
                "coordinator."
            ),
        )
        return redirect("assessment:coordinators")
    messages.success(request, _("The coordinator has been removed."))
    if not is_coordinator(request.user, municipality):
        return redirect("assessment:home")
    return redirect("assessment:coordinators")

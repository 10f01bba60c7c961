"""Who may do what. Every view asks here; nothing else decides access."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from assessment.models import (
    AccessRequest,
    Adviser,
    Assessment,
    Coordinator,
    Municipality,
    Respondent,
)

User = AuthUser | AnonymousUser

if TYPE_CHECKING:

    class AuthenticatedHttpRequest(HttpRequest):
        """What a @login_required view is given: its user has signed in."""

        user: AuthUser


def coordinated_municipalities(user: User) -> QuerySet[Municipality]:
    if not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(coordinators__user=user)


def is_coordinator(user: User, municipality: Municipality) -> bool:
    return (
        user.is_authenticated
        and Coordinator.objects.filter(user=user, municipality=municipality).exists()
    )


def can_start_assessment(user: User, municipality: Municipality) -> bool:
    """Only a coordinator. Nobody gets a municipality by being first: a newcomer asks for
    access (AccessRequest), and staff or the existing coordinators decide."""
    return is_coordinator(user, municipality)


def can_review_access(user: User, access_request: AccessRequest) -> bool:
    """Staff decide every request; a municipality's coordinators decide requests for it."""
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_staff", False)) or is_coordinator(
        user, access_request.municipality
    )


def reviewable_access_requests(user: User) -> QuerySet[AccessRequest]:
    if not user.is_authenticated:
        return AccessRequest.objects.none()
    if getattr(user, "is_staff", False):
        return AccessRequest.objects.all()
    return AccessRequest.objects.filter(municipality__in=coordinated_municipalities(user))


# --- respondents without an account -------------------------------------------------------
# A response started from an invitation belongs to the browser session that started it (or
# that later presented the respondent's own resume key). The invitation token never opens it.

_SESSION_KEY = "planprofil_responses"


def bind_response(request: HttpRequest, respondent: Respondent, browser_token: str) -> None:
    """Bind this browser to the response (services.respondent_rebind made the token)."""
    # A new session key on every bind: a session id seen before cannot ride along.
    request.session.cycle_key()
    bound = dict(request.session.get(_SESSION_KEY, {}))
    bound[str(respondent.assessment_id)] = [respondent.pk, browser_token]
    request.session[_SESSION_KEY] = bound


def bound_response(request: HttpRequest, assessment_pk: int) -> Respondent | None:
    """The response this browser holds, if it still holds it: binding another browser to the
    same response (its resume key used elsewhere) shuts this one out."""
    from assessment.services import browser_token_matches

    entry = request.session.get(_SESSION_KEY, {}).get(str(assessment_pk))
    if not isinstance(entry, list) or len(entry) != 2:
        return None
    respondent_pk, token = entry
    respondent = (
        Respondent.objects.select_related("assessment__municipality", "assessment__bank")
        .filter(pk=respondent_pk, assessment_id=assessment_pk, user__isnull=True)
        .first()
    )
    if respondent is None or not browser_token_matches(respondent, str(token)):
        return None
    return respondent


def can_coordinate(user: User, assessment: Assessment) -> bool:
    return is_coordinator(user, assessment.municipality)


def can_answer(user: User, assessment: Assessment) -> bool:
    return assessment.is_open and can_coordinate(user, assessment)


def adviser_of(user: User) -> Adviser | None:
    if not user.is_authenticated:
        return None
    return Adviser.objects.filter(user=user).first()


def adviser_municipalities(user: User) -> QuerySet[Municipality]:
    """Municipalities in an adviser's scope (none for anyone else)."""
    adviser = adviser_of(user)
    if adviser is None:
        return Municipality.objects.none()
    if adviser.national:
        return Municipality.objects.all()
    return Municipality.objects.filter(county_number__in=adviser.counties)


def shared_assessments(user: User) -> QuerySet[Assessment]:
    """What an adviser may see: closed rounds that a municipality in scope chose to share."""
    return Assessment.objects.filter(
        municipality__in=adviser_municipalities(user),
        status=Assessment.Status.CLOSED,
        shared_with_advisers=True,
    )


def can_compare(user: User) -> bool:
    return adviser_of(user) is not None


def can_view_results(user: User, assessment: Assessment) -> bool:
    if can_coordinate(user, assessment):
        return True
    return shared_assessments(user).filter(pk=assessment.pk).exists()


def get_assessment(user: User, pk: int, *, allowed=can_view_results) -> Assessment:
    """The one way views fetch an assessment. Scoped to what the user may see first (their
    municipalities, or rounds shared with them as advisers), so anything else is a 404,
    never a 403 that confirms it exists."""
    visible = Assessment.objects.filter(municipality__in=coordinated_municipalities(user))
    if adviser_of(user) is not None:
        visible = visible | shared_assessments(user)
    assessment = visible.select_related("municipality", "bank").filter(pk=pk).first()
    if assessment is None or not allowed(user, assessment):
        raise Http404
    return assessment

"""Who may do what. Every view asks here; nothing else decides access."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from assessment.models import Adviser, Assessment, Coordinator, Municipality

User = AbstractBaseUser | AnonymousUser


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
    """A municipality with no coordinator yet may be claimed by the first person to start;
    after that, an existing coordinator must add colleagues."""
    if not user.is_authenticated:
        return False
    if is_coordinator(user, municipality):
        return True
    return not Coordinator.objects.filter(municipality=municipality).exists()


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

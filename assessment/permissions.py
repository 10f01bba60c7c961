"""Who may do what. Every view asks here; nothing else decides access."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from assessment.models import Assessment, Coordinator, Municipality

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


def can_view_results(user: User, assessment: Assessment) -> bool:
    return can_coordinate(user, assessment)


def get_assessment(user: User, pk: int, *, allowed=can_view_results) -> Assessment:
    """The one way views fetch an assessment. Scoped to the user's municipalities first, so
    another municipality's assessment is a 404, never a 403 that confirms it exists."""
    assessment = (
        Assessment.objects.select_related("municipality", "bank")
        .filter(pk=pk, municipality__in=coordinated_municipalities(user))
        .first()
    )
    if assessment is None or not allowed(user, assessment):
        raise Http404
    return assessment

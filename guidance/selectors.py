"""Reads for guidance: the library in force, an assessment's recommendations and action plan."""

from __future__ import annotations

from django.conf import settings

from assessment.models import Assessment
from assessment.scoring import Profile
from content.models import Source
from guidance.library import Library
from guidance.matching import Facts, MatchResult, match, result_from_dict
from guidance.models import ActionPlanItem
from guidance.models import Library as LibraryRecord


def active_library_record() -> LibraryRecord | None:
    return LibraryRecord.objects.order_by("-created_at").first()


def library_for(assessment: Assessment) -> Library | None:
    """The library a report uses: the one frozen with a closed assessment, else the newest."""
    snapshot = getattr(assessment, "snapshot", None) if not assessment.is_open else None
    if snapshot is not None and snapshot.library_version:
        record = LibraryRecord.objects.filter(version=snapshot.library_version).first()
    else:
        record = active_library_record()
    return record.parsed if record else None


def matches_for(assessment: Assessment, profile: Profile, library: Library | None) -> MatchResult:
    snapshot = getattr(assessment, "snapshot", None) if not assessment.is_open else None
    if snapshot is not None and snapshot.library_version:
        return result_from_dict(snapshot.recommendations)
    return match_profile(library, profile)


def match_profile(library: Library | None, profile: Profile) -> MatchResult:
    """The recommendations a library gives a profile, as many as a report lists."""
    if library is None:
        return MatchResult(recommendations=(), strengths=())
    return match(
        library.specs, Facts.from_profile(profile), limit=settings.PLANPROFIL_RECOMMENDATION_COUNT
    )


def action_items(assessment: Assessment) -> list[ActionPlanItem]:
    return list(ActionPlanItem.objects.filter(assessment=assessment))


def sources_by_key() -> dict[str, Source]:
    return {s.key: s for s in Source.objects.all()}

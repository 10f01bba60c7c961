"""Writes that span the layers: closing a round freezes the scores (assessment) together with
the advice matched to them (guidance)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from assessment.models import Assessment, ResultSnapshot
from assessment.scoring import Profile
from guidance import selectors as guidance_selectors
from guidance.matching import result_to_dict
from guidance.models import Library as LibraryRecord


def _advice_now(assessment: Assessment, profile: Profile) -> assessment_services.FrozenAdvice:
    record = guidance_selectors.active_library_record(assessment.bank.version)
    matches = guidance_selectors.matches_for(assessment, profile, record.parsed if record else None)
    return assessment_services.FrozenAdvice(
        library_version=record.version if record else "",
        recommendations=result_to_dict(matches),
    )


def round_close(*, assessment: Assessment, actor: User | None = None) -> ResultSnapshot:
    """Close a round: scores and the recommendations in force, frozen together."""
    return assessment_services.assessment_close(
        assessment=assessment, actor=actor, freeze_advice=_advice_now
    )


@transaction.atomic
def snapshot_apply_privacy(*, snapshot: ResultSnapshot) -> bool:
    """Re-score a snapshot frozen before the privacy rule of assessment/privacy.py existed
    (its profile has no `held_back`), so no stored figure derives from a lone respondent.
    The recommendations are matched again with the library version it was frozen with.
    Returns whether anything changed. Idempotent."""
    if "held_back" in snapshot.profile:
        return False
    profile = assessment_selectors.final_profile(snapshot.assessment)
    record = LibraryRecord.objects.filter(version=snapshot.library_version).first()
    if record is not None:
        matches = guidance_selectors.match_profile(
            record.parsed, profile, assessment_selectors.bank_of(snapshot.assessment)
        )
        snapshot.recommendations = result_to_dict(matches)
    snapshot.profile = profile.to_dict()
    for key, value in assessment_services.headline_figures(profile).items():
        setattr(snapshot, key, value)
    snapshot.content_hash = assessment_services.profile_hash(
        {"profile": snapshot.profile, "recommendations": snapshot.recommendations}
    )
    snapshot.save()
    return True

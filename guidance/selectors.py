"""Reads for guidance: the library in force, an assessment's recommendations and action plan."""

from __future__ import annotations

from django.conf import settings

from assessment.bank import Bank
from assessment.models import Assessment
from assessment.scoring import Profile
from content.models import Source
from guidance.library import Library
from guidance.matching import Facts, MatchResult, match, result_from_dict
from guidance.models import ActionPlanItem
from guidance.models import Library as LibraryRecord


def active_library_record(bank_version: str | None = None) -> LibraryRecord | None:
    """The library written for a bank version (library vN reads bank vN's keys), or the
    newest when none is asked for or none matches."""
    records = LibraryRecord.objects.order_by("-created_at")
    if bank_version is not None:
        matching = records.filter(version=bank_version).first()
        if matching is not None:
            return matching
    return records.first()


def library_for(assessment: Assessment) -> Library | None:
    """The library a report uses: the one frozen with a closed assessment, else the one for
    the round's bank."""
    snapshot = getattr(assessment, "snapshot", None) if not assessment.is_open else None
    if snapshot is not None and snapshot.library_version:
        record = LibraryRecord.objects.filter(version=snapshot.library_version).first()
    else:
        record = active_library_record(assessment.bank.version)
    return record.parsed if record else None


def matches_for(assessment: Assessment, profile: Profile, library: Library | None) -> MatchResult:
    snapshot = getattr(assessment, "snapshot", None) if not assessment.is_open else None
    if snapshot is not None and snapshot.library_version:
        return result_from_dict(snapshot.recommendations)
    return match_profile(library, profile, assessment.bank.parsed)


def match_profile(library: Library | None, profile: Profile, bank: Bank) -> MatchResult:
    """The recommendations a library gives a profile, as many as a report lists: every
    dimension below the "established" level gets a place (see guidance.matching.diversify)."""
    if library is None:
        return MatchResult(recommendations=(), strengths=())
    established = bank.band("established")
    facts = Facts.from_profile(
        profile,
        question_themes={q.key: q.theme_key for q in bank.questions.values()},
        register_themes={item.fact: item.theme for item in bank.register},
    )
    return match(
        library.specs,
        facts,
        limit=settings.PLANPROFIL_RECOMMENDATION_COUNT,
        represent_below=established.min if established else None,
        # Bank v1 keeps the ranking it was published with, so its rounds reproduce.
        diversified=bank.method >= 2,
    )


def action_items(assessment: Assessment) -> list[ActionPlanItem]:
    return list(ActionPlanItem.objects.filter(assessment=assessment))


def sources_by_key() -> dict[str, Source]:
    return {s.key: s for s in Source.objects.all()}

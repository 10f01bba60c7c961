"""The one place a report's inputs are read: profile, library, matched advice, sources, the
action plan and the peer benchmark. What reads the database for a report is here; composing
the report from these inputs (reports/report.py) is pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assessment import privacy
from assessment import selectors as assessment_selectors
from assessment.bank import Bank, I18n
from assessment.models import Assessment
from assessment.scoring import Profile
from content.models import Source
from guidance import selectors as guidance_selectors
from guidance.library import Library
from guidance.matching import MatchResult
from reports.comparison import (
    Benchmark,
    TrendRound,
    bank_of_version,
    peer_benchmark,
    trend_round,
)
from reports.rows import ActionRow


@dataclass(frozen=True)
class ReportInputs:
    profile: Profile
    library: Library | None
    matches: MatchResult
    sources: Mapping[str, Source]
    action_items: tuple[ActionRow, ...] = ()
    benchmark: Benchmark | None = None
    previous: TrendRound | None = None  # the municipality's previous closed round
    # The earlier bank's theme names, translated when the report is composed.
    previous_theme_names: Mapping[str, I18n] = field(default_factory=dict)


def report_inputs(assessment: Assessment) -> ReportInputs:
    profile = assessment_selectors.assessment_profile(assessment)
    library = guidance_selectors.library_for(assessment)
    if privacy.figures_published(is_open=assessment.is_open):
        matches = guidance_selectors.matches_for(assessment, profile, library)
    else:
        # No figures for an open round, so nothing to recommend from either.
        matches = MatchResult(recommendations=(), strengths=())
    return ReportInputs(
        profile=profile,
        library=library,
        matches=matches,
        sources=guidance_selectors.sources_by_key(),
        action_items=tuple(
            ActionRow(i.what, i.who, i.due, i.recommendation_key)
            for i in guidance_selectors.action_items(assessment)
        ),
        benchmark=peer_benchmark(assessment) if profile.overall is not None else None,
        **_previous(assessment) if profile.overall is not None else {},
    )


def _previous(assessment: Assessment) -> dict:
    """The municipality's closed round before this one (one query), and when it was on
    another bank version, that version's theme names (for saying what a theme is compared
    with). Only closed rounds with a frozen snapshot count: an open round has no figures."""
    earlier = Assessment.objects.filter(
        municipality_id=assessment.municipality_id,
        status=Assessment.Status.CLOSED,
        closed_at__isnull=False,
    ).exclude(pk=assessment.pk)
    if assessment.closed_at is not None:
        # Before this round: by closing time, and by id for rounds closed the same instant.
        earlier = earlier.filter(closed_at__lte=assessment.closed_at).exclude(
            closed_at=assessment.closed_at, pk__gt=assessment.pk
        )
    row = (
        earlier.filter(snapshot__isnull=False)
        .select_related("snapshot")
        .order_by("-closed_at", "-pk")
        .first()
    )
    if row is None:
        return {}
    previous = trend_round(row)
    names = {}
    if previous.bank_version != assessment.bank.version:
        bank = bank_of_version(previous.bank_version)
        names = {t.key: t.name for t in bank.themes} if bank else {}
    return {"previous": previous, "previous_theme_names": names}


def file_report_inputs(profile: Profile, bank: Bank) -> ReportInputs:
    """Inputs for a profile scored from an answers file (assess_file): no round, so no action
    plan and no peers."""
    record = guidance_selectors.active_library_record(bank.version)
    library = record.parsed if record else None
    return ReportInputs(
        profile=profile,
        library=library,
        matches=guidance_selectors.match_profile(library, profile, bank),
        sources=guidance_selectors.sources_by_key(),
    )

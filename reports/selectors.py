"""The one place a report's inputs are read: profile, library, matched advice, sources, the
action plan and the peer benchmark. What reads the database for a report is here; composing
the report from these inputs (reports/report.py) is pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment import privacy
from assessment import selectors as assessment_selectors
from assessment.bank import Bank
from assessment.models import Assessment
from assessment.scoring import Profile
from content.models import Source
from guidance import selectors as guidance_selectors
from guidance.library import Library
from guidance.matching import MatchResult
from reports.comparison import Benchmark, peer_benchmark
from reports.rows import ActionRow


@dataclass(frozen=True)
class ReportInputs:
    profile: Profile
    library: Library | None
    matches: MatchResult
    sources: Mapping[str, Source]
    action_items: tuple[ActionRow, ...] = ()
    benchmark: Benchmark | None = None


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
    )


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

"""The council paper's reads and writes: the coordinator's edits (reports.models.CouncilPaper)
and the paper composed from the report with them."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment
from reports.council_paper import CouncilPaper, PaperEdits, RoundFacts, compose_paper
from reports.models import CouncilPaper as CouncilPaperRecord
from reports.report import build_report


def round_facts(assessment: Assessment) -> RoundFacts:
    when = assessment.closed_at or timezone.now()
    return RoundFacts(
        is_open=assessment.is_open,
        round_key=assessment.round,
        when=timezone.localtime(when).date(),
    )


def paper_edits(assessment: Assessment) -> PaperEdits:
    record = CouncilPaperRecord.objects.filter(assessment=assessment).first()
    if record is None:
        return PaperEdits()
    return PaperEdits(
        language=record.language,
        meeting_date=record.meeting_date,
        deadline=record.deadline,
        responsible=record.responsible,
        assessment_text=record.assessment_text,
        resolution=tuple(str(p) for p in record.resolution if isinstance(p, str)),
    )


def build_paper(
    assessment: Assessment, *, language: str | None = None, edits: PaperEdits | None = None
) -> CouncilPaper:
    """The paper in `language` (default: the municipality's), with the stored edits unless
    others are given. An open round's report has no figures, and neither has its paper."""
    report = build_report(assessment, language=language)
    return compose_paper(
        report, round_facts(assessment), paper_edits(assessment) if edits is None else edits
    )


@transaction.atomic
def council_paper_save(
    *,
    assessment: Assessment,
    user: User,
    language: str,
    meeting_date: date | None,
    deadline: date | None,
    responsible: str,
    assessment_text: str,
    resolution: tuple[str, ...],
) -> CouncilPaperRecord:
    """Store the edits; empty values mean "as the report says" (the caller drops what equals
    the default, so an unedited point keeps following the report)."""
    record, _ = CouncilPaperRecord.objects.select_for_update().get_or_create(assessment=assessment)
    record.language = language
    record.meeting_date = meeting_date
    record.deadline = deadline
    record.responsible = responsible
    record.assessment_text = assessment_text
    record.resolution = list(resolution)
    record.updated_by = user
    record.save()
    return record


@transaction.atomic
def council_paper_reset(*, assessment: Assessment) -> None:
    CouncilPaperRecord.objects.filter(assessment=assessment).delete()

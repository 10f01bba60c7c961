"""Builders for the adviser workspace tests: advisers, and closed (shared) rounds, either
answered through the services or written straight into the database for volume."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from django.utils import timezone
from openpyxl import load_workbook

from assessment import services
from assessment.models import Adviser, Assessment, Municipality, QuestionBank, ResultSnapshot
from assessment.scoring import RoleGroup
from reports import services as reports_services
from tests.factories import UserFactory, answer_everything

BASE_TIME = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.get_fixed_timezone(0))


def make_adviser(username: str, *, counties=(), national: bool = False):
    user = UserFactory(username=username)
    Adviser.objects.create(user=user, counties=list(counties), national=national)
    return user


def closed_round(
    municipality: Municipality,
    bank_record: QuestionBank,
    *,
    levels=(3, 3),
    share: bool = True,
    period: str = "2023-2027",
    round: str = Assessment.Round.BASELINE,
    closed_at: datetime | None = None,
    comment: str | None = None,
) -> Assessment:
    """A real round: answered (administration at levels[0], politicians at levels[1], two
    of each), closed and optionally shared through the services."""
    assessment = Assessment.objects.create(
        municipality=municipality, bank=bank_record, period=period, round=round
    )
    for role, level in zip((RoleGroup.ADMINISTRATION, RoleGroup.POLITICIAN), levels, strict=True):
        answer_everything(assessment, role, level, comment=comment)
        answer_everything(assessment, role, level)
    reports_services.round_close(assessment=assessment)
    if share:
        services.assessment_share(assessment=assessment, share=True)
    if closed_at is not None:
        Assessment.objects.filter(pk=assessment.pk).update(closed_at=closed_at)
    assessment.refresh_from_db()
    return assessment


def bank_keys(bank_record: QuestionBank) -> tuple[list[str], list[str]]:
    parsed = bank_record.parsed
    return [d.key for d in parsed.dimensions], [t.key for t in parsed.themes]


def snapshot_round(
    municipality: Municipality,
    bank_record: QuestionBank,
    *,
    overall: float,
    share: bool = True,
    status: str = Assessment.Status.CLOSED,
    period: str = "2023-2027",
    closed_at: datetime | None = None,
    dimensions: dict | None = None,
    themes: dict | None = None,
    completeness: float = 0.9,
) -> Assessment:
    """A round written straight into the database: headline figures only (no answers)."""
    dimension_keys, theme_keys = bank_keys(bank_record)
    closed = status == Assessment.Status.CLOSED
    assessment = Assessment.objects.create(
        municipality=municipality,
        bank=bank_record,
        period=period,
        status=status,
        shared_with_advisers=share,
        shared_at=timezone.now() if share else None,
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        closed_at=(closed_at or BASE_TIME) if closed else None
    )
    if closed:
        ResultSnapshot.objects.create(
            assessment=assessment,
            bank_version=bank_record.version,
            profile={},
            overall=overall,
            completeness=completeness,
            scores={
                "dimensions": dimensions
                if dimensions is not None
                else {k: overall + i for i, k in enumerate(dimension_keys)},
                "themes": themes
                if themes is not None
                else {k: overall - i / 2 for i, k in enumerate(theme_keys)},
            },
            content_hash="x" * 64,
        )
    assessment.refresh_from_db()
    return assessment


def later(days: int) -> datetime:
    return BASE_TIME + timedelta(days=days)


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "CSV must start with a BOM for Excel"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def csv_number(cell: str) -> float | None:
    """A CSV cell with a Norwegian decimal comma back as a number ('' is None)."""
    if cell == "":
        return None
    assert "." not in cell, f"decimal point in {cell!r}: the CSV uses decimal commas"
    return float(cell.replace(",", "."))


def read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]

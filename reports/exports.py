"""Tables for export: the same rows the adviser sees, as CSV, XLSX or JSON."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from assessment.display import display_score
from reports.comparison import Dashboard

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Table = tuple[list[str], list[list[Any]]]


def _score(value: float | None) -> int | None:
    # The figures on screen, rounded the one way (assessment/display.py): a spreadsheet and
    # the page never disagree on a score.
    return display_score(value)


def dashboard_table(data: Dashboard, labels: dict[str, str]) -> Table:
    header = [
        labels["number"],
        labels["municipality"],
        labels["county"],
        labels["population"],
        labels["period"],
        labels["round"],
        labels["closed"],
        labels["overall"],
        *[labels[k] for k in data.dimension_keys],
        labels["completeness"],
        *[labels[k] for k in data.theme_keys],
    ]
    rows = [
        [
            r.number,
            r.name,
            r.county,
            r.population,
            r.period,
            str(r.round_label),
            # A date, not text: a spreadsheet sorts and filters it as one (to_xlsx formats it).
            timezone.localdate(r.closed_at) if r.closed_at else None,
            _score(r.overall),
            *[_score(r.dimensions.get(k)) for k in data.dimension_keys],
            display_score(100 * r.completeness),
            *[_score(r.themes.get(k)) for k in data.theme_keys],
        ]
        for r in data.rows
    ]
    return header, rows


XLSX_DATE_FORMAT = "dd.mm.yyyy"  # how Norwegian spreadsheets show a date


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()  # unambiguous in any locale
    if isinstance(value, float):
        return str(value).replace(".", ",")  # Norwegian decimal comma
    return value


def compare_table(
    columns: Sequence[tuple[str, dict[str, float | None]]],
    rows: Sequence[tuple[str, str]],
    first: str,
) -> Table:
    """`columns`: (municipality name, {key: score}); `rows`: (key, label) in display order."""
    header = [first, *[name for name, _ in columns]]
    body = [[label, *[_score(scores.get(key)) for _, scores in columns]] for key, label in rows]
    return header, body


def to_csv(table: Table) -> str:
    header, rows = table
    buffer = io.StringIO()
    # Semicolons and a BOM: what Norwegian Excel opens correctly by double-click.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def to_xlsx(table: Table, *, title: str) -> bytes:
    header, rows = table
    workbook = Workbook()
    sheet = cast("Worksheet", workbook.active)  # a new workbook has one worksheet
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = XLSX_DATE_FORMAT
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

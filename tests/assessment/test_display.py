"""One rounding for every figure shown (assessment/display.py)."""

from __future__ import annotations

import pytest

from assessment.display import display_change, display_score
from assessment.templatetags.planprofil import score as score_filter
from reports import exports


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (62.5, 63),
        (62.49, 62),
        (-12.5, -13),
        (12.5, 13),
        (0.5, 1),
        (-0.5, -1),
        (100.0, 100),
        (None, None),
    ],
)
def test_half_away_from_zero(value, shown):
    assert display_score(value) == shown


def test_every_surface_uses_it():
    # Template filter (web pages), exports (CSV/XLSX) and report rows share the function.
    assert score_filter(62.5) == "63" and score_filter(-12.5) == "-13"
    assert exports._score(62.5) == 63
    from reports.report import _round

    assert _round is display_score


def test_trend_change_is_the_difference_of_the_shown_values():
    # 53.6 shows as 54 and 41.5 as 42: the change reads -12, as the two shown numbers say.
    assert display_change(53.6, 41.5) == -12
    assert round(41.5 - 53.6) == -12 and display_score(41.5 - 53.6) == -12
    assert display_change(54.4, 41.5) == -12  # not display_score(-12.9) == -13
    assert display_change(None, 40) is None

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


def test_heat_map_colours_the_shown_score_with_the_banks_bands():
    from assessment.templatetags.planprofil import heat

    bands = (0.0, 35.0, 60.0, 80.0)  # bank v1's maturity bands, passed in from the bank
    assert heat(34.6, bands) == "hm-1"  # shown as 35: coloured as 35, not as below 35
    assert heat(34.4, bands) == "hm-0"
    assert heat(59.5, bands) == "hm-2"
    assert heat(80, bands) == "hm-3"
    assert heat(None, bands) == "hm-none"
    assert heat(50, (0.0, 50.0)) == "hm-1"  # other bands, other classes: nothing hard-coded


def test_method_text_is_written_from_the_scoring_tables(monkeypatch):
    from django.utils import translation

    from reports import texts

    monkeypatch.setattr(texts, "SCALE_SCORES", {"1": 0.0, "2": 30.0, "3": 60.0})
    with translation.override("en"):
        line = texts._method(70, 3)
    assert "0, 30 and 60 points" in line[0]
    assert "at least 3 people" in " ".join(line)
    assert "70 %" in " ".join(line)

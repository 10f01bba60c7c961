"""The role-gap chart keeps both groups visible where they agree, and the trend chart draws
every series it is given."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from reports import charts
from reports.rows import ReportData


@pytest.fixture
def agreeing_report(answered_assessment) -> ReportData:
    from dataclasses import replace

    from reports.report import build_report

    report = build_report(answered_assessment, language="en")
    first = report.gaps[0]
    # Where the groups agree exactly, both markers fall on the same spot.
    same = replace(first, politicians=50, administration=50, gap=0, large=False)
    return replace(report, gaps=(same, *report.gaps[1:]))


def _collections(svg: str) -> list[str]:
    """The two scatter groups' SVG (squares first, circles second), without the legend's."""
    parts = re.split(r'<g id="[^"]*PathCollection_\d+">', svg)
    return [part.split("</g>\n   </g>")[0] for part in parts[1:3]]


def test_both_marker_sets_are_drawn_and_the_square_is_hollow(agreeing_report):
    with translation.override("en"):
        svg = charts.role_gap_svg(agreeing_report, chart_id="t-gaps")
    squares, circles = _collections(svg)  # in drawing order: the circles come last, on top
    square_marker = re.search(r'<path id="[^"]+" d="([^"]+)"[^>]*/>', squares)
    circle_marker = re.search(r'<path id="[^"]+" d="([^"]+)"[^>]*/>', circles)
    assert square_marker and circle_marker
    # The square is an outline in the administration's colour, filled white: whatever lies
    # under or inside it stays visible.
    assert 'fill="#ffffff"' in squares
    assert f'stroke="{charts.ROLE_COLOURS["administration"]}"' in squares
    assert f'fill="{charts.ROLE_COLOURS["politician"]}"' in circles

    # The circle is smaller than the square, so at the same spot it sits inside it.
    def extent(d: str) -> float:
        numbers = [abs(float(n)) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        return max(numbers)

    assert extent(circle_marker[1]) < extent(square_marker[1])
    # Both groups have a marker on every theme row.
    uses = lambda g: len(re.findall(r"<use ", g))  # noqa: E731
    assert uses(squares) == uses(circles) == len(agreeing_report.gaps)
    # The agreeing row: both markers at the same position (x, y).
    positions = lambda g: re.findall(r'<use [^>]*x="([\d.]+)" y="([\d.]+)"', g)  # noqa: E731
    assert positions(squares)[0] == positions(circles)[0]
    # And the legend names both.
    assert "Elected politicians" in svg and "Administration" in svg


def test_the_gap_chart_keeps_its_text_alternative(agreeing_report):
    with translation.override("en"):
        svg = charts.role_gap_svg(agreeing_report, chart_id="t-gaps-2")
    assert '<title id="t-gaps-2-title">' in svg
    assert "politicians 50, administration 50" in svg


def test_trend_chart_has_a_line_per_series_and_a_title():
    with translation.override("en"):
        svg = charts.trend_svg(
            ["2019-2023 End of term", "2023-2027 Baseline"],
            [("Overall", [40.4, 52.5]), ("Plan culture", [38.0, None]), ("Roles", [50.0, 61.0])],
            chart_id="t-trend",
        )
    assert svg.count('<g id="t-trend-line2d_') >= 3
    title = re.search(r'<title id="t-trend-title">(.*?)</title>', svg)[1]
    assert "Overall: 2019-2023 End of term 40, 2023-2027 Baseline 53" in title
    assert "Plan culture: 2019-2023 End of term 38, 2023-2027 Baseline –" in title

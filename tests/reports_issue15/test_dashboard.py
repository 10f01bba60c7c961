"""The adviser dashboard: cells coloured by the band of the number they show, a legend,
explained figures, sorting that puts the highest first, headers that do not break words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from assessment.models import Municipality
from reports import comparison
from tests.assessment.adviser_factories import bank_keys, later, snapshot_round


def _place(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


@pytest.fixture
def borderline(bank_record):
    """Theme scores just under and over each band's start, as the screen rounds them."""
    _dimensions, theme_keys = bank_keys(bank_record)
    values = [34.5, 34.49, 59.5, 59.4, 79.5, 79.49, 0.4, 100.0]
    themes = {k: values[i % len(values)] for i, k in enumerate(theme_keys)}
    snapshot_round(_place("1815"), bank_record, overall=47.0, closed_at=later(0))
    snapshot_round(_place("1815"), bank_record, overall=55.0, themes=themes, closed_at=later(1))
    snapshot_round(_place("1811"), bank_record, overall=62.0, closed_at=later(2))
    return themes


def test_a_cell_is_coloured_by_the_band_of_the_number_it_shows(adviser_client, borderline):
    response = adviser_client.get(reverse("reports:adviser_dashboard"))
    html = response.content.decode()
    heat = html[html.index('id="heat-heading"') :]
    legend = comparison.heat_legend()
    assert [(b.low, b.high) for b in legend] == [(0, 34), (35, 59), (60, 79), (80, None)]
    cells = re.findall(r'<td class="(hm-\d)">(\d+)</td>', heat)
    assert len(cells) >= len(borderline)
    for css, shown in cells:
        band = next(b for b in legend if b.css == css)
        assert band.low <= int(shown) and (band.high is None or int(shown) <= band.high), (
            css,
            shown,
        )
    # The borderline values themselves: 34.5 shows as 35 and is "developing" (hm-1).
    assert ("hm-1", "35") in cells and ("hm-0", "34") in cells
    assert ("hm-2", "60") in cells and ("hm-1", "59") in cells
    assert ("hm-3", "80") in cells and ("hm-2", "79") in cells


def test_the_heat_map_has_a_legend_and_abbreviated_headers(adviser_client, borderline):
    html = adviser_client.get(reverse("reports:adviser_dashboard")).content.decode()
    assert 'class="heat-legend"' in html
    assert html.count('class="heat-legend__swatch') == 4
    # Each theme column: a short code with the full name in <abbr title> and for screen
    # readers, and the numbered list of themes under the map.
    assert re.search(r'<th scope="col"><abbr title="[^"]+" aria-hidden="true">T1</abbr>', html)
    assert 'class="heat-themes"' in html
    # A visible cue where a table is wider than the screen.
    assert html.count('class="scroll-cue"') == 2


def test_the_change_in_brackets_and_the_centrality_class_are_explained(adviser_client, borderline):
    html = adviser_client.get(reverse("reports:adviser_dashboard")).content.decode()
    assert "(+8)" in html  # 47 -> 55
    assert 'aria-describedby="dash-note"' in html and 'id="dash-note"' in html
    assert 'aria-describedby="f-centrality-help"' in html
    assert 'href="https://www.ssb.no/klass/klassifikasjoner/128"' in html


def _sort_link(html: str, key: str) -> str:
    return re.search(rf'href="\?[^"]*&(?:amp;)?sort=(-?{key})"', html)[1]


@pytest.mark.parametrize(
    ("current", "overall_link"),
    [("name", "-overall"), ("overall", "-overall"), ("-overall", "overall")],
)
def test_overall_sorts_highest_first_when_chosen(adviser_client, borderline, current, overall_link):
    html = adviser_client.get(
        reverse("reports:adviser_dashboard"), {"sort": current}
    ).content.decode()
    assert _sort_link(html, "overall") == overall_link
    # Names still sort A to Z first.
    if current != "name":
        assert _sort_link(html, "name") == "name"


def test_highest_overall_first_is_what_the_link_gives(adviser_client, borderline):
    rows = (
        adviser_client.get(reverse("reports:adviser_dashboard"), {"sort": "-overall"})
        .context["data"]
        .rows
    )
    assert [r.number for r in rows] == ["1811", "1815"]


def test_headers_do_not_break_inside_words():
    css = Path("static/css/app.css").read_text(encoding="utf-8")
    rule = re.search(r"\.dash-table th, \.heatmap th, \.trend-table th \{([^}]*)\}", css)
    assert rule and "overflow-wrap: normal" in rule[1] and "hyphens: manual" in rule[1]
    assert "main.container:has(.wide-layout)" in css
    assert re.search(r"\.heatmap th:first-child[^{]*\{[^}]*position: sticky", css)

"""A municipality over time: a trend chart with its data table, the overall change, and a way
back to the dashboard."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessment.models import Municipality
from tests.assessment.adviser_factories import bank_keys, later, snapshot_round


@pytest.fixture
def two_rounds(bank_record):
    dimension_keys, _themes = bank_keys(bank_record)
    vega = Municipality.objects.get(number="1815")
    snapshot_round(
        vega,
        bank_record,
        overall=40.4,
        period="2019-2023",
        dimensions=dict.fromkeys(dimension_keys, 30.0),
        closed_at=later(0),
    )
    snapshot_round(
        vega,
        bank_record,
        overall=52.5,
        dimensions=dict.fromkeys(dimension_keys, 45.5),
        closed_at=later(1),
    )
    return dimension_keys


def test_the_trend_page_has_a_chart_a_table_and_the_overall_change(adviser_client, two_rounds):
    response = adviser_client.get(reverse("reports:municipality", args=["1815"]))
    html = response.content.decode()
    assert '<svg role="img" aria-labelledby="trend-chart-title"' in html
    assert 'id="trend-dim-caption"' in html
    table = html[html.index('id="trend-dim-caption"') : html.index('id="trend-themes-heading"')]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S)
    assert len(rows) == 1 + len(two_rounds)  # overall and each dimension
    # Overall 40 -> 53 as shown: +13, in both tables.
    assert re.search(
        r'<td class="num">40</td><td class="num">53</td><td class="num">\+13</td>', table
    )
    assert response.context["overall_change"] == 13
    assert all(s["change"] == 16 for s in response.context["trend_series"][1:])  # 30 -> 46
    assert f'href="{reverse("reports:adviser_dashboard")}"' in html


def test_a_coordinator_sees_no_link_to_the_adviser_overview(client, alice, two_rounds):
    client.force_login(alice)
    response = client.get(reverse("reports:municipality", args=["1815"]))
    assert response.status_code == 200
    assert "trend-chart-title" in response.content.decode()
    assert reverse("reports:adviser_dashboard") not in response.content.decode()

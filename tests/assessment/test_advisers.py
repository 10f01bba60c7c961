"""The adviser workspace: dashboard filters and sorting, heat map, exports that read back as
the screen shows, compare, peer benchmark, trends, batch PDF export, and query counts."""

from __future__ import annotations

import io
import statistics
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.display import display_score
from assessment.models import Assessment, Municipality, QuestionBank, ResultSnapshot
from reports import comparison
from reports.models import ReportExport
from tests.assessment.adviser_factories import (
    bank_keys,
    closed_round,
    csv_number,
    later,
    make_adviser,
    read_csv,
    read_xlsx,
    snapshot_round,
)

# Nordland (18): Vega and Bindal 1,000-2,499; Træna under 1,000; Hemnes 2,500-4,999;
# Bodø 5,000 or more. Rogaland (11): Utsira under 1,000.
VEGA, BINDAL, TRAENA, HEMNES, BODO, UTSIRA = "1815", "1811", "1835", "1832", "1804", "1151"
# More Nordland municipalities of 1,000-2,499 inhabitants, as Vega's peers.
PEERS_1000_2499 = ["1812", "1818", "1822", "1825", "1826", "1827", "1828"]


@pytest.fixture
def nils(db):
    """National adviser."""
    return make_adviser("nils", national=True)


@pytest.fixture
def adviser_client(client, nils):
    client.force_login(nils)
    return client


def place(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


def rows(client, **query) -> list:
    response = client.get(reverse("reports:adviser_dashboard"), query)
    assert response.status_code == 200
    return response.context["data"].rows


def numbers(client, **query) -> list[str]:
    return [r.number for r in rows(client, **query)]


# --- dashboard: filters, sorting, change -------------------------------------------------


@pytest.fixture
def spread(bank_record):
    """One latest shared round each, with dimension scores ordered unlike overall."""
    dimension_keys, _ = bank_keys(bank_record)
    first = dimension_keys[0]
    made = {}
    for i, (number, overall, dim) in enumerate(
        [(VEGA, 55.0, 90.0), (BINDAL, 72.0, 10.0), (TRAENA, 38.0, 50.0), (HEMNES, 64.0, 30.0),
         (BODO, 81.0, 70.0), (UTSIRA, 47.0, 20.0)]
    ):  # fmt: skip
        made[number] = snapshot_round(
            place(number),
            bank_record,
            overall=overall,
            closed_at=later(i),
            dimensions={k: (dim if k == first else 50.0) for k in dimension_keys},
        )
    return made


def test_dashboard_filters_by_county_band_and_centrality(adviser_client, spread):
    assert numbers(adviser_client) == [BINDAL, BODO, HEMNES, TRAENA, UTSIRA, VEGA]
    assert numbers(adviser_client, county="18") == [BINDAL, BODO, HEMNES, TRAENA, VEGA]
    assert numbers(adviser_client, county="11") == [UTSIRA]
    assert numbers(adviser_client, band="under-1000") == [TRAENA, UTSIRA]
    assert numbers(adviser_client, band="1000-2499") == [BINDAL, VEGA]
    assert numbers(adviser_client, band="2500-4999") == [HEMNES]
    assert numbers(adviser_client, band="5000-plus") == [BODO]
    assert numbers(adviser_client, band="under-1000", county="18") == [TRAENA]
    assert numbers(adviser_client, band="nonsense") == numbers(adviser_client)
    Municipality.objects.filter(number__in=[VEGA, BODO]).update(centrality_class=6)
    assert numbers(adviser_client, centrality="6") == [BODO, VEGA]
    data = adviser_client.get(reverse("reports:adviser_dashboard")).context["data"]
    assert data.total == 6
    assert ("11", "Rogaland") in data.counties and ("18", "Nordland") in data.counties


def test_dashboard_filters_by_period(adviser_client, bank_record):
    snapshot_round(place(VEGA), bank_record, overall=30, period="2019-2023", closed_at=later(0))
    snapshot_round(place(VEGA), bank_record, overall=40, period="2019-2023", closed_at=later(1))
    snapshot_round(place(VEGA), bank_record, overall=70, period="2023-2027", closed_at=later(2))
    snapshot_round(place(BINDAL), bank_record, overall=60, period="2023-2027", closed_at=later(3))
    data = adviser_client.get(reverse("reports:adviser_dashboard")).context["data"]
    assert data.periods == ["2023-2027", "2019-2023"]

    (vega,) = rows(adviser_client, period="2019-2023")
    assert (vega.number, vega.overall, vega.rounds, vega.change) == (VEGA, 40, 2, 10)
    latest = {r.number: r for r in rows(adviser_client, period="2023-2027")}
    assert set(latest) == {VEGA, BINDAL}
    assert (latest[VEGA].overall, latest[VEGA].rounds, latest[VEGA].change) == (70, 1, None)
    everything = {r.number: r for r in rows(adviser_client)}
    assert (everything[VEGA].overall, everything[VEGA].rounds) == (70, 3)
    assert everything[VEGA].change == pytest.approx(30)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", [BINDAL, BODO, HEMNES, TRAENA, UTSIRA, VEGA]),
        ("-name", [VEGA, UTSIRA, TRAENA, HEMNES, BODO, BINDAL]),
        ("overall", [TRAENA, UTSIRA, VEGA, HEMNES, BINDAL, BODO]),
        ("-overall", [BODO, BINDAL, HEMNES, VEGA, UTSIRA, TRAENA]),
        ("population", [UTSIRA, TRAENA, VEGA, BINDAL, HEMNES, BODO]),
        ("-population", [BODO, HEMNES, BINDAL, VEGA, TRAENA, UTSIRA]),
        ("date", [VEGA, BINDAL, TRAENA, HEMNES, BODO, UTSIRA]),
        ("-date", [UTSIRA, BODO, HEMNES, TRAENA, BINDAL, VEGA]),
        ("DIM", [BINDAL, UTSIRA, HEMNES, TRAENA, BODO, VEGA]),
        ("-DIM", [VEGA, BODO, TRAENA, HEMNES, UTSIRA, BINDAL]),
        ("no-such-key", [BINDAL, BODO, HEMNES, TRAENA, UTSIRA, VEGA]),
    ],
)
def test_dashboard_sorting(adviser_client, spread, bank_record, sort, expected):
    first_dimension = bank_keys(bank_record)[0][0]
    sort = sort.replace("DIM", first_dimension)
    assert numbers(adviser_client, sort=sort) == expected


def test_dashboard_sorting_puts_missing_overall_last(adviser_client, spread, bank_record):
    snapshot_round(place("1812"), bank_record, overall=0, closed_at=later(20))
    ResultSnapshot.objects.filter(assessment__municipality_id="1812").update(overall=None)
    assert numbers(adviser_client, sort="-overall")[-1] == "1812"
    assert numbers(adviser_client, sort="overall")[-1] == "1812"


def test_change_is_latest_minus_previous_shared_round(adviser_client, bank_record):
    snapshot_round(place(VEGA), bank_record, overall=40.0, closed_at=later(0))
    snapshot_round(place(VEGA), bank_record, overall=90.0, share=False, closed_at=later(1))
    snapshot_round(place(VEGA), bank_record, overall=55.5, closed_at=later(2))
    snapshot_round(place(VEGA), bank_record, overall=99.0, status=Assessment.Status.OPEN)
    snapshot_round(place(BINDAL), bank_record, overall=60.0, closed_at=later(3))
    by_number = {r.number: r for r in rows(adviser_client)}
    vega = by_number[VEGA]
    assert vega.overall == 55.5
    assert vega.previous_overall == 40.0
    assert vega.change == 16  # 40 -> 56 as shown (55.5 shows as 56)
    assert vega.rounds == 2
    assert by_number[BINDAL].change is None and by_number[BINDAL].rounds == 1
    html = adviser_client.get(reverse("reports:adviser_dashboard")).content.decode()
    assert "(+16)" in html


# --- heat map ----------------------------------------------------------------------------------


def test_heat_map_has_every_theme_of_every_row(adviser_client, vega, bank_record):
    closed_round(vega, bank_record, levels=(2, 4))
    snapshot_round(place(BINDAL), bank_record, overall=62)
    # Rounds on bank v1 are shown in the newest bank's themes, through its version mapping.
    _, theme_keys = bank_keys(newest_bank())
    response = adviser_client.get(reverse("reports:adviser_dashboard"))
    data = response.context["data"]
    assert list(data.theme_keys) == theme_keys
    assert len(data.rows) == 2
    for row in data.rows:
        assert set(row.themes) == set(theme_keys), row.number
        assert all(isinstance(v, int | float) for v in row.themes.values())
    html = response.content.decode()
    heat = html[html.index('id="heat-heading"') :]
    assert heat.count('<td class="hm-') == 2 * len(theme_keys)


# --- exports read back as the screen shows ------------------------------------------------


@pytest.fixture
def odd_numbers(vega, bank_record):
    """A real round (scores as scoring made them) and rounds with awkward decimals."""
    closed_round(vega, bank_record, levels=(2, 5), closed_at=later(0))
    dimension_keys, theme_keys = bank_keys(bank_record)
    for i, (number, overall) in enumerate([(BINDAL, 62.345), (TRAENA, 47.25), (UTSIRA, 80.05)]):
        snapshot_round(
            place(number),
            bank_record,
            overall=overall,
            completeness=0.8333,
            closed_at=later(i + 1),
            dimensions={k: overall + j * 1.13 for j, k in enumerate(dimension_keys)},
            themes={k: overall - j * 0.77 for j, k in enumerate(theme_keys)},
        )


def _shown(value):
    # Exports carry the figures as shown on screen (assessment/display.py).
    return display_score(value)


def _expected_dashboard_rows(data) -> list[list]:
    return [
        [
            r.number,
            _shown(r.overall),
            *[_shown(r.dimensions.get(k)) for k in data.dimension_keys],
            display_score(100 * r.completeness),
            *[_shown(r.themes.get(k)) for k in data.theme_keys],
        ]
        for r in data.rows
    ]


def _numeric_columns(table_rows: list[list], to_number) -> list[list]:
    """Number, then overall (column 7) and everything after it, as numbers."""
    return [[str(row[0]), *[to_number(v) for v in row[7:]]] for row in table_rows]


@pytest.mark.parametrize("query", [{}, {"sort": "-overall"}, {"county": "18"}])
def test_dashboard_csv_matches_the_screen(adviser_client, odd_numbers, query):
    data = adviser_client.get(reverse("reports:adviser_dashboard"), query).context["data"]
    response = adviser_client.get(reverse("reports:adviser_dashboard_export", args=["csv"]), query)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="planprofil-oversikt.csv"' in response["Content-Disposition"]
    table = read_csv(response.content)
    header, body = table[0], table[1:]
    assert len(header) == 8 + len(data.dimension_keys) + 1 + len(data.theme_keys)
    assert all(len(row) == len(header) for row in body)
    assert _numeric_columns(body, csv_number) == _expected_dashboard_rows(data)
    assert [row[1] for row in body] == [r.name for r in data.rows]
    assert [int(row[3]) for row in body] == [r.population for r in data.rows]


@pytest.mark.parametrize("query", [{}, {"sort": "-overall"}, {"county": "18"}])
def test_dashboard_xlsx_matches_the_screen(adviser_client, odd_numbers, query):
    data = adviser_client.get(reverse("reports:adviser_dashboard"), query).context["data"]
    response = adviser_client.get(reverse("reports:adviser_dashboard_export", args=["xlsx"]), query)
    table = read_xlsx(response.content)
    body = table[1:]
    assert _numeric_columns(body, lambda v: v) == _expected_dashboard_rows(data)
    assert [row[3] for row in body] == [r.population for r in data.rows]
    # Numbers are numbers in the spreadsheet, not text.
    assert all(isinstance(v, int | float) for row in body for v in row[7:] if v is not None)


def test_json_matches_the_exports(adviser_client, odd_numbers):
    api = adviser_client.get(reverse("reports:api_dashboard")).json()
    csv_rows = read_csv(
        adviser_client.get(reverse("reports:adviser_dashboard_export", args=["csv"])).content
    )[1:]
    xlsx_rows = read_xlsx(
        adviser_client.get(reverse("reports:adviser_dashboard_export", args=["xlsx"])).content
    )[1:]
    data = adviser_client.get(reverse("reports:adviser_dashboard")).context["data"]
    assert api["count"] == len(csv_rows) == len(xlsx_rows) == 4
    from_json = [
        [
            m["number"],
            _shown(m["overall"]),
            *[_shown(m["dimensions"].get(k)) for k in data.dimension_keys],
            display_score(100 * m["completeness"]),
            *[_shown(m["themes"].get(k)) for k in data.theme_keys],
        ]
        for m in api["municipalities"]
    ]
    assert from_json == _numeric_columns(csv_rows, csv_number)
    assert from_json == _numeric_columns(xlsx_rows, lambda v: v)
    assert [m["assessment_id"] for m in api["municipalities"]] == [
        r.assessment_id for r in data.rows
    ]


def test_unknown_export_format_is_404(adviser_client, odd_numbers):
    url = reverse("reports:adviser_dashboard_export", args=["pdf"])
    assert adviser_client.get(url).status_code == 404
    url = reverse("reports:adviser_compare_export", args=["json"])
    assert adviser_client.get(url, {"m": [VEGA, BINDAL]}).status_code == 404


def test_compare_exports_match_the_compare_table(adviser_client, odd_numbers, bank_record):
    query = {"m": [BINDAL, VEGA, UTSIRA]}
    page = adviser_client.get(reverse("reports:adviser_compare"), query)
    header, body = page.context["table"]
    assert header[1:] == ["Bindal", "Vega", "Utsira"]
    dimension_keys, theme_keys = bank_keys(newest_bank())
    newest = newest_bank().parsed
    assert len(body) == len(dimension_keys) + len(theme_keys)
    # The table carries each round's own scores as shown everywhere, in the order chosen, in
    # the newest bank's themes (v1 rounds through the declared mapping).
    rounds = page.context["rounds"]
    for (label, *values), key in zip(body, [*dimension_keys, *theme_keys], strict=True):
        for value, assessment in zip(values, rounds, strict=True):
            scores = assessment.snapshot.scores
            mapping = newest.comparable_themes(assessment.snapshot.bank_version)
            own = scores["dimensions"].get(key)
            if key in mapping:  # a theme: the mean of the earlier themes it compares with
                olds = [scores["themes"][o] for o in mapping[key]]
                own = statistics.fmean(olds)
            assert value == display_score(own), (label, assessment.municipality_id)

    csv_table = read_csv(
        adviser_client.get(reverse("reports:adviser_compare_export", args=["csv"]), query).content
    )
    assert csv_table[0] == header
    assert [[r[0], *[csv_number(v) for v in r[1:]]] for r in csv_table[1:]] == body

    xlsx_table = read_xlsx(
        adviser_client.get(reverse("reports:adviser_compare_export", args=["xlsx"]), query).content
    )
    assert xlsx_table[0] == header
    assert [list(r) for r in xlsx_table[1:]] == body

    # And the compare table agrees with the dashboard's row for the same round.
    dashboard = {r.number: r for r in rows(adviser_client)}
    column = header.index("Bindal")
    first_dimension_row = body[0]
    assert first_dimension_row[column] == display_score(
        dashboard[BINDAL].dimensions[dimension_keys[0]]
    )


# --- compare: 2 to 6 --------------------------------------------------------------------------


@pytest.fixture
def seven(bank_record):
    chosen = [VEGA, BINDAL, TRAENA, HEMNES, BODO, UTSIRA, "1812"]
    for i, number in enumerate(chosen):
        snapshot_round(place(number), bank_record, overall=40 + 5 * i, closed_at=later(i))
    return chosen


@pytest.mark.parametrize("n", [2, 3, 6])
def test_compare_two_to_six(adviser_client, seven, n):
    response = adviser_client.get(reverse("reports:adviser_compare"), {"m": seven[:n]})
    assert response.status_code == 200
    assert response.context["error"] == ""
    assert [a.municipality_id for a in response.context["rounds"]] == seven[:n]
    assert response.context["chart"].lstrip().startswith("<svg")
    assert len(response.context["table"][0]) == n + 1


@pytest.mark.parametrize("n", [1, 7])
def test_compare_one_or_seven_is_an_error_without_chart(adviser_client, seven, n):
    response = adviser_client.get(reverse("reports:adviser_compare"), {"m": seven[:n]})
    assert response.status_code == 200
    assert response.context["error"]
    assert response.context["error"] in response.content.decode()
    assert response.context["chart"] == ""
    assert "<svg" not in response.content.decode()


def test_compare_without_choice_shows_no_error(adviser_client, seven):
    response = adviser_client.get(reverse("reports:adviser_compare"))
    assert response.context["error"] == "" and response.context["chart"] == ""
    assert [m.number for m in response.context["choices"]] == sorted(
        seven, key=lambda n: place(n).name
    )


def test_compare_counts_a_repeated_municipality_once(adviser_client, seven):
    response = adviser_client.get(reverse("reports:adviser_compare"), {"m": [VEGA, VEGA]})
    assert [a.municipality_id for a in response.context["rounds"]] == [VEGA]
    assert response.context["error"] and response.context["chart"] == ""


# The page text in Bokmål, or in English where the compiled catalogue lags behind the .po file.
def newest_bank() -> QuestionBank:
    """The bank the adviser pages speak in: the newest published one."""
    return QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).first()


LEFT_OUT = ("Ikke sammenlignet:", "Not compared:")


def says_compared_with(n: int, html: str) -> bool:
    return f"Sammenlignet med {n} liknende kommuner" in html or f"Compared with {n} similar" in html


# --- peer benchmark ------------------------------------------------------------------------


def _peer_scores(i: int, theme_keys, dimension_keys):
    return {
        "overall": [41.0, 57.5, 63.0, 70.25, 88.0, 52.0][i],
        "themes": {k: 30.0 + 7 * i + j for j, k in enumerate(theme_keys)},
        "dimensions": {k: 90.0 - 9 * i - j for j, k in enumerate(dimension_keys)},
    }


@pytest.fixture
def vega_round(vega, bank_record):
    return closed_round(vega, bank_record, levels=(3, 4), closed_at=later(10))


def _add_peers(bank_record, count: int) -> list[dict]:
    dimension_keys, theme_keys = bank_keys(bank_record)
    made = []
    for i, number in enumerate(PEERS_1000_2499[:count]):
        scores = _peer_scores(i, theme_keys, dimension_keys)
        snapshot_round(
            place(number),
            bank_record,
            overall=scores["overall"],
            themes=scores["themes"],
            dimensions=scores["dimensions"],
            closed_at=later(i),
        )
        made.append(scores)
    return made


@pytest.fixture
def noise(bank_record):
    """Rounds that must not count as Vega's peers."""
    snapshot_round(place(HEMNES), bank_record, overall=1.0)  # another band (2,500-4,999)
    snapshot_round(place(UTSIRA), bank_record, overall=2.0)  # another band (under 1,000)
    snapshot_round(place(BINDAL), bank_record, overall=3.0, share=False)  # not shared
    snapshot_round(place("1834"), bank_record, overall=4.0, status=Assessment.Status.OPEN)


def test_four_peers_are_not_enough(client, alice, vega_round, bank_record, noise):
    _add_peers(bank_record, 4)
    assert comparison.peer_benchmark(vega_round) is None
    client.force_login(alice)
    response = client.get(reverse("reports:results", args=[vega_round.pk]))
    assert response.context["view"].benchmark_n == 0
    assert response.context["view"].benchmark == ()
    assert 'id="bench-heading"' not in response.content.decode()


def test_five_peers_give_quartiles(client, alice, vega_round, bank_record, noise):
    peers = _add_peers(bank_record, 5)
    # A peer's older shared round is ignored: only each peer's latest counts.
    snapshot_round(place(PEERS_1000_2499[0]), bank_record, overall=5.0, closed_at=later(-100))
    benchmark = comparison.peer_benchmark(vega_round)
    assert benchmark is not None
    assert benchmark.n == 5
    q1, median, q3 = statistics.quantiles([p["overall"] for p in peers], n=4, method="inclusive")
    assert (benchmark.overall.q1, benchmark.overall.median, benchmark.overall.q3) == (
        pytest.approx(q1),
        pytest.approx(median),
        pytest.approx(q3),
    )
    assert (q1, median, q3) == (57.5, 63.0, 70.25)  # the hand calculation, spelled out
    _, theme_keys = bank_keys(bank_record)
    key = theme_keys[3]
    tq1, tmedian, tq3 = statistics.quantiles(
        [p["themes"][key] for p in peers], n=4, method="inclusive"
    )
    assert benchmark.themes[key].median == pytest.approx(tmedian)
    assert (benchmark.themes[key].q1, benchmark.themes[key].q3) == (
        pytest.approx(tq1),
        pytest.approx(tq3),
    )

    client.force_login(alice)
    response = client.get(reverse("reports:results", args=[vega_round.pk]))
    assert response.context["view"].benchmark_n == 5
    assert says_compared_with(5, response.content.decode())


def test_municipality_page_shows_the_benchmark(adviser_client, vega_round, bank_record, noise):
    peers = _add_peers(bank_record, 5)
    response = adviser_client.get(reverse("reports:municipality", args=[VEGA]))
    benchmark = response.context["benchmark"]
    assert benchmark.n == 5 and benchmark.group == "band"
    expected = statistics.quantiles([p["overall"] for p in peers], n=4, method="inclusive")
    assert benchmark.overall.median == pytest.approx(expected[1])
    assert response.context["benchmark_rows"]
    assert says_compared_with(5, response.content.decode())

    by_county = adviser_client.get(
        reverse("reports:municipality", args=[VEGA]), {"peers": "county"}
    )
    # Nordland: the five peers, Hemnes and the latest shared round of nobody else.
    assert by_county.context["benchmark"].n == 6
    assert by_county.context["benchmark"].label == "Nordland"


def test_municipality_page_without_enough_peers(adviser_client, vega_round, bank_record):
    _add_peers(bank_record, 4)
    response = adviser_client.get(reverse("reports:municipality", args=[VEGA]))
    assert response.context["benchmark"] is None
    assert response.context["benchmark_rows"] == []
    assert not says_compared_with(4, response.content.decode())


# --- trends --------------------------------------------------------------------------------------


@pytest.fixture
def two_rounds(vega, bank_record):
    first = closed_round(vega, bank_record, levels=(2, 2), closed_at=later(0), period="2019-2023")
    second = closed_round(vega, bank_record, levels=(4, 3), closed_at=later(400))
    return first, second


def test_trend_gives_the_change_per_theme(adviser_client, two_rounds, bank_record):
    first, second = two_rounds
    response = adviser_client.get(reverse("reports:municipality", args=[VEGA]))
    assert [r.assessment_id for r in response.context["trend"]] == [first.pk, second.pk]
    _, theme_keys = bank_keys(bank_record)
    by_key = {row["key"]: row for row in response.context["rows"]}
    assert list(by_key) == theme_keys
    assert response.context["dropped"] == []
    old = ResultSnapshot.objects.get(assessment=first).scores["themes"]
    new = ResultSnapshot.objects.get(assessment=second).scores["themes"]
    for key in theme_keys:
        assert by_key[key]["values"] == [old[key], new[key]]
        # The change between the two shown values, shown the same way.
        assert by_key[key]["change"] == display_score(new[key]) - display_score(old[key])
    assert any(row["change"] for row in by_key.values())  # the levels differ
    assert not any(text in response.content.decode() for text in LEFT_OUT)


def test_trend_leaves_out_a_theme_missing_from_a_round(adviser_client, two_rounds, bank_record):
    first, _second = two_rounds
    _, theme_keys = bank_keys(bank_record)
    missing = theme_keys[-1]
    snapshot = ResultSnapshot.objects.get(assessment=first)
    del snapshot.scores["themes"][missing]  # as if an older bank had no such theme
    snapshot.bank_version = "0"
    snapshot.save()
    response = adviser_client.get(reverse("reports:municipality", args=[VEGA]))
    keys = [row["key"] for row in response.context["rows"]]
    assert missing not in keys
    assert keys == theme_keys[:-1]
    name = bank_record.parsed.theme(missing).name["nb"]
    assert response.context["dropped"] == [name]
    assert response.context["versions"] == ["0", bank_record.version]
    html = response.content.decode()
    assert any(text in html for text in LEFT_OUT)
    alert = html[html.index('class="ds-alert"') :]
    assert name in alert[: alert.index("</div>")]


def test_trend_for_a_single_round_has_no_change(adviser_client, vega_round):
    response = adviser_client.get(reverse("reports:municipality", args=[VEGA]))
    assert all(row["change"] is None for row in response.context["rows"])


# --- batch PDF export ---------------------------------------------------------------------------


def test_batch_pdf_export_of_two_municipalities(adviser_client, nils, vega, bank_record):
    closed_round(vega, bank_record, levels=(2, 4))
    closed_round(place(BINDAL), bank_record, levels=(4, 4))
    response = adviser_client.post(reverse("reports:adviser_export_start"), {"m": [VEGA, BINDAL]})
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:adviser_export", args=[export.pk])
    assert export.requested_by == nils
    assert export.numbers == [VEGA, BINDAL]
    assert export.status == ReportExport.Status.DONE
    assert export.done == export.total == 2
    assert export.finished_at is not None and export.error == ""

    status = adviser_client.get(
        reverse("reports:adviser_export", args=[export.pk]), {"format": "json"}
    )
    assert status.json() == {"status": "done", "done": 2, "total": 2}
    assert (
        adviser_client.get(reverse("reports:adviser_export", args=[export.pk])).status_code == 200
    )

    download = adviser_client.get(reverse("reports:adviser_export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        names = archive.namelist()
        assert len(names) == 2
        assert names[0].startswith(f"{VEGA}-vega-") and names[1].startswith(f"{BINDAL}-bindal-")
        for name in names:
            assert name.endswith(".pdf")
            assert archive.read(name).startswith(b"%PDF")


def test_batch_export_with_nothing_visible_goes_back(adviser_client, db):
    response = adviser_client.post(reverse("reports:adviser_export_start"), {"m": [VEGA]})
    assert response.url == reverse("reports:adviser_dashboard")
    assert not ReportExport.objects.exists()


def test_export_start_is_post_only(adviser_client, db):
    assert adviser_client.get(reverse("reports:adviser_export_start")).status_code == 405


# --- scale: a fixed number of queries ----------------------------------------------------------


def _scope(count: int) -> list[str]:
    """Nordland municipalities other than Vega (there are 40)."""
    return list(
        Municipality.objects.filter(county_number="18")
        .exclude(number=VEGA)
        .order_by("number")
        .values_list("number", flat=True)[:count]
    )


def _fill(bank_record, chosen):
    for i, number in enumerate(chosen):
        m = place(number)
        snapshot_round(m, bank_record, overall=30 + i % 50, closed_at=later(i))
        snapshot_round(m, bank_record, overall=35 + i % 50, closed_at=later(i + 1000))


def _queries(client, url, query=None) -> int:
    client.get(url, query or {})  # warm up: session, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("reports:adviser_dashboard", None),
        ("reports:adviser_dashboard", {"sort": "-overall", "county": "18"}),
        ("reports:api_dashboard", None),
        ("reports:adviser_dashboard_export", None),
    ],
)
def test_dashboard_queries_do_not_grow_with_municipalities(
    adviser_client, bank_record, django_assert_max_num_queries, name, query
):
    url = reverse(name, args=["csv"]) if name.endswith("_export") else reverse(name)
    everyone = _scope(40)
    _fill(bank_record, everyone[:5])
    few = _queries(adviser_client, url, query)
    _fill(bank_record, everyone[5:])
    if name == "reports:api_dashboard":
        assert adviser_client.get(url).json()["count"] == 40
    many = _queries(adviser_client, url, query)
    assert few == many
    with django_assert_max_num_queries(15):
        adviser_client.get(url, query or {})

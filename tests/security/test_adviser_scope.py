"""What an adviser may see: only closed rounds that a municipality in the adviser's counties
(or anywhere, for a national adviser) chose to share. Everything else is absent from lists
and a 404 on direct URLs; non-advisers get 403, anonymous visitors the login page."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import transaction
from django.urls import reverse

from assessment import services
from assessment.models import Assessment, Municipality, QuestionBank
from guidance.models import ActionPlanItem
from reports.models import ReportExport
from reports.storage import export_storage
from reports.tasks import export_reports
from tests.assessment.adviser_factories import (
    closed_round,
    later,
    make_adviser,
    read_csv,
    read_xlsx,
    snapshot_round,
)
from tests.factories import CoordinatorFactory, UserFactory

SECRET_COMMENT = "Hemmelig merknad fra en respondent"
VEGA, BINDAL, SOMNA, HEROY, UTSIRA = "1815", "1811", "1812", "1818", "1151"


@pytest.fixture
def nora(db):
    """Adviser for Nordland (county 18)."""
    return make_adviser("nora", counties=["18"])


@pytest.fixture
def nils(db):
    """National adviser."""
    return make_adviser("nils", national=True)


@pytest.fixture(scope="module")
def _world_rounds(django_db_setup, django_db_blocker):
    """Vega: shared and closed (with respondent comments). Bindal: shared and closed.
    Sømna (Nordland): closed, not shared. Herøy (Nordland): shared flag set, still open.
    Utsira (Rogaland): shared and closed.

    Built once for the module inside a transaction rolled back at the end; each test runs in
    a savepoint inside it (pytest-django's `db`), so what a test changes is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        vega = Municipality.objects.get(number=VEGA)
        utsira = Municipality.objects.get(number=UTSIRA)
        CoordinatorFactory(municipality=vega, user=UserFactory(username="alice"))
        CoordinatorFactory(municipality=utsira, user=UserFactory(username="bob"))
        bank_record = QuestionBank.objects.get(version="1")
        rounds = {
            VEGA: closed_round(vega, bank_record, levels=(3, 4), comment=SECRET_COMMENT),
            BINDAL: snapshot_round(
                Municipality.objects.get(number=BINDAL), bank_record, overall=61
            ),
            SOMNA: snapshot_round(
                Municipality.objects.get(number=SOMNA), bank_record, overall=44, share=False
            ),
            HEROY: snapshot_round(
                Municipality.objects.get(number=HEROY),
                bank_record,
                overall=50,
                status=Assessment.Status.OPEN,
            ),
            UTSIRA: closed_round(utsira, bank_record, levels=(2, 3)),
        }
        assert rounds[HEROY].shared_with_advisers and rounds[HEROY].is_open
        yield {key: assessment.pk for key, assessment in rounds.items()}
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_rounds, alice, bob):
    """The module's rounds, read fresh for each test (a test may change its copies)."""
    return {
        key: Assessment.objects.select_related("municipality").get(pk=pk)
        for key, pk in _world_rounds.items()
    }


def _get(client, name, *args, **query):
    namespace = "assessment" if name in ("detail", "respondents", "share", "intro") else "reports"
    return client.get(reverse(f"{namespace}:{name}", args=args), query)


def _dashboard_numbers(client, **query) -> list[str]:
    return [r.number for r in _get(client, "adviser_dashboard", **query).context["data"].rows]


def _json_numbers(client, **query) -> list[str]:
    response = _get(client, "api_dashboard", **query)
    assert response.status_code == 200
    return [m["number"] for m in response.json()["municipalities"]]


# --- what a county adviser sees -------------------------------------------------------


def test_county_adviser_sees_shared_closed_rounds_in_county_only(client, nora, world):
    client.force_login(nora)
    assert _dashboard_numbers(client) == [BINDAL, VEGA]  # sorted by name
    assert _json_numbers(client) == [BINDAL, VEGA]
    assert _get(client, "api_dashboard").json()["count"] == 2
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        rows = read(_get(client, "adviser_dashboard_export", fmt).content)
        assert [str(r[0]) for r in rows[1:]] == [BINDAL, VEGA], fmt


def test_county_filter_cannot_widen_scope(client, nora, world):
    client.force_login(nora)
    assert _dashboard_numbers(client, county="11") == []
    assert _json_numbers(client, county="11") == []
    rows = read_csv(_get(client, "adviser_dashboard_export", "csv", county="11").content)
    assert rows[1:] == []


def test_county_adviser_opens_vega_results_pdf_and_municipality_page(client, nora, world):
    client.force_login(nora)
    vega_round = world[VEGA]
    assert _get(client, "results", vega_round.pk).status_code == 200
    pdf = _get(client, "report_pdf", vega_round.pk)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    page = _get(client, "municipality", VEGA)
    assert page.status_code == 200
    assert [r.assessment_id for r in page.context["trend"]] == [vega_round.pk]


def test_county_adviser_compares_only_visible_rounds(client, nora, world):
    client.force_login(nora)
    response = client.get(
        reverse("reports:adviser_compare"), {"m": [VEGA, BINDAL, SOMNA, HEROY, UTSIRA]}
    )
    assert [a.municipality_id for a in response.context["rounds"]] == [VEGA, BINDAL]
    assert {m.number for m in response.context["choices"]} == {VEGA, BINDAL}
    assert response.context["chart"]
    header = response.context["table"][0]
    assert header[1:] == ["Vega", "Bindal"]
    content = response.content.decode()
    assert "Utsira" not in content and "Sømna" not in content and "Herøy" not in content

    only_hidden = client.get(reverse("reports:adviser_compare"), {"m": [VEGA, UTSIRA]})
    assert [a.municipality_id for a in only_hidden.context["rounds"]] == [VEGA]
    assert only_hidden.context["error"] and not only_hidden.context["chart"]

    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        export = client.get(
            reverse("reports:adviser_compare_export", args=[fmt]),
            {"m": [VEGA, BINDAL, UTSIRA, SOMNA]},
        )
        assert read(export.content)[0][1:] == ["Vega", "Bindal"], fmt


@pytest.mark.parametrize("hidden", [SOMNA, HEROY, UTSIRA])
@pytest.mark.parametrize("name", ["results", "report_pdf", "workshop"])
def test_rounds_outside_scope_are_404(client, nora, world, hidden, name):
    client.force_login(nora)
    assert _get(client, name, world[hidden].pk).status_code == 404


@pytest.mark.parametrize("hidden", [SOMNA, HEROY, UTSIRA, "9999"])
def test_municipality_page_outside_scope_is_404(client, nora, world, hidden):
    client.force_login(nora)
    assert _get(client, "municipality", hidden).status_code == 404


def test_batch_export_of_an_out_of_scope_municipality_makes_nothing(client, nora, world):
    client.force_login(nora)
    response = client.post(reverse("reports:adviser_export_start"), {"m": [UTSIRA, SOMNA]})
    assert response.status_code == 302
    assert response.url == reverse("reports:adviser_dashboard")
    assert not ReportExport.objects.exists()


def test_batch_export_leaves_out_of_scope_municipalities_out(client, nora, world):
    client.force_login(nora)
    # The immediate task backend runs the export inside the request.
    client.post(reverse("reports:adviser_export_start"), {"m": [UTSIRA, VEGA, HEROY]})
    export = ReportExport.objects.get()
    assert export.numbers == [VEGA]
    assert export.status == ReportExport.Status.DONE
    assert (export.done, export.total) == (1, 1)
    download = client.get(reverse("reports:adviser_export_download", args=[export.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        names = archive.namelist()
    assert len(names) == 1 and names[0].startswith(f"{VEGA}-vega-")


# --- national adviser -------------------------------------------------------------------


def test_national_adviser_sees_both_counties(client, nils, world):
    client.force_login(nils)
    assert _dashboard_numbers(client) == [BINDAL, UTSIRA, VEGA]
    assert _json_numbers(client) == [BINDAL, UTSIRA, VEGA]
    for number in (VEGA, UTSIRA):
        assert _get(client, "results", world[number].pk).status_code == 200
        assert _get(client, "municipality", number).status_code == 200
    for hidden in (SOMNA, HEROY):
        assert _get(client, "results", world[hidden].pk).status_code == 404
    response = client.get(reverse("reports:adviser_compare"), {"m": [VEGA, UTSIRA]})
    assert [a.municipality_id for a in response.context["rounds"]] == [VEGA, UTSIRA]


# --- non-advisers ---------------------------------------------------------------------------


def _adviser_urls(export_pk):
    return [
        reverse("reports:adviser_dashboard"),
        reverse("reports:adviser_dashboard_export", args=["csv"]),
        reverse("reports:adviser_dashboard_export", args=["xlsx"]),
        reverse("reports:adviser_compare") + f"?m={VEGA}&m={BINDAL}",
        reverse("reports:adviser_compare_export", args=["csv"]) + f"?m={VEGA}&m={BINDAL}",
        reverse("reports:adviser_compare_export", args=["xlsx"]) + f"?m={VEGA}&m={BINDAL}",
        reverse("reports:adviser_export", args=[export_pk]),
        reverse("reports:adviser_export", args=[export_pk]) + "?format=json",
        reverse("reports:adviser_export_download", args=[export_pk]),
    ]


@pytest.fixture
def nora_export(client, nora, world):
    client.force_login(nora)
    client.post(reverse("reports:adviser_export_start"), {"m": [VEGA]})
    client.logout()
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.DONE
    return export


@pytest.mark.parametrize("who", ["charlie", "alice"])
def test_logged_in_non_adviser_gets_403(client, charlie, alice, nora_export, who):
    client.force_login({"charlie": charlie, "alice": alice}[who])
    for url in _adviser_urls(nora_export.pk):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("reports:adviser_export_start"), {"m": [VEGA]})
    assert response.status_code == 403
    assert ReportExport.objects.count() == 1
    api = _get(client, "api_dashboard")
    assert api.status_code == 403
    assert api.json() == {"error": "forbidden"}


def test_anonymous_is_sent_to_login(client, nora_export):
    login = reverse("login")
    for url in [*_adviser_urls(nora_export.pk), reverse("reports:api_dashboard")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    response = client.post(reverse("reports:adviser_export_start"), {"m": [VEGA]})
    assert response.status_code == 302 and response.url.startswith(login)


def test_anonymous_api_returns_no_data(client, world):
    response = _get(client, "api_dashboard")
    assert response.status_code != 200
    assert b"municipalities" not in response.content and b"Vega" not in response.content


def test_api_is_read_only(client, nora, world):
    client.force_login(nora)
    assert client.post(reverse("reports:api_dashboard")).status_code == 405


# --- what advisers never see or do ------------------------------------------------------------


def test_adviser_never_sees_respondent_comments(client, alice, nora, world):
    url = reverse("reports:results", args=[world[VEGA].pk])
    client.force_login(alice)
    coordinator_page = client.get(url)
    assert SECRET_COMMENT in coordinator_page.content.decode()  # the test means something

    client.force_login(nora)
    adviser_page = client.get(url)
    assert adviser_page.status_code == 200
    assert adviser_page.context["comments"] == []
    assert adviser_page.context["is_coordinator"] is False
    assert SECRET_COMMENT not in adviser_page.content.decode()


def test_adviser_cannot_edit_the_action_plan(client, nora, world):
    client.force_login(nora)
    url = reverse("reports:action_plan", args=[world[VEGA].pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(
        url,
        {
            "plan-TOTAL_FORMS": "1",
            "plan-INITIAL_FORMS": "0",
            "plan-0-what": "Adviser was here",
            "plan-0-who": "Nora",
        },
    )
    assert response.status_code in (403, 404)
    assert not ActionPlanItem.objects.filter(assessment=world[VEGA]).exists()


@pytest.mark.parametrize("name", ["respondents", "detail", "share"])
def test_adviser_cannot_open_coordinator_pages(client, nora, world, name):
    client.force_login(nora)
    assert _get(client, name, world[VEGA].pk).status_code == 404


def test_adviser_cannot_unshare_or_close(client, nora, world):
    client.force_login(nora)
    vega_round = world[VEGA]
    unshare = client.post(reverse("assessment:share", args=[vega_round.pk]), {"share": "no"})
    assert unshare.status_code == 404
    assert (
        client.post(
            reverse("reports:close", args=[world[HEROY].pk]), {"confirm": "yes"}
        ).status_code
        == 404
    )
    vega_round.refresh_from_db()
    assert vega_round.shared_with_advisers


# --- consent withdrawn ----------------------------------------------------------------------


def test_unsharing_removes_access_immediately(client, alice, nora, world):
    vega_round = world[VEGA]
    client.force_login(nora)
    assert _get(client, "results", vega_round.pk).status_code == 200

    client.force_login(alice)
    response = client.post(reverse("assessment:share", args=[vega_round.pk]), {"share": "no"})
    assert response.status_code == 302
    vega_round.refresh_from_db()
    assert not vega_round.shared_with_advisers and vega_round.shared_at is None

    client.force_login(nora)
    assert _get(client, "results", vega_round.pk).status_code == 404
    assert _get(client, "report_pdf", vega_round.pk).status_code == 404
    assert _get(client, "municipality", VEGA).status_code == 404
    assert _dashboard_numbers(client) == [BINDAL]
    assert _json_numbers(client) == [BINDAL]
    compare = client.get(reverse("reports:adviser_compare"), {"m": [VEGA, BINDAL]})
    assert [a.municipality_id for a in compare.context["rounds"]] == [BINDAL]
    client.post(reverse("reports:adviser_export_start"), {"m": [VEGA]})
    assert not ReportExport.objects.exists()


def test_unsharing_falls_back_to_the_previous_shared_round(client, nora, world, vega, bank_record):
    """Withdrawing consent for the newest round leaves the older shared one visible."""
    old = world[VEGA]
    Assessment.objects.filter(pk=old.pk).update(closed_at=later(0))
    new = closed_round(vega, bank_record, levels=(5, 5), closed_at=later(30))
    client.force_login(nora)
    (row,) = [r for r in _get(client, "adviser_dashboard").context["data"].rows if r.number == VEGA]
    assert row.assessment_id == new.pk and row.rounds == 2

    services.assessment_share(assessment=new, share=False)
    (row,) = [r for r in _get(client, "adviser_dashboard").context["data"].rows if r.number == VEGA]
    assert row.assessment_id == old.pk and row.rounds == 1 and row.change is None
    assert _get(client, "results", new.pk).status_code == 404
    assert _get(client, "results", old.pk).status_code == 200


def test_export_run_rechecks_visibility(nora, world):
    """A round unshared between the request and the background run is left out."""
    export = ReportExport.objects.create(requested_by=nora, numbers=[VEGA, BINDAL], total=2)
    services.assessment_share(assessment=world[VEGA], share=False)
    services.assessment_share(assessment=world[BINDAL], share=False)
    export_reports.call(str(export.pk))
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    assert (export.done, export.total) == (0, 0)
    with export_storage().open(export.file) as handle, zipfile.ZipFile(handle) as archive:
        assert archive.namelist() == []


def test_adviser_cannot_reach_another_advisers_export(client, nils, nora_export):
    client.force_login(nils)  # national: would see the round itself, but not Nora's export
    for name in ("adviser_export", "adviser_export_download"):
        assert _get(client, name, nora_export.pk).status_code == 404
    assert _get(client, "adviser_export", nora_export.pk, format="json").status_code == 404

"""The two-person rule on every output surface (assessment/privacy.py, docs/method.md).

Two politicians answer everything at the top (every theme 100 from them) and one lone
administrator answers everything at the bottom (0). If the lone administrator entered any
figure, themes would read 67 ((100 + 100 + 0) / 3) and the administration 0. Each test reads
one surface for the real round (Vega) and for a control round (Træna) closed with the rule
switched off: the control must show 67, so each check is shown able to fail, and Vega must not.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import replace

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment import selectors, services
from assessment.models import Adviser, Assessment, Municipality, QuestionBank
from assessment.scoring import RoleGroup
from reports import services as reports_services
from reports.report import build_report
from tests.factories import CoordinatorFactory, UserFactory, answer_everything

POL, ADM = RoleGroup.POLITICIAN, RoleGroup.ADMINISTRATION
LEAK = 67  # what a theme would read with the lone administrator in it


def has_number(text: str, number: int) -> bool:
    return re.search(rf"(?<![\d.,]){number}(?![\d.,])", text) is not None


def page_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _round(place: Municipality, coordinator, *, rule: bool, monkeypatch) -> Assessment:
    bank = QuestionBank.objects.get(version="1")
    assessment = Assessment.objects.create(
        municipality=place, bank=bank, period="2023-2027", created_by=coordinator
    )
    answer_everything(assessment, POL, 5, comment="politicians' comment")
    answer_everything(assessment, POL, 5, comment="politicians' comment")
    answer_everything(assessment, ADM, 1, comment="LONE-ADMIN-COMMENT")
    with monkeypatch.context() as patch:
        if not rule:  # the control: as if groups of one were shown
            parsed = bank.parsed
            patch.setitem(parsed.__dict__, "spec", replace(parsed.spec, min_group_size=1))
        reports_services.round_close(assessment=assessment)
    services.assessment_share(assessment=assessment, share=True)
    return assessment


@pytest.fixture
def world(db, monkeypatch):
    vega = Municipality.objects.get(number="1815")
    traena = Municipality.objects.get(number="1835")
    coordinator = UserFactory(username="kari")
    for place in (vega, traena):
        CoordinatorFactory(municipality=place, user=coordinator)
    real = _round(vega, coordinator, rule=True, monkeypatch=monkeypatch)
    leaky = _round(traena, coordinator, rule=False, monkeypatch=monkeypatch)
    adviser = UserFactory(username="rita")
    Adviser.objects.create(user=adviser, counties=["18"])
    return {"real": real, "leaky": leaky, "coordinator": coordinator, "adviser": adviser}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _both(world, fetch):
    """fetch(assessment) -> text, for the real round and the leaky control."""
    return fetch(world["real"]), fetch(world["leaky"])


def _assert_rule_holds(real: str, leaky: str) -> None:
    assert has_number(leaky, LEAK), "the control should leak: the check cannot fail otherwise"
    assert not has_number(real, LEAK), "a figure includes the lone administrator"
    assert has_number(real, 100)


def test_profile_itself(world):
    real = selectors.assessment_profile(world["real"])
    assert real.held_back == {"administration": 1}
    assert real.respondents == 2
    assert {t.score for t in real.themes if t.score is not None} == {100.0}
    assert all(g.role == "politician" for t in real.themes for g in t.groups)


def test_results_page(world):
    client = _client(world["coordinator"])
    real, leaky = _both(
        world,
        lambda a: page_text(
            client.get(reverse("reports:results", kwargs={"pk": a.pk})).content.decode()
        ),
    )
    _assert_rule_holds(real, leaky)
    assert "LONE-ADMIN-COMMENT" not in real


def test_results_page_comments(world):
    client = _client(world["coordinator"])
    body = client.get(reverse("reports:results", kwargs={"pk": world["real"].pk}))
    text = body.content.decode()
    assert "politicians&#x27; comment" in text or "politicians' comment" in text
    assert "LONE-ADMIN-COMMENT" not in text


def test_workshop_view(world):
    client = _client(world["coordinator"])
    real, leaky = _both(
        world,
        lambda a: page_text(
            client.get(reverse("reports:workshop", kwargs={"pk": a.pk})).content.decode()
        ),
    )
    _assert_rule_holds(real, leaky)


def _pdf_text(client, assessment) -> str:
    response = client.get(reverse("reports:report_pdf", kwargs={"pk": assessment.pk}))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_pdf_report_and_its_answers_appendix(world):
    client = _client(world["adviser"])
    real, leaky = _both(world, lambda a: _pdf_text(client, a))
    _assert_rule_holds(real, leaky)
    # The appendix counts answers per question: none from the lone administrator.
    report = build_report(world["real"])
    admin_only = {
        q.key
        for q in world["real"].bank.parsed.questions.values()
        if q.audience.value == "administration"
    }
    assert admin_only
    profile = selectors.assessment_profile(world["real"])
    assert not admin_only & set(profile.answer_counts)
    assert all("1" not in counts for counts in profile.answer_counts.values())
    assert report.answers


def _api(client) -> dict:
    response = client.get(reverse("reports:api_dashboard"))
    assert response.status_code == 200
    return {row["number"]: row for row in response.json()["municipalities"]}


def test_adviser_json_api(world):
    rows = _api(_client(world["adviser"]))
    real, leaky = json.dumps(rows["1815"]), json.dumps(rows["1835"])
    assert rows["1835"]["overall"] == pytest.approx(200 / 3)
    assert rows["1815"]["overall"] == 100
    _assert_rule_holds(real.replace(".0", ""), re.sub(r"66\.6+\d*", "67", leaky))


def _export(client, name: str, fmt: str, query: str = "") -> list[list[str]]:
    response = client.get(reverse(name, kwargs={"fmt": fmt}) + query)
    assert response.status_code == 200, response
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [
        [str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
    ]


def _row(rows: list[list[str]], needle: str) -> str:
    [row] = [r for r in rows if needle in r]
    return " ".join(
        cell.replace(",", ".").split(".")[0] if cell[:1].isdigit() else cell for cell in row
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dashboard_exports(world, fmt):
    rows = _export(_client(world["adviser"]), "reports:adviser_dashboard_export", fmt)
    real, leaky = _row(rows, "Vega"), _row(rows, "Træna")
    _assert_rule_holds(real, leaky.replace("66", "67"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_compare_exports(world, fmt):
    rows = _export(
        _client(world["adviser"]), "reports:adviser_compare_export", fmt, "?m=1815&m=1835"
    )
    vega_column = rows[0].index(next(c for c in rows[0] if "Vega" in c))
    traena_column = rows[0].index(next(c for c in rows[0] if "Træna" in c))
    real = " ".join(r[vega_column] for r in rows[1:])
    leaky = " ".join(r[traena_column] for r in rows[1:])
    norm = lambda s: re.sub(r"66[.,]\d+", "67", s).replace(",0", "").replace(".0", "")  # noqa: E731
    _assert_rule_holds(norm(real), norm(leaky))


def test_adviser_dashboard_page(world):
    html = _client(world["adviser"]).get(reverse("reports:adviser_dashboard")).content.decode()
    rows = {
        name: page_text(row)
        for row in html.split("<tr")[1:]
        for name in ("Vega", "Træna")
        if f">{name}<" in row
    }
    _assert_rule_holds(rows["Vega"], rows["Træna"])


def test_compare_page(world):
    html = (
        _client(world["adviser"])
        .get(reverse("reports:adviser_compare") + "?m=1815&m=1835")
        .content.decode()
    )
    table = page_text(html)
    real_only = _client(world["adviser"]).get(reverse("reports:adviser_compare") + "?m=1815")
    assert has_number(table, LEAK)  # Træna's control column
    assert not has_number(page_text(real_only.content.decode()), LEAK)


def test_trends_page(world):
    client = _client(world["adviser"])
    real, leaky = _both(
        world,
        lambda a: page_text(
            client.get(
                reverse("reports:municipality", kwargs={"number": a.municipality.number})
            ).content.decode()
        ),
    )
    _assert_rule_holds(real, leaky)


def test_benchmark_reads_only_frozen_privacy_safe_figures(world):
    """Peer benchmarks are built from snapshots' headline figures, which are the profile's:
    the lone administrator is in none of them."""
    snapshot = world["real"].snapshot
    assert snapshot.overall == 100
    assert set(snapshot.scores["themes"].values()) <= {100.0, None}


def test_assess_file_json(world, tmp_path, capsys):
    bank = world["real"].bank.parsed
    answers = {q.key: 5 for q in bank.questions.values() if q.kind.value == "scale"}
    lone = {q.key: 1 for q in bank.questions.values() if q.kind.value == "scale"}
    path = tmp_path / "answers.json"
    path.write_text(
        json.dumps(
            {
                "municipality": "1815",
                "bank_version": "1",
                "respondents": [
                    {"role": "politician", "answers": answers},
                    {"role": "politician", "answers": answers},
                    {"role": "administration", "answers": lone},
                ],
            }
        )
    )
    call_command("assess_file", str(path), "--json", str(tmp_path / "out.json"))
    profile = json.loads(capsys.readouterr().out)["profile"]
    assert profile["held_back"] == {"administration": 1}
    assert all(c.get("1") is None for c in profile["answer_counts"].values())


# --- an open round: the differencing attack -------------------------------------------------


def test_open_round_differencing_recovers_nothing(db, alice, vega_assessment, bank):
    """Reading the results before and after one more submission must not give that person's
    answers (3 x after - 2 x before). An open round shows no figures at all, so there is
    nothing to subtract; and the results, workshop and PDF show the same before and after."""
    client = _client(alice)
    answer_everything(vega_assessment, POL, 3)
    answer_everything(vega_assessment, POL, 4)

    def read():
        out = {}
        for name in ("reports:results", "reports:workshop"):
            response = client.get(reverse(name, kwargs={"pk": vega_assessment.pk}))
            view = response.context["view"]
            out[name] = (
                view.overall,
                [t.score for t in view.themes],
                [(g.politicians, g.administration) for g in view.gaps],
                view.answers,
            )
        pdf = client.get(reverse("reports:report_pdf", kwargs={"pk": vega_assessment.pk}))
        out["pdf"] = (pdf.status_code, pdf.get("Location"))
        out["api"] = _api_rows_for_adviser(vega_assessment)
        return out

    before = read()
    answer_everything(vega_assessment, POL, 1)  # the newcomer
    after = read()
    assert before == after
    overall, themes, gaps, answers = after["reports:results"]
    assert overall is None and set(themes) == {None} and gaps == [] and answers == ()
    assert after["pdf"][0] == 302  # no report for an open round


def _api_rows_for_adviser(assessment) -> list:
    adviser = UserFactory(username="open-round-adviser")
    Adviser.objects.get_or_create(user=adviser, defaults={"national": True})
    assessment.shared_with_advisers = True  # even if sharing were switched on early
    assessment.save(update_fields=["shared_with_advisers"])
    rows = _api(_client(adviser))
    return [rows.get(assessment.municipality.number)]


def test_lone_respondent_in_a_closed_shared_round_is_in_no_figure(db, alice, vega_assessment):
    answer_everything(vega_assessment, POL, 4)
    reports_services.round_close(assessment=vega_assessment)
    services.assessment_share(assessment=vega_assessment, share=True)
    adviser = UserFactory(username="rita")
    Adviser.objects.create(user=adviser, counties=["18"])
    row = _api(_client(adviser))["1815"]
    assert row["overall"] is None
    assert set(row["themes"].values()) <= {None}
    assert set(row["dimensions"].values()) <= {None}
    profile = selectors.assessment_profile(vega_assessment)
    assert profile.answer_counts == {} and profile.number_medians == {}
    assert profile.held_back == {"politician": 1}

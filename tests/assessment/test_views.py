import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment import selectors
from assessment.models import Assessment, AuditEvent, Coordinator, Municipality
from assessment.scoring import RoleGroup
from reports import services as reports_services
from tests.assessment.wizard_helpers import complete_all_steps, step_url
from tests.factories import CoordinatorFactory, answer_everything


def test_landing_page_for_visitors(client, db):
    response = client.get(reverse("assessment:home"))
    assert response.status_code == 200
    assert reverse("login") in response.content.decode()


def test_login_page_and_wrong_password(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("query", ["vega", "VEG", "1815", "181", " Vega "])
def test_search_by_name_or_number(client, charlie, query):
    client.force_login(charlie)
    response = client.get(reverse("assessment:start"), {"q": query})
    names = [m.name for m in response.context["results"]]
    assert "Vega" in names


def test_search_without_match_says_so(client, charlie):
    client.force_login(charlie)
    response = client.get(reverse("assessment:start"), {"q": "Atlantis"})
    assert list(response.context["results"]) == []


def test_nobody_gets_a_municipality_by_being_first(client, charlie, db):
    """A municipality with no coordinator cannot be claimed: the page says how to ask."""
    client.force_login(charlie)
    url = reverse("assessment:create", kwargs={"number": "1856"})
    for response in (
        client.get(url),
        client.post(url, {"period": "2023-2027", "round": "midterm", "label": ""}),
    ):
        assert response.status_code == 403
        assert reverse("assessment:access_request") + "?kommune=1856" in response.content.decode()
    assert not Assessment.objects.exists()
    assert not Coordinator.objects.filter(user=charlie).exists()


def test_a_coordinator_starts_a_round(client, alice, db):
    client.force_login(alice)
    response = client.post(
        reverse("assessment:create", kwargs={"number": "1815"}),
        {"period": "2023-2027", "round": "midterm", "label": ""},
    )
    assessment = Assessment.objects.get(municipality__number="1815")
    assert response.url == reverse("assessment:detail", kwargs={"pk": assessment.pk})
    assert assessment.bank.version == "2"  # the newest published bank


@pytest.mark.parametrize("period", ["2023", "2023-2025", "abcd-efgh", ""])
def test_bad_period_is_refused_with_a_message(client, alice, period):
    client.force_login(alice)
    response = client.post(
        reverse("assessment:create", kwargs={"number": "1815"}),
        {"period": period, "round": "baseline"},
    )
    assert response.status_code == 200
    assert "period" in response.context["form"].errors
    assert not Assessment.objects.exists()


def test_large_municipality_is_allowed_with_a_note(client, charlie):
    for number in ("1856", "0301"):
        CoordinatorFactory(user=charlie, municipality=Municipality.objects.get(number=number))
    client.force_login(charlie)
    small = client.get(reverse("assessment:create", kwargs={"number": "1856"}))
    large = client.get(reverse("assessment:create", kwargs={"number": "0301"}))
    assert small.context["municipality"].is_small is True
    assert "ds-alert" not in small.content.decode()
    assert large.context["municipality"].is_small is False
    assert "ds-alert" in large.content.decode()
    response = client.post(
        reverse("assessment:create", kwargs={"number": "0301"}),
        {"period": "2023-2027", "round": "baseline"},
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(municipality__number="0301").exists()


def test_threshold_is_a_setting(client, charlie, settings):
    settings.PLANPROFIL_SMALL_MUNICIPALITY_THRESHOLD = 800_000
    CoordinatorFactory(user=charlie, municipality=Municipality.objects.get(number="0301"))
    client.force_login(charlie)
    large = client.get(reverse("assessment:create", kwargs={"number": "0301"}))
    assert large.context["municipality"].is_small is True


def test_unknown_municipality_is_404(client, charlie):
    client.force_login(charlie)
    assert client.get(reverse("assessment:create", kwargs={"number": "9999"})).status_code == 404


def test_results_page_matches_profile_and_has_chart_alternatives(
    client, alice, vega_assessment, bank
):
    client.force_login(alice)
    complete_all_steps(client, vega_assessment, bank, RoleGroup.ADMINISTRATION, level=3)
    client.get(step_url(vega_assessment, "send"))
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 4)
    reports_services.round_close(assessment=vega_assessment)
    response = client.get(reverse("reports:results", kwargs={"pk": vega_assessment.pk}))
    view = response.context["view"]
    body = response.content.decode()
    assert view.respondents == 2
    assert 0 <= view.overall <= 100
    # Every theme is in the data table with its score, and both charts carry a <title>.
    for theme in view.themes:
        assert f'<th scope="row">{theme.name}</th>' in body
    assert body.count('role="img"') == 2
    assert '<title id="theme-bars-title">' in body
    assert len(view.strengths) == 3 and len(view.development_areas) == 3
    assert min(t.score for t in view.strengths) >= max(t.score for t in view.development_areas)


def test_results_before_anyone_submits(client, alice, vega_assessment):
    client.force_login(alice)
    response = client.get(reverse("reports:results", kwargs={"pk": vega_assessment.pk}))
    assert response.status_code == 200
    assert response.context["view"].has_scores is False


def test_closing_is_when_figures_are_computed_and_frozen(client, alice, vega_assessment, bank):
    client.force_login(alice)
    complete_all_steps(client, vega_assessment, bank, RoleGroup.ADMINISTRATION, level=2)
    client.get(step_url(vega_assessment, "send"))
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 3)
    before = client.get(reverse("reports:results", kwargs={"pk": vega_assessment.pk}))
    assert before.context["view"].has_scores is False  # an open round shows no figures
    expected = selectors.final_profile(vega_assessment)
    client.post(reverse("reports:close", kwargs={"pk": vega_assessment.pk}), {"confirm": "yes"})
    vega_assessment.refresh_from_db()
    assert vega_assessment.snapshot.bank_version == "1"
    assert vega_assessment.snapshot.profile == json.loads(json.dumps(expected.to_dict()))
    after = client.get(reverse("reports:results", kwargs={"pk": vega_assessment.pk}))
    a = after.context["view"]
    assert a.has_scores
    assert vega_assessment.snapshot.library_version == "1"
    assert [r["key"] for r in vega_assessment.snapshot.recommendations["recommendations"]] == [
        r.key for r in a.recommendations
    ]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ROUND_CLOSED, assessment=vega_assessment, actor=alice
    ).exists()


def test_close_without_submissions_is_refused(client, alice, vega_assessment):
    client.force_login(alice)
    client.post(reverse("reports:close", kwargs={"pk": vega_assessment.pk}), {"confirm": "yes"})
    vega_assessment.refresh_from_db()
    assert vega_assessment.status == Assessment.Status.OPEN


def test_demo_command_creates_a_closed_assessment_and_login(client, db):
    call_command("load_demo", force=True, verbosity=0)  # tests run with DEBUG off
    call_command("load_demo", force=True, verbosity=0)  # idempotent
    rounds = Assessment.objects.filter(municipality__number="1815").order_by("closed_at")
    assert [a.period for a in rounds] == ["2019-2023", "2023-2027"]
    assessment = rounds.last()
    assert assessment.status == Assessment.Status.CLOSED
    assert assessment.shared_with_advisers
    assert assessment.respondents.filter(submitted_at__isnull=False).count() == 6
    # Peers for the adviser dashboard and benchmarks: at least five shared rounds.
    shared = Assessment.objects.filter(
        municipality__county_number="18", shared_with_advisers=True, status="closed"
    ).exclude(municipality__number="1815")
    assert shared.count() >= 5
    assert (
        client.post(reverse("login"), {"username": "demo", "password": "planprofil-demo"})
    ).status_code == 302
    response = client.get(reverse("reports:results", kwargs={"pk": assessment.pk}))
    assert response.context["view"].has_scores


@pytest.mark.parametrize(
    ("query", "name"),
    [("TRÆNA", "Træna"), ("træna", "Træna"), ("trae", "Træna"), ("RØST", "Røst"), ("rost", "Røst")],
)
def test_search_folds_case_and_norwegian_letters(client, charlie, query, name):
    client.force_login(charlie)
    response = client.get(reverse("assessment:start"), {"q": query})
    assert name in [m.name for m in response.context["results"]]

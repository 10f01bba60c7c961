"""Every assessment URL against every persona: Vega's coordinator, Utsira's, an outsider and
an anonymous visitor. Another municipality's data is a 404, never a 403 that confirms it."""

import pytest
from django.urls import reverse

from assessment.models import Assessment, Coordinator

URLS = [
    ("assessment:detail", {}),
    ("reports:results", {}),
    ("assessment:intro", {}),
    ("assessment:wizard", {}),
    ("assessment:wizard_step", {"step": "planning_strategy"}),
    ("assessment:wizard_step", {"step": "kontroll"}),
]


def _url(name, assessment, extra):
    return reverse(name, kwargs={"pk": assessment.pk, **extra})


@pytest.mark.parametrize(("name", "extra"), URLS)
def test_anonymous_is_sent_to_login(client, vega_assessment, name, extra):
    response = client.get(_url(name, vega_assessment, extra))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "extra"), URLS)
def test_other_municipality_gets_404(client, bob, vega_assessment, name, extra):
    client.force_login(bob)
    assert client.get(_url(name, vega_assessment, extra)).status_code == 404


@pytest.mark.parametrize(("name", "extra"), URLS)
def test_outsider_gets_404(client, charlie, vega_assessment, name, extra):
    client.force_login(charlie)
    assert client.get(_url(name, vega_assessment, extra)).status_code == 404


@pytest.mark.parametrize(("name", "extra"), URLS)
def test_own_coordinator_gets_in(client, alice, vega_assessment, name, extra):
    client.force_login(alice)
    client.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}), {"role_group": "politician"}
    )
    assert client.get(_url(name, vega_assessment, extra), follow=True).status_code == 200


def test_other_coordinator_cannot_close_or_post(client, bob, vega_assessment):
    client.force_login(bob)
    assert (
        client.post(
            reverse("reports:close", kwargs={"pk": vega_assessment.pk}), {"confirm": "yes"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}),
            {"role_group": "politician"},
        ).status_code
        == 404
    )
    vega_assessment.refresh_from_db()
    assert vega_assessment.status == Assessment.Status.OPEN
    assert not vega_assessment.respondents.exists()


def test_home_lists_only_own_municipality(client, alice, bob, vega_assessment, utsira_assessment):
    client.force_login(alice)
    listed = list(client.get(reverse("assessment:home")).context["assessments"])
    assert listed == [vega_assessment]
    client.force_login(bob)
    listed = list(client.get(reverse("assessment:home")).context["assessments"])
    assert listed == [utsira_assessment]


def test_cannot_start_for_a_municipality_with_another_coordinator(client, charlie, alice, vega):
    client.force_login(charlie)
    response = client.post(
        reverse("assessment:create", kwargs={"number": vega.number}),
        {"period": "2023-2027", "round": "baseline"},
    )
    assert response.status_code == 403
    assert not Assessment.objects.filter(created_by=charlie).exists()
    assert not Coordinator.objects.filter(user=charlie).exists()


def test_closing_asks_first_and_says_who_is_mid_wizard(client, alice, vega_assessment):
    from assessment.models import Respondent
    from assessment.scoring import RoleGroup
    from tests.factories import answer_everything

    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 3)
    Respondent.objects.create(assessment=vega_assessment, role_group="administration")
    client.force_login(alice)
    url = reverse("reports:close", kwargs={"pk": vega_assessment.pk})
    for response in (client.get(url), client.post(url), client.post(url, {"confirm": "no"})):
        assert response.status_code == 200
        assert "reports/close_confirm.html" in [t.name for t in response.templates]
        assert response.context["in_progress"] == 1
        assert [row["role"] for row in response.context["too_small"]] == ["politician"]
    vega_assessment.refresh_from_db()
    assert vega_assessment.is_open
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    vega_assessment.refresh_from_db()
    assert not vega_assessment.is_open


def test_the_shared_personas_see_what_their_role_allows(
    client, respondent, staff, adviser_in_scope, adviser_elsewhere, vega_assessment
):
    """The cast in tests/conftest.py, each on the round's detail page (coordinators only)."""
    url = reverse("assessment:detail", kwargs={"pk": vega_assessment.pk})
    assert respondent.get(url).status_code == 302  # no account: to the login page
    for user in (staff, adviser_in_scope, adviser_elsewhere):
        client.force_login(user)
        assert client.get(url).status_code == 404
    respondent_page = respondent.get(
        reverse("assessment:response", kwargs={"pk": vega_assessment.pk})
    )
    assert respondent_page.status_code == 200

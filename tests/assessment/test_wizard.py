import pytest
from django.urls import reverse

from assessment.models import Answer, Respondent, ThemeComment
from assessment.scoring import RoleGroup
from tests.assessment.wizard_helpers import (
    complete_all_steps,
    management,
    post_step,
    step_url,
)
from tests.factories import PASSWORD

ADM = RoleGroup.ADMINISTRATION
POL = RoleGroup.POLITICIAN


@pytest.fixture
def client_alice(client, alice):
    client.force_login(alice)
    return client


def _login_by_form(client):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def _join(client, assessment, role=ADM):
    return client.post(
        reverse("assessment:intro", kwargs={"pk": assessment.pk}), {"role_group": role.value}
    )


def test_intro_explains_and_asks_for_role(client_alice, vega_assessment, bank):
    response = client_alice.get(reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{len(bank.themes)}" in body
    assert 'name="role_group"' in body


def test_intro_without_role_shows_error(client_alice, vega_assessment):
    response = client_alice.post(reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}), {})
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not Respondent.objects.exists()


def test_joining_starts_at_first_step(client_alice, vega_assessment):
    response = _join(client_alice, vega_assessment)
    assert response.status_code == 302
    response = client_alice.get(response.url)
    assert response.status_code == 302
    assert response.url == step_url(vega_assessment, "planning_strategy")
    page = client_alice.get(response.url)
    assert page.status_code == 200
    assert page.context["step_number"] == 1
    assert page.context["step_total"] == 14


def test_valid_step_is_saved_to_database_and_moves_on(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    response = post_step(
        client_alice,
        vega_assessment,
        bank,
        "planning_strategy",
        ADM,
        extra={"planning_strategy-comment": "Vi rullerte i 2024."},
    )
    assert response.status_code == 302
    assert response.url == step_url(vega_assessment, "community_plan")
    respondent = Respondent.objects.get()
    assert respondent.saved_steps == ["planning_strategy"]
    saved = dict(Answer.objects.values_list("question__key", "value"))
    assert saved["ps_adopted"] == "yes"
    assert saved["ps_active_use"] == "4"
    assert ThemeComment.objects.get().text == "Vi rullerte i 2024."


def test_invalid_step_shows_errors_and_keeps_valid_answers(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    response = post_step(
        client_alice, vega_assessment, bank, "planning_strategy", ADM, ps_active_use=None
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#id_planning_strategy-ps_active_use_0"' in body
    # What was valid is already in the database, though the step is not complete.
    respondent = Respondent.objects.get()
    assert respondent.saved_steps == []
    assert Answer.objects.filter(question__key="ps_adopted", value="yes").exists()


def test_number_out_of_range_is_a_clear_error(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    response = post_step(client_alice, vega_assessment, bank, "resources", ADM, re_fte="-3")
    assert response.status_code == 200
    assert response.context["form"].errors["re_fte"]
    response = post_step(client_alice, vega_assessment, bank, "resources", ADM, re_fte="mange")
    assert response.status_code == 200
    assert "re_fte" in response.context["form"].errors


def test_follow_ups_are_not_required_when_no_strategy(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    response = post_step(
        client_alice,
        vega_assessment,
        bank,
        "planning_strategy",
        ADM,
        ps_adopted="no",
        ps_within_year=None,
        ps_evaluation=None,
        ps_active_use=None,
    )
    assert response.status_code == 302
    assert set(Answer.objects.values_list("question__key", flat=True)) >= {"ps_adopted"}
    assert not Answer.objects.filter(question__key="ps_within_year").exists()


def test_follow_ups_are_required_when_strategy_adopted(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    response = post_step(
        client_alice, vega_assessment, bank, "planning_strategy", ADM, ps_within_year=None
    )
    assert response.status_code == 200
    assert "ps_within_year" in response.context["form"].errors


def test_changing_to_no_clears_old_follow_up_answers(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    post_step(client_alice, vega_assessment, bank, "planning_strategy", ADM)
    assert Answer.objects.filter(question__key="ps_within_year").exists()
    post_step(
        client_alice,
        vega_assessment,
        bank,
        "planning_strategy",
        ADM,
        ps_adopted="no",
        extra={},
    )
    assert not Answer.objects.filter(question__key="ps_within_year").exists()


def test_back_button_keeps_what_was_typed(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    post_step(client_alice, vega_assessment, bank, "planning_strategy", ADM)
    response = post_step(
        client_alice,
        vega_assessment,
        bank,
        "community_plan",
        ADM,
        level=2,
        extra={"wizard_goto_step": "planning_strategy"},
    )
    assert response.status_code == 302
    assert response.url == step_url(vega_assessment, "planning_strategy")
    assert Answer.objects.get(question__key="cp_steering").value == "2"
    # Going forward again shows the saved answers.
    page = client_alice.get(step_url(vega_assessment, "community_plan"))
    assert page.context["form"]["cp_steering"].value() == "2"


def test_resume_in_a_new_session_continues_where_left_off(client, alice, vega_assessment, bank):
    _login_by_form(client)
    _join(client, vega_assessment)
    post_step(client, vega_assessment, bank, "planning_strategy", ADM)
    post_step(client, vega_assessment, bank, "community_plan", ADM)
    client.logout()  # the session, and anything the wizard kept in it, is gone

    _login_by_form(client)
    response = client.get(reverse("assessment:wizard", kwargs={"pk": vega_assessment.pk}))
    assert response.url == step_url(vega_assessment, "action_finance")
    earlier = client.get(step_url(vega_assessment, "planning_strategy"))
    assert earlier.context["form"]["ps_adopted"].value() == "yes"


def test_check_page_lists_answers_with_change_links(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    post_step(client_alice, vega_assessment, bank, "planning_strategy", ADM)
    page = client_alice.get(step_url(vega_assessment, "kontroll"))
    assert page.status_code == 200
    body = page.content.decode()
    assert step_url(vega_assessment, "planning_strategy") + "?fra=kontroll" in body
    summary = page.context["summary"]
    assert summary[0]["saved"] is True
    assert summary[1]["saved"] is False
    assert summary[0]["items"][0]["answer"] in {"Ja", "Yes"}


def test_change_link_returns_to_check_page(client_alice, vega_assessment, bank):
    complete_all_steps(client_alice, vega_assessment, bank, ADM)
    response = post_step(
        client_alice,
        vega_assessment,
        bank,
        "arenas",
        ADM,
        level=1,
        extra={"return_to_check": "1"},
    )
    assert response.url == step_url(vega_assessment, "kontroll")


def test_submitting_with_missing_steps_sends_you_to_the_first(client_alice, vega_assessment, bank):
    _join(client_alice, vega_assessment)
    post_step(client_alice, vega_assessment, bank, "planning_strategy", ADM)
    client_alice.post(
        step_url(vega_assessment, "kontroll"),
        management(vega_assessment, {"assessment_wizard_current_step": "kontroll"}),
    )
    response = client_alice.get(step_url(vega_assessment, "send"))
    assert response.status_code == 302
    assert response.url == step_url(vega_assessment, "community_plan")
    assert Respondent.objects.get().submitted_at is None


def test_full_walk_submits_and_shows_a_receipt(client_alice, vega_assessment, bank):
    response = complete_all_steps(client_alice, vega_assessment, bank, ADM, level=5)
    assert response.status_code == 302
    response = client_alice.get(response.url)  # the done step re-validates, then submits
    assert response.url == reverse("assessment:intro", kwargs={"pk": vega_assessment.pk})
    assert Respondent.objects.get().submitted_at is not None
    receipt = client_alice.get(response.url)
    assert receipt.status_code == 200
    assert receipt.context["respondent"].submitted_at is not None
    # Submitted answers are not opened again, not even for their author.
    again = client_alice.get(step_url(vega_assessment, "planning_strategy"))
    assert again.url == reverse("assessment:intro", kwargs={"pk": vega_assessment.pk})


def test_role_specific_questions(client_alice, vega_assessment, bank):
    politician_only = [q.key for q in bank.questions.values() if q.audience.value == "politician"]
    admin_only = [q.key for q in bank.questions.values() if q.audience.value == "administration"]
    assert politician_only and admin_only
    _join(client_alice, vega_assessment, POL)
    theme = bank.questions[politician_only[0]].theme_key
    page = client_alice.get(step_url(vega_assessment, theme))
    assert politician_only[0] in page.context["form"].fields
    admin_theme = bank.questions[admin_only[0]].theme_key
    page = client_alice.get(step_url(vega_assessment, admin_theme))
    assert admin_only[0] not in page.context["form"].fields


def test_closed_assessment_cannot_be_answered(client_alice, vega_assessment, bank):
    complete_all_steps(client_alice, vega_assessment, bank, ADM)
    client_alice.get(step_url(vega_assessment, "send"))
    client_alice.post(
        reverse("reports:close", kwargs={"pk": vega_assessment.pk}), {"confirm": "yes"}
    )
    vega_assessment.refresh_from_db()
    assert vega_assessment.status == "closed"
    page = client_alice.get(step_url(vega_assessment, "planning_strategy"))
    assert page.status_code == 200
    assert "assessment/wizard/closed.html" in [t.name for t in page.templates]
    response = post_step(client_alice, vega_assessment, bank, "planning_strategy", ADM, level=1)
    assert (
        Answer.objects.get(respondent__user__username="alice", question__key="ps_active_use").value
        == "4"
    )
    assert response.status_code == 200


def test_tampered_management_form_is_not_a_server_error(client_alice, vega_assessment):
    _join(client_alice, vega_assessment)
    response = client_alice.post(step_url(vega_assessment, "planning_strategy"), {"x": "y"})
    assert response.status_code == 302
    # A step that does not exist (or not for this respondent) in the management form.
    for step in ("no-such-step", "x" * 500, "kontroll\x00"):
        response = client_alice.post(
            step_url(vega_assessment, "planning_strategy"),
            {f"assessment_wizard_{vega_assessment.pk}-current_step": step},
        )
        assert response.status_code == 302
    assert not Answer.objects.exists()


def test_one_rule_checks_an_answer_in_the_form_the_service_and_the_answers_file(
    vega_assessment, bank
):
    """bank.Question.check_value is the rule; the service refuses what the form would."""
    import pytest as _pytest

    from assessment import services
    from assessment.bank import InvalidAnswer
    from assessment.models import Respondent as _Respondent

    scale = next(q for q in bank.questions.values() if q.kind.value == "scale")
    number = next(q for q in bank.questions.values() if q.kind.value == "number")
    assert scale.check_value("3") == "3"
    for bad in ("6", "0", "3.0", "", "x"):
        with _pytest.raises(InvalidAnswer):
            scale.check_value(bad)
    with _pytest.raises(InvalidAnswer):
        number.check_value("NaN")
    respondent = _Respondent.objects.create(assessment=vega_assessment, role_group="politician")
    with _pytest.raises(services.ServiceError, match="not one of"):
        services.answers_save(
            respondent=respondent,
            theme_key=scale.theme_key,
            answers={scale.key: services.AnswerInput(value="6")},
        )
    assert not respondent.answers.exists()

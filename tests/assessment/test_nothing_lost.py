"""Nothing typed is lost: an expired session, a lost browser session, two tabs posting at
the same instant, a restart between steps."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessment import services
from assessment.models import Answer, Respondent
from assessment.scoring import RoleGroup
from tests.assessment.test_invitations import (
    create_group_link,
    post_step,
    resume_key_in,
    start,
    step_url,
    themes_for,
)
from tests.assessment.wizard_helpers import management, step_data
from tests.assessment.wizard_helpers import step_url as coordinator_step_url
from tests.factories import PASSWORD

ADM = RoleGroup.ADMINISTRATION


def test_a_coordinators_step_survives_an_expired_session(client, alice, vega_assessment, bank):
    client.force_login(alice)
    client.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}),
        {"role_group": "administration"},
    )
    step = themes_for(bank, ADM)[0]
    url = coordinator_step_url(vega_assessment, step)
    page = client.get(url)
    assert page.status_code == 200
    owner = page.context["owner_token"]
    client.logout()  # the session expires while the step is on screen
    data = management(vega_assessment, step_data(bank, step, ADM, level=5))
    data["planprofil_owner"] = owner
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Answer.objects.exists()
    # Log in again: the login page sends the person back to the step, where it is saved.
    login = client.post(response.url, {"username": "alice", "password": PASSWORD})
    assert login.status_code == 302 and login.url == url
    back = client.get(login.url)
    assert back.status_code == 302  # saved and moved on, as a normal POST would
    respondent = Respondent.objects.get(user=alice)
    assert respondent.saved_steps == [step]
    assert Answer.objects.filter(respondent=respondent, value="5").exists()


def test_a_respondents_step_survives_a_lost_browser_session(client, alice, vega_assessment, bank):
    client.force_login(alice)
    token = create_group_link(client, vega_assessment, ADM)
    phone = Client()
    key = resume_key_in(start(phone, token))
    step = themes_for(bank, ADM)[0]
    owner = phone.get(step_url(vega_assessment, step)).context["owner_token"]
    phone.cookies.clear()  # the browser lost its session (or it expired)
    data = management(vega_assessment, step_data(bank, step, ADM, level=5))
    data["planprofil_owner"] = owner
    lost = phone.post(step_url(vega_assessment, step), data)
    assert lost.status_code == 403
    assert not Answer.objects.exists()
    phone.post(reverse("assessment:resume", kwargs={"key": key}))
    back = phone.get(step_url(vega_assessment, step))
    assert back.status_code == 302
    assert Respondent.objects.get().saved_steps == [step]
    assert Answer.objects.filter(value="5").exists()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_posting_at_the_same_instant_keep_both_steps(reference_data_loaded):
    """The read-modify-write of saved_steps is done under a row lock (select_for_update on
    PostgreSQL; IMMEDIATE transactions on SQLite), so neither step's mark is lost."""
    from assessment.models import Assessment, Municipality, QuestionBank

    bank_record = QuestionBank.objects.get(version="1")
    assessment = Assessment.objects.create(
        municipality=Municipality.objects.get(number="1815"), bank=bank_record, period="2023-2027"
    )
    bank = bank_record.parsed
    steps = themes_for(bank, ADM)
    for trial in range(5):
        respondent = Respondent.objects.create(assessment=assessment, role_group="administration")
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def save(step: str, respondent=respondent, barrier=barrier, errors=errors) -> None:
            try:
                answers = {
                    q.key: services.AnswerInput(value="3")
                    for q in bank.theme(step).questions
                    if q.kind.value == "scale" and q.condition is None
                }
                barrier.wait()
                # Each tab has its own stale copy of the respondent, as two requests would.
                services.answers_save(
                    respondent=Respondent.objects.get(pk=respondent.pk),
                    theme_key=step,
                    answers=answers,
                )
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        pair = steps[2 * trial : 2 * trial + 2]
        threads = [threading.Thread(target=save, args=(step,)) for step in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        respondent.refresh_from_db()
        assert sorted(respondent.saved_steps) == sorted(pair), f"trial {trial}"


@pytest.fixture
def reference_data_loaded(transactional_db):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)


def test_a_restart_between_steps_loses_nothing(client, alice, vega_assessment, bank):
    """Answers live in the database, not in the process: a new process (a new client and
    session, the server restarted) resumes at the first unsaved step with everything kept."""
    client.force_login(alice)
    token = create_group_link(client, vega_assessment, ADM)
    phone = Client()
    key = resume_key_in(start(phone, token))
    first, second = themes_for(bank, ADM)[:2]
    post_step(phone, vega_assessment, bank, first, ADM, level=4)
    after_restart = Client()
    after_restart.post(reverse("assessment:resume", kwargs={"key": key}))
    resume = after_restart.get(
        reverse("assessment:response_wizard", kwargs={"pk": vega_assessment.pk})
    )
    assert resume.url == step_url(vega_assessment, second)
    page = after_restart.get(step_url(vega_assessment, first))
    assert page.context["form"].data


def test_a_kept_step_is_never_saved_into_the_next_persons_response(
    client, alice, bob, vega_assessment, bank
):
    """Alice's session expires with a step on screen and she posts it; a colleague logs in
    on the same computer and lands on that step: Alice's answers must not go into theirs."""
    from tests.factories import CoordinatorFactory, UserFactory

    colleague = CoordinatorFactory(
        municipality=vega_assessment.municipality, user=UserFactory(username="kari")
    ).user
    client.force_login(alice)
    client.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}),
        {"role_group": "administration"},
    )
    step = themes_for(bank, ADM)[0]
    url = coordinator_step_url(vega_assessment, step)
    owner = client.get(url).context["owner_token"]
    client.logout()
    data = management(vega_assessment, step_data(bank, step, ADM, level=5))
    data["planprofil_owner"] = owner
    client.post(url, data)
    client.force_login(colleague)
    client.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}),
        {"role_group": "administration"},
    )
    page = client.get(url)
    assert page.status_code == 200
    theirs = Respondent.objects.get(user=colleague)
    assert theirs.saved_steps == [] and not Answer.objects.filter(respondent=theirs).exists()

"""A respondent's walk through the wizard in real Chromium: errors, back, resume in a new
session, check your answers with a change link, submit, results."""

import re

import pytest
from django.urls import reverse

from assessment.models import Answer, Assessment, Municipality, QuestionBank, Respondent
from tests.browser.conftest import shot
from tests.factories import PASSWORD, CoordinatorFactory, UserFactory

pytestmark = pytest.mark.browser


def _login(page, username: str) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/")


def _answer_visible_questions(page, preferred=("4", "yes")) -> None:
    for fieldset in page.locator("fieldset.question:visible").all():
        for value in preferred:
            radio = fieldset.locator(f'input[type=radio][value="{value}"]')
            if radio.count():
                radio.check()
                break
        else:
            fieldset.locator("input[type=radio]").first.check()
    for number in page.locator("input[inputmode=decimal]:visible").all():
        number.fill("1,5")


def _at(page, step: str) -> None:
    # A fragment (#field) from the error summary survives redirects, so match loosely.
    page.wait_for_url(re.compile(rf"/steg/{step}/"))


def _continue(page) -> None:
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()


def test_wizard_walk(new_page, reference_data):
    vega = Municipality.objects.get(number="1815")
    user = CoordinatorFactory(municipality=vega, user=UserFactory(username="walker")).user
    assessment = Assessment.objects.create(
        municipality=vega,
        bank=QuestionBank.objects.get(version="1"),
        period="2023-2027",
        created_by=user,
    )

    page = new_page()
    _login(page, "walker")
    page.goto(reverse("assessment:intro", kwargs={"pk": assessment.pk}))
    shot(page, "01-intro")
    page.get_by_label("Administrasjonen").check()
    page.click("main button[type=submit]")

    # Step 1: submitting nothing gives an error summary that takes focus and links to fields.
    _at(page, "planning_strategy")
    assert page.get_by_text("Steg 1 av 14").is_visible()
    follow_up = page.locator("[data-condition-field]").first
    assert follow_up.is_hidden()  # no planning strategy chosen yet: its follow-ups wait
    _continue(page)
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    shot(page, "02-step1-errors")
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.name") == "planning_strategy-ps_adopted"

    page.locator("#id_planning_strategy-ps_adopted_0").check()
    assert follow_up.is_visible()
    _answer_visible_questions(page)
    page.fill("#id_planning_strategy-comment", "Vedtatt i kommunestyret juni 2024.")
    shot(page, "03-step1-filled")
    _continue(page)

    # Step 2: answer, then go back; the answers typed on step 2 are kept.
    _at(page, "community_plan")
    _answer_visible_questions(page, preferred=("2", "no"))
    page.get_by_role("button", name="Forrige steg").click()
    _at(page, "planning_strategy")
    assert page.locator("#id_planning_strategy-ps_adopted_0").is_checked()
    assert page.locator("#id_planning_strategy-comment").input_value().startswith("Vedtatt")
    page.goto(
        reverse("assessment:wizard_step", kwargs={"pk": assessment.pk, "step": "community_plan"})
    )
    assert page.locator('fieldset.question input[value="2"]').first.is_checked()
    _continue(page)
    _at(page, "action_finance")

    # A new browser session (as after closing the browser) resumes at the first unsaved step.
    page.context.close()
    page = new_page()
    _login(page, "walker")
    page.goto(reverse("assessment:wizard", kwargs={"pk": assessment.pk}))
    _at(page, "action_finance")
    shot(page, "04-resumed")
    assert page.get_by_text("Steg 3 av 14").is_visible()

    for _ in range(12):
        _answer_visible_questions(page)
        _continue(page)
    _at(page, "kontroll")
    shot(page, "05-check-answers")
    assert page.get_by_text("Vedtatt i kommunestyret juni 2024.").is_visible()

    # Change one theme from the check page and come straight back.
    page.get_by_role("link", name="Endre Arenaer", exact=False).click()
    _at(page, "arenas")
    assert "fra=kontroll" in page.url
    _answer_visible_questions(page, preferred=("1", "no"))
    page.get_by_role("button", name="Lagre og gå tilbake til oversikten").click()
    _at(page, "kontroll")

    page.get_by_role("button", name="Send inn svarene").click()
    page.wait_for_url("**/svar/")
    shot(page, "06-receipt")
    # A receipt, not the answers; the results wait until the round is closed.
    assert page.locator(".ds-alert[data-color=success]").count() == 1
    assert page.locator("fieldset.question").count() == 0
    respondent = Respondent.objects.get(assessment=assessment)
    assert respondent.submitted_at is not None
    assert Answer.objects.get(respondent=respondent, question__key="ar_arenas").value == "1"

"""Walked in Debian's Chromium: a newcomer asks for access from the front page, staff approve
on their own page, the newcomer sets a password from the e-mail and starts a round; a
politician on a phone starts from a shared link, gets a personal link only they see, and the
coordinator's copy of the shared link opens nothing of theirs. Screenshots in test-artifacts/."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessment.models import AccessRequest, Coordinator, Respondent
from tests.browser.conftest import shot
from tests.browser.test_accessibility import _axe
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def _login(page, username: str, password: str = PASSWORD) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_access_request_flow(new_page, reference_data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(username="stine", is_staff=True, email="stine@distriktssenteret.no")

    newcomer = new_page()
    newcomer.goto("/")
    newcomer.get_by_role("link", name="Be om tilgang for kommunen din").click()
    newcomer.wait_for_load_state()
    shot(newcomer, "access-1-request-form")
    assert not _axe(newcomer, "access request form")
    # Send with a mistake first: the message says what to fix and nothing typed is lost.
    newcomer.select_option("#id_municipality", "1856")
    newcomer.fill("#id_name", "Ingrid Olsen")
    newcomer.fill("#id_job_title", "Planrådgiver")
    newcomer.fill("#id_email", "ingrid-at-rost")
    newcomer.click("main button[type=submit]")
    newcomer.wait_for_load_state()
    assert newcomer.locator("[data-error-summary]").is_visible()
    assert newcomer.input_value("#id_name") == "Ingrid Olsen"
    shot(newcomer, "access-2-request-error")
    assert not _axe(newcomer, "access request with errors")
    newcomer.fill("#id_email", "ingrid@rost.kommune.no")
    newcomer.click("main button[type=submit]")
    newcomer.wait_for_load_state()
    assert "/tilgang/sendt/" in newcomer.url
    shot(newcomer, "access-3-request-sent")
    assert AccessRequest.objects.get().status == "pending"

    staff = new_page(width=1280)
    _login(staff, "stine")
    staff.goto(reverse("assessment:access_review"))
    shot(staff, "access-4-staff-review")
    assert not _axe(staff, "access review (staff)")
    staff.get_by_role("button", name=re.compile("Godkjenn")).click()
    staff.wait_for_load_state()
    shot(staff, "access-5-staff-approved")
    assert Coordinator.objects.filter(user__email="ingrid@rost.kommune.no").exists()

    welcome = next(m for m in mail.outbox if m.to == ["ingrid@rost.kommune.no"])
    link = re.search(r"https?://[^/\s]+(/konto/reset/\S+/)", welcome.body).group(1)
    newcomer.goto(link)
    newcomer.wait_for_load_state()
    newcomer.fill("#id_new_password1", "Planer-for-Rost-2027")
    newcomer.fill("#id_new_password2", "Planer-for-Rost-2027")
    newcomer.click("main button[type=submit]")
    newcomer.wait_for_load_state()
    _login(newcomer, "ingrid@rost.kommune.no", "Planer-for-Rost-2027")
    newcomer.goto(reverse("assessment:create", kwargs={"number": "1856"}))
    shot(newcomer, "access-6-coordinator-can-start")
    assert newcomer.locator("input[name=period]").first.is_visible()  # the term is a choice


def test_a_phone_starts_from_a_shared_link_and_gets_a_private_link(
    new_page, reference_data, live_server
):
    from assessment.models import Municipality, QuestionBank
    from tests.factories import AssessmentFactory, CoordinatorFactory

    vega = Municipality.objects.get(number="1815")
    coordinator = CoordinatorFactory(municipality=vega, user=UserFactory(username="kari")).user
    assessment = AssessmentFactory(
        municipality=vega, bank=QuestionBank.objects.get(version="1"), created_by=coordinator
    )
    desk = new_page(width=1280)
    _login(desk, "kari")
    desk.goto(reverse("assessment:respondents", kwargs={"pk": assessment.pk}))
    desk.check("input[name=role_group][value=politician]")
    desk.check("#id_group_link")
    desk.fill("#id_note", "Kommunestyremøte 12. mars")
    desk.click("main form button[type=submit]:has-text('Send')")
    desk.wait_for_load_state()
    shot(desk, "links-1-coordinator-shared-link")
    shared = desk.locator("code.issued-link").inner_text()
    assert "/svar/" in shared
    desk.reload()
    assert desk.locator("code.issued-link").count() == 0  # shown once

    phone = new_page(width=375)
    phone.goto(shared)
    shot(phone, "links-2-phone-intro")
    assert not Respondent.objects.exists()  # opening the link starts nothing
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_load_state()
    shot(phone, "links-3-phone-personal-link")
    assert not _axe(phone, "respondent page with personal link, 375 px")
    personal = phone.locator("code.resume-link").inner_text()
    assert "/svar/fortsett/" in personal
    assert shared.split("/svar/")[1].strip("/") not in phone.url
    phone.get_by_role("link", name=re.compile("Begynn|Start")).click()
    phone.wait_for_load_state()
    phone.locator("fieldset.question input[type=radio]").first.check()
    shot(phone, "links-4-phone-wizard")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1

    # The coordinator opens the shared link herself: she gets a fresh, empty start page,
    # never the politician's response.
    desk.goto(shared)
    desk.get_by_role("button", name="Start").click()
    desk.wait_for_load_state()
    shot(desk, "links-5-coordinator-own-fresh-response")
    assert Respondent.objects.count() == 2
    assert personal not in desk.content()

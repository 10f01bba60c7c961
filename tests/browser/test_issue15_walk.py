"""Issue 15's walk in real Chromium (from /work/notes/i15-walk.py): a coordinator resumes
her own answers in at most two clicks after logging in, then the results, the workshop's
presentation mode and the action plan; an adviser's dashboard and trends. Every page at
1280 px and 375 px, with no sideways scrolling on the phone and no axe-core violations."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, shot
from tests.browser.test_accessibility import _answer_all, _axe, _login
from tests.pages import build_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(reference_data):
    return build_site()


def _logout(page) -> None:
    page.click("header button.link-button")
    page.wait_for_load_state()


def _check(page, name: str, failures: dict, *, phone: bool) -> None:
    shot(page, f"i15-{name}")
    if violations := _axe(page, name):
        failures[name] = violations
    if phone:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name}: {overflow}px of sideways scrolling at 375 px"


def test_issue15_walk(new_page, site):
    failures: dict[str, list] = {}
    page = new_page(width=1280)
    _login(page, "kari")
    # Own answers: choose a role, save three steps, log out.
    page.goto(reverse("assessment:intro", kwargs={"pk": site.open_assessment.pk}))
    page.locator("input[name=role_group]").first.check()
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    for _ in range(3):
        _answer_all(page)
        page.locator("main button[type=submit]").first.click()
        page.wait_for_load_state()
    _logout(page)

    # Log in again: the home page offers "continue, step 4 of N"; one click resumes.
    _login(page, "kari")
    _check(page, "home-resume", failures, phone=False)
    clicks = 0
    page.locator("main .resume-card a.ds-button").first.click()
    clicks += 1
    page.wait_for_load_state()
    assert clicks <= 2
    assert "/steg/" in page.url
    assert re.search(r"\b4\b", page.locator("main").inner_text()), "not at step 4"
    _check(page, "resumed-step", failures, phone=False)

    closed = site.closed_assessment.pk
    pages = [
        ("results", reverse("reports:results", kwargs={"pk": closed})),
        ("workshop", reverse("reports:workshop", kwargs={"pk": closed})),
        ("presentation", reverse("reports:workshop", kwargs={"pk": closed}) + "?present=1"),
        ("action-plan", reverse("reports:action_plan", kwargs={"pk": closed})),
    ]
    for width in (1280, 375):
        phone = width == 375
        coordinator = page if not phone else new_page(width=375)
        if phone:
            _login(coordinator, "kari")
        for name, url in pages:
            coordinator.goto(url)
            _check(coordinator, f"{name}-{width}", failures, phone=phone)
        # The presentation: no site menu; the arrow key moves on and focus follows.
        coordinator.goto(pages[2][1])
        assert not coordinator.locator("header.site-header").is_visible()
        status = coordinator.locator("[data-status]")
        assert re.match(r"\D*1\D+[1-9]", status.inner_text()), status.inner_text()  # 1 of n
        coordinator.keyboard.press("ArrowRight")
        assert coordinator.evaluate("document.activeElement.id") == "ws-questions"
        assert coordinator.locator("#ws-title").is_hidden()
        _check(coordinator, f"presentation-slide2-{width}", failures, phone=phone)
        # The action plan: "Add a line" adds an eighth line and moves focus into it.
        coordinator.goto(pages[3][1])
        before = coordinator.locator("fieldset.action-line").count()
        coordinator.click("[data-add-line]")
        assert coordinator.locator("fieldset.action-line").count() == before + 1
        assert coordinator.evaluate("document.activeElement.id") == f"id_plan-{before}-what"

        adviser = new_page(width=width)
        _login(adviser, "rita")
        adviser.goto(reverse("reports:adviser_dashboard"))
        _check(adviser, f"dashboard-{width}", failures, phone=phone)
        adviser.goto(reverse("reports:municipality", args=["1815"]))
        assert adviser.locator("svg#trend-chart").count() == 1
        _check(adviser, f"trends-{width}", failures, phone=phone)

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "i15-walk.json").write_text(json.dumps({"clicks": clicks, **failures}))
    assert not failures, json.dumps(failures, indent=2)

"""WCAG 2.1 AA with axe-core in Debian's Chromium on every kind of page, and the whole
wizard by keyboard only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessment.models import QuestionBank, Respondent
from tests.browser.conftest import ARTIFACTS, shot
from tests.factories import PASSWORD
from tests.pages import build_site, page_urls

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULTS: dict[str, int] = {}


def _axe(page, name: str) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (npm ci installs axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
    RESULTS[name] = len(violations)
    return violations


def _login(page, username: str) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def site(reference_data):
    return build_site()


def test_every_kind_of_page_has_no_axe_violations(new_page, site):
    failures = {}
    urls = page_urls(site)
    for persona, pages in urls.items():
        page = new_page()
        if persona != "anonymous":
            _login(page, "kari" if persona == "coordinator" else "rita")
        for name, url in pages:
            page.goto(url)
            violations = _axe(page, name)
            if violations:
                failures[name] = violations
                shot(page, f"axe-{name}")
    # The wizard: every step, the error state, and check your answers.
    page = new_page()
    _login(page, "kari")
    page.goto(reverse("assessment:intro", kwargs={"pk": site.open_assessment.pk}))
    page.locator("input[name=role_group]").first.check()
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.locator("main button[type=submit]").first.click()  # nothing answered: errors
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    if violations := _axe(page, "wizard step with errors"):
        failures["wizard step with errors"] = violations
    bank = QuestionBank.objects.get(version="1").parsed
    for number in range(1, len(bank.themes) + 1):
        _answer_all(page)
        if violations := _axe(page, f"wizard step {number}"):
            failures[f"wizard step {number}"] = violations
        page.locator("main button[type=submit]").first.click()
        page.wait_for_load_state()
    assert "/kontroll/" in page.url
    if violations := _axe(page, "check your answers"):
        failures["check your answers"] = violations
    # Narrow screens (320 px, WCAG 1.4.10 reflow): no sideways scrolling, still no violations.
    narrow = new_page(width=320)
    _login(narrow, "kari")
    for name, url in [
        (
            "results, 320 px",
            reverse("reports:results", kwargs={"pk": site.closed_assessment.pk}),
        ),
        ("wizard, 320 px", page.url),
    ]:
        narrow.goto(url)
        if violations := _axe(narrow, name):
            failures[name] = violations
        overflow = narrow.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name}: {overflow}px of sideways scrolling"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-summary.json").write_text(json.dumps(RESULTS, indent=2, ensure_ascii=False))
    assert not failures, json.dumps(failures, indent=2)
    assert len(RESULTS) >= 40


def _answer_all(page) -> None:
    # Twice: answering a question can reveal its follow-ups.
    for _ in range(2):
        for fieldset in page.locator("fieldset.question:visible").all():
            first = fieldset.locator("input[type=radio]").first
            if not fieldset.locator("input[type=radio]:checked").count():
                first.check()


def test_the_whole_wizard_by_keyboard_only(new_page, site):
    """Tab to each question, Space to choose, Enter to go on: no mouse at all."""
    page = new_page()
    token_url = reverse("assessment:invite", kwargs={"token": site.token})
    page.goto(token_url)
    _tab_to(page, lambda el: el["inMain"] and el["tag"] == "BUTTON")  # "Start" (a POST)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/besvarelse/" in page.url and site.token not in page.url
    shot(page, "keyboard-personal-link")
    _tab_to(page, lambda el: el["tag"] == "A" and "steg" in el["href"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    steps = 0
    while "/kontroll/" not in page.url:
        _answer_step_by_keyboard(page)
        steps += 1
        assert steps <= 20, "the wizard did not reach the check page"
    shot(page, "keyboard-check-page")
    _tab_to(page, lambda el: el["inMain"] and el["tag"] == "BUTTON" and not el["name"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    respondent = Respondent.objects.get(invitation__isnull=False, assessment=site.open_assessment)
    assert respondent.submitted_at is not None
    assert steps == 14


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName, type: e.type || "", name: e.name || "", checked: !!e.checked,
            href: e.getAttribute("href") || "", text: (e.textContent || "").trim(),
            inMain: !!e.closest("main") }; }"""
    )


def _tab_to(page, predicate, limit: int = 300) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = _focused(page)
        if predicate(element):
            return element
    raise AssertionError("keyboard focus never reached the element")


def _answer_step_by_keyboard(page) -> None:
    url = page.url
    answered: set[str] = set()
    for _ in range(300):
        page.keyboard.press("Tab")
        el = _focused(page)
        if el["type"] == "radio" and el["name"] not in answered:
            page.keyboard.press("Space")  # choose the focused option
            answered.add(el["name"])
        elif el["inMain"] and el["tag"] == "BUTTON" and el["type"] == "submit" and not el["name"]:
            with page.expect_navigation():
                page.keyboard.press("Enter")  # "Save and continue"
            errors = page.locator("[data-error-summary] li").all_inner_texts()
            assert page.url != url, f"the step did not accept keyboard answers: {url} {errors}"
            return
    raise AssertionError(f"never reached the continue button on {url}")

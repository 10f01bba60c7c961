"""The pages method 2 (question bank v2) added, checked as tests/browser/test_accessibility.py
and tests/test_html_valid.py check every other page: axe-core (WCAG 2.1 AA) in Debian's
Chromium and the Nu Html Checker find nothing on the plan register (empty, with errors, saved,
read-only after closing), the results and workshop pages of a closed v2 round with a register,
and the development over time of a municipality with a v1 round and a v2 round."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment import services
from assessment.models import Adviser, Assessment, Municipality
from assessment.scoring import RoleGroup
from reports import services as reports_services
from tests.browser.conftest import shot
from tests.browser.test_accessibility import _axe, _login
from tests.factories import CoordinatorFactory, UserFactory, answer_everything
from tests.test_html_valid import _validate

# Facts on the register's every kind of status: on time, awaiting revision, kept, overdue.
REGISTER = {
    "council_constituted": date(2023, 10, 19),
    "strategy_adopted": date(2024, 9, 12),
    "community_part": date(2020, 6, 18),
    "land_use_part": date(2016, 3, 10),
    "land_use_part_kept": True,
    "action_part": "linked",
    "plan_count": 14,
    "delegation_missing": True,
    "youth_council": True,
    "planning_cooperation": "other",
}


@dataclass
class V2Site:
    coordinator: object
    adviser: object
    earlier: Assessment  # closed, bank v1
    closed: Assessment  # closed, bank v2, with a plan register
    open_: Assessment  # open, bank v2, no plan register yet


def build_v2_site() -> V2Site:
    vega = Municipality.objects.get(number="1815")
    coordinator = CoordinatorFactory(municipality=vega, user=UserFactory(username="kari")).user
    people = [
        (RoleGroup.POLITICIAN, 4),
        (RoleGroup.POLITICIAN, 3),
        (RoleGroup.ADMINISTRATION, 2),
        (RoleGroup.ADMINISTRATION, 3),
    ]
    earlier = services.assessment_create(
        user=coordinator, municipality=vega, period="2019-2023", round="end", bank_version="1"
    )
    for role, level in people:
        answer_everything(earlier, role, level)
    reports_services.round_close(assessment=earlier)
    services.assessment_share(assessment=earlier, share=True)

    closed = services.assessment_create(
        user=coordinator, municipality=vega, period="2023-2027", round="baseline", bank_version="2"
    )
    assert closed.bank.parsed.method == 2
    services.plan_register_save(assessment=closed, actor=coordinator, values=REGISTER)
    for role, level in [*people, (RoleGroup.OTHER, 3)]:
        answer_everything(closed, role, level)
    reports_services.round_close(assessment=closed)
    services.assessment_share(assessment=closed, share=True)

    open_ = services.assessment_create(
        user=coordinator, municipality=vega, period="2023-2027", round="midterm", bank_version="2"
    )
    adviser = UserFactory(username="rita")
    Adviser.objects.create(user=adviser, counties=["18"])
    return V2Site(coordinator, adviser, earlier, closed, open_)


def _urls(site: V2Site) -> dict[str, str]:
    c, o = site.closed.pk, site.open_.pk
    return {
        "v2 plan register, empty": reverse("assessment:plan_register", kwargs={"pk": o}),
        "v2 plan register, closed": reverse("assessment:plan_register", kwargs={"pk": c}),
        "v2 results": reverse("reports:results", kwargs={"pk": c}),
        "v2 workshop": reverse("reports:workshop", kwargs={"pk": c}),
        "v1 and v2 over time": reverse("reports:municipality", kwargs={"number": "1815"}),
    }


# What the form needs for errors: "adopted" without its date, and a negative plan count.
BAD_REGISTER = {
    "council_constituted": "19.10.2023",
    "strategy_status": "adopted",
    "strategy_adopted": "",
    "community_part_status": "unknown",
    "community_part": "",
    "land_use_part_status": "unknown",
    "land_use_part": "",
    "action_part": "unknown",
    "plan_count": "-3",
    "delegation_status": "unknown",
    "delegation_adopted": "",
    "youth_council": "unknown",
    "planning_cooperation": "unknown",
}


@pytest.fixture
def v2_site(reference_data):
    return build_v2_site()


@pytest.mark.browser
def test_the_v2_pages_have_no_axe_violations(new_page, v2_site):
    failures = {}
    urls = _urls(v2_site)
    page = new_page()
    _login(page, "kari")

    def check(name: str) -> None:
        if violations := _axe(page, name):
            failures[name] = violations
            shot(page, f"axe-{name}")

    for name, url in urls.items():
        page.goto(url)
        check(name)
    # The info alert says that the rounds were compared through the version mapping.
    page.goto(urls["v1 and v2 over time"])
    assert page.locator("main .ds-alert[data-color=info]").count() >= 1

    # The register's error state, then the saved state, filled in as a coordinator would.
    page.goto(urls["v2 plan register, empty"])
    assert not page.locator("[data-error-summary]").count()
    page.locator("input[name=strategy_status][value=adopted]").check()
    page.fill("#id_plan_count", "-3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    check("v2 plan register with errors")
    page.fill("#id_strategy_adopted", "12.09.2024")
    page.fill("#id_plan_count", "14")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert not page.locator("[data-error-summary]").count()
    assert page.locator("#id_strategy_adopted").input_value() == "12.09.2024"
    check("v2 plan register, saved")

    # The adviser's view of the same development over time (the shared rounds).
    adviser = new_page()
    _login(adviser, "rita")
    adviser.goto(urls["v1 and v2 over time"])
    if violations := _axe(adviser, "v1 and v2 over time, adviser"):
        failures["v1 and v2 over time, adviser"] = violations
        shot(adviser, "axe-v1 and v2 over time, adviser")

    assert not failures, json.dumps(failures, indent=2)


@pytest.mark.django_db(transaction=True)
def test_the_v2_pages_are_valid_html(client, tmp_path):
    call_command("load_reference_data", verbosity=0)
    site = build_v2_site()
    urls = _urls(site)
    pages: dict[str, str] = {}
    client.force_login(site.coordinator)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()

    register_url = urls["v2 plan register, empty"]
    response = client.post(register_url, BAD_REGISTER)
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    pages["v2 plan register with errors"] = response.content.decode()
    fixed = BAD_REGISTER | {"strategy_adopted": "12.09.2024", "plan_count": "14"}
    response = client.post(register_url, fixed, follow=True)
    assert response.redirect_chain and response.status_code == 200
    pages["v2 plan register, saved"] = response.content.decode()

    client.force_login(site.adviser)
    response = client.get(urls["v1 and v2 over time"])
    assert response.status_code == 200
    pages["v1 and v2 over time, adviser"] = response.content.decode()

    problems = _validate(pages, tmp_path)
    assert len(pages) == 8
    assert not problems, json.dumps(problems, indent=2, ensure_ascii=False)

"""The coordinator's plan register page (bank v2 on): what each choice stores, errors that keep
everything typed, odd input, closed rounds, other municipalities, and the status texts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from assessment import register, register_texts, services
from assessment.bank import parse_bank
from assessment.models import AuditEvent, PlanRegister, QuestionBank
from assessment.register import FactResult, Register, Status, Term
from content.models import Source
from tests.assessment.test_bank import minimal_document
from tests.factories import AssessmentFactory

# --- a minimal method-2 bank --------------------------------------------------------------


def register_bank_document() -> dict[str, Any]:
    doc = minimal_document()
    doc["version"] = "register-test"
    doc["method"] = 2
    doc["register"] = [
        {"fact": "strategy_adopted", "theme": "theme", "weight": 2},
        {"fact": "youth_council", "theme": "theme", "weight": 1},
    ]
    return doc


@pytest.fixture
def bank_v2(db) -> QuestionBank:
    Source.objects.get_or_create(key="src", defaults={"citation": "Test source", "year": 2024})
    return services.bank_install(bank=parse_bank(register_bank_document()), publish=True)


@pytest.fixture
def round_v2(alice, vega, bank_v2):
    return AssessmentFactory(municipality=vega, bank=bank_v2, created_by=alice)


def url(assessment) -> str:
    return reverse("assessment:plan_register", kwargs={"pk": assessment.pk})


def payload(**changes: str) -> dict[str, str]:
    """A complete form, everything "Not recorded", with `changes` on top."""
    data = {
        "council_constituted": "",
        "strategy_status": "unknown",
        "strategy_adopted": "",
        "community_part_status": "unknown",
        "community_part": "",
        "land_use_part_status": "unknown",
        "land_use_part": "",
        "action_part": "unknown",
        "plan_count": "",
        "delegation_status": "unknown",
        "delegation_adopted": "",
        "youth_council": "unknown",
        "planning_cooperation": "unknown",
    }
    data.update(changes)
    return data


def saved(assessment) -> PlanRegister:
    return PlanRegister.objects.get(assessment=assessment)


# --- saving: each choice maps to the model's fields ----------------------------------------

MAPPINGS = [
    pytest.param(
        {"strategy_status": "adopted", "strategy_adopted": "14.03.2024"},
        {"strategy_adopted": date(2024, 3, 14), "strategy_missing": False},
        id="strategy-adopted",
    ),
    pytest.param(
        {"strategy_status": "not_adopted", "strategy_adopted": "14.03.2024"},
        {"strategy_adopted": None, "strategy_missing": True},
        id="strategy-not-adopted-forgets-the-date",
    ),
    pytest.param(
        {"strategy_status": "unknown"},
        {"strategy_adopted": None, "strategy_missing": False},
        id="strategy-not-recorded",
    ),
    pytest.param(
        {"community_part_status": "adopted", "community_part": "2024-06-20"},
        {
            "community_part": date(2024, 6, 20),
            "community_part_kept": False,
            "community_part_missing": False,
        },
        id="community-adopted-iso-date",
    ),
    pytest.param(
        {"community_part_status": "kept", "community_part": "20.06.2024"},
        {"community_part": None, "community_part_kept": True, "community_part_missing": False},
        id="community-kept",
    ),
    pytest.param(
        {"community_part_status": "none"},
        {"community_part": None, "community_part_kept": False, "community_part_missing": True},
        id="community-none",
    ),
    pytest.param(
        {"land_use_part_status": "adopted", "land_use_part": "01.02.15"},
        {
            "land_use_part": date(2015, 2, 1),
            "land_use_part_kept": False,
            "land_use_part_missing": False,
        },
        id="land-use-adopted-two-digit-year",
    ),
    pytest.param(
        {"land_use_part_status": "kept"},
        {"land_use_part": None, "land_use_part_kept": True, "land_use_part_missing": False},
        id="land-use-kept",
    ),
    pytest.param(
        {"land_use_part_status": "none"},
        {"land_use_part": None, "land_use_part_kept": False, "land_use_part_missing": True},
        id="land-use-none",
    ),
    pytest.param({"action_part": "merged"}, {"action_part": "merged"}, id="action-merged"),
    pytest.param({"action_part": "separate"}, {"action_part": "separate"}, id="action-separate"),
    pytest.param({"action_part": "unknown"}, {"action_part": ""}, id="action-not-recorded"),
    pytest.param({"plan_count": "12"}, {"plan_count": 12}, id="plan-count"),
    pytest.param({"plan_count": " 0 "}, {"plan_count": 0}, id="plan-count-zero"),
    pytest.param({"plan_count": ""}, {"plan_count": None}, id="plan-count-empty"),
    pytest.param(
        {"delegation_status": "adopted", "delegation_adopted": "05.12.2023"},
        {"delegation_adopted": date(2023, 12, 5), "delegation_missing": False},
        id="delegation-adopted",
    ),
    pytest.param(
        {"delegation_status": "not_adopted"},
        {"delegation_adopted": None, "delegation_missing": True},
        id="delegation-not-adopted",
    ),
    pytest.param({"youth_council": "yes"}, {"youth_council": True}, id="youth-yes"),
    pytest.param({"youth_council": "no"}, {"youth_council": False}, id="youth-no"),
    pytest.param({"youth_council": "unknown"}, {"youth_council": None}, id="youth-not-recorded"),
    pytest.param(
        {"planning_cooperation": "shared_office"},
        {"planning_cooperation": "shared_office"},
        id="cooperation-shared",
    ),
    pytest.param(
        {"planning_cooperation": "unknown"}, {"planning_cooperation": ""}, id="cooperation-none"
    ),
    pytest.param(
        {"council_constituted": "19.10.2023"},
        {"council_constituted": date(2023, 10, 19)},
        id="constituted",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), MAPPINGS)
def test_each_choice_is_stored_in_the_right_fields(client, alice, round_v2, changes, expected):
    client.force_login(alice)
    response = client.post(url(round_v2), payload(**changes))
    assert response.status_code == 302
    assert response["Location"] == url(round_v2)  # post/redirect/get
    row = saved(round_v2)
    assert {name: getattr(row, name) for name in expected} == expected
    assert row.updated_by == alice


def test_saving_says_so_and_the_form_shows_what_was_saved(client, alice, round_v2):
    client.force_login(alice)
    data = payload(
        strategy_status="adopted",
        strategy_adopted="14.03.2024",
        community_part_status="kept",
        plan_count="7",
        youth_council="yes",
    )
    response = client.post(url(round_v2), data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    page = response.content.decode()
    assert 'value="14.03.2024"' in page  # shown as the hint's example is written (nb)
    assert 'id="id_community_part_status_1" value="kept" checked' in page
    assert 'value="7"' in page
    assert AuditEvent.objects.filter(assessment=round_v2, action="plan_register.save").exists()


def test_a_second_save_replaces_the_first(client, alice, round_v2):
    client.force_login(alice)
    client.post(url(round_v2), payload(strategy_status="adopted", strategy_adopted="14.03.2024"))
    client.post(url(round_v2), payload(strategy_status="not_adopted"))
    row = saved(round_v2)
    assert (row.strategy_adopted, row.strategy_missing) == (None, True)
    assert PlanRegister.objects.filter(assessment=round_v2).count() == 1


# --- errors: a message per field, everything kept ------------------------------------------


def test_a_missing_date_is_an_error_and_keeps_everything_else(client, alice, round_v2):
    client.force_login(alice)
    data = payload(
        strategy_status="adopted",
        strategy_adopted="",
        community_part_status="adopted",
        community_part="20.06.2024",
        action_part="linked",
        plan_count="9",
        youth_council="no",
        council_constituted="19.10.2023",
    )
    with translation.override("en"):
        response = client.post(url(round_v2), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the date, or choose another option." in page
    # The error summary links to the field, and the field says what is wrong.
    assert 'href="#id_strategy_adopted"' in page
    assert 'id="id_strategy_adopted_error"' in page
    assert page.count("Enter the date, or choose another option.") == 2  # summary + field
    # Nothing typed is lost.
    assert 'id="id_strategy_status_0" value="adopted" checked' in page
    assert 'value="20.06.2024"' in page
    assert 'value="linked" checked' in page
    assert 'value="9"' in page
    assert 'value="no" checked' in page
    assert 'value="19.10.2023"' in page
    assert not PlanRegister.objects.filter(assessment=round_v2).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"strategy_status": "adopted", "strategy_adopted": "fjortende mars"},
            "strategy_adopted",
            "Enter a real date",
        ),
        (
            {"strategy_status": "adopted", "strategy_adopted": "2024-02-31"},
            "strategy_adopted",
            "Enter a real date",
        ),
        (
            {"delegation_status": "adopted", "delegation_adopted": "2999-01-01"},
            "delegation_adopted",
            "cannot be in the future",
        ),
        (
            {"community_part_status": "adopted", "community_part": "1989-12-31"},
            "community_part",
            "1990 or later",
        ),
        ({"council_constituted": "1900-01-01"}, "council_constituted", "1990 or later"),
        ({"plan_count": "2.5"}, "plan_count", "Enter a whole number"),
        ({"plan_count": "2,5"}, "plan_count", "Enter a whole number"),
        ({"plan_count": "tolv"}, "plan_count", "Enter a whole number"),
        ({"plan_count": "-1"}, "plan_count", "cannot be negative"),
        ({"plan_count": "40000"}, "plan_count", "no larger than 32767"),
        ({"plan_count": "9" * 5000}, "plan_count", "Enter a whole number"),
        ({"plan_count": "1\x00"}, "plan_count", "Enter a whole number"),
        (
            {"strategy_status": "adopted", "strategy_adopted": "2024-03-14\x00"},
            "strategy_adopted",
            "Enter a real date",
        ),
        ({"action_part": "merged\x00"}, "action_part", "Not recorded"),
        ({"youth_council": "maybe"}, "youth_council", "Not recorded"),
    ],
)
def test_odd_input_is_refused_with_a_message(client, alice, round_v2, changes, field, message):
    client.force_login(alice)
    with translation.override("en"):
        response = client.post(url(round_v2), payload(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert not PlanRegister.objects.filter(assessment=round_v2).exists()


def test_missing_fields_are_errors_not_a_crash(client, alice, round_v2):
    client.force_login(alice)
    response = client.post(url(round_v2), {"plan_count": "3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_strategy_status_0"' in page
    assert 'value="3"' in page
    assert not PlanRegister.objects.filter(assessment=round_v2).exists()


def test_a_norwegian_date_is_understood_with_the_page_in_english(client, alice, round_v2):
    client.force_login(alice)
    with translation.override("en"):
        response = client.post(
            url(round_v2),
            payload(strategy_status="adopted", strategy_adopted="14.03.2024"),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 302
        page = client.get(url(round_v2), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert saved(round_v2).strategy_adopted == date(2024, 3, 14)
    assert 'value="14.03.2024"' in page
    assert "For example 14.03.2024." in page


def test_a_date_that_does_not_apply_is_ignored_even_when_it_is_nonsense(client, alice, round_v2):
    client.force_login(alice)
    response = client.post(
        url(round_v2), payload(strategy_status="not_adopted", strategy_adopted="nonsense")
    )
    assert response.status_code == 302
    assert saved(round_v2).strategy_adopted is None


# --- what the register means today --------------------------------------------------------


def test_the_page_says_what_each_fact_means(client, alice, round_v2):
    client.force_login(alice)
    client.post(
        url(round_v2),
        payload(
            strategy_status="adopted",
            strategy_adopted="14.03.2025",  # after the default due date 31.10.2024: late
            youth_council="yes",
        ),
    )
    with translation.override("en"):
        page = client.get(url(round_v2), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Adopted 14.03.2025, after the deadline of 31.10.2024" in page
    assert "Yes, there is a youth council" in page
    assert "Not recorded" in page
    assert "§ 10-1" in page and "§ 5-14" in page
    assert "the last day it could be is assumed" in page  # constitution date not recorded


def test_the_election_term_moves_the_deadlines(client, alice, vega, bank_v2):
    """A round for a term that has not started: nothing is due yet, nothing is a failure."""
    future = AssessmentFactory(
        municipality=vega, bank=bank_v2, created_by=alice, period="2027-2031"
    )
    client.force_login(alice)
    client.post(url(future), payload(strategy_status="not_adopted"))
    with translation.override("en"):
        page = client.get(url(future), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not yet due: due by 31.10.2028" in page


# --- closed rounds, other municipalities, bank v1 ---------------------------------------------


def test_a_closed_round_shows_the_frozen_register_and_refuses_edits(client, alice, round_v2):
    client.force_login(alice)
    client.post(url(round_v2), payload(strategy_status="adopted", strategy_adopted="14.03.2024"))
    services.assessment_close(assessment=round_v2, actor=alice)
    before = saved(round_v2).updated_at

    with translation.override("en"):
        page = client.get(url(round_v2), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "frozen when the round closed" in page
    assert "Adopted 14.03.2024, on time" in page
    assert '<form method="post" novalidate>' not in page

    response = client.post(url(round_v2), payload(strategy_status="not_adopted"))
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    row = saved(round_v2)
    assert (row.strategy_adopted, row.strategy_missing, row.updated_at) == (
        date(2024, 3, 14),
        False,
        before,
    )


def test_the_service_refuses_a_closed_round(alice, round_v2):
    services.assessment_close(assessment=round_v2, actor=alice)
    with pytest.raises(services.ServiceError):
        services.plan_register_save(
            assessment=round_v2, actor=alice, values={"strategy_missing": True}
        )


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_municipalitys_coordinator_gets_404(client, bob, round_v2, method):
    client.force_login(bob)
    response = getattr(client, method)(url(round_v2), payload(strategy_status="not_adopted"))
    assert response.status_code == 404
    assert not PlanRegister.objects.filter(assessment=round_v2).exists()


def test_someone_without_a_municipality_gets_404_and_a_visitor_the_login(client, charlie, round_v2):
    assert client.get(url(round_v2))["Location"].startswith(reverse("login"))
    client.force_login(charlie)
    assert client.get(url(round_v2)).status_code == 404


def test_the_page_and_its_links_exist_only_for_method_2_banks(
    client, alice, round_v2, vega_assessment
):
    client.force_login(alice)
    link = url(round_v2)
    assert link in client.get(reverse("assessment:detail", args=[round_v2.pk])).content.decode()
    assert (
        link in client.get(reverse("assessment:respondents", args=[round_v2.pk])).content.decode()
    )

    v1 = url(vega_assessment)
    assert (
        v1
        not in client.get(reverse("assessment:detail", args=[vega_assessment.pk])).content.decode()
    )
    assert (
        v1
        not in client.get(
            reverse("assessment:respondents", args=[vega_assessment.pk])
        ).content.decode()
    )
    page = client.get(v1)
    assert page.status_code == 200
    assert '<form method="post" novalidate>' not in page.content.decode()
    assert client.post(v1, payload(strategy_status="not_adopted")).status_code == 302
    assert not PlanRegister.objects.filter(assessment=vega_assessment).exists()


# --- the status texts ------------------------------------------------------------------------

TERM = Term(first_year=2023, constituted=date(2023, 10, 19))  # strategy due 19.10.2024


@pytest.mark.parametrize(
    ("recorded", "today", "status", "text"),
    [
        pytest.param(
            Register(strategy_adopted=date(2024, 3, 14)),
            date(2025, 1, 1),
            Status.MET,
            "Adopted 14.03.2024, on time",
            id="met",
        ),
        pytest.param(
            Register(strategy_adopted=date(2025, 2, 1)),
            date(2025, 3, 1),
            Status.LATE,
            "Adopted 01.02.2025, after the deadline of 19.10.2024",
            id="late",
        ),
        pytest.param(
            Register(strategy_missing=True),
            date(2024, 5, 1),
            Status.NOT_DUE,
            "Not yet due: due by 19.10.2024",
            id="not-due",
        ),
        pytest.param(
            Register(strategy_missing=True),
            date(2024, 11, 1),
            Status.MISSING,
            "Overdue since 19.10.2024",
            id="missing",
        ),
        pytest.param(Register(), date(2024, 11, 1), Status.UNKNOWN, "Not recorded", id="unknown"),
    ],
)
def test_status_texts(recorded, today, status, text):
    result = register.evaluate(recorded, TERM, today)["strategy_adopted"]
    assert result.status is status
    with translation.override("en"):
        assert register_texts.status_text(result) == text


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_dates_are_day_month_year_in_every_language(language):
    result = FactResult("delegation_adopted", Status.MISSING, 0.0, due=date(2024, 12, 31))
    with translation.override(language):
        assert "31.12.2024" in register_texts.status_text(result)


@pytest.mark.parametrize(
    ("result", "kwargs", "text"),
    [
        (FactResult("action_part", Status.PARTLY, 75.0), {}, "Linked to the financial plan"),
        (FactResult("action_part", Status.PARTLY, 25.0), {}, "A separate action part"),
        (FactResult("planning_cooperation", Status.NONE, 0.0), {}, "No planning cooperation"),
        (FactResult("youth_council", Status.MISSING, 0.0), {}, "No youth council"),
        (FactResult("plan_count", Status.RECORDED, None), {"plan_count": 1}, "1 plan in force"),
        (FactResult("plan_count", Status.RECORDED, None), {"plan_count": 4}, "4 plans in force"),
        (FactResult("community_part", Status.KEPT, 100.0), {}, "Kept by this term"),
        (
            FactResult(
                "land_use_part",
                Status.PREVIOUS,
                50.0,
                date=date(2020, 5, 5),
                due=date(2024, 10, 19),
            ),
            {},
            "not kept by this term's planning strategy (due 19.10.2024)",
        ),
        (FactResult("land_use_part", Status.MISSING, 0.0), {}, "None adopted"),
    ],
)
def test_status_texts_of_the_other_facts(result, kwargs, text):
    with translation.override("en"):
        assert text in register_texts.status_text(result, **kwargs)

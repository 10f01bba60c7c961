"""Issue 15: the rough edges a new coordinator, respondent and adviser hit (search, rounds,
resuming, invitations, the wizard's numbers and errors, the menu and login). Pages are read in
English so the assertions do not depend on the catalogues' wording."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessment import selectors, services
from assessment.forms import election_terms
from assessment.models import Assessment, Invitation
from assessment.scoring import RoleGroup
from tests.assessment.wizard_helpers import complete_all_steps, management, post_step, step_url

POL = RoleGroup.POLITICIAN


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(response) -> str:
    return response.content.decode()


# --- 1. finding a municipality ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [("TRÆNA", "Træna"), ("træna", "Træna"), ("trae", "Træna"), ("RØST", "Røst"), ("rost", "Røst")],
)
def test_search_ignores_case_and_folds_letters(db, query, name):
    assert name in [m.name for m in selectors.municipality_search(query)]


def test_suggestions_while_typing_are_json_and_keep_the_query(en, charlie):
    en.force_login(charlie)
    response = en.get(reverse("assessment:municipality_suggestions"), {"q": "trae"})
    assert response.status_code == 200
    [first, *_rest] = response.json()["results"]
    assert first["name"] == "Træna"
    assert first["url"] == reverse("assessment:create", kwargs={"number": "1835"}) + "?q=trae"
    # One letter suggests nothing (too many); no query, nothing.
    assert en.get(reverse("assessment:municipality_suggestions"), {"q": "t"}).json() == {
        "results": []
    }


def test_suggestions_need_a_login(client, db):
    response = client.get(reverse("assessment:municipality_suggestions"), {"q": "vega"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_back_to_search_keeps_the_query(en, alice):
    en.force_login(alice)
    page = _page(en.get(reverse("assessment:start"), {"q": "veg"}))
    create = reverse("assessment:create", kwargs={"number": "1815"})
    assert f'href="{create}?q=veg"' in page
    page = _page(en.get(create, {"q": "veg"}))
    assert f'href="{reverse("assessment:start")}?q=veg"' in page
    assert "Back to search" in page


# --- 2. rounds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "current"),
    [
        (date(2026, 11, 30), "2023-2027"),
        (date(2027, 9, 30), "2023-2027"),  # the new council takes over in October
        (date(2027, 10, 1), "2027-2031"),
        (date(2019, 12, 1), "2019-2023"),
    ],
)
def test_terms_are_previous_current_and_next(today, current):
    first = int(current[:4])
    values = [value for value, _label in election_terms(today)]
    assert values == [f"{first - 4}-{first}", current, f"{first + 4}-{first + 8}"]


def test_the_term_is_a_choice_not_free_text(en, alice):
    en.force_login(alice)
    url = reverse("assessment:create", kwargs={"number": "1815"})
    page = _page(en.get(url))
    assert 'type="radio" class="ds-input" name="period"' in page
    response = en.post(url, {"period": "2024-2028", "round": "baseline"})
    assert "period" in response.context["form"].errors


def test_a_second_open_round_alike_is_refused_with_a_link(en, alice, vega_assessment):
    en.force_login(alice)
    url = reverse("assessment:create", kwargs={"number": "1815"})
    same = {
        "period": vega_assessment.period,
        "round": vega_assessment.round,
        "label": f"  {vega_assessment.label.upper()} ",
    }
    response = en.post(url, same)
    assert response.status_code == 200
    page = _page(response)
    assert "already has an open round" in page
    assert f'href="{reverse("assessment:detail", kwargs={"pk": vega_assessment.pk})}"' in page
    assert Assessment.objects.count() == 1
    # Its own label makes it a different round; so does closing the first.
    assert en.post(url, same | {"label": "After the strategy"}).status_code == 302
    assert Assessment.objects.count() == 2


def test_service_refuses_a_duplicate_too(alice, vega, vega_assessment):
    with pytest.raises(services.DuplicateRound) as refused:
        services.assessment_create(
            user=alice,
            municipality=vega,
            period=vega_assessment.period,
            round=vega_assessment.round,
            label=vega_assessment.label,
        )
    assert refused.value.existing == vega_assessment
    Assessment.objects.filter(pk=vega_assessment.pk).update(status=Assessment.Status.CLOSED)
    services.assessment_create(
        user=alice,
        municipality=vega,
        period=vega_assessment.period,
        round=vega_assessment.round,
        label=vega_assessment.label,
    )


def test_my_assessments_tell_rounds_apart(en, alice, vega_assessment):
    Assessment.objects.filter(pk=vega_assessment.pk).update(label="Before the strategy")
    en.force_login(alice)
    page = _page(en.get(reverse("assessment:home")))
    assert "Before the strategy" in page
    assert "Created" in page
    assert vega_assessment.period in page


# --- 3. resuming --------------------------------------------------------------------------


def test_home_offers_to_continue_at_the_next_step(en, alice, vega_assessment, bank):
    en.force_login(alice)
    en.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}), {"role_group": "politician"}
    )
    steps = [t.key for t in bank.themes if any(q.spec.asked_of(POL) for q in t.questions)]
    for step in steps[:3]:
        assert post_step(en, vega_assessment, bank, step, POL).status_code == 302
    page = _page(en.get(reverse("assessment:home")))
    assert f"Continue your answers – step 4 of {len(steps)}" in page
    link = reverse("assessment:wizard", kwargs={"pk": vega_assessment.pk})
    assert f'href="{link}"' in page
    # The one click lands on step 4, which says so.
    response = en.get(link, follow=True)
    assert response.redirect_chain[-1][0] == step_url(vega_assessment, steps[3])
    assert f"Step 4 of {len(steps)}" in _page(response)


def test_after_submitting_the_coordinator_gets_a_receipt(en, alice, vega_assessment, bank):
    en.force_login(alice)
    response = complete_all_steps(en, vega_assessment, bank, POL)
    assert response.status_code == 302, _page(response)[:3000]
    page = _page(en.get(response.url, follow=True))
    assert vega_assessment.respondents.get().submitted_at is not None, response.url
    assert "Thank you: your answers are submitted" in page
    assert "Continue where you left off" not in page
    assert "Continue your answers" not in _page(en.get(reverse("assessment:home")))


# --- 4. invitations -----------------------------------------------------------------------


def test_creating_links_redirects_so_a_reload_sends_nothing(
    en, alice, vega_assessment, django_capture_on_commit_callbacks
):
    en.force_login(alice)
    url = reverse("assessment:respondents", kwargs={"pk": vega_assessment.pk})
    data = {
        "action": "create",
        "role_group": "politician",
        "emails": "a@vega.kommune.no\nb@vega.kommune.no",
        "group_link": "on",
        "note": "Council meeting 12 March",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url, data)
    assert response.status_code == 302 and response.url == url
    page = _page(en.get(url))
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 3
    # The form is empty again; the shared link is named by its note.
    assert "a@vega.kommune.no</textarea>" not in page
    assert 'value="Council meeting 12 March"' not in page
    assert "Council meeting 12 March" in page
    assert "Copy link" in page
    # A reload is a GET: nothing is sent or made again, and the link is not shown twice.
    page = _page(en.get(url))
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 3
    assert "Copy link" not in page


def test_revoking_asks_first(en, alice, vega_assessment):
    en.force_login(alice)
    url = reverse("assessment:respondents", kwargs={"pk": vega_assessment.pk})
    issued = services.invitations_create(
        assessment=vega_assessment, role_group="politician", group_link=True, link_for=str
    )
    assert issued is not None
    invitation = issued.invitation
    response = en.post(url, {"action": "revoke", "invitation": invitation.pk})
    assert response.status_code == 200
    assert "Revoke the link?" in _page(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    response = en.post(url, {"action": "revoke", "invitation": invitation.pk, "confirm": "yes"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_participants_page_offers_closing_through_the_confirmation(
    en, alice, vega_assessment, bank
):
    en.force_login(alice)
    done = complete_all_steps(en, vega_assessment, bank, POL)
    en.get(done.url)  # the wizard's "done" step submits
    assert vega_assessment.respondents.get().submitted_at is not None
    page = _page(en.get(reverse("assessment:respondents", kwargs={"pk": vega_assessment.pk})))
    assert f'href="{reverse("reports:close", kwargs={"pk": vega_assessment.pk})}"' in page


# --- 5. invitees --------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_invitation_subject_reads_naturally(
    alice, vega_assessment, language, django_capture_on_commit_callbacks
):
    from assessment.models import LanguageForm

    vega_assessment.municipality.official_language_form = (
        LanguageForm.NYNORSK if language == "nn" else LanguageForm.BOKMAAL
    )
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(
            assessment=vega_assessment,
            role_group="politician",
            emails=["p@vega.kommune.no"],
            link_for=str,
        )
    # The e-mail is written in the municipality's language (nb or nn): never "your answers".
    [message] = mail.outbox
    assert "Vega" in message.subject
    assert "svarene dine" not in message.subject and "svara dine" not in message.subject


def test_invitees_are_not_offered_a_login(en, respondent, vega_assessment):
    page = _page(respondent.get(reverse("assessment:response", kwargs={"pk": vega_assessment.pk})))
    assert reverse("login") not in page
    page = _page(
        respondent.get(
            reverse("assessment:response_wizard", kwargs={"pk": vega_assessment.pk}), follow=True
        )
    )
    assert reverse("login") not in page
    # Everyone else still finds it.
    assert reverse("login") in _page(Client().get(reverse("assessment:home")))


# --- 6. the wizard's numbers and errors ------------------------------------------------------


def _number_step(bank):
    return next(t.key for t in bank.themes if any(q.key == "af_plan_count" for q in t.questions))


def test_counted_things_take_whole_numbers(en, alice, vega_assessment, bank):
    en.force_login(alice)
    en.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}),
        {"role_group": "administration"},
    )
    step = _number_step(bank)
    response = post_step(
        en, vega_assessment, bank, step, RoleGroup.ADMINISTRATION, af_plan_count="12,5"
    )
    assert response.status_code == 200
    assert "whole number" in str(response.context["form"].errors["af_plan_count"])
    response = post_step(
        en, vega_assessment, bank, step, RoleGroup.ADMINISTRATION, af_plan_count="-1"
    )
    assert response.context["form"].errors["af_plan_count"] == ["The number must be at least 0."]
    response = post_step(
        en, vega_assessment, bank, step, RoleGroup.ADMINISTRATION, af_plan_count="12"
    )
    assert response.status_code == 302


def test_ftes_keep_decimals_shown_in_the_pages_language(client, alice, vega_assessment, bank):
    assert bank.questions["re_fte"].asks_whole_number is False
    assert bank.questions["af_plan_count"].asks_whole_number is True
    client.force_login(alice)  # bokmål
    client.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}),
        {"role_group": "administration"},
    )
    step = next(t.key for t in bank.themes if any(q.key == "re_fte" for q in t.questions))
    for earlier in [t.key for t in bank.themes][: [t.key for t in bank.themes].index(step)]:
        post_step(client, vega_assessment, bank, earlier, RoleGroup.ADMINISTRATION)
    response = post_step(
        client, vega_assessment, bank, step, RoleGroup.ADMINISTRATION, re_fte="1,5"
    )
    assert response.status_code == 302
    page = _page(client.get(step_url(vega_assessment, step)))
    assert re.search(r'name="[^"]*re_fte" value="1,5"', page)


def test_error_summary_reads_as_a_sentence(en, alice, vega_assessment, bank):
    en.force_login(alice)
    en.post(
        reverse("assessment:intro", kwargs={"pk": vega_assessment.pk}), {"role_group": "politician"}
    )
    step = bank.themes[0].key
    response = en.post(
        step_url(vega_assessment, step),
        management(vega_assessment, {"assessment_wizard_current_step": step}),
    )
    page = _page(response)
    summary = page[
        page.index("data-error-summary") : page.index("</ul>", page.index("data-error-summary"))
    ]
    assert "Choose an answer to “" in summary
    assert "?: " not in summary


# --- 7, 8. advisers and the language switch ----------------------------------------------


def test_an_adviser_lands_on_the_dashboard_with_adviser_menu(client, adviser_in_scope):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("login"), {"username": adviser_in_scope.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reports:adviser_dashboard")
    page = _page(response)
    assert reverse("reports:adviser_dashboard") in page
    assert f'href="{reverse("assessment:start")}"' not in page
    assert f'href="{reverse("assessment:coordinators")}"' not in page


def test_a_coordinator_keeps_the_coordinator_menu(client, alice):
    client.force_login(alice)
    page = _page(client.get(reverse("assessment:home")))
    assert f'href="{reverse("assessment:start")}"' in page
    assert f'href="{reverse("reports:adviser_dashboard")}"' not in page


def test_language_switch_submits_on_change_and_keeps_its_button(client, db):
    page = _page(client.get(reverse("assessment:home")))
    form = page[
        page.index('class="language-form"') - 60 : page.index(
            "</form>", page.index('class="language-form"')
        )
    ]
    assert "data-submit-on-change" in form
    assert 'type="submit"' in form

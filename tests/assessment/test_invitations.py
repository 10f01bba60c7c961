"""Several respondents: invitation links made on the status page, answered without an account,
revoked, expired, resent, and the round closed with answers from every role group."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from assessment.models import Answer, Invitation, Respondent, ResultSnapshot
from assessment.scoring import RoleGroup
from tests.assessment.wizard_helpers import management, step_data

ADM = RoleGroup.ADMINISTRATION
POL = RoleGroup.POLITICIAN
LINK_RE = re.compile(r"<code>(http://testserver/svar/([^/<]+)/)</code>")


# --- helpers --------------------------------------------------------------------------------


def status_url(assessment) -> str:
    return reverse("assessment:respondents", kwargs={"pk": assessment.pk})


def invite_url(token: str) -> str:
    return reverse("assessment:invite", kwargs={"token": token})


def invite_step_url(token: str, step: str) -> str:
    return reverse("assessment:invite_step", kwargs={"token": token, "step": step})


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def links_in(response) -> list[tuple[str, str]]:
    """(link, token) pairs shown on the status page, in order."""
    return LINK_RE.findall(response.content.decode())


def create_links(client, assessment, role: RoleGroup, count=0, emails=()) -> list[str]:
    """Create links through the status page; returns the raw tokens shown."""
    response = client.post(
        status_url(assessment),
        {
            "action": "create",
            "role_group": role.value,
            "count": str(count) if count else "",
            "emails": "\n".join(emails),
        },
    )
    assert response.status_code == 200
    return [token for _, token in links_in(response)]


def themes_for(bank, role: RoleGroup) -> list[str]:
    return [t.key for t in bank.themes if any(q.spec.asked_of(role) for q in t.questions)]


def post_invite_step(client, assessment, bank, token, step, role, level=4):
    data = management(assessment, step_data(bank, step, role, level))
    return client.post(invite_step_url(token, step), data)


def walk_invitation(assessment, bank, token: str, role: RoleGroup, level: int = 4) -> Client:
    """One invitee answers everything through their link in their own browser."""
    client = Client()
    intro = client.get(invite_url(token))
    assert intro.status_code == 200
    assert "assessment/invite/intro.html" in template_names(intro)
    start = client.get(reverse("assessment:invite_wizard", kwargs={"token": token}))
    assert start.status_code == 302
    steps = themes_for(bank, role)
    assert start.url == invite_step_url(token, steps[0])
    for step in steps:
        response = post_invite_step(client, assessment, bank, token, step, role, level)
        assert response.status_code == 302, response.content.decode()[:2000]
    check = client.get(invite_step_url(token, "kontroll"))
    assert check.status_code == 200
    response = client.post(
        invite_step_url(token, "kontroll"),
        management(assessment, {"assessment_wizard_current_step": "kontroll"}),
    )
    assert response.status_code == 302
    assert response.url == invite_step_url(token, "send")
    done = client.get(response.url)
    assert done.status_code == 302
    assert done.url == invite_url(token)
    return client


def respondent_of(token: str) -> Respondent:
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    return Invitation.objects.get(token_hash=token_hash).respondent


@pytest.fixture
def client_alice(client, alice):
    client.force_login(alice)
    return client


# --- creating links -------------------------------------------------------------------------


def test_status_page_creates_links_shown_once_and_emails_them(
    client_alice, vega_assessment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_alice.post(
            status_url(vega_assessment),
            {
                "action": "create",
                "role_group": "politician",
                "count": "2",
                "emails": "a@x.no\nb@x.no",
            },
        )
    assert response.status_code == 200
    assert Invitation.objects.filter(assessment=vega_assessment).count() == 4
    assert set(Invitation.objects.values_list("role_group", flat=True)) == {"politician"}
    shown = links_in(response)
    assert len(shown) == 4
    tokens = [token for _, token in shown]
    assert len(set(tokens)) == 4
    body = response.content.decode()
    for link, _token in shown:
        assert body.count(link) == 1  # shown once, not repeated in the table below

    # Only a hash is stored, never the token itself.
    stored_hashes = set(Invitation.objects.values_list("token_hash", flat=True))
    assert stored_hashes == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    for invitation in Invitation.objects.all():
        assert re.fullmatch(r"[0-9a-f]{64}", invitation.token_hash)
        values = [str(getattr(invitation, f.attname)) for f in Invitation._meta.concrete_fields]
        for token in tokens:
            assert not any(token in value for value in values)

    # Shown only this once.
    again = client_alice.get(status_url(vega_assessment))
    assert again.status_code == 200
    assert links_in(again) == []
    for token in tokens:
        assert token not in again.content.decode()

    # One e-mail per address, each with its own link.
    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"a@x.no", "b@x.no"}
    for address, message in by_address.items():
        invitation = Invitation.objects.get(email=address)
        assert invitation.sent_at is not None
        links = re.findall(r"http://testserver/svar/([^/\s]+)/", message.body)
        assert len(links) == 1
        assert hashlib.sha256(links[0].encode()).hexdigest() == invitation.token_hash
        assert links[0] in tokens
    anonymous = Invitation.objects.filter(email="")
    assert anonymous.count() == 2
    assert all(i.sent_at is None for i in anonymous)


@pytest.mark.parametrize(
    "data",
    [
        {"count": "", "emails": ""},
        {"count": "", "emails": "a@x.no\nnot-an-address"},
        {"count": "500", "emails": ""},
        {"count": "-1", "emails": ""},
    ],
    ids=["nothing", "bad-email", "too-many", "negative"],
)
def test_status_page_refuses_bad_input(
    client_alice, vega_assessment, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_alice.post(
            status_url(vega_assessment), {"action": "create", "role_group": "politician", **data}
        )
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not Invitation.objects.exists()
    assert links_in(response) == []
    assert mail.outbox == []


def test_no_links_for_a_closed_round(client_alice, vega_assessment):
    vega_assessment.status = vega_assessment.Status.CLOSED
    vega_assessment.save()
    response = client_alice.get(status_url(vega_assessment))
    assert response.status_code == 200
    assert 'name="action" value="create"' not in response.content.decode()


# --- answering through a link ---------------------------------------------------------------


def test_link_opens_intro_and_wizard_without_login(client_alice, vega_assessment, bank):
    [token] = create_links(client_alice, vega_assessment, POL, count=1)
    invitee = Client()
    response = invitee.get(invite_url(token))
    assert response.status_code == 200
    assert "assessment/invite/intro.html" in template_names(response)
    assert response.context["respondent"].role_group == "politician"
    assert response.context["respondent"].user is None
    assert reverse("assessment:invite_wizard", kwargs={"token": token}) in response.content.decode()
    start = invitee.get(reverse("assessment:invite_wizard", kwargs={"token": token}))
    assert start.status_code == 302
    first = themes_for(bank, POL)[0]
    assert start.url == invite_step_url(token, first)
    page = invitee.get(start.url)
    assert page.status_code == 200
    assert page.context["respondent"].role_group == "politician"
    # Opening the link twice does not make a second respondent.
    invitee.get(invite_url(token))
    assert Respondent.objects.filter(assessment=vega_assessment).count() == 1


@pytest.mark.parametrize("role", [POL, ADM], ids=["politician", "administration"])
def test_invitee_sees_questions_for_their_role_only(client_alice, vega_assessment, bank, role):
    [token] = create_links(client_alice, vega_assessment, role, count=1)
    invitee = Client()
    invitee.get(invite_url(token))
    other = ADM if role is POL else POL
    own_only = [q for q in bank.questions.values() if q.audience.value == role.value]
    other_only = [q for q in bank.questions.values() if q.audience.value == other.value]
    assert own_only and other_only
    for question in own_only:
        page = invitee.get(invite_step_url(token, question.theme_key))
        assert page.status_code == 200
        assert question.key in page.context["form"].fields
    for question in other_only:
        page = invitee.get(invite_step_url(token, question.theme_key))
        assert page.status_code == 200
        assert question.key not in page.context["form"].fields


def test_invitee_step_is_saved_for_their_own_respondent(client_alice, vega_assessment, bank):
    [token] = create_links(client_alice, vega_assessment, ADM, count=1)
    invitee = Client()
    invitee.get(invite_url(token))
    step = themes_for(bank, ADM)[0]
    response = post_invite_step(invitee, vega_assessment, bank, token, step, ADM)
    assert response.status_code == 302
    assert response.url == invite_step_url(token, themes_for(bank, ADM)[1])
    respondent = respondent_of(token)
    assert respondent.saved_steps == [step]
    assert Answer.objects.filter(respondent=respondent).exists()


# --- the round with several respondents -----------------------------------------------------


@pytest.mark.parametrize(("politicians", "administration"), [(2, 1), (2, 2)], ids=["2+1", "2+2"])
def test_round_with_several_respondents_through_links(
    client_alice,
    vega_assessment,
    bank,
    politicians,
    administration,
    django_capture_on_commit_callbacks,
):
    pol_emails = [f"pol{i}@x.no" for i in range(politicians)]
    with django_capture_on_commit_callbacks(execute=True):
        pol_tokens = create_links(client_alice, vega_assessment, POL, emails=pol_emails)
    adm_tokens = create_links(client_alice, vega_assessment, ADM, count=administration)
    assert len(pol_tokens) == politicians
    assert len(adm_tokens) == administration
    assert len(mail.outbox) == politicians

    status = client_alice.get(status_url(vega_assessment))
    progress = {row["role"]: row for row in status.context["progress"]}
    assert progress["politician"]["invited"] == politicians
    assert progress["politician"]["started"] == 0

    # The first politician answers everything; the rest answer too.
    walk_invitation(vega_assessment, bank, pol_tokens[0], POL, level=5)
    midway = client_alice.get(status_url(vega_assessment))
    progress = {row["role"]: row for row in midway.context["progress"]}
    assert progress["politician"]["finished"] == 1
    assert progress["administration"]["finished"] == 0

    for token in pol_tokens[1:]:
        walk_invitation(vega_assessment, bank, token, POL, level=4)
    for token in adm_tokens:
        walk_invitation(vega_assessment, bank, token, ADM, level=2)

    respondents = Respondent.objects.filter(assessment=vega_assessment)
    assert respondents.count() == politicians + administration
    assert all(r.submitted_at is not None and r.user is None for r in respondents)

    status = client_alice.get(status_url(vega_assessment))
    assert status.status_code == 200
    progress = {row["role"]: row for row in status.context["progress"]}
    assert progress["politician"] | {"label": None} == {
        "role": "politician",
        "label": None,
        "invited": politicians,
        "started": politicians,
        "finished": politicians,
    }
    assert progress["administration"]["started"] == administration
    assert progress["administration"]["finished"] == administration
    assert progress["other"]["started"] == progress["other"]["finished"] == 0

    # No e-mail address is paired with whether that person has answered.
    body = status.content.decode()
    with translation.override("nb"):
        words = [gettext("Started"), gettext("Submitted")]
    for address in pol_emails:
        rows = [row for row in body.split("<tr") if address in row]
        assert rows, address
        for row in rows:
            for word in words:
                assert word not in row

    close = client_alice.post(reverse("assessment:close", kwargs={"pk": vega_assessment.pk}))
    assert close.status_code == 302
    assert close.url == reverse("assessment:results", kwargs={"pk": vega_assessment.pk})
    snapshot = ResultSnapshot.objects.get(assessment=vega_assessment)
    assert snapshot.profile["respondents_by_role"] == {
        "politician": politicians,
        "administration": administration,
        "other": 0,
    }
    assert snapshot.profile["respondents"] == politicians + administration
    gaps = [t for t in snapshot.profile["themes"] if t["gap"] is not None]
    if administration >= 2:
        assert gaps
    else:
        assert gaps == []


# --- revoked, expired, unknown, closed, resent ----------------------------------------------


def _error_check(response, status: int, template: str):
    assert response.status_code == status
    assert template in template_names(response)


def test_revoked_link_says_so_with_410(client_alice, vega_assessment, bank):
    [token] = create_links(client_alice, vega_assessment, POL, count=1)
    Client().get(invite_url(token))
    invitation = Invitation.objects.get()
    response = client_alice.post(
        status_url(vega_assessment), {"action": "revoke", "invitation": invitation.pk}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    invitee = Client()
    template = "assessment/invite/error_revoked.html"
    _error_check(invitee.get(invite_url(token)), 410, template)
    _error_check(invitee.get(invite_step_url(token, themes_for(bank, POL)[0])), 410, template)
    _error_check(
        invitee.get(reverse("assessment:invite_wizard", kwargs={"token": token})), 410, template
    )
    posted = post_invite_step(invitee, vega_assessment, bank, token, themes_for(bank, POL)[0], POL)
    _error_check(posted, 410, template)
    assert not Answer.objects.exists()
    with translation.override("nb"):
        assert (
            gettext("The link has been withdrawn")
            in invitee.get(invite_url(token)).content.decode()
        )
    # A revoked link cannot be resent.
    response = client_alice.post(
        status_url(vega_assessment), {"action": "resend", "invitation": invitation.pk}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().token_hash == invitation.token_hash


def test_expired_link_says_so_with_410(client_alice, vega_assessment, bank):
    [token] = create_links(client_alice, vega_assessment, ADM, count=1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    template = "assessment/invite/error_expired.html"
    invitee = Client()
    _error_check(invitee.get(invite_url(token)), 410, template)
    _error_check(invitee.get(invite_step_url(token, themes_for(bank, ADM)[0])), 410, template)
    assert not Respondent.objects.exists()


def test_unknown_link_is_404_page(client, vega_assessment, bank):
    template = "assessment/invite/error_unknown.html"
    _error_check(client.get(invite_url("not-a-real-token")), 404, template)
    _error_check(client.get(invite_step_url("not-a-real-token", "kontroll")), 404, template)


def test_link_after_round_closed_says_so_with_410(client_alice, vega_assessment, bank):
    [token, other] = create_links(client_alice, vega_assessment, POL, count=2)
    walk_invitation(vega_assessment, bank, token, POL)
    response = client_alice.post(reverse("assessment:close", kwargs={"pk": vega_assessment.pk}))
    assert response.status_code == 302
    template = "assessment/invite/error_closed.html"
    invitee = Client()
    for t in (token, other):
        _error_check(invitee.get(invite_url(t)), 410, template)
        _error_check(invitee.get(invite_step_url(t, themes_for(bank, POL)[0])), 410, template)


def test_resend_replaces_the_token_and_keeps_the_answers(client_alice, vega_assessment, bank):
    [old] = create_links(client_alice, vega_assessment, ADM, count=1)
    invitee = Client()
    invitee.get(invite_url(old))
    first, second = themes_for(bank, ADM)[:2]
    post_invite_step(invitee, vega_assessment, bank, old, first, ADM, level=5)
    respondent = respondent_of(old)
    answers_before = set(Answer.objects.filter(respondent=respondent).values_list("pk", "value"))
    assert answers_before

    invitation = Invitation.objects.get()
    response = client_alice.post(
        status_url(vega_assessment), {"action": "resend", "invitation": invitation.pk}
    )
    assert response.status_code == 200
    [new] = [token for _, token in links_in(response)]
    assert new != old
    assert Invitation.objects.count() == 1

    _error_check(invitee.get(invite_url(old)), 404, "assessment/invite/error_unknown.html")
    page = invitee.get(invite_url(new))
    assert page.status_code == 200
    assert page.context["respondent"].pk == respondent.pk
    assert Respondent.objects.count() == 1
    resume = invitee.get(reverse("assessment:invite_wizard", kwargs={"token": new}))
    assert resume.url == invite_step_url(new, second)
    step = invitee.get(invite_step_url(new, first))
    assert step.status_code == 200
    assert step.context["form"].data, "the saved step is shown with its answers"
    kept = set(Answer.objects.filter(respondent=respondent).values_list("pk", "value"))
    assert kept == answers_before


# --- who can reach what ---------------------------------------------------------------------


def test_invitee_cannot_reach_coordinator_pages(client_alice, vega_assessment, bank):
    [token] = create_links(client_alice, vega_assessment, POL, count=1)
    invitee = Client()
    walk_invitation(vega_assessment, bank, token, POL)
    pk = vega_assessment.pk
    for url in [
        reverse("assessment:results", kwargs={"pk": pk}),
        reverse("assessment:respondents", kwargs={"pk": pk}),
        reverse("assessment:workshop", kwargs={"pk": pk}),
        reverse("assessment:detail", kwargs={"pk": pk}),
        reverse("assessment:report_pdf", kwargs={"pk": pk}),
        reverse("assessment:wizard_step", kwargs={"pk": pk, "step": themes_for(bank, POL)[0]}),
        reverse("assessment:wizard_step", kwargs={"pk": pk, "step": "kontroll"}),
    ]:
        response = invitee.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = invitee.post(
        reverse("assessment:respondents", kwargs={"pk": pk}),
        {"action": "revoke", "invitation": Invitation.objects.get().pk},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Invitation.objects.get().revoked_at is None
    response = invitee.post(reverse("assessment:close", kwargs={"pk": pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    vega_assessment.refresh_from_db()
    assert vega_assessment.is_open


def test_each_link_shows_only_its_own_answers(client_alice, vega_assessment, bank):
    first_token, second_token = create_links(client_alice, vega_assessment, ADM, count=2)
    step = themes_for(bank, ADM)[0]
    browser = Client()  # one shared computer, both links used in it
    browser.get(invite_url(first_token))
    post_invite_step(browser, vega_assessment, bank, first_token, step, ADM, level=5)
    browser.get(invite_url(second_token))
    page = browser.get(invite_step_url(second_token, step))
    assert page.status_code == 200
    assert page.context["respondent"].pk == respondent_of(second_token).pk
    assert not page.context["form"].is_bound, "the second respondent has saved nothing"
    assert respondent_of(second_token).saved_steps == []
    post_invite_step(browser, vega_assessment, bank, second_token, step, ADM, level=1)
    first, second = respondent_of(first_token), respondent_of(second_token)
    assert first.pk != second.pk
    first_values = set(Answer.objects.filter(respondent=first).values_list("value", flat=True))
    second_values = set(Answer.objects.filter(respondent=second).values_list("value", flat=True))
    assert first_values != second_values
    assert "1" not in first_values and "5" not in second_values


# --- another municipality -------------------------------------------------------------------


def test_other_coordinator_cannot_see_or_act_on_status_page(
    client, alice, bob, vega_assessment, utsira_assessment, bank
):
    client.force_login(alice)
    create_links(client, vega_assessment, POL, count=1)
    invitation = Invitation.objects.get()
    client.force_login(bob)
    assert client.get(status_url(vega_assessment)).status_code == 404
    for action in ("revoke", "resend"):
        response = client.post(
            status_url(vega_assessment), {"action": action, "invitation": invitation.pk}
        )
        assert response.status_code == 404
        # Through bob's own status page, Vega's invitation ids are not found either.
        response = client.post(
            status_url(utsira_assessment), {"action": action, "invitation": invitation.pk}
        )
        assert response.status_code == 404
    response = client.post(
        status_url(vega_assessment), {"action": "create", "role_group": "politician", "count": 3}
    )
    assert response.status_code == 404
    assert Invitation.objects.count() == 1
    unchanged = Invitation.objects.get()
    assert unchanged.revoked_at is None
    assert unchanged.token_hash == invitation.token_hash


def test_outsider_cannot_see_status_page(client, charlie, vega_assessment):
    client.force_login(charlie)
    assert client.get(status_url(vega_assessment)).status_code == 404

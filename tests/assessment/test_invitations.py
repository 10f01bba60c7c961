"""Several respondents: invitations sent or handed out, answered without an account, revoked,
expired, sent again, and the round closed with answers from every role group.

The privacy promise under test: an invitation is a ticket that starts a new, empty response;
the response is opened only by the browser that started it or by the respondent's own resume
key, which only the respondent ever sees. Nothing a coordinator is shown opens anyone's answers.
"""

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

from assessment.models import Answer, Invitation, Respondent, ResultSnapshot, ThemeComment
from assessment.scoring import RoleGroup
from tests.assessment.wizard_helpers import management, step_data

ADM = RoleGroup.ADMINISTRATION
POL = RoleGroup.POLITICIAN
GROUP_LINK_RE = re.compile(r'<code class="issued-link">http://testserver/svar/([^/<]+)/</code>')
MAIL_LINK_RE = re.compile(r"http://testserver/svar/([^/\s]+)/")
RESUME_RE = re.compile(r"http://testserver/svar/fortsett/([^/<\s]+)/")
ANY_KEY_RE = re.compile(r"/svar/(?:fortsett/)?([A-Za-z0-9_-]{20,})/")


# --- helpers --------------------------------------------------------------------------------


def status_url(assessment) -> str:
    return reverse("assessment:respondents", kwargs={"pk": assessment.pk})


def invite_url(token: str) -> str:
    return reverse("assessment:invite", kwargs={"token": token})


def response_url(assessment) -> str:
    return reverse("assessment:response", kwargs={"pk": assessment.pk})


def step_url(assessment, step: str) -> str:
    return reverse("assessment:response_step", kwargs={"pk": assessment.pk, "step": step})


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def create_group_link(client, assessment, role: RoleGroup, note: str = "") -> str:
    """Make a shared link through the status page; returns the token shown (once)."""
    response = client.post(
        status_url(assessment),
        {"action": "create", "role_group": role.value, "group_link": "on", "note": note},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    page = client.get(status_url(assessment))
    [token] = GROUP_LINK_RE.findall(page.content.decode())
    return token


def send_personal(client, assessment, role: RoleGroup, emails, capture) -> list[str]:
    """Send personal invitations; returns the tokens from the e-mails (never from a page)."""
    before = len(mail.outbox)
    with capture(execute=True):
        response = client.post(
            status_url(assessment),
            {"action": "create", "role_group": role.value, "emails": "\n".join(emails)},
        )
    assert response.status_code == 302
    return [MAIL_LINK_RE.findall(m.body)[0] for m in mail.outbox[before:]]


def start(client, token: str):
    """Press "Start" on an invitation: a new response bound to this browser. Returns the
    respondent's page, which shows the personal resume key once."""
    response = client.post(invite_url(token))
    assert response.status_code == 302, response.content.decode()[:1000]
    assert response.url.startswith("/besvarelse/")
    return client.get(response.url)


def resume_key_in(response) -> str:
    [key] = RESUME_RE.findall(response.content.decode())
    return key


def themes_for(bank, role: RoleGroup) -> list[str]:
    return [t.key for t in bank.themes if any(q.spec.asked_of(role) for q in t.questions)]


def post_step(client, assessment, bank, step, role, level=4, comment=""):
    data = management(assessment, step_data(bank, step, role, level))
    if comment:
        data[f"{step}-comment"] = comment
    return client.post(step_url(assessment, step), data)


def answer_all(client, assessment, bank, role: RoleGroup, level: int = 4, comment: str = ""):
    for step in themes_for(bank, role):
        response = post_step(client, assessment, bank, step, role, level, comment)
        assert response.status_code == 302, response.content.decode()[:2000]


def submit(client, assessment):
    response = client.post(
        step_url(assessment, "kontroll"),
        management(assessment, {"assessment_wizard_current_step": "kontroll"}),
    )
    assert response.status_code == 302
    done = client.get(response.url)
    assert done.status_code == 302
    assert done.url == response_url(assessment)
    return client.get(done.url)


def walk(assessment, bank, token: str, role: RoleGroup, level: int = 4, comment="") -> Client:
    """One invitee answers everything in their own browser and submits."""
    client = Client()
    intro = client.get(invite_url(token))
    assert intro.status_code == 200
    assert "assessment/invite/intro.html" in template_names(intro)
    start(client, token)
    answer_all(client, assessment, bank, role, level, comment)
    assert client.get(step_url(assessment, "kontroll")).status_code == 200
    receipt = submit(client, assessment)
    assert "assessment/invite/receipt.html" in template_names(receipt)
    return client


@pytest.fixture
def client_alice(client, alice):
    client.force_login(alice)
    return client


# --- sending invitations --------------------------------------------------------------------


def test_group_link_is_shown_once_after_a_redirect_and_only_its_hash_is_stored(
    client_alice, vega_assessment
):
    token = create_group_link(client_alice, vega_assessment, POL, note="council meeting")
    invitation = Invitation.objects.get()
    assert invitation.kind == Invitation.Kind.GROUP
    assert invitation.note == "council meeting"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    values = [str(getattr(invitation, f.attname)) for f in Invitation._meta.concrete_fields]
    assert not any(token in value for value in values)
    # Shown once: a reload shows it no more, and does not make another.
    again = client_alice.get(status_url(vega_assessment))
    assert token not in again.content.decode()
    assert Invitation.objects.count() == 1


def test_personal_invitations_are_emailed_and_never_shown(
    client_alice, vega_assessment, django_capture_on_commit_callbacks
):
    tokens = send_personal(
        client_alice,
        vega_assessment,
        POL,
        ["a@x.no", "b@x.no"],
        django_capture_on_commit_callbacks,
    )
    assert len(tokens) == 2
    assert {m.to[0] for m in mail.outbox} == {"a@x.no", "b@x.no"}
    assert all(i.kind == Invitation.Kind.PERSONAL for i in Invitation.objects.all())
    page = client_alice.get(status_url(vega_assessment)).content.decode()
    for token in tokens:
        assert token not in page
    assert "a@x.no" in page  # who was invited is the coordinator's own list


@pytest.mark.parametrize(
    "data",
    [{"emails": ""}, {"emails": "a@x.no\nnot-an-address"}, {"emails": "a@x.no", "note": "x" * 101}],
    ids=["nothing", "bad-email", "long-note"],
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
    assert mail.outbox == []


@pytest.mark.parametrize("raw", ["abc", "²", "-1", "9" * 30, ""])
def test_tampered_invitation_ids_give_a_message_not_a_500(client_alice, vega_assessment, raw):
    for action in ("revoke", "resend"):
        response = client_alice.post(
            status_url(vega_assessment), {"action": action, "invitation": raw}, follow=True
        )
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_no_invitations_for_a_closed_round(client_alice, vega_assessment):
    vega_assessment.status = vega_assessment.Status.CLOSED
    vega_assessment.save()
    response = client_alice.get(status_url(vega_assessment))
    assert 'name="action" value="create"' not in response.content.decode()


# --- opening and starting -------------------------------------------------------------------


def test_opening_a_link_creates_nothing(client_alice, vega_assessment):
    """Mail scanners and link previews GET (and HEAD) links: that must start nothing."""
    token = create_group_link(client_alice, vega_assessment, POL)
    scanner = Client()
    for _ in range(3):
        assert scanner.get(invite_url(token)).status_code == 200
        assert scanner.head(invite_url(token)).status_code == 200
    assert not Respondent.objects.exists()
    assert Invitation.objects.get().claimed_at is None


def test_start_binds_the_browser_and_the_wizard_urls_carry_no_key(
    client_alice, vega_assessment, bank
):
    token = create_group_link(client_alice, vega_assessment, POL)
    invitee = Client()
    page = start(invitee, token)
    assert "assessment/invite/response.html" in template_names(page)
    respondent = Respondent.objects.get()
    assert respondent.role_group == "politician" and respondent.user is None
    key = resume_key_in(page)
    assert respondent.resume_hash == hashlib.sha256(key.encode()).hexdigest()
    # Shown once: reloading the page does not show it again.
    assert key not in invitee.get(response_url(vega_assessment)).content.decode()
    first = themes_for(bank, POL)[0]
    wizard = invitee.get(reverse("assessment:response_wizard", kwargs={"pk": vega_assessment.pk}))
    assert wizard.status_code == 302
    assert wizard.url == step_url(vega_assessment, first)
    assert token not in wizard.url and key not in wizard.url
    step = invitee.get(wizard.url)
    assert step.status_code == 200
    assert token not in step.content.decode() and key not in step.content.decode()


def test_a_group_link_starts_one_response_per_person(client_alice, vega_assessment, bank):
    token = create_group_link(client_alice, vega_assessment, ADM)
    first, second = Client(), Client()
    start(first, token)
    start(second, token)
    assert Respondent.objects.count() == 2
    step = themes_for(bank, ADM)[0]
    post_step(first, vega_assessment, bank, step, ADM, level=5)
    page = second.get(step_url(vega_assessment, step))
    assert page.status_code == 200
    assert not page.context["form"].is_bound, "the second person sees an empty step"
    # Pressing Start again always starts a new, empty response: on a shared computer the
    # next person must never continue the previous person's answers.
    first.post(invite_url(token))
    assert Respondent.objects.count() == 3
    page = first.get(step_url(vega_assessment, step))
    assert not page.context["form"].is_bound


def test_a_personal_invitation_starts_one_response_only(
    client_alice, vega_assessment, django_capture_on_commit_callbacks
):
    [token] = send_personal(
        client_alice, vega_assessment, POL, ["a@x.no"], django_capture_on_commit_callbacks
    )
    start(Client(), token)
    other = Client()
    for response in (other.get(invite_url(token)), other.post(invite_url(token))):
        assert response.status_code == 410
        assert "assessment/invite/error_used.html" in template_names(response)
    assert Respondent.objects.count() == 1


@pytest.mark.parametrize("role", [POL, ADM], ids=["politician", "administration"])
def test_invitee_sees_questions_for_their_role_only(client_alice, vega_assessment, bank, role):
    token = create_group_link(client_alice, vega_assessment, role)
    invitee = Client()
    start(invitee, token)
    other = ADM if role is POL else POL
    own_only = [q for q in bank.questions.values() if q.audience.value == role.value]
    other_only = [q for q in bank.questions.values() if q.audience.value == other.value]
    assert own_only and other_only
    for question in own_only:
        page = invitee.get(step_url(vega_assessment, question.theme_key))
        assert question.key in page.context["form"].fields
    for question in other_only:
        page = invitee.get(step_url(vega_assessment, question.theme_key))
        assert question.key not in page.context["form"].fields


def test_resume_key_continues_in_another_browser_and_a_new_key_replaces_it(
    client_alice, vega_assessment, bank
):
    token = create_group_link(client_alice, vega_assessment, ADM)
    phone = Client()
    key = resume_key_in(start(phone, token))
    first, _second = themes_for(bank, ADM)[:2]
    post_step(phone, vega_assessment, bank, first, ADM, level=5)
    laptop = Client()
    assert laptop.get(step_url(vega_assessment, first)).status_code == 403
    resume = reverse("assessment:resume", kwargs={"key": key})
    assert laptop.get(resume).status_code == 200  # GET asks; it binds nothing
    assert laptop.get(step_url(vega_assessment, first)).status_code == 403
    assert laptop.post(resume).status_code == 302
    page = laptop.get(step_url(vega_assessment, first))
    assert page.status_code == 200 and page.context["form"].data
    # A new key (e.g. lost the old one) stops the old one.
    shown = laptop.post(response_url(vega_assessment), {"action": "new"}, follow=True)
    new_key = resume_key_in(shown)
    assert new_key != key
    assert Client().post(resume).status_code == 404
    assert Client().post(reverse("assessment:resume", kwargs={"key": new_key})).status_code == 302


def test_resume_link_by_email_to_an_address_the_respondent_types(
    client_alice, vega_assessment, django_capture_on_commit_callbacks
):
    token = create_group_link(client_alice, vega_assessment, POL)
    invitee = Client()
    start(invitee, token)
    response = invitee.post(
        response_url(vega_assessment), {"action": "email", "email": "me@example.no"}, follow=True
    )
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["me@example.no"]
    key = RESUME_RE.findall(message.body)[0]
    assert Respondent.objects.get().resume_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in response.content.decode()
    bad = invitee.post(response_url(vega_assessment), {"action": "email", "email": "nope"})
    assert bad.status_code == 200 and "data-error-summary" in bad.content.decode()


def test_after_submitting_only_a_receipt_is_shown(client_alice, vega_assessment, bank):
    token = create_group_link(client_alice, vega_assessment, POL)
    invitee = Client()
    key = resume_key_in(start(invitee, token))
    answer_all(invitee, vega_assessment, bank, POL, level=4, comment="Kommentar-ABC")
    receipt = submit(invitee, vega_assessment)
    body = receipt.content.decode()
    assert "Kommentar-ABC" not in body
    for theme in [*themes_for(bank, POL), "kontroll"]:
        page = invitee.get(step_url(vega_assessment, theme))
        assert page.status_code == 302 and page.url == response_url(vega_assessment)
    # Whoever holds the resume key later sees the receipt too, and nothing more.
    stranger = Client()
    stranger.post(reverse("assessment:resume", kwargs={"key": key}))
    page = stranger.get(response_url(vega_assessment))
    assert "assessment/invite/receipt.html" in template_names(page)
    assert "Kommentar-ABC" not in page.content.decode()
    # Submitted answers cannot change (the key's new holder is sent to the receipt; the first
    # browser no longer holds the response at all).
    posted = post_step(stranger, vega_assessment, bank, themes_for(bank, POL)[0], POL, level=1)
    assert posted.status_code == 302
    assert (
        post_step(invitee, vega_assessment, bank, themes_for(bank, POL)[0], POL).status_code == 403
    )
    assert not Answer.objects.filter(value="1").exists()


# --- the must-show privacy test -------------------------------------------------------------


def test_a_coordinator_who_kept_every_link_and_page_cannot_read_any_answers(
    client_alice, alice, vega_assessment, bank, django_capture_on_commit_callbacks
):
    """Alice keeps every page and e-mail she is ever shown, including a personal invitation
    she sent to her own address and forwarded, and tries every key in them, before and after
    the respondents submit. She never sees a respondent's answers or comments."""
    seen: list[str] = []

    def keep(response):
        seen.append(response.content.decode())
        return response

    group = create_group_link(client_alice, vega_assessment, POL)
    seen.append(invite_url(group))  # the status page showed it once
    send_personal(
        client_alice, vega_assessment, ADM, [alice.email], django_capture_on_commit_callbacks
    )
    seen.extend(m.body for m in mail.outbox)
    keep(client_alice.get(status_url(vega_assessment)))
    keep(client_alice.get(reverse("assessment:detail", kwargs={"pk": vega_assessment.pk})))
    personal = MAIL_LINK_RE.findall(mail.outbox[-1].body)[0]

    # The real respondents start from those same links and answer with a marker comment.
    politician = Client()
    start(politician, group)
    answer_all(politician, vega_assessment, bank, POL, level=5, comment="SECRET-POL")
    administrator = Client()
    start(administrator, personal)
    answer_all(administrator, vega_assessment, bank, ADM, level=1, comment="SECRET-ADM")

    def attempts():
        keys = {k for text in seen for k in ANY_KEY_RE.findall(text)}
        assert group in keys and personal in keys
        for key in keys:
            for url in (invite_url(key), reverse("assessment:resume", kwargs={"key": key})):
                browser = Client()
                browser.force_login(alice)
                for response in (browser.get(url), browser.post(url, follow=True)):
                    yield keep(response)
                for step in [*themes_for(bank, POL), *themes_for(bank, ADM), "kontroll"]:
                    yield keep(browser.get(step_url(vega_assessment, step)))
        for url in (
            response_url(vega_assessment),
            reverse("reports:results", kwargs={"pk": vega_assessment.pk}),
            reverse("reports:workshop", kwargs={"pk": vega_assessment.pk}),
        ):
            yield keep(client_alice.get(url, follow=True))

    def assert_nothing_leaked():
        for response in attempts():
            body = response.content.decode()
            assert "SECRET-" not in body
            form = (response.context or {}).get("form")
            if form is not None and getattr(form, "data", None):
                values = [v for k, v in form.data.items() if not k.endswith("current_step")]
                assert not any(v in {"1", "5"} for v in values), "someone's answers were shown"

    assert_nothing_leaked()  # in progress
    submit(politician, vega_assessment)
    submit(administrator, vega_assessment)
    assert_nothing_leaked()  # submitted
    # Her attempts started only new, empty responses of her own making (the group link
    # works as designed); the two real responses are untouched.
    for marker, role in (("SECRET-POL", POL), ("SECRET-ADM", ADM)):
        comment = ThemeComment.objects.filter(text=marker).first()
        assert comment is not None
        assert comment.respondent.submitted_at is not None
        assert comment.respondent.role_group == role.value


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
    pol_tokens = send_personal(
        client_alice, vega_assessment, POL, pol_emails, django_capture_on_commit_callbacks
    )
    adm_token = create_group_link(client_alice, vega_assessment, ADM)
    assert len(pol_tokens) == politicians

    status = client_alice.get(status_url(vega_assessment))
    progress = {row["role"]: row for row in status.context["progress"]}
    assert progress["politician"]["invited"] == politicians
    assert progress["politician"]["started"] == 0

    walk(vega_assessment, bank, pol_tokens[0], POL, level=5)
    midway = client_alice.get(status_url(vega_assessment))
    progress = {row["role"]: row for row in midway.context["progress"]}
    assert progress["politician"]["finished"] == 1
    assert progress["administration"]["finished"] == 0

    for token in pol_tokens[1:]:
        walk(vega_assessment, bank, token, POL, level=4)
    for _ in range(administration):
        walk(vega_assessment, bank, adm_token, ADM, level=2)

    respondents = Respondent.objects.filter(assessment=vega_assessment)
    assert respondents.count() == politicians + administration
    assert all(r.submitted_at is not None and r.user is None for r in respondents)

    # No e-mail address is paired with whether that person has answered.
    body = client_alice.get(status_url(vega_assessment)).content.decode()
    with translation.override("nb"):
        words = [gettext("Started"), gettext("Submitted")]
    for address in pol_emails:
        rows = [row for row in body.split("<tr") if address in row]
        assert rows, address
        for row in rows:
            for word in words:
                assert word not in row

    close = client_alice.post(
        reverse("reports:close", kwargs={"pk": vega_assessment.pk}), {"confirm": "yes"}
    )
    assert close.status_code == 302
    snapshot = ResultSnapshot.objects.get(assessment=vega_assessment)
    assert snapshot.profile["respondents_by_role"] == {
        "politician": politicians,
        "administration": administration,
        "other": 0,
    }
    gaps = [t for t in snapshot.profile["themes"] if t["gap"] is not None]
    if administration >= 2:
        assert gaps
        assert snapshot.profile["respondents"] == politicians + administration
    else:
        # A lone administrator is in no figure at all (assessment/privacy.py, rule 1).
        assert gaps == []
        assert snapshot.profile["held_back"] == {"administration": 1}
        assert snapshot.profile["respondents"] == politicians


# --- revoked, expired, unknown, closed, sent again ------------------------------------------


def _error_check(response, status: int, template: str):
    assert response.status_code == status
    assert template in template_names(response)


def test_revoked_link_starts_nothing_but_started_responses_go_on(
    client_alice, vega_assessment, bank
):
    token = create_group_link(client_alice, vega_assessment, POL)
    started = Client()
    start(started, token)
    invitation = Invitation.objects.get()
    response = client_alice.post(
        status_url(vega_assessment),
        {"action": "revoke", "invitation": invitation.pk, "confirm": "yes"},
    )
    assert response.status_code == 302
    template = "assessment/invite/error_revoked.html"
    newcomer = Client()
    _error_check(newcomer.get(invite_url(token)), 410, template)
    _error_check(newcomer.post(invite_url(token)), 410, template)
    assert Respondent.objects.count() == 1
    with translation.override("nb"):
        assert (
            gettext("The link has been withdrawn")
            in newcomer.get(invite_url(token)).content.decode()
        )
    # The response already started is its respondent's: it goes on.
    step = themes_for(bank, POL)[0]
    assert post_step(started, vega_assessment, bank, step, POL).status_code == 302


def test_expired_link_says_so_with_410(client_alice, vega_assessment):
    token = create_group_link(client_alice, vega_assessment, ADM)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    template = "assessment/invite/error_expired.html"
    invitee = Client()
    _error_check(invitee.get(invite_url(token)), 410, template)
    _error_check(invitee.post(invite_url(token)), 410, template)
    assert not Respondent.objects.exists()


def test_unknown_link_and_unbound_browser(client, vega_assessment):
    _error_check(
        client.get(invite_url("not-a-real-token")), 404, "assessment/invite/error_unknown.html"
    )
    _error_check(
        client.get(step_url(vega_assessment, "kontroll")),
        403,
        "assessment/invite/error_no_session.html",
    )
    _error_check(
        client.get(response_url(vega_assessment)), 403, "assessment/invite/error_no_session.html"
    )


def test_links_after_the_round_is_closed_say_so_with_410(client_alice, vega_assessment, bank):
    token = create_group_link(client_alice, vega_assessment, POL)
    first = walk(vega_assessment, bank, token, POL)
    walk(vega_assessment, bank, token, POL)
    busy = Client()
    start(busy, token)
    response = client_alice.post(
        reverse("reports:close", kwargs={"pk": vega_assessment.pk}), {"confirm": "yes"}
    )
    assert response.status_code == 302
    template = "assessment/invite/error_closed.html"
    _error_check(Client().get(invite_url(token)), 410, template)
    _error_check(busy.get(step_url(vega_assessment, themes_for(bank, POL)[0])), 410, template)
    # A submitted respondent still sees their receipt.
    assert "assessment/invite/receipt.html" in template_names(
        first.get(response_url(vega_assessment))
    )


def test_sending_again_starts_a_fresh_empty_response(
    client_alice, vega_assessment, bank, django_capture_on_commit_callbacks
):
    [old] = send_personal(
        client_alice, vega_assessment, ADM, ["a@x.no"], django_capture_on_commit_callbacks
    )
    invitee = Client()
    start(invitee, old)
    first = themes_for(bank, ADM)[0]
    post_step(invitee, vega_assessment, bank, first, ADM, level=5)
    earlier = Respondent.objects.get()
    answers_before = set(Answer.objects.filter(respondent=earlier).values_list("pk", "value"))
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_alice.post(
            status_url(vega_assessment), {"action": "resend", "invitation": invitation.pk}
        )
    assert response.status_code == 302
    new = MAIL_LINK_RE.findall(mail.outbox[-1].body)[0]
    assert new != old
    assert new not in client_alice.get(status_url(vega_assessment)).content.decode()
    _error_check(Client().get(invite_url(old)), 404, "assessment/invite/error_unknown.html")
    fresh = Client()
    start(fresh, new)
    page = fresh.get(step_url(vega_assessment, first))
    assert not page.context["form"].is_bound, "a new invitation never reopens old answers"
    assert Respondent.objects.count() == 2
    kept = set(Answer.objects.filter(respondent=earlier).values_list("pk", "value"))
    assert kept == answers_before
    # Group links are not "sent again".
    group = create_group_link(client_alice, vega_assessment, POL)
    assert group
    group_invitation = Invitation.objects.get(kind=Invitation.Kind.GROUP)
    response = client_alice.post(
        status_url(vega_assessment),
        {"action": "resend", "invitation": group_invitation.pk},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


# --- who can reach what ---------------------------------------------------------------------


def test_invitee_cannot_reach_coordinator_pages(client_alice, vega_assessment, bank):
    token = create_group_link(client_alice, vega_assessment, POL)
    invitee = walk(vega_assessment, bank, token, POL)
    pk = vega_assessment.pk
    for url in [
        reverse("reports:results", kwargs={"pk": pk}),
        reverse("assessment:respondents", kwargs={"pk": pk}),
        reverse("reports:workshop", kwargs={"pk": pk}),
        reverse("assessment:detail", kwargs={"pk": pk}),
        reverse("reports:report_pdf", kwargs={"pk": pk}),
        reverse("assessment:wizard_step", kwargs={"pk": pk, "step": themes_for(bank, POL)[0]}),
        reverse("assessment:wizard_step", kwargs={"pk": pk, "step": "kontroll"}),
    ]:
        response = invitee.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = invitee.post(
        reverse("assessment:respondents", kwargs={"pk": pk}),
        {"action": "revoke", "invitation": Invitation.objects.get().pk, "confirm": "yes"},
    )
    assert response.url.startswith(reverse("login"))
    assert Invitation.objects.get().revoked_at is None
    response = invitee.post(reverse("reports:close", kwargs={"pk": pk}), {"confirm": "yes"})
    assert response.url.startswith(reverse("login"))
    vega_assessment.refresh_from_db()
    assert vega_assessment.is_open


def test_one_shared_computer_opens_only_the_latest_response(client_alice, vega_assessment, bank):
    token = create_group_link(client_alice, vega_assessment, ADM)
    step = themes_for(bank, ADM)[0]
    browser = Client()
    start(browser, token)
    post_step(browser, vega_assessment, bank, step, ADM, level=5)
    # The next person on the same computer starts: a new, empty response, never the first.
    start(browser, token)
    assert Respondent.objects.count() == 2
    page = browser.get(step_url(vega_assessment, step))
    assert not page.context["form"].is_bound


def test_a_resume_key_someone_else_saw_shuts_them_out_once_used(
    client_alice, vega_assessment, bank
):
    """The attack: a coordinator starts a response, keeps that browser, and hands the resume
    key to a politician as "your personal link". When the politician opens it, the
    coordinator's browser loses the response, and the politician gets a new key of their own."""
    token = create_group_link(client_alice, vega_assessment, POL)
    coordinator_browser = Client()
    key = resume_key_in(start(coordinator_browser, token))
    politician = Client()
    shown = politician.post(reverse("assessment:resume", kwargs={"key": key}), follow=True)
    new_key = resume_key_in(shown)
    assert new_key != key
    step = themes_for(bank, POL)[0]
    post_step(politician, vega_assessment, bank, step, POL, level=5, comment="MINE")
    for url in (response_url(vega_assessment), step_url(vega_assessment, step)):
        assert coordinator_browser.get(url).status_code == 403
    # The key the coordinator saw no longer works either.
    assert Client().post(reverse("assessment:resume", kwargs={"key": key})).status_code == 404


# --- another municipality -------------------------------------------------------------------


def test_other_coordinator_cannot_see_or_act_on_status_page(
    client, alice, bob, vega_assessment, utsira_assessment
):
    client.force_login(alice)
    create_group_link(client, vega_assessment, POL)
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
        assert response.status_code == 302
    response = client.post(
        status_url(vega_assessment),
        {"action": "create", "role_group": "politician", "group_link": "on"},
    )
    assert response.status_code == 404
    assert Invitation.objects.count() == 1
    unchanged = Invitation.objects.get()
    assert unchanged.revoked_at is None
    assert unchanged.token_hash == invitation.token_hash


def test_outsider_cannot_see_status_page(client, charlie, vega_assessment):
    client.force_login(charlie)
    assert client.get(status_url(vega_assessment)).status_code == 404

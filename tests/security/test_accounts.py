"""Accounts: password reset, login lockout (django-axes), adding co-coordinators."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessment.models import Coordinator
from tests.factories import PASSWORD

NEW_PASSWORD = "purple monkey dishwasher 42"
RESET_LINK_RE = re.compile(r"http://testserver(/konto/reset/[^/\s]+/[^/\s]+/)")


def _logged_in_as(client: Client):
    return client.session.get("_auth_user_id")


def _choose_password(client: Client, link_path: str, password: str):
    """Follow a reset link and set a password, as the browser would."""
    response = client.get(link_path)
    assert response.status_code == 302  # Django hides the token behind a redirect
    form_url = response.url
    page = client.get(form_url)
    assert page.status_code == 200
    assert page.context["validlink"]
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    return response


def _login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- password reset -------------------------------------------------------------------------


def test_password_reset_by_email(client, alice):
    response = client.post(reverse("password_reset"), {"email": alice.email})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    [link] = RESET_LINK_RE.findall(message.body)

    _choose_password(client, link, NEW_PASSWORD)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)

    fresh = Client()
    assert _login(fresh, "alice", PASSWORD).status_code == 200  # the old one no longer works
    response = _login(fresh, "alice", NEW_PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(fresh) == str(alice.pk)

    # The link is single-use.
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False


def test_password_reset_for_unknown_address_sends_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@x.no"})
    assert response.status_code == 302  # same answer: does not reveal who has an account
    assert mail.outbox == []


# --- lockout --------------------------------------------------------------------------------


def test_lockout_after_five_wrong_passwords(client, alice, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = _login(client, "alice", "wrong password")
        assert response.status_code == 200
        assert "registration/login.html" in [t.name for t in response.templates]
    _login(client, "alice", "wrong password")  # the fifth
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert _logged_in_as(client) is None
    assert AccessAttempt.objects.filter(username="alice").exists()
    # Still locked for the right password from a new browser at the same address.
    other = Client()
    response = _login(other, "alice", PASSWORD)
    assert response.status_code == 429
    assert _logged_in_as(other) is None


def test_lockout_is_per_user_name(client, alice, bob):
    for _ in range(5):
        _login(client, "alice", "wrong password")
    response = _login(client, "bob", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(bob.pk)


def test_no_lockout_left_over_from_other_tests(client, alice):
    assert not AccessAttempt.objects.exists()
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(client, alice):
    for _ in range(4):
        _login(client, "alice", "wrong password")
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "alice", "wrong password").status_code == 200
    assert _login(client, "alice", PASSWORD).status_code == 302


# --- co-coordinators ------------------------------------------------------------------------


def _add(client, email: str, municipality: str = "1815"):
    return client.post(
        reverse("assessment:coordinators"), {"municipality": municipality, "email": email}
    )


def test_coordinator_adds_new_colleague_who_gets_welcome_email(
    client, alice, vega, vega_assessment, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, "new@vega.kommune.no")
    assert response.status_code == 302
    assert response.url == reverse("assessment:coordinators")

    user = get_user_model().objects.get(email="new@vega.kommune.no")
    assert not user.has_usable_password()
    assert Coordinator.objects.filter(user=user, municipality=vega).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@vega.kommune.no"]
    [link] = RESET_LINK_RE.findall(message.body)

    newcomer = Client()
    _choose_password(newcomer, link, NEW_PASSWORD)
    user.refresh_from_db()
    assert user.has_usable_password()
    response = _login(newcomer, user.get_username(), NEW_PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(newcomer) == str(user.pk)
    home = newcomer.get(reverse("assessment:home"))
    assert home.status_code == 200
    assert vega_assessment in list(home.context["assessments"])
    detail = newcomer.get(reverse("assessment:detail", kwargs={"pk": vega_assessment.pk}))
    assert detail.status_code == 200


def test_adding_an_existing_user_makes_them_coordinator(
    client, alice, bob, vega, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    users_before = get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, bob.email.upper().replace("@EXAMPLE", "@example"))
    assert response.status_code == 302
    assert get_user_model().objects.count() == users_before
    assert Coordinator.objects.filter(user=bob, municipality=vega).exists()
    bob.refresh_from_db()
    assert bob.has_usable_password()
    assert mail.outbox == []


def test_adding_twice_is_harmless(client, alice, vega, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _add(client, "new@vega.kommune.no")
        _add(client, "new@vega.kommune.no")
    assert get_user_model().objects.filter(email="new@vega.kommune.no").count() == 1
    assert Coordinator.objects.filter(municipality=vega).count() == 2
    assert len(mail.outbox) == 1


def test_outsider_cannot_add_coordinators_to_vega(
    client, charlie, vega, alice, django_capture_on_commit_callbacks
):
    client.force_login(charlie)
    users_before = get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, "intruder@x.no")
    assert response.status_code == 200
    assert response.context["form"].errors.get("municipality")
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(email="intruder@x.no").exists()
    assert list(Coordinator.objects.filter(municipality=vega).values_list("user", flat=True)) == [
        alice.pk
    ]
    assert mail.outbox == []


def test_other_coordinator_cannot_add_to_vega(client, bob, alice, vega, utsira):
    client.force_login(bob)
    response = _add(client, "bob@example.invalid", municipality=vega.pk)
    assert response.status_code == 200
    assert response.context["form"].errors.get("municipality")
    assert not Coordinator.objects.filter(user=bob, municipality=vega).exists()


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_bad_email_is_refused(client, alice, vega, email):
    client.force_login(alice)
    users_before = get_user_model().objects.count()
    response = _add(client, email)
    assert response.status_code == 200
    assert response.context["form"].errors.get("email")
    assert get_user_model().objects.count() == users_before


def test_anonymous_cannot_add_coordinators(client, vega, alice):
    response = _add(client, "new@vega.kommune.no")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not get_user_model().objects.filter(email="new@vega.kommune.no").exists()


def test_a_new_coordinator_who_lost_the_welcome_email_can_get_another(
    client, alice, vega, django_capture_on_commit_callbacks
):
    """A new account has no password; "forgot password" must still send a link."""
    from django.core import mail

    alice = Coordinator.objects.get(municipality=vega).user
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assessment:coordinators"),
            {"action": "add", "municipality": vega.pk, "email": "ny@vega.kommune.no"},
        )
    client.logout()
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "NY@vega.kommune.no"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["ny@vega.kommune.no"]
    assert "/konto/reset/" in message.body

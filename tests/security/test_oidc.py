"""Single sign-on with OpenID Connect, against a real provider in its own process.

The provider is django-oauth-toolkit (tests/oidc_provider), started once for this module on a
free port of 127.0.0.1 with an RSA key made here. Planprofil runs in the Django test client,
configured the way config/settings.py configures it from PLANPROFIL_OIDC_* variables; its
backend calls the provider's token, JWKS and user info endpoints over HTTP. The browser is a
requests.Session that carries each redirect between the two, as a browser would.

(The test client rather than live_server for Planprofil: a live server needs transactional
tests, which empty the reference data the rest of the session relies on.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from assessment.models import Coordinator
from assessment.oidc import verified_email
from tests.factories import UserFactory
from tests.oidc_provider import ENTRA_GROUP, VERIFIED_GROUP

ROOT = Path(django_settings.BASE_DIR)
PLANPROFIL = "http://testserver"
CLIENT_ID = "planprofil-test"
PROVIDER_NAME = "Testleverandør"
PROVIDER_PASSWORD = "provider password 1"
BACKEND = "assessment.oidc.EmailVerifiedOIDCBackend"
# Users at the provider: their e-mail address, and how the provider vouches for it.
PROVIDER_USERS = [
    # alice (coordinator of Vega in Planprofil) spelt in capitals at the provider
    {"username": "alice.idp", "email": "ALICE@Example.invalid", "groups": [VERIFIED_GROUP]},
    # bob's address (coordinator of Utsira), but not verified
    {"username": "bob.idp", "email": "bob@example.invalid", "groups": []},
    # only a user name that looks like an address (Entra ID's preferred_username / upn)
    {"username": "eve@example.invalid", "email": "", "groups": [VERIFIED_GROUP]},
    # Entra ID style: xms_edov in the ID token, no email_verified anywhere
    {"username": "charlie.entra", "email": "charlie@example.invalid", "groups": [ENTRA_GROUP]},
    # somebody Planprofil has never heard of
    {
        "username": "nina.idp",
        "email": "nina.ny@utsira.kommune.no",
        "first_name": "Nina",
        "last_name": "Ny",
        "groups": [VERIFIED_GROUP],
    },
    # verified, but the Planprofil account is deactivated
    {"username": "dora.idp", "email": "dora@example.invalid", "groups": [VERIFIED_GROUP]},
]


@dataclass
class Provider:
    url: str
    client_secret: str

    def endpoint(self, path: str) -> str:
        return f"{self.url}/o/{path}"


def _probe_settings(monkeypatch, env: dict[str, str]):
    """config/settings.py evaluated afresh with these PLANPROFIL_OIDC_* variables."""
    for name in list(os.environ):
        if name.startswith("PLANPROFIL_OIDC_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "_planprofil_settings_probe", ROOT / "config" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The OpenID provider, running in a second process for this module's tests."""
    folder = tmp_path_factory.mktemp("oidc_provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    client_secret = secrets.token_urlsafe(32)
    seed = {
        "users": [{"password": PROVIDER_PASSWORD, **user} for user in PROVIDER_USERS],
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": client_secret,
            "redirect_uri": f"{PLANPROFIL}/oidc/callback/",
            "skip_authorization": False,  # the consent page is part of the flow
        },
    }
    (folder / "seed.json").write_text(json.dumps(seed))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY_FILE": str(folder / "key.pem"),
    }
    log_path = folder / "provider.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve", str(folder / "seed.json")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        url = _wait_until_it_answers(process, log_path)
        yield Provider(url=url, client_secret=client_secret)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def _wait_until_it_answers(process: subprocess.Popen, log_path: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    port = None
    while port is None:
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the test OpenID provider did not start:\n{log_path.read_text()}")
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if line.startswith("listening on "):
                port = int(line.split()[-1])
    url = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        try:
            answer = requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2)
            if answer.status_code == 200:
                return url
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the test OpenID provider does not answer:\n{log_path.read_text()}")


@pytest.fixture
def sso(settings, monkeypatch, provider, tmp_path):
    """Planprofil with single sign-on configured through its environment variables."""
    secret_file = tmp_path / "client_secret"
    secret_file.write_text(provider.client_secret + "\n")
    configured = _probe_settings(
        monkeypatch,
        {
            "PLANPROFIL_OIDC_CLIENT_ID": CLIENT_ID,
            "PLANPROFIL_OIDC_CLIENT_SECRET_FILE": str(secret_file),
            "PLANPROFIL_OIDC_AUTHORIZATION_ENDPOINT": provider.endpoint("authorize/"),
            "PLANPROFIL_OIDC_TOKEN_ENDPOINT": provider.endpoint("token/"),
            "PLANPROFIL_OIDC_USER_ENDPOINT": provider.endpoint("userinfo/"),
            "PLANPROFIL_OIDC_JWKS_ENDPOINT": provider.endpoint(".well-known/jwks.json"),
            "PLANPROFIL_OIDC_PROVIDER_NAME": PROVIDER_NAME,
        },
    )
    assert "mozilla_django_oidc" in configured.INSTALLED_APPS
    read_from_file = configured.OIDC_RP_CLIENT_SECRET
    assert read_from_file == provider.client_secret
    for name in dir(configured):
        if name.startswith(("OIDC_", "PLANPROFIL_OIDC_")) or name in {
            "AUTHENTICATION_BACKENDS",
            "TEMPLATES",
            "LOGIN_REDIRECT_URL_FAILURE",
        }:
            setattr(settings, name, getattr(configured, name))
    # config/urls.py as it reads with these settings, under a name of its own.
    spec = importlib.util.spec_from_file_location("_planprofil_urls_sso", ROOT / "config/urls.py")
    urls = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(urls)
    monkeypatch.setitem(sys.modules, spec.name, urls)
    settings.ROOT_URLCONF = spec.name
    return provider


class _Forms(HTMLParser):
    """The fields of each form on a page: {form id: {name: value}}."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str | None, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(attrs.get("id"), {})
        elif (
            tag == "input"
            and self._current is not None
            and attrs.get("name")
            and attrs.get("type") != "submit"
        ):
            self._current[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _form(html: str, form_id: str) -> dict[str, str]:
    parser = _Forms()
    parser.feed(html)
    assert form_id in parser.forms, f"no form #{form_id} on the page:\n{html[:2000]}"
    return dict(parser.forms[form_id])


def _sign_in(client, provider: Provider, username: str, next_url: str | None = None):
    """Start at Planprofil, log in and consent at the provider, and come back.

    Returns Planprofil's answer to the provider's redirect to its callback.
    """
    start_url = reverse("oidc_authentication_init")
    if next_url:
        start_url += f"?next={next_url}"
    start = client.get(start_url)
    assert start.status_code == 302
    assert start.url.startswith(provider.endpoint("authorize/"))

    with requests.Session() as browser:
        location = _at_the_provider(browser, start.url, username)

    callback = urlsplit(location)
    assert callback.path == reverse("oidc_authentication_callback")
    return client.get(f"{callback.path}?{callback.query}")


def _at_the_provider(browser: requests.Session, url: str, username: str) -> str:
    """Log in and consent at the provider; return where it sends the browser back to."""
    page = browser.get(url, timeout=10)  # the provider asks who this is
    assert page.status_code == 200
    login = _form(page.text, "login")
    login.update(username=username, password=PROVIDER_PASSWORD)
    response = browser.post(page.url, data=login, allow_redirects=False, timeout=10)
    for _ in range(10):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(f"{PLANPROFIL}/"):
                return location
            response = browser.get(location, allow_redirects=False, timeout=10)
        else:
            assert response.status_code == 200, response.text[:2000]
            consent = _form(response.text, "authorizationForm")
            consent["allow"] = "Authorize"
            response = browser.post(response.url, data=consent, allow_redirects=False, timeout=10)
    pytest.fail("the provider never sent the browser back to Planprofil")


def _logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


# --- the whole flow ---------------------------------------------------------------------------


def test_verified_email_logs_in_the_user_with_that_address(client, sso, alice, vega_assessment):
    users_before = get_user_model().objects.count()
    response = _sign_in(client, sso, "alice.idp")
    assert response.status_code == 302
    assert response.url == reverse("assessment:home")
    assert _logged_in_user(client) == alice  # ALICE@Example.invalid matched case-insensitively
    assert client.session["_auth_user_backend"] == BACKEND
    assert get_user_model().objects.count() == users_before
    home = client.get(reverse("assessment:home"))
    assert vega_assessment in list(home.context["assessments"])


def test_next_page_is_kept_through_the_provider(client, sso, alice, vega_assessment):
    detail = reverse("assessment:detail", kwargs={"pk": vega_assessment.pk})
    response = _sign_in(client, sso, "alice.idp", next_url=detail)
    assert response.status_code == 302
    assert response.url == detail
    assert client.get(detail).status_code == 200


def test_entra_style_xms_edov_counts_as_verified(client, sso, charlie):
    response = _sign_in(client, sso, "charlie.entra")
    assert response.status_code == 302
    assert _logged_in_user(client) == charlie


@pytest.mark.parametrize(
    "username",
    ["bob.idp", "eve@example.invalid"],
    ids=["email-not-verified", "only-preferred-username"],
)
def test_unverified_email_is_refused(client, sso, bob, username):
    UserFactory(username="eve", email="eve@example.invalid")
    users_before = get_user_model().objects.count()
    response = _sign_in(client, sso, username)
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert _logged_in_user(client) is None
    assert get_user_model().objects.count() == users_before
    page = client.get(response.url)
    assert page.status_code == 200
    assert f"Innlogging med {PROVIDER_NAME} virket ikke" in page.content.decode()


def test_new_person_gets_an_account_with_no_rights(client, sso, vega_assessment):
    email = "nina.ny@utsira.kommune.no"
    assert not get_user_model().objects.filter(email__iexact=email).exists()
    response = _sign_in(client, sso, "nina.idp")
    assert response.status_code == 302

    user = get_user_model().objects.get(email=email)
    assert _logged_in_user(client) == user
    assert user.username == email
    assert (user.first_name, user.last_name) == ("Nina", "Ny")
    assert not user.has_usable_password()
    assert not user.is_staff
    assert not user.is_superuser
    assert not Coordinator.objects.filter(user=user).exists()
    home = client.get(reverse("assessment:home"))
    assert home.status_code == 200
    assert list(home.context["assessments"]) == []
    assert not home.context["has_municipality"]
    detail = client.get(reverse("assessment:detail", kwargs={"pk": vega_assessment.pk}))
    assert detail.status_code in (403, 404)


def test_inactive_user_is_refused(client, sso, db):
    UserFactory(username="dora", email="dora@example.invalid", is_active=False)
    response = _sign_in(client, sso, "dora.idp")
    assert response.url == reverse("login")
    assert _logged_in_user(client) is None


# --- the login page and the settings ----------------------------------------------------------


def test_login_page_offers_the_provider(client, sso):
    page = client.get(reverse("login") + "?next=/vurdering/1/")
    html = page.content.decode()
    assert f"Logg inn med {PROVIDER_NAME}" in html
    assert f'href="{reverse("oidc_authentication_init")}?next=/vurdering/1/"' in html
    english = client.get(reverse("login"), headers={"accept-language": "en"})
    assert f"Log in with {PROVIDER_NAME}" in english.content.decode()


def test_without_configuration_there_is_no_single_sign_on(client):
    assert not django_settings.PLANPROFIL_OIDC_ENABLED
    assert BACKEND not in django_settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "Logg inn med" not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PLANPROFIL_OIDC_CLIENT_SECRET": "s"}, "PLANPROFIL_OIDC_TOKEN_ENDPOINT"),
        (
            {"PLANPROFIL_OIDC_CLIENT_SECRET": "s", "PLANPROFIL_OIDC_CLIENT_SECRET_FILE": "/x"},
            "not both",
        ),
        ({"PLANPROFIL_OIDC_CLIENT_SECRET_FILE": "/nonexistent/secret"}, "SECRET_FILE"),
    ],
)
def test_incomplete_configuration_stops_start_up(monkeypatch, env, message):
    endpoints = {
        "PLANPROFIL_OIDC_AUTHORIZATION_ENDPOINT": "https://login.example/authorize",
        "PLANPROFIL_OIDC_USER_ENDPOINT": "https://login.example/userinfo",
        "PLANPROFIL_OIDC_JWKS_ENDPOINT": "https://login.example/keys",
    }
    with pytest.raises(ImproperlyConfigured, match=message):
        _probe_settings(monkeypatch, {"PLANPROFIL_OIDC_CLIENT_ID": "c", **endpoints, **env})


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "a@x.no", "email_verified": True}, "a@x.no"),
        ({"email": "a@x.no", "email_verified": "true"}, "a@x.no"),
        ({"email": "a@x.no", "xms_edov": True}, "a@x.no"),
        ({"email": "a@x.no", "email_verified": False}, None),
        ({"email": "a@x.no", "email_verified": "false", "xms_edov": False}, None),
        ({"email": "a@x.no"}, None),
        ({"preferred_username": "a@x.no", "upn": "a@x.no", "email_verified": True}, None),
        ({"email": "", "email_verified": True}, None),
    ],
)
def test_verified_email(claims, expected):
    assert verified_email(claims) == expected
    assert verified_email({}, claims) == expected

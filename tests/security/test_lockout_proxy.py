"""Login lockout behind a reverse proxy: keyed on the forwarded client address.

django-axes reads X-Forwarded-For only through django-ipware; without it every client of a
proxied deployment shared the proxy's address. The settings under test are the ones
config/settings.py derives from PLANPROFIL_CLIENT_IP_HEADERS and PLANPROFIL_PROXY_COUNT:
the module is run again with those variables set, and the result applied for the test.
"""

from __future__ import annotations

import importlib.util

import pytest
from axes import helpers as axes_helpers
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD

PROXY = "10.0.0.2"  # REMOTE_ADDR of every request that comes through the proxy
A = "198.51.100.7"
B = "198.51.100.8"
ENV = ("PLANPROFIL_CLIENT_IP_HEADERS", "PLANPROFIL_PROXY_COUNT")
IP_SETTINGS = (
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AXES_IPWARE_PROXY_ORDER",
    "AXES_IPWARE_PROXY_COUNT",
    "IPWARE_STRICT",
)


def _settings_module(monkeypatch, **env: str):
    """config/settings.py evaluated afresh with these variables (and none of ENV otherwise)."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = django_settings.BASE_DIR / "config" / "settings.py"
    spec = importlib.util.spec_from_file_location("_planprofil_settings_probe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def configure(settings, monkeypatch):
    """Apply the client-address settings that config/settings.py makes from the environment."""

    def apply(**env: str) -> None:
        module = _settings_module(monkeypatch, **env)
        for name in IP_SETTINGS:
            if hasattr(module, name):
                setattr(settings, name, getattr(module, name))
            elif name == "IPWARE_STRICT":
                if hasattr(settings, name):
                    delattr(settings, name)
            else:  # django-axes' default for a setting the project leaves out
                setattr(settings, name, None)

    return apply


def _login(client, password: str, *, forwarded_for: str | None = None, remote: str = PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("login"), {"username": "alice", "password": password}, **meta)


def _address(**meta: str) -> str | None:
    return axes_helpers.get_client_ip_address(RequestFactory().get("/", **meta))


def test_django_ipware_is_installed():
    # Without it django-axes silently falls back to REMOTE_ADDR and ignores every header setting.
    assert axes_helpers.IPWARE_INSTALLED


def test_behind_proxy_the_forwarded_address_is_locked_out_not_the_proxy(client, alice, configure):
    configure(PLANPROFIL_CLIENT_IP_HEADERS="HTTP_X_FORWARDED_FOR")
    for _ in range(4):
        response = _login(client, "wrong password", forwarded_for=A)
        assert response.status_code == 200
    _login(client, "wrong password", forwarded_for=A)  # the fifth: now locked
    response = _login(client, PASSWORD, forwarded_for=A)  # the sixth, from A
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert client.session.get("_auth_user_id") is None
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {A}

    # Same proxy, same user name, another client: not locked out.
    response = _login(client, PASSWORD, forwarded_for=B)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_behind_proxy_a_forged_prefix_does_not_escape_the_lockout(client, alice, configure):
    # The client writes its own X-Forwarded-For; the proxy appends the address it saw.
    configure(PLANPROFIL_CLIENT_IP_HEADERS="HTTP_X_FORWARDED_FOR")
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"):
        _login(client, "wrong password", forwarded_for=f"{forged}, {A}")
    response = _login(client, PASSWORD, forwarded_for=f"192.0.2.6, {A}")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {A}


def test_without_the_setting_a_spoofed_header_does_not_change_the_key(client, alice, configure):
    configure()
    assert django_settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ["REMOTE_ADDR"]
    client_address = "203.0.113.50"  # no proxy: this is the client itself
    for spoofed in (A, B, "192.0.2.1", "192.0.2.2"):
        response = _login(client, "wrong password", forwarded_for=spoofed, remote=client_address)
        assert response.status_code == 200
    _login(client, "wrong password", forwarded_for="192.0.2.3", remote=client_address)
    response = _login(client, PASSWORD, forwarded_for="192.0.2.99", remote=client_address)
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {client_address}


@pytest.mark.parametrize(
    ("env", "meta", "expected"),
    [
        # No proxy configured: REMOTE_ADDR only, whatever the headers say.
        ({}, {"REMOTE_ADDR": "203.0.113.50", "HTTP_X_FORWARDED_FOR": A}, "203.0.113.50"),
        # One proxy (the default): the right-most entry, which that proxy wrote.
        ({"PLANPROFIL_CLIENT_IP_HEADERS": "HTTP_X_FORWARDED_FOR"}, {"HTTP_X_FORWARDED_FOR": A}, A),
        (
            {"PLANPROFIL_CLIENT_IP_HEADERS": "HTTP_X_FORWARDED_FOR"},
            {"HTTP_X_FORWARDED_FOR": f"8.8.8.8, 10.1.2.3, {A}"},
            A,
        ),
        (  # a private client address (municipal network) is still the client
            {"PLANPROFIL_CLIENT_IP_HEADERS": "HTTP_X_FORWARDED_FOR"},
            {"HTTP_X_FORWARDED_FOR": "8.8.8.8, 10.1.2.3"},
            "10.1.2.3",
        ),
        # Two proxies: the second entry from the right; the first proxy's own is last.
        (
            {"PLANPROFIL_CLIENT_IP_HEADERS": "HTTP_X_FORWARDED_FOR", "PLANPROFIL_PROXY_COUNT": "2"},
            {"HTTP_X_FORWARDED_FOR": f"8.8.8.8, {A}, 192.0.2.10"},
            A,
        ),
    ],
    ids=["no-proxy", "one-proxy", "one-proxy-forged-prefix", "private-client", "two-proxies"],
)
def test_client_address(configure, env, meta, expected):
    configure(**env)
    assert _address(**{"REMOTE_ADDR": PROXY, **meta}) == expected


@pytest.mark.parametrize(
    "env",
    [
        {"PLANPROFIL_CLIENT_IP_HEADERS": "HTTP_X_FORWARDED_FOR", "PLANPROFIL_PROXY_COUNT": "0"},
        {"PLANPROFIL_PROXY_COUNT": "1"},  # a proxy count but no header to read
        {"PLANPROFIL_CLIENT_IP_HEADERS": "HTTP_X_FORWARDED_FOR", "PLANPROFIL_PROXY_COUNT": "x"},
    ],
    ids=["zero-proxies", "count-without-header", "not-a-number"],
)
def test_bad_proxy_settings_stop_start_up(monkeypatch, env):
    with pytest.raises(ImproperlyConfigured, match="PLANPROFIL_PROXY_COUNT"):
        _settings_module(monkeypatch, **env)

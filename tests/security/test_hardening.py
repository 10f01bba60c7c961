"""Hardening: SQLite as an embedded database, bad input never a 500, the PDF fetcher's
allow-list, log redaction and capping, the demo guard, settings from the environment."""

from __future__ import annotations

import io
import json
import logging
import os
import runpy
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import ConnectionHandler
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.accounts import LoginForm
from assessment.models import Municipality
from assessment.scoring import RoleGroup
from config import logging as log_filters
from config.env import env_secret
from guidance.models import ActionPlanItem
from reports import pdf
from tests.assessment.adviser_factories import make_adviser, snapshot_round
from tests.factories import PASSWORD, answer_everything

ROOT = Path(settings.BASE_DIR)
KEY = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde"  # 43 url-safe base64 characters
assert len(KEY) == 43
IS_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any Planprofil or Django settings, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "PLANPROFIL_", "WEB_CONCURRENCY"))
    }
    return env | extra


# --- 1. SQLite as a real embedded default ---------------------------------------------------


@pytest.mark.skipif(not IS_SQLITE, reason="SQLite only")
def test_sqlite_options_are_set():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert "PRAGMA synchronous=NORMAL" in options["init_command"]


def _file_connection(path: Path):
    """A new connection with the project's SQLite settings, to a file instead of memory."""
    settings_dict = {**settings.DATABASES["default"], "NAME": str(path)}
    settings_dict["OPTIONS"] = dict(settings_dict["OPTIONS"])
    return ConnectionHandler({"default": settings_dict})["default"]


@pytest.mark.skipif(not IS_SQLITE, reason="SQLite only")
def test_sqlite_file_is_wal_with_a_busy_timeout(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        db = _file_connection(tmp_path / "wal.sqlite3")
        try:
            with db.cursor() as cursor:
                assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
                assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
                assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
        finally:
            db.close()


@pytest.mark.skipif(not IS_SQLITE, reason="SQLite only")
def test_sqlite_transactions_begin_immediate_and_a_second_writer_waits(tmp_path, django_db_blocker):
    path = tmp_path / "locks.sqlite3"
    with django_db_blocker.unblock():
        first = _file_connection(path)
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE t (who TEXT)")
        # As transaction.atomic() does: BEGIN IMMEDIATE takes the write lock at once...
        first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe.execute("BEGIN IMMEDIATE")
        probe.close()

        # ...so a second writer queues at its BEGIN (busy timeout) instead of failing with
        # "database is locked" half-way through its transaction.
        outcome: dict[str, object] = {}

        def second_writer() -> None:
            second = _file_connection(path)
            started = time.monotonic()
            try:
                second.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
                with second.cursor() as cursor:
                    cursor.execute("INSERT INTO t VALUES ('second')")
                second.commit()
                second.set_autocommit(True)
            except Exception as exc:  # reported below
                outcome["error"] = exc
            finally:
                outcome["waited"] = time.monotonic() - started
                second.close()

        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.3)
        with first.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES ('first')")
        first.commit()
        first.set_autocommit(True)
        thread.join(timeout=10)
        with first.cursor() as cursor:
            rows = [r[0] for r in cursor.execute("SELECT who FROM t ORDER BY rowid").fetchall()]
        first.close()
    assert "error" not in outcome, outcome
    assert outcome["waited"] >= 0.25
    assert rows == ["first", "second"]


def _copy_of_config(tmp_path: Path) -> Path:
    project = tmp_path.resolve() / "fresh-clone"
    shutil.copytree(
        ROOT / "config", project / "config", ignore=shutil.ignore_patterns("__pycache__")
    )
    return project


def _settings_in(project: Path, env: dict[str, str], expression: str) -> object:
    code = f"import json, config.settings as s; print(json.dumps({expression}, default=str))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_fresh_clone_gets_var_for_the_default_sqlite_database(tmp_path):
    project = _copy_of_config(tmp_path)
    assert not (project / "var").exists()
    options = _settings_in(project, _clean_env(DJANGO_SECRET_KEY="x"), 's.DATABASES["default"]')
    assert (project / "var").is_dir()
    assert options["NAME"] == str(project / "var" / "planprofil.sqlite3")
    assert options["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_no_var_folder_when_the_database_is_elsewhere(tmp_path):
    project = _copy_of_config(tmp_path)
    env = _clean_env(DJANGO_SECRET_KEY="x", DATABASE_URL="postgres://u@db.invalid:5432/p")
    db = _settings_in(project, env, 's.DATABASES["default"]')
    assert not (project / "var").exists()
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in db.get("OPTIONS", {})


# --- 2. bad query parameters: a normal page with a message, never a 500 ----------------------

# Each of these made the adviser pages fail, or reached the database (NUL: PostgreSQL refuses).
BAD_NUMBERS = [
    "²",  # "²".isdigit() is True, int("²") raises: the original 500
    "¹²",
    "½",
    "Ⅻ",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999",
    "9" * 5000,  # more digits than int() converts
    "1e3",
    "0x10",
    "1.5",
    "\x00",
    "3\x00",
    "٣" * 30,  # Arabic-Indic digits: a number, but far too large
]
BAD_TEXT = {
    "county": ["1\x00", "\x00", "18" * 5000, "ab"],
    "period": ["2023-2027\x00", "x" * 10_000, "٢٠٢٣-٢٠٢٧"],
    "band": ["\x00", "nope"],
    "sort": ["name\x00", "-" * 1000],
}
BAD_PARAMS = [("centrality", v) for v in BAD_NUMBERS] + [("page", v) for v in BAD_NUMBERS]
BAD_PARAMS += [(name, v) for name, values in BAD_TEXT.items() for v in values]


@pytest.fixture
def adviser(client, bank_record):
    user = make_adviser("hardening-adviser", national=True)
    for number, overall in (("1815", 55.0), ("1811", 60.0), ("1151", 40.0)):
        snapshot_round(Municipality.objects.get(number=number), bank_record, overall=overall)
    client.force_login(user)
    return client


def _no_nul_reached_the_database(captured) -> bool:
    return not any("\x00" in q["sql"] for q in captured.captured_queries)


def test_bad_dashboard_parameters_are_ignored_with_a_message(adviser):
    url = reverse("reports:adviser_dashboard")
    for name, value in BAD_PARAMS:
        with CaptureQueriesContext(connection) as captured:
            response = adviser.get(
                url, {name: value, "county": "18"} if name != "county" else {name: value}
            )
        assert response.status_code == 200, (name, value)
        warnings = [str(m) for m in get_messages(response.wsgi_request)]
        assert len(warnings) == 1 and warnings[0].startswith("Så bort fra «"), (name, value)
        assert warnings[0] in response.content.decode()
        assert _no_nul_reached_the_database(captured), (name, value)
        if name != "county":  # the good filter next to the bad one still applies
            assert {r.number for r in response.context["data"].rows} == {"1815", "1811"}
        # Links on the page drop the ignored value.
        assert name not in QueryDict(response.context["query_without_page"])


def test_bad_centrality_message_is_clear_and_translated(adviser):
    response = adviser.get(reverse("reports:adviser_dashboard"), {"centrality": "²"})
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "Så bort fra «Sentralitetsklasse» i adressen: Velg en sentralitetsklasse fra 1 til 6."
    )
    response = adviser.get(
        reverse("reports:adviser_dashboard"), {"page": "-1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Ignored “Page” in the address: A page number is a whole number from 1."


def test_good_parameters_still_work(adviser):
    response = adviser.get(
        reverse("reports:adviser_dashboard"),
        {"county": "18", "centrality": "", "page": "1", "sort": "-overall"},
    )
    assert response.status_code == 200
    assert list(get_messages(response.wsgi_request)) == []
    assert [r.number for r in response.context["data"].rows] == ["1811", "1815"]
    # A page past the end shows the last page, as before.
    response = adviser.get(reverse("reports:adviser_dashboard"), {"page": "99999"})
    assert response.status_code == 200 and response.context["data"].page == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_export_parameters_lead_back_to_the_page(adviser, fmt):
    url = reverse("reports:adviser_dashboard_export", kwargs={"fmt": fmt})
    for name, value in BAD_PARAMS:
        with CaptureQueriesContext(connection) as captured:
            response = adviser.get(url, {name: value})
        assert response.status_code == 302, (name, value)
        assert response.url.startswith(reverse("reports:adviser_dashboard") + "?")
        assert _no_nul_reached_the_database(captured)
    followed = adviser.get(url, {"centrality": "²"}, follow=True)
    assert followed.status_code == 200
    assert "Så bort fra «Sentralitetsklasse»" in followed.content.decode()
    assert adviser.get(url, {"centrality": "2"}).status_code == 200


def test_bad_api_parameters_give_a_json_400(adviser):
    url = reverse("reports:api_dashboard")
    for name, value in BAD_PARAMS:
        with CaptureQueriesContext(connection) as captured:
            response = adviser.get(url, {name: value})
        assert response.status_code == 400, (name, value)
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["error"] == "invalid query parameters"
        assert list(body["fields"]) == [name] and body["fields"][name][0]
        assert _no_nul_reached_the_database(captured)
    assert adviser.get(url, {"centrality": "3"}).status_code == 200


def test_bad_municipality_numbers_in_compare_are_ignored(adviser):
    url = reverse("reports:adviser_compare")
    with CaptureQueriesContext(connection) as captured:
        response = adviser.get(url, {"m": ["1815", "1811", "18\x00", "²²²²", "1" * 10_000]})
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Så bort fra et kommunenummer som ikke er fire sifre."
    ]
    assert {a.municipality.number for a in response.context["rounds"]} == {"1815", "1811"}
    assert _no_nul_reached_the_database(captured)
    export = adviser.get(
        reverse("reports:adviser_compare_export", kwargs={"fmt": "csv"}), {"m": ["\x00"]}
    )
    assert export.status_code == 200


@pytest.mark.parametrize("number", ["%00", "%C2%B2%C2%B2%C2%B2%C2%B2", "1815%00", "x" * 300])
def test_municipality_page_with_a_bad_number_is_a_404(adviser, number):
    # A NUL in the path is refused before any view (config/middleware.py): 400.
    expected = 400 if "%00" in number else 404
    assert adviser.get(f"/kommuner/{number}/").status_code == expected


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("Vega\x00", "Søket inneholdt et tegn det ikke kan søkes etter."),
        ("\x00", "Søket inneholdt et tegn det ikke kan søkes etter."),
        ("V" * 1000, "Skriv høyst 100 tegn."),
    ],
)
def test_municipality_search_refuses_nul_and_long_text(client, alice, q, message):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("assessment:start"), {"q": q})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "\x00" not in page
    assert _no_nul_reached_the_database(captured)
    assert list(response.context["results"]) == []


def test_municipality_search_still_finds(client, alice):
    client.force_login(alice)
    response = client.get(reverse("assessment:start"), {"q": "Vega"})
    # Vega first; Vegårshei also matches, since "å" folds to "a" ("vegars" finds it).
    assert [m.number for m in response.context["results"]] == ["1815", "4212"]


@pytest.fixture
def answered(vega_assessment):
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 2)
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 3)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 4)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 3)
    return vega_assessment


def test_action_plan_refuses_a_damaged_recommendation_key(client, alice, answered):
    client.force_login(alice)
    url = reverse("reports:action_plan", kwargs={"pk": answered.pk})
    data = {
        "plan-TOTAL_FORMS": "1",
        "plan-INITIAL_FORMS": "0",
        "plan-0-what": "Opplæringsdag",
        "plan-0-who": "Ordfører",
    }
    for key in ["x" * 81, "x" * 100_000, "council_training_day\x00", "<script>", "ÆØÅ"]:
        response = client.post(url, {**data, "plan-0-recommendation_key": key})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Koblingen til en anbefaling på denne linjen er skadet." in page
        assert not ActionPlanItem.objects.filter(assessment=answered).exists()
    response = client.post(url, {**data, "plan-0-recommendation_key": "council_training_day"})
    assert response.status_code == 302


def _login(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("alice\x00", "Brukernavnet inneholder et tegn som ikke er tillatt."),
        ("\x00", "Brukernavnet inneholder et tegn som ikke er tillatt."),
        ("a" * 151, "Et brukernavn har høyst 150 tegn."),
        ("a" * 256, "Et brukernavn har høyst 150 tegn."),
        ("a" * 1_000_000, "Et brukernavn har høyst 150 tegn."),
    ],
)
def test_login_refuses_nul_and_overlong_user_names(client, alice, username, message):
    response = _login(client, username)
    assert response.status_code == 200
    assert isinstance(response.context["form"], LoginForm)
    page = response.content.decode()
    assert message in page
    assert "\x00" not in page and "a" * 151 not in page  # not echoed back
    assert not AccessAttempt.objects.exists()  # nothing looked up, nothing recorded
    assert client.session.get("_auth_user_id") is None


def test_login_refuses_a_nul_in_the_password(client, alice):
    response = _login(client, "alice", PASSWORD + "\x00")
    assert response.status_code == 200
    assert "Passordet inneholder et tegn som ikke er tillatt." in response.content.decode()


def test_login_and_lockout_work_with_the_checked_form(client, alice):
    for _ in range(4):
        assert _login(client, "alice", "wrong password").status_code == 200
    _login(client, "alice", "wrong password")  # the fifth
    assert _login(client, "alice").status_code == 429  # django-axes still locks out
    AccessAttempt.objects.all().delete()
    response = _login(client, "alice")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_admin_login_refuses_an_overlong_user_name(client, db):
    response = client.post(
        reverse("admin:login"), {"username": "a" * 300, "password": "x", "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "Et brukernavn har høyst 150 tegn." in response.content.decode()
    assert not AccessAttempt.objects.exists()


# --- 4. the PDF fetcher reads nothing outside static/ and templates/ -------------------------


def _escape_count() -> int:
    return len((ROOT / "static").resolve().parts)  # enough ".." to reach / from static/


@pytest.mark.parametrize(
    "url",
    [
        # The reported URL, exactly, and one with enough levels to reach the real /etc/passwd.
        f"file://{ROOT}/static/%2e%2e/%2e%2e/etc/passwd",
        f"file://{ROOT}/static/" + "%2e%2e/" * _escape_count() + "etc/passwd",
        f"file://{ROOT}/static/" + "%2E%2E%2F" * _escape_count() + "etc%2Fpasswd",
        f"file://{ROOT}/static/" + "..%2f" * _escape_count() + "etc/passwd",
        # Double encoding, backslashes, other spellings of the scheme and host.
        f"file://{ROOT}/static/" + "%252e%252e/" * _escape_count() + "etc/passwd",
        f"file://{ROOT}/static/" + "..%5c" * _escape_count() + "etc%5cpasswd",
        f"file://{ROOT}/static/" + "..\\" * _escape_count() + "etc\\passwd",
        f"FILE://{ROOT}/static/" + "%2e%2e/" * _escape_count() + "etc/passwd",
        f"File://localhost{ROOT}/static/" + "%2e%2e/" * _escape_count() + "etc/passwd",
        f"file://otherhost{ROOT}/static/vendor/designsystemet.css",
        f"file:{ROOT}/static/" + "%2e%2e/" * _escape_count() + "etc/passwd",
        f"file://{ROOT}/static/%00/../../etc/passwd",
        f"file://{ROOT}/static/%ff%fe",
        f"file://{ROOT}/templates/../config/settings.py",
        "file:///etc/passwd",
        "file:etc/passwd",
    ],
)
def test_pdf_fetcher_refuses_paths_outside_the_allowed_folders(url):
    with pytest.raises(ValueError, match="Refusing"):
        pdf.LocalOnlyFetcher().fetch(url)


def test_pdf_fetcher_still_reads_project_files():
    fetcher = pdf.LocalOnlyFetcher()
    for url in (
        f"file://{ROOT}/templates/reports/pdf/report.css",
        f"file://{ROOT}/templates/reports/pdf/%72eport.css",  # "r", percent-encoded
        f"file://{ROOT}/templates/reports/pdf/../pdf/report.css?x=1#y",
    ):
        response = fetcher.fetch(url)
        try:
            assert response.read() == (ROOT / "templates/reports/pdf/report.css").read_bytes()
        finally:
            response.close()


def test_pdf_fetcher_refuses_a_symlink_out_of_an_allowed_folder(tmp_path, monkeypatch):
    allowed = tmp_path / "static"
    allowed.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (allowed / "inside.txt").write_text("fine")
    (allowed / "link.txt").symlink_to(outside)
    (allowed / "dir").symlink_to(tmp_path)
    monkeypatch.setattr(pdf.LocalOnlyFetcher, "allowed_roots", (allowed,))
    fetcher = pdf.LocalOnlyFetcher()
    assert fetcher.fetch(f"file://{allowed}/inside.txt").read() == b"fine"
    for url in (f"file://{allowed}/link.txt", f"file://{allowed}/dir/secret.txt"):
        with pytest.raises(ValueError, match="Refusing"):
            fetcher.fetch(url)


# --- 5. logs: capped, and without respondent keys -------------------------------------------


def _record(msg: str, *args, name: str = "test") -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args or None, None)


def test_a_megabyte_message_is_capped():
    record = _record("Bad value: %s", "x" * 1_000_000)
    assert log_filters.TruncateFilter(max_chars=2000).filter(record)
    message = record.getMessage()
    assert len(message) < 2100
    assert message.startswith("Bad value: xxx")
    assert message.endswith("[998011 more characters cut]")


def test_cap_length_comes_from_the_settings(settings):
    assert settings.PLANPROFIL_LOG_MAX_CHARS == 2000
    caps = [
        f
        for handler in _handlers("")
        for f in handler.filters
        if isinstance(f, log_filters.TruncateFilter)
    ]
    assert caps and all(cap.max_chars == settings.PLANPROFIL_LOG_MAX_CHARS for cap in caps)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"GET /svar/{KEY}/", "GET /svar/[redacted]/"),
        (f"/svar/{KEY}/steg/2/", "/svar/[redacted]/steg/2/"),
        (f"/svar/fortsett/{KEY}/", "/svar/fortsett/[redacted]/"),
        (f"https://x.no/svar/{KEY}", "https://x.no/svar/[redacted]"),
        (f"/konto/login/?next=%2Fsvar%2F{KEY}%2F", "/konto/login/?next=%2Fsvar%2F[redacted]%2F"),
        ("/svar/fortsett/", "/svar/fortsett/"),
        ("/svar/short/", "/svar/short/"),
        ("/radgiver/?page=2", "/radgiver/?page=2"),
    ],
)
def test_redact(text, expected):
    assert log_filters.redact(text) == expected


def _handlers(name: str) -> list[logging.Handler]:
    """The handlers settings.LOGGING configured (not pytest's own capturing ones)."""
    logger = logging.getLogger(name) if name else logging.getLogger()
    return [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]


@pytest.mark.parametrize("name", ["", "django.request", "django.server"])
def test_every_handler_has_both_filters(name):
    handlers = _handlers(name)
    assert handlers
    for handler in handlers:
        kinds = {type(f) for f in handler.filters}
        assert {log_filters.TruncateFilter, log_filters.RedactRespondentKeysFilter} <= kinds


@pytest.fixture
def log_output():
    """What the configured handlers write, for the root, django.request and django.server."""
    buffer = io.StringIO()
    swapped = [
        (handler, handler.setStream(buffer))
        for name in ("", "django.request", "django.server")
        for handler in _handlers(name)
        if isinstance(handler, logging.StreamHandler)
    ]
    yield buffer
    for handler, stream in swapped:
        handler.setStream(stream)


def test_django_request_log_has_no_respondent_key(client, db, log_output):
    path = f"/svar/{KEY}/finnes-ikke/"
    assert client.get(path).status_code == 404  # Django logs "Not Found: <path>"
    request = RequestFactory().get(f"/svar/fortsett/{KEY}/", {"next": f"/svar/{KEY}/"})
    logging.getLogger("django.request").warning(
        "Not Found: %s", request.get_full_path(), extra={"status_code": 404, "request": request}
    )
    logging.getLogger("django.server").info(
        '"GET /svar/%s/ HTTP/1.1" 200 10', KEY, extra={"status_code": 200, "request": None}
    )
    logged = log_output.getvalue()
    assert KEY not in logged
    assert "Not Found: /svar/[redacted]/finnes-ikke/" in logged
    assert "Not Found: /svar/fortsett/[redacted]/?next=%2Fsvar%2F[redacted]%2F" in logged
    assert '"GET /svar/[redacted]/ HTTP/1.1" 200 10' in logged


def test_request_on_a_record_is_a_redacted_copy():
    request = RequestFactory().get(f"/svar/{KEY}/steg/1/")
    record = _record("Error")
    record.request = request
    log_filters.RedactRespondentKeysFilter().filter(record)
    assert record.request.path == "/svar/[redacted]/steg/1/"
    assert record.request.META["PATH_INFO"] == "/svar/[redacted]/steg/1/"
    assert request.path == f"/svar/{KEY}/steg/1/"  # the live request is untouched


def test_traceback_text_is_redacted():
    try:
        raise ValueError(f"no respondent for /svar/{KEY}/")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    log_filters.RedactRespondentKeysFilter().filter(record)
    assert KEY not in logging.Formatter().format(record)


@pytest.fixture
def gunicorn_conf(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    return runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))


def test_gunicorn_settings(gunicorn_conf, monkeypatch):
    assert gunicorn_conf["workers"] == 2
    assert gunicorn_conf["max_requests"] == 1000
    assert gunicorn_conf["max_requests_jitter"] == 100
    assert gunicorn_conf["wsgi_app"] == "config.wsgi:application"
    assert gunicorn_conf["accesslog"] == "-"
    assert gunicorn_conf["logger_class"] is gunicorn_conf["RedactingLogger"]
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))["workers"] == 5


def test_gunicorn_access_and_error_lines_are_redacted(gunicorn_conf):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    config.set("errorlog", "-")
    logger = gunicorn_conf["RedactingLogger"](config)
    buffer = io.StringIO()
    handlers = [*logger.access_log.handlers, *logger.error_log.handlers]
    try:
        for handler in handlers:
            handler.setStream(buffer)
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"/svar/{KEY}/?next=%2Fsvar%2Ffortsett%2F{KEY}%2F",
            "PATH_INFO": f"/svar/{KEY}/",
            "QUERY_STRING": f"next=%2Fsvar%2Ffortsett%2F{KEY}%2F",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "192.0.2.1",
            "HTTP_REFERER": f"https://planprofil.example.no/svar/fortsett/{KEY}/",
            "HTTP_USER_AGENT": "test" + "x" * 100_000,
        }
        response = SimpleNamespace(
            status="200 OK", sent=512, headers=[("Content-Type", "text/html")]
        )
        request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
        logger.access(response, request, environ, timedelta(milliseconds=12))
        logger.error("Error handling request %s", f"/svar/{KEY}/steg/")
    finally:
        for handler in handlers:
            for log in (logger.access_log, logger.error_log):
                log.removeHandler(handler)
    lines = buffer.getvalue()
    assert KEY not in lines
    assert (
        '"GET /svar/[redacted]/?next=%2Fsvar%2Ffortsett%2F[redacted]%2F HTTP/1.1" 200 512' in lines
    )
    assert '"https://planprofil.example.no/svar/fortsett/[redacted]/"' in lines
    assert "Error handling request /svar/[redacted]/steg/" in lines
    assert len(lines) < 10_000  # the 100 kB user agent is capped


# --- 6. the demo guard, settings and secrets from the environment ----------------------------


def test_load_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", verbosity=0)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username__in=["demo", "radgiver"]).exists()


def test_env_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("PP_TEST_SECRET", raising=False)
    monkeypatch.delenv("PP_TEST_SECRET_FILE", raising=False)
    assert env_secret("PP_TEST_SECRET") is None
    assert env_secret("PP_TEST_SECRET", "fallback") == "fallback"
    monkeypatch.setenv("PP_TEST_SECRET", "from-env")
    assert env_secret("PP_TEST_SECRET") == "from-env"
    secret_file = tmp_path / "secret"
    secret_file.write_text("from file \n\n", encoding="utf-8")
    monkeypatch.setenv("PP_TEST_SECRET_FILE", str(secret_file))
    with pytest.raises(ImproperlyConfigured, match="PP_TEST_SECRET or PP_TEST_SECRET_FILE"):
        env_secret("PP_TEST_SECRET")
    monkeypatch.delenv("PP_TEST_SECRET")
    assert env_secret("PP_TEST_SECRET") == "from file "  # only the line break is dropped
    monkeypatch.setenv("PP_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="PP_TEST_SECRET_FILE: no such file"):
        env_secret("PP_TEST_SECRET")


def test_email_hsts_and_secret_files_from_the_environment(tmp_path):
    (tmp_path / "key").write_text("k" * 60 + "\n")
    (tmp_path / "db").write_text("postgres://planprofil@db.invalid:5432/planprofil\n")
    (tmp_path / "mail").write_text("mail password\n")
    env = _clean_env(
        DJANGO_SECRET_KEY_FILE=str(tmp_path / "key"),
        DATABASE_URL_FILE=str(tmp_path / "db"),
        DJANGO_EMAIL_HOST="smtp.example.no",
        DJANGO_EMAIL_PORT="587",
        DJANGO_EMAIL_HOST_USER="planprofil",
        DJANGO_EMAIL_HOST_PASSWORD_FILE=str(tmp_path / "mail"),
        DJANGO_EMAIL_USE_TLS="1",
        DJANGO_EMAIL_TIMEOUT="7",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_SECURE_HSTS_PRELOAD="yes",
    )
    names = [
        "SECRET_KEY", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ]  # fmt: skip
    values = _settings_in(
        ROOT,
        env,
        f"{{**{{n: getattr(s, n) for n in {names!r}}}, 'DB': s.DATABASES['default']['HOST']}}",
    )
    assert values == {
        "SECRET_KEY": "k" * 60,
        "EMAIL_HOST": "smtp.example.no",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "planprofil",
        "EMAIL_HOST_PASSWORD": "mail password",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 7,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "DB": "db.invalid",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": "a", "DJANGO_SECRET_KEY_FILE": "/dev/null"}, "not both"),
        ({"DJANGO_SECRET_KEY_FILE": "/nonexistent/key"}, "DJANGO_SECRET_KEY_FILE: no such file"),
        ({"DJANGO_SECRET_KEY": "a", "DJANGO_EMAIL_USE_TLS": "1", "DJANGO_EMAIL_USE_SSL": "1"},
         "DJANGO_EMAIL_USE_TLS or DJANGO_EMAIL_USE_SSL, not both"),
        ({"DJANGO_SECRET_KEY": "a", "DJANGO_SECURE_HSTS_PRELOAD": "maybe"},
         "DJANGO_SECURE_HSTS_PRELOAD must be one of"),
    ],
)  # fmt: skip
def test_bad_environment_stops_start_up_with_a_clear_message(env, message):
    done = subprocess.run(
        [sys.executable, "-c", "import config.settings"], cwd=ROOT, env=_clean_env(**env),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert message in done.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    env = _clean_env(
        DJANGO_SECRET_KEY_FILE=str(key_file),
        DJANGO_ALLOWED_HOSTS="planprofil.example.no",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://planprofil.example.no",
        DJANGO_BEHIND_TLS_PROXY="1",
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_SECURE_HSTS_PRELOAD="1",
        DJANGO_SECURE_COOKIES="1",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(
    "url",
    [
        "/vurderinger/ny/18%0015/",
        "/svar/abc%00def/",
        "/svar/fortsett/abc%00/",
        "/besvarelse/1%00/",
    ],
)
def test_nul_in_the_address_is_a_400_not_a_500(client, url):
    assert client.get(url).status_code == 400

"""`make loadtest`: 50 invited respondents complete the wizard at once against gunicorn.

What it does, from nothing to a verdict:

1. A throwaway database: SQLite in a temporary folder by default; with DATABASE_URL set (a
   PostgreSQL server), a fresh database `loadtest_<pid>` on that server, dropped at the end.
   The database DATABASE_URL names is only used to issue CREATE/DROP DATABASE.
2. `manage.py migrate`, `load_reference_data` and `collectstatic` into it (static files into
   the temporary folder; see bench/loadtest_settings.py), then, through the ORM and services:
   a coordinator of Vega, an open round, and one shared group link for politicians and one
   for the administration.
3. gunicorn with config/gunicorn.conf.py, two sync workers, on a free port of 127.0.0.1,
   production settings (DEBUG off; plain-HTTP cookies since there is no TLS proxy here).
4. 50 respondents (half politicians, half administration), one `requests.Session` and one
   thread each, all released at once: invitation page, Start (POST), their own page, the
   wizard step by step (every radio answered with a valid value from the page, number fields
   with "2", follow-ups only when their condition holds, as the browser shows them), the
   check step, and the receipt. Each respondent's requests are sequential; the whole run is
   bounded to 120 s (--deadline).
5. Figures: requests, errors (status >= 500, connection errors, respondents that did not reach
   the receipt), p50/p95 latency per request, completed wizards, wall time, wizards per second.
   Then, through the ORM: exactly 50 submitted respondents, every step saved, and every answer
   stored exactly as posted. gunicorn's error log is searched for tracebacks.

Exits non-zero on any error. The figures also go, as one JSON line, to
var/loadtest-<engine>.json (engine: sqlite or postgresql).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess  # nosec B404 # manage.py and gunicorn, with fixed arguments
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
RESPONDENTS = 50
WORKERS = 2
DEADLINE_SECONDS = 120.0
REQUEST_TIMEOUT = 30.0  # gunicorn's own worker timeout is 30 s
MUNICIPALITY = "1815"  # Vega
DONT_KNOW = "dk"  # assessment.forms.DONT_KNOW: a valid answer, but we answer for real
CHECK_STEP = "kontroll"  # assessment.views.wizard.CHECK_STEP
DONE_STEP = "send"  # assessment.views.wizard.DONE_STEP
ROLES = ("politician", "administration")
RECEIPT_MARKER = 'class="ds-alert" data-color="success"'  # templates/.../invite/receipt.html
RESUME_RE = re.compile(r"/svar/fortsett/([A-Za-z0-9_-]+)/")


# --- database -------------------------------------------------------------------------------


@dataclass
class Database:
    engine: str  # "sqlite" or "postgresql"
    url: str  # what the app, manage.py and the ORM checks use
    drop: Callable[[], None]


def _given_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url and os.environ.get("DATABASE_URL_FILE"):
        url = Path(os.environ["DATABASE_URL_FILE"]).read_text().strip()
    return url


def create_database(tmp: Path) -> Database:
    given = _given_database_url()
    if not given:
        return Database("sqlite", f"sqlite:///{tmp / 'load.sqlite3'}", lambda: None)
    parts = urlsplit(given)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"loadtest: DATABASE_URL must be PostgreSQL, not {parts.scheme!r}")
    import psycopg
    from psycopg import sql

    name = f"loadtest_{os.getpid()}"
    server = urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    return Database("postgresql", url, drop)


def app_environment(db: Database, tmp: Path) -> dict[str, str]:
    """Production settings (DEBUG off) against the throwaway database, over plain HTTP."""
    env = dict(os.environ)
    for name in (
        "DATABASE_URL_FILE",
        "DJANGO_SECRET_KEY_FILE",
        "PLANPROFIL_CLIENT_IP_HEADERS",
        "PLANPROFIL_PROXY_COUNT",
        "DJANGO_BEHIND_TLS_PROXY",
    ):
        env.pop(name, None)
    env.update(
        DATABASE_URL=db.url,
        DJANGO_SETTINGS_MODULE="bench.loadtest_settings",
        PLANPROFIL_LOADTEST_STATIC_ROOT=str(tmp / "static"),
        DJANGO_SECRET_KEY="loadtest-only-secret-key-" + "x" * 40,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # No TLS in front of gunicorn here: the browser would not send Secure cookies.
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PLANPROFIL_REPORT_CACHE=str(tmp / "reports"),
        PLANPROFIL_EXPORT_DIR=str(tmp / "exports"),
        WEB_CONCURRENCY=str(WORKERS),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # nosec B603 # our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"loadtest: manage.py {' '.join(args)} failed")


@dataclass
class Round:
    assessment_pk: int
    tokens: dict[str, str]  # role group -> group link token


def set_up_round() -> Round:
    """A coordinator, an open round and one shared link per role group (ORM and services)."""
    from django.contrib.auth import get_user_model

    from assessment import services
    from assessment.models import Assessment, Coordinator, Municipality

    municipality = Municipality.objects.get(number=MUNICIPALITY)
    user = get_user_model().objects.create_user(
        "loadtest-coordinator", email="loadtest@example.invalid", password=None
    )
    Coordinator.objects.create(user=user, municipality=municipality)
    assessment = services.assessment_create(
        user=user,
        municipality=municipality,
        period="2023-2027",
        round=Assessment.Round.BASELINE,
        label="Load test",
    )
    tokens = {}
    for role in ROLES:
        issued = services.invitations_create(
            assessment=assessment,
            role_group=role,
            group_link=True,
            note="load test",
            link_for=lambda t: t,
        )
        assert issued is not None  # nosec B101 # group_link=True always issues a link
        tokens[role] = issued.token
    return Round(assessment.pk, tokens)


# --- gunicorn -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], logs: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        (logs / "gunicorn-access.log").open("wb") as out,
        (logs / "gunicorn-error.log").open("wb") as err,
    ):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "config/gunicorn.conf.py",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            # Our own control socket: the default (~/.gunicorn/gunicorn.ctl) is shared by every
            # gunicorn of this user on the machine.
            "--control-socket",
            str(logs / "gunicorn.ctl"),
        ]
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)  # nosec B603
        try:
            _wait_until_serving(proc, base, logs)
            yield base
        finally:
            proc.terminate()  # the master stops its workers gracefully
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_serving(proc: subprocess.Popen, base: str, logs: Path) -> None:
    give_up = time.monotonic() + 60
    served = 0
    while time.monotonic() < give_up:
        if proc.poll() is not None:
            sys.stderr.write((logs / "gunicorn-error.log").read_text(errors="replace")[-5000:])
            raise SystemExit("loadtest: gunicorn exited before serving")
        try:
            if requests.get(base + "/", allow_redirects=False, timeout=5).status_code < 500:
                served += 1
                if served >= 2 * WORKERS:  # give both workers the chance to finish booting
                    return
                continue
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("loadtest: gunicorn did not answer within 60 s")


# --- reading pages --------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # "radio", "number" or "text" (textareas and other text inputs)
    values: list[str] = field(default_factory=list)  # radio values, in page order
    condition: tuple[str, tuple[str, ...]] | None = None  # same-step follow-up


@dataclass
class Form:
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    fields: dict[str, Field] = field(default_factory=dict)  # in page order


class FormParser(HTMLParser):
    """The forms of a page with what a browser would need to fill them in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._divs: list[tuple[str, tuple[str, ...]] | None] = []

    def _condition(self) -> tuple[str, tuple[str, ...]] | None:
        return next((c for c in reversed(self._divs) if c is not None), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "div":
            follow_up = "data-condition-field" in a
            self._divs.append(
                (a["data-condition-field"], tuple(a.get("data-condition-values", "").split()))
                if follow_up
                else None
            )
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name = a.get("name")
            if not name:
                return
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if kind == "hidden":
                self._form.hidden[name] = a.get("value", "")
            elif kind == "radio":
                entry = self._form.fields.setdefault(
                    name, Field(name, "radio", condition=self._condition())
                )
                entry.values.append(a.get("value", ""))
            elif kind == "number" or (kind == "text" and a.get("inputmode") == "decimal"):
                self._form.fields[name] = Field(name, "number", condition=self._condition())
            elif kind in ("text", "textarea"):
                self._form.fields[name] = Field(name, "text", condition=self._condition())
            elif kind not in ("submit", "button", "search", "email", "password"):
                self._form.fields[name] = Field(name, kind, condition=self._condition())

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "div" and self._divs:
            self._divs.pop()


def page_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def fill(form: Form, rng: random.Random) -> dict[str, str]:
    """What a person would post: every radio question answered with one of its values (not
    "Don't know"), every number with 2; free text and comments left empty; a follow-up only
    when the answer it depends on makes the browser show it."""
    chosen: dict[str, str] = {}
    for entry in form.fields.values():
        if entry.condition is not None:
            parent, values = entry.condition
            if chosen.get(parent) not in values:
                continue
        if entry.kind == "radio":
            real = [v for v in entry.values if v != DONT_KNOW] or entry.values
            chosen[entry.name] = rng.choice(real)
        elif entry.kind == "number":
            chosen[entry.name] = "2"
        elif entry.kind != "text":
            raise Failure(f"field {entry.name} of an unexpected kind {entry.kind!r}")
    return chosen


# --- respondents ----------------------------------------------------------------------------


class Failure(Exception):
    """This respondent cannot go on (the reason never contains a token or key)."""


@dataclass
class Sample:
    kind: str
    ms: float | None  # None: no response (connection error, timeout)
    status: int | None
    error: str = ""


@dataclass
class Outcome:
    index: int
    role: str
    completed: bool = False
    failure: str = ""
    resume_hash: str = ""
    steps: list[str] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)  # question key -> value posted


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self._lock = threading.Lock()

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)


class Respondent:
    def __init__(
        self,
        outcome: Outcome,
        base: str,
        token: str,
        assessment_pk: int,
        recorder: Recorder,
        deadline: float,
    ) -> None:
        self.outcome = outcome
        self.base = base
        self.token = token
        self.pk = assessment_pk
        self.recorder = recorder
        self.deadline = deadline
        self.http = requests.Session()
        self.rng = random.Random(outcome.index)  # nosec B311 # picks answers, not secrets

    def call(self, kind: str, method: str, path: str, data: dict | None = None):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise Failure(f"deadline reached before {kind}")
        start = time.perf_counter()
        try:
            response = self.http.request(
                method,
                self.base + path,
                data=data,
                allow_redirects=False,
                timeout=(min(5.0, remaining), min(REQUEST_TIMEOUT, remaining)),
            )
        except requests.RequestException as exc:
            self.recorder.add(Sample(kind, None, None, type(exc).__name__))
            raise Failure(f"{kind}: {type(exc).__name__}") from None
        self.recorder.add(Sample(kind, (time.perf_counter() - start) * 1000, response.status_code))
        if response.status_code >= 500:
            raise Failure(f"{kind}: HTTP {response.status_code}")
        return response

    @staticmethod
    def expect(response, kind: str, status: int) -> None:
        if response.status_code != status:
            raise Failure(f"{kind}: HTTP {response.status_code}, expected {status}")

    def redirect(self, response, kind: str) -> str:
        self.expect(response, kind, 302)
        return urlsplit(response.headers["Location"]).path

    def wizard_form(self, html: str, step: str) -> Form:
        management = f"assessment_wizard_{self.pk}-current_step"
        forms = [f for f in page_forms(html) if management in f.hidden]
        if len(forms) != 1:
            raise Failure(f"step {step}: no wizard form on the page")
        form = forms[0]
        if form.hidden[management] != step:
            raise Failure(f"step {step}: the page is step {form.hidden[management]!r}")
        if not form.hidden.get("csrfmiddlewaretoken"):
            raise Failure(f"step {step}: no CSRF token")
        return form

    def run(self) -> None:
        invite = f"/svar/{self.token}/"
        home = f"/besvarelse/{self.pk}/"
        step_re = re.compile(rf"^/besvarelse/{self.pk}/steg/([^/]+)/$")

        intro = self.call("invite GET", "GET", invite)
        self.expect(intro, "invite GET", 200)
        [start_form] = [
            f for f in page_forms(intro.text) if f.method == "post" and not f.fields
        ] or cast("list[Form | None]", [None])
        if start_form is None or not start_form.hidden.get("csrfmiddlewaretoken"):
            raise Failure("invite GET: no Start form")
        started = self.call("invite POST", "POST", invite, start_form.hidden)
        if self.redirect(started, "invite POST") != home:
            raise Failure("invite POST: not sent to the respondent's page")
        page = self.call("response GET", "GET", home)
        self.expect(page, "response GET", 200)
        keys = set(RESUME_RE.findall(page.text))
        if len(keys) != 1:
            raise Failure("response GET: no personal resume link shown")
        self.outcome.resume_hash = hashlib.sha256(keys.pop().encode()).hexdigest()

        location = self.redirect(self.call("wizard GET", "GET", f"{home}steg/"), "wizard GET")
        while True:
            match = step_re.match(location)
            if match is None:
                raise Failure("wizard: sent outside the wizard")
            step = match.group(1)
            if step == CHECK_STEP:
                break
            if step in self.outcome.steps or len(self.outcome.steps) > 100:
                raise Failure(f"step {step}: sent back to a step already answered")
            page = self.call("step GET", "GET", location)
            self.expect(page, "step GET", 200)
            form = self.wizard_form(page.text, step)
            answers = fill(form, self.rng)
            posted = self.call("step POST", "POST", location, form.hidden | answers)
            if posted.status_code == 200:
                raise Failure(f"step {step}: answers refused (the form came back)")
            location = self.redirect(posted, "step POST")
            self.outcome.steps.append(step)
            prefix = f"{step}-"
            for name, value in answers.items():
                if not name.startswith(prefix):
                    raise Failure(f"step {step}: field {name} outside the step")
                self.outcome.answers[name.removeprefix(prefix)] = value

        page = self.call("check GET", "GET", location)
        self.expect(page, "check GET", 200)
        form = self.wizard_form(page.text, CHECK_STEP)
        done = self.redirect(self.call("check POST", "POST", location, form.hidden), "check POST")
        if (
            step_re.match(done) is None
            or cast("re.Match[str]", step_re.match(done)).group(1) != DONE_STEP
        ):
            raise Failure("check POST: not sent to the done step")
        if self.redirect(self.call("done GET", "GET", done), "done GET") != home:
            raise Failure("done GET: not sent to the receipt")
        receipt = self.call("receipt GET", "GET", home)
        self.expect(receipt, "receipt GET", 200)
        if RECEIPT_MARKER not in receipt.text:
            raise Failure("receipt GET: not a receipt")
        self.outcome.completed = True


def run_load(
    base: str, round_: Round, deadline_seconds: float
) -> tuple[list[Outcome], Recorder, float]:
    recorder = Recorder()
    outcomes = [Outcome(i, ROLES[i % 2]) for i in range(RESPONDENTS)]
    gate = threading.Barrier(RESPONDENTS + 1)
    deadline = [0.0]

    def respondent(outcome: Outcome) -> None:
        gate.wait(timeout=60)
        try:
            Respondent(
                outcome,
                base,
                round_.tokens[outcome.role],
                round_.assessment_pk,
                recorder,
                deadline[0],
            ).run()
        except Failure as exc:
            outcome.failure = str(exc)
        except Exception as exc:  # a bug here must not look like a pass
            outcome.failure = f"load test client: {type(exc).__name__}: {exc}"

    with ThreadPoolExecutor(max_workers=RESPONDENTS, thread_name_prefix="respondent") as pool:
        futures = [pool.submit(respondent, o) for o in outcomes]
        time.sleep(0.5)  # let every thread reach the gate
        start = time.monotonic()
        deadline[0] = start + deadline_seconds
        gate.wait(timeout=60)
        for future in futures:
            future.result()
        wall = time.monotonic() - start
    return outcomes, recorder, wall


# --- checks through the ORM -----------------------------------------------------------------


def verify(round_: Round, outcomes: list[Outcome]) -> list[str]:
    """Nothing lost: 50 submitted responses, each with every step saved and every answer
    stored as it was posted. Returns the problems found."""
    from assessment import selectors
    from assessment.forms import theme_form_class
    from assessment.models import Assessment, Respondent

    problems = []
    assessment = Assessment.objects.get(pk=round_.assessment_pk)
    bank = selectors.bank_of(assessment)
    respondents = list(Respondent.objects.filter(assessment=assessment))
    submitted = [r for r in respondents if r.submitted_at is not None]
    if len(respondents) != RESPONDENTS:
        problems.append(f"{len(respondents)} responses started, expected {RESPONDENTS}")
    if len(submitted) != RESPONDENTS:
        problems.append(f"{len(submitted)} responses submitted, expected {RESPONDENTS}")
    roles = Counter(r.role_group for r in submitted)
    if roles != Counter(o.role for o in outcomes):
        problems.append(f"submitted per role group: {dict(roles)}")
    by_hash = {r.resume_hash: r for r in respondents}
    for outcome in outcomes:
        respondent = by_hash.get(outcome.resume_hash)
        who = f"respondent {outcome.index} ({outcome.role})"
        if respondent is None:
            problems.append(f"{who}: no response in the database")
            continue
        if respondent.role_group != outcome.role:
            problems.append(f"{who}: stored as {respondent.role_group}")
        stored = selectors.respondent_answers(respondent)
        earlier = {key: (a.value, a.dont_know) for key, a in stored.items()}
        # The steps the wizard itself asks of this respondent, from what is stored.
        expected = [
            theme.key
            for theme in bank.themes
            if theme_form_class(theme, respondent.role, earlier, bank.questions).questions
        ]
        missing = [s for s in expected if s not in respondent.saved_steps]
        if missing:
            problems.append(f"{who}: steps not saved: {missing}")
        if outcome.completed and outcome.steps != expected:
            problems.append(f"{who}: answered steps {outcome.steps}, the wizard asks {expected}")
        if outcome.completed:
            as_stored = {k: ("dk" if a.dont_know else a.value) for k, a in stored.items()}
            if as_stored != outcome.answers:
                lost = sorted(set(outcome.answers) - set(as_stored))
                extra = sorted(set(as_stored) - set(outcome.answers))
                changed = sorted(
                    k
                    for k in set(as_stored) & set(outcome.answers)
                    if as_stored[k] != outcome.answers[k]
                )
                problems.append(f"{who}: answers lost {lost}, extra {extra}, changed {changed}")
    return problems


# --- figures --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def server_errors(log: Path) -> tuple[list[str], Counter]:
    """Tracebacks and tell-tale lines in gunicorn's error log (Django logs there too)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    counts = Counter(
        {
            "tracebacks": text.count("Traceback (most recent call last)"),
            "database is locked": text.count("database is locked"),
            "worker timeouts": text.count("WORKER TIMEOUT"),
            "error lines": len(re.findall(r"^\[[^\]]+\] \[\d+\] \[ERROR\]", text, re.M)),
        }
    )
    blocks = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "Traceback (most recent call last)" in line:
            end = i + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
                end += 1
            blocks.append("\n".join(lines[max(0, i - 2) : end + 1]))
    return blocks, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deadline", type=float, default=DEADLINE_SECONDS, help="seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="planprofil-loadtest-"))
    db = create_database(tmp)
    env = app_environment(db, tmp)
    engine_label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[db.engine]
    failed = True
    try:
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_reference_data", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        # The set-up and the checks below run here, through the ORM, on the same settings.
        for name in set(os.environ) - set(env):
            del os.environ[name]
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections

        round_ = set_up_round()
        connections.close_all()
        setup_seconds = time.monotonic() - started

        print(
            f"Planprofil load test: {RESPONDENTS} respondents "
            f"({RESPONDENTS // 2} politicians, {RESPONDENTS - RESPONDENTS // 2} administration) "
            f"through the wizard at once; gunicorn, {WORKERS} sync workers; {engine_label}; "
            f"{os.cpu_count()} cores (set-up {setup_seconds:.1f} s)",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        with gunicorn(env, tmp) as base:
            outcomes, recorder, wall = run_load(base, round_, options.deadline)
        problems = verify(round_, outcomes)
        connections.close_all()
        blocks, log_counts = server_errors(tmp / "gunicorn-error.log")

        samples = recorder.samples
        latencies = [s.ms for s in samples if s.ms is not None]
        status_5xx = sum(1 for s in samples if s.status is not None and s.status >= 500)
        connection_errors = sum(1 for s in samples if s.status is None)
        unfinished = [o for o in outcomes if not o.completed]
        errors = status_5xx + connection_errors + len(unfinished)
        completed = RESPONDENTS - len(unfinished)
        by_kind: dict[str, list[float]] = defaultdict(list)
        for s in samples:
            if s.ms is not None:
                by_kind[s.kind].append(s.ms)
        figures: dict[str, Any] = {
            "engine": db.engine,
            "respondents": RESPONDENTS,
            "gunicorn_workers": WORKERS,
            "cores": os.cpu_count(),
            # Other work on the machine shares the cores with gunicorn and the clients.
            "load_average_before": round(load_before, 2),
            "requests": len(samples),
            "errors": errors,
            "errors_5xx": status_5xx,
            "connection_errors": connection_errors,
            "unfinished_respondents": len(unfinished),
            "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "max_ms": round(max(latencies, default=float("nan")), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
            "completed_wizards": completed,
            "steps_per_wizard": sorted({len(o.steps) for o in outcomes if o.completed}),
            "wall_s": round(wall, 2),
            "wizards_per_s": round(completed / wall, 2) if wall else None,
            "requests_per_s": round(len(samples) / wall, 1) if wall else None,
            "db_check_ok": not problems,
            "server_log": dict(log_counts),
            "by_request_kind": {
                kind: {
                    "n": len(v),
                    "p50_ms": round(percentile(v, 50), 1),
                    "p95_ms": round(percentile(v, 95), 1),
                }
                for kind, v in by_kind.items()
            },
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

        print(f"  requests            {figures['requests']}")
        print(
            f"  errors              {errors}  (HTTP 5xx {status_5xx}, connection errors "
            f"{connection_errors}, respondents without a receipt {len(unfinished)})"
        )
        print(
            f"  latency per request p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms "
            f"(max {figures['max_ms']} ms)"
        )
        print(f"  completed wizards   {completed} / {RESPONDENTS}")
        print(f"  wall time           {figures['wall_s']} s (limit {options.deadline:.0f} s)")
        print(
            f"  wizards per second  {figures['wizards_per_s']}  "
            f"({figures['requests_per_s']} requests/s)"
        )
        print(
            f"  database            {engine_label} (1-minute load average before the run: "
            f"{load_before:.2f} on {os.cpu_count()} cores)"
        )
        for kind, row in figures["by_request_kind"].items():
            print(
                f"    {kind:<14} n={row['n']:<5} "
                f"p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms"
            )
        if problems:
            print("  database check      FAILED")
            for problem in problems[:20]:
                print(f"    {problem}")
        else:
            print(
                f"  database check      ok: {RESPONDENTS} submitted, every step saved, "
                "every answer stored as posted"
            )
        reasons = Counter(o.failure for o in unfinished)
        for reason, count in reasons.most_common(10):
            print(f"    {count} x {reason}")
        log_problem = log_counts["tracebacks"] or log_counts["worker timeouts"]
        if log_problem or log_counts["database is locked"]:
            print(f"  gunicorn error log  {dict(log_counts)}")
            for block in blocks[:3]:
                print("    " + block.replace("\n", "\n    "))

        VAR.mkdir(exist_ok=True)
        (VAR / f"loadtest-{db.engine}.json").write_text(json.dumps(figures) + "\n")
        failed = bool(errors or problems or log_problem)
        if failed:
            kept = VAR / f"loadtest-{db.engine}-gunicorn-error.log"
            shutil.copyfile(tmp / "gunicorn-error.log", kept)
            print(f"FAILED; gunicorn's error log: {kept.relative_to(ROOT)}")
        else:
            print(f"ok; figures in var/loadtest-{db.engine}.json")
        return 1 if failed else 0
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        db.drop()
        if options.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Every URL x every persona x GET and POST: who gets what, and never a 500.

The table below (ROUTES) says, per URL pattern name, what each persona gets on a GET and on a
POST with an empty body. It is data: adding a URL pattern without a row here fails
test_every_url_pattern_has_a_row, so nobody adds a page without deciding who may open it.

URL parameters are real objects of municipality A (Vega, 1815): an open round (where Alice
also answers for herself), a closed round shared with advisers, a shared link, a
respondent's resume key, an access request, a batch export of the county adviser, a
password reset link. So "allowed" is a real page, and "refused" is refused for a reason.

Besides the status, every page a persona may read (200, text) is searched for markers that
only certain personas may see: the periods of Vega's and Utsira's rounds, a respondent's
comment, the name on Vega's access request, the coordinators' e-mail addresses. "Never a 200
with another municipality's data."

Outcome notation in the table: "200", "403", ... a status; "302" a redirect that is not to a
login page; "login" a redirect to the login page; "admin_login" one to the admin's login page.
"A/B" is A for GET and B for POST; "A|B" either.
"""

from __future__ import annotations

import io
import json
import traceback
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessment import services
from assessment.models import AccessRequest, Assessment, Municipality, QuestionBank
from assessment.scoring import RoleGroup
from reports.models import ReportExport
from reports.storage import export_storage
from tests.assessment.adviser_factories import closed_round, make_adviser
from tests.factories import CoordinatorFactory, UserFactory, answer_everything

ROOT = Path(settings.BASE_DIR)
ARTIFACT = ROOT / "test-artifacts" / "url-matrix.json"

# --- personas -------------------------------------------------------------------------------

ANON = "anonymous"
RESP = "respondent_a"  # a browser bound to a response in Vega's open round (shared link)
COORD_A = "coordinator_a"  # alice, Vega
COORD_B = "coordinator_b"  # bob, Utsira
ADV_A = "adviser_a"  # counties ["18"] (Nordland, Vega's county)
ADV_B = "adviser_b"  # counties ["11"] (Rogaland)
STAFF = "staff"  # is_staff, no municipality
PERSONAS = (ANON, RESP, COORD_A, COORD_B, ADV_A, ADV_B, STAFF)
METHODS = ("GET", "POST")

# --- markers: data that only some personas may ever see -------------------------------------

VEGA_OPEN_PERIOD = "2011-2015"
VEGA_CLOSED_PERIOD = "2015-2019"
UTSIRA_OPEN_PERIOD = "2007-2011"
VEGA_COMMENT = "Vega-respondent-merknad-7Q"
VEGA_REQUESTER = "Vega-soeker-Per-7Q"
ALICE_EMAIL = "alice.vega-7q@example.invalid"
BOB_EMAIL = "bob.utsira-7q@example.invalid"

# marker -> personas who may see it. Pages reached with a token (the shared link, a resume
# key) show the open round to whoever holds it; see TOKEN_ROUTES.
MARKERS: dict[str, set[str]] = {
    VEGA_OPEN_PERIOD: {COORD_A, RESP},
    VEGA_CLOSED_PERIOD: {COORD_A, ADV_A},
    VEGA_COMMENT: {COORD_A},
    VEGA_REQUESTER: {COORD_A, STAFF},
    ALICE_EMAIL: {COORD_A},
    UTSIRA_OPEN_PERIOD: {COORD_B},
    BOB_EMAIL: {COORD_B},
}
TOKEN_ROUTES = {"assessment:invite", "assessment:resume"}

# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    why: str
    expect: dict[str, tuple[frozenset[str], frozenset[str]]]
    # URL kwarg -> a World attribute's name, or the value itself when World has no such one
    params: dict[str, str] = field(default_factory=dict)
    query: str = ""
    # Text this page may show only to some personas, besides MARKERS (marker -> personas).
    private: dict[str, frozenset[str]] = field(default_factory=dict)


def _parse(spec: str) -> tuple[frozenset[str], frozenset[str]]:
    get, _, post = spec.partition("/")
    return frozenset(get.split("|")), frozenset((post or get).split("|"))


def route(
    why: str, *, params=None, query: str = "", private=None, rest: str | None = None, **who
) -> Route:
    """One row. Keywords anon, resp, coord_a, coord_b, adv_a, adv_b, staff; `rest` for the
    personas not named."""
    keys = dict(
        zip(
            ("anon", "resp", "coord_a", "coord_b", "adv_a", "adv_b", "staff"), PERSONAS, strict=True
        )
    )
    unknown = set(who) - set(keys)
    assert not unknown, unknown
    expect = {}
    for key, persona in keys.items():
        spec = who.get(key, rest)
        assert spec is not None, f"no expectation for {persona}: {why}"
        expect[persona] = _parse(spec)
    private = {marker: frozenset(allowed) for marker, allowed in (private or {}).items()}
    return Route(why, expect, params or {}, query, private)


# On adviser pages the municipality's name is its data: only the Nordland adviser may see it.
VEGA_NAME_FOR_ADV_A = {"Vega": {ADV_A}}
LOGIN_ONLY = {"anon": "login", "resp": "login"}  # login_required: a respondent has no account
OPEN = {"pk": "open_pk"}
CLOSED = {"pk": "closed_pk"}

ROUTES: dict[str, Route] = {
    # Django's own and static pages --------------------------------------------------------
    "set_language": route(
        "Language switch for everyone; without `next` it sends you to the front page.",
        rest="302",
    ),
    "admin:index": route(
        "Admin is for staff only; everyone else is sent to the admin's own login page. (The "
        "admin's model pages are Django's and not listed; the index stands for them.)",
        staff="200",
        rest="admin_login",
    ),
    "login": route(
        "The login form, for anyone; an empty POST shows the form's errors. (Named twice: "
        "config/urls.py's checked form shadows django.contrib.auth.urls' login.)",
        rest="200",
    ),
    "logout": route(
        "Logging out is POST only (Django 5); it redirects to the front page.",
        rest="405/302",
    ),
    "password_change": route(
        "Changing one's own password needs a login; an empty POST shows the errors.",
        **LOGIN_ONLY,
        rest="200",
    ),
    "password_change_done": route(
        "Confirmation, needs a login; a TemplateView refuses POST.", **LOGIN_ONLY, rest="200/405"
    ),
    "password_reset": route(
        "Asking for a reset link is public; an empty POST shows the errors. (Named twice: "
        "config/urls.py's form, which also serves accounts with no password yet, shadows "
        "Django's.)",
        rest="200",
    ),
    "password_reset_done": route("Public confirmation; refuses POST.", rest="200/405"),
    "password_reset_confirm": route(
        "A valid reset link (of Kari, a Vega coordinator who never logs in here) moves the "
        "token into the session and redirects to the set-password form, for whoever holds it.",
        params={"uidb64": "reset_uid", "token": "reset_token"},
        rest="302",
    ),
    "password_reset_complete": route("Public confirmation; refuses POST.", rest="200/405"),
    "accessibility": route("Public statement; a TemplateView refuses POST.", rest="200/405"),
    "privacy": route("Public statement; a TemplateView refuses POST.", rest="200/405"),
    # Coordinators -------------------------------------------------------------------------
    "assessment:home": route(
        "Landing page for visitors, 'my assessments' (own municipalities only) when logged in; "
        "an adviser who coordinates nothing is sent on to the adviser dashboard.",
        adv_a="302",
        adv_b="302",
        rest="200",
    ),
    "assessment:start": route(
        "Municipality search to start a round; any logged-in user may search.",
        **LOGIN_ONLY,
        query="?q=ve",
        rest="200",
    ),
    "assessment:municipality_suggestions": route(
        "Suggestions while typing on the start page (JSON): public municipality names, for "
        "logged-in users like the search itself; nothing to POST.",
        **LOGIN_ONLY,
        query="?q=ve",
        rest="200",
    ),
    "assessment:create": route(
        "Only Vega's coordinator may start a round for Vega (empty POST: form errors); "
        "others get the 'ask for access' page with 403.",
        params={"number": "vega_number"},
        **LOGIN_ONLY,
        coord_a="200",
        rest="403",
    ),
    "assessment:detail": route(
        "A round's overview is for its coordinators; others 404 (never confirm it exists).",
        params=OPEN,
        **LOGIN_ONLY,
        coord_a="200",
        rest="404",
    ),
    "reports:close": route(
        "Closing asks first: Vega's coordinator gets the confirmation page (one person has "
        "submitted in the open round); a POST without confirm=yes shows it again. Others 404.",
        params=OPEN,
        **LOGIN_ONLY,
        coord_a="200",
        rest="404",
    ),
    "reports:results": route(
        "Results of the closed, shared round: Vega's coordinator, and the adviser for "
        "Nordland; not the Rogaland adviser, not Utsira, not staff.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200",
        adv_a="200",
        rest="404",
    ),
    "reports:report_pdf": route(
        "The PDF of the same round: the same people as the results page.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200",
        adv_a="200",
        rest="404",
    ),
    "reports:council_paper": route(
        "Editing the council paper is the municipality's own: its coordinator only (an empty "
        "POST is a form with errors, 200). Advisers 404.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200",
        rest="404",
    ),
    "reports:council_paper_pdf": route(
        "The council paper as PDF: the same people as the results page.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200",
        adv_a="200",
        rest="404",
    ),
    "reports:council_paper_docx": route(
        "The council paper as Word: the same people as the results page.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200",
        adv_a="200",
        rest="404",
    ),
    "reports:action_plan": route(
        "Editing the action plan is the municipality's own: its coordinator only (an empty "
        "POST has no management form: errors, 200). Advisers 404.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200",
        rest="404",
    ),
    "assessment:intro": route(
        "A coordinator answering for themselves: intro and role (empty POST: form errors).",
        params=OPEN,
        **LOGIN_ONLY,
        coord_a="200",
        rest="404",
    ),
    "assessment:wizard": route(
        "The coordinator's own wizard: GET goes to the current step, an empty (tampered) "
        "POST back to it.",
        params=OPEN,
        **LOGIN_ONLY,
        coord_a="302",
        rest="404",
    ),
    "assessment:wizard_step": route(
        "A step of the coordinator's own wizard; an empty POST is a stale form: redirect.",
        params={"pk": "open_pk", "step": "first_step"},
        **LOGIN_ONLY,
        coord_a="200/302",
        rest="404",
    ),
    "assessment:respondents": route(
        "Invitations and progress: the round's coordinators only (empty POST: the page).",
        params=OPEN,
        **LOGIN_ONLY,
        coord_a="200",
        rest="404",
    ),
    "assessment:plan_register": route(
        "The plan register is the round's coordinators' own. The world's rounds use bank v1, "
        "which has no register: the page says so, and an empty POST is refused with a message "
        "and a redirect. Others 404.",
        params=OPEN,
        **LOGIN_ONLY,
        coord_a="200/302",
        rest="404",
    ),
    "reports:workshop": route(
        "Workshop view of the closed, shared round: as the results page.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200",
        adv_a="200",
        rest="404",
    ),
    "assessment:coordinators": route(
        "Each user sees their own municipalities' coordinators (none for non-coordinators); "
        "an empty POST is an invalid 'add' form.",
        **LOGIN_ONLY,
        rest="200",
    ),
    "assessment:share": route(
        "Consent to share is the coordinator's; an empty POST means 'do not share' and "
        "redirects. Advisers may not withdraw it: 404.",
        params=CLOSED,
        **LOGIN_ONLY,
        coord_a="200/302",
        rest="404",
    ),
    "reports:municipality": route(
        "Vega over time: its coordinator, and the adviser whose county it is.",
        params={"number": "vega_number"},
        **LOGIN_ONLY,
        coord_a="200",
        adv_a="200",
        rest="404",
    ),
    # Advisers -----------------------------------------------------------------------------
    "reports:adviser_dashboard": route(
        "Advisers only (each sees their own scope); other logged-in users 403.",
        private=VEGA_NAME_FOR_ADV_A,
        **LOGIN_ONLY,
        adv_a="200",
        adv_b="200",
        rest="403",
    ),
    "reports:adviser_dashboard_export": route(
        "The dashboard as CSV: advisers only.",
        params={"fmt": "csv"},
        private=VEGA_NAME_FOR_ADV_A,
        **LOGIN_ONLY,
        adv_a="200",
        adv_b="200",
        rest="403",
    ),
    "reports:adviser_compare": route(
        "Compare: advisers only; the Rogaland adviser gets the page without Vega's round.",
        query="?m=1815&m=1151",
        private=VEGA_NAME_FOR_ADV_A,
        **LOGIN_ONLY,
        adv_a="200",
        adv_b="200",
        rest="403",
    ),
    "reports:adviser_compare_export": route(
        "Compare as CSV: advisers only, each within their scope.",
        params={"fmt": "csv"},
        query="?m=1815&m=1151",
        private=VEGA_NAME_FOR_ADV_A,
        **LOGIN_ONLY,
        adv_a="200",
        adv_b="200",
        rest="403",
    ),
    "reports:adviser_export_start": route(
        "Starting a batch export is POST only; an empty one chooses nothing and goes back to "
        "the dashboard. Non-advisers 403.",
        **LOGIN_ONLY,
        adv_a="405/302",
        adv_b="405/302",
        rest="405/403",
    ),
    "reports:adviser_export": route(
        "An export's status page belongs to the adviser who asked for it; another adviser "
        "404, non-advisers 403.",
        params={"pk": "export_pk"},
        **LOGIN_ONLY,
        adv_a="200",
        adv_b="404",
        rest="403",
    ),
    "reports:adviser_export_download": route(
        "The export's ZIP: as its status page.",
        params={"pk": "export_pk"},
        **LOGIN_ONLY,
        adv_a="200",
        adv_b="404",
        rest="403",
    ),
    "reports:api_dashboard": route(
        "Read-only JSON for advisers: any POST is 405 (checked first); GET 403 for non-advisers.",
        private=VEGA_NAME_FOR_ADV_A,
        **LOGIN_ONLY,
        adv_a="200/405",
        adv_b="200/405",
        rest="403/405",
    ),
    # Respondents without an account -------------------------------------------------------
    "assessment:resume": route(
        "A resume key is the respondent's own secret: whoever holds it sees the confirmation "
        "page, and POST binds that browser to the response.",
        params={"key": "resume_key"},
        rest="200/302",
    ),
    "assessment:invite": route(
        "A shared link: anyone holding it sees the intro; POST starts a new, empty response "
        "(or continues the one this browser already started).",
        params={"token": "group_token"},
        rest="200/302",
    ),
    "assessment:response": route(
        "The respondent's own page opens only in the browser bound to it; everyone else, "
        "coordinators included, gets 403 'no session'. An empty POST makes a new resume key.",
        params=OPEN,
        resp="200/302",
        rest="403",
    ),
    "assessment:response_wizard": route(
        "The bound browser is sent to its current step; others 403.",
        params=OPEN,
        resp="302",
        rest="403",
    ),
    "assessment:response_step": route(
        "A step of the respondent's wizard: the bound browser only; an empty POST is a stale "
        "form: redirect.",
        params={"pk": "open_pk", "step": "first_step"},
        resp="200/302",
        rest="403",
    ),
    # Access to a municipality -------------------------------------------------------------
    "assessment:access_request": route(
        "Asking for access is public; an empty POST shows the form's errors.",
        rest="200",
    ),
    "assessment:access_request_sent": route("Public receipt page.", rest="200"),
    "assessment:access_review": route(
        "Requests to decide: staff (all) and coordinators (their own municipalities'); "
        "advisers are neither: 404.",
        **LOGIN_ONLY,
        coord_a="200",
        coord_b="200",
        staff="200",
        rest="404",
    ),
    "assessment:access_review_one": route(
        "Deciding Vega's request is POST only: staff and Vega's coordinator (an empty POST "
        "chooses nothing: back to the list); others 404.",
        params={"pk": "access_request_pk"},
        **LOGIN_ONLY,
        coord_a="405/302",
        staff="405/302",
        rest="405/404",
    ),
}

# Only there when single sign-on is configured (config/urls.py); checked when present.
OPTIONAL_ROUTES: dict[str, Route] = {
    "oidc_authentication_init": route(
        "Single sign-on starts with a redirect to the provider, for anyone.", rest="302|405"
    ),
    "oidc_authentication_callback": route(
        "The provider's callback without its parameters fails to the login page.",
        rest="302|login|405",
    ),
}

# Known bugs: (pattern name, persona, method) -> reason. Each is a strict xfail below.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


# --- the resolver ---------------------------------------------------------------------------


def _walk(patterns, namespace: str | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        route_text = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = p.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from _walk(p.url_patterns, inner, route_text)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield (name or f"<unnamed {route_text}>", route_text)


def resolver_names() -> set[str]:
    """Every URL pattern's qualified name, without the admin's model pages (Django's own):
    of the admin, only its index is in the table."""
    names = set()
    for name, route_text in _walk(get_resolver().url_patterns):
        if route_text.startswith("admin/") and name != "admin:index":
            continue
        names.add(name)
    return names


PRESENT = resolver_names()
TABLE = {
    **ROUTES,
    **{name: row for name, row in OPTIONAL_ROUTES.items() if name in PRESENT},
}


def test_every_url_pattern_has_a_row():
    missing = sorted(PRESENT - set(TABLE))
    assert not missing, (
        f"URL patterns without a row in ROUTES (decide who may open them): {missing}"
    )
    stale = sorted(set(ROUTES) - PRESENT)
    assert not stale, f"rows in ROUTES for URL patterns that no longer exist: {stale}"


# --- the world: objects of municipality A (Vega) ------------------------------------------


@dataclass
class World:
    users: dict[str, object]
    respondent_session: str
    vega_number: str
    open_pk: int
    closed_pk: int
    utsira_open_pk: int
    first_step: str
    group_token: str
    resume_key: str
    access_request_pk: int
    export_pk: str
    reset_uid: str
    reset_token: str


def first_step_for(bank_record: QuestionBank, role: RoleGroup) -> str:
    bank = bank_record.parsed
    return next(t.key for t in bank.themes if any(q.spec.asked_of(role) for q in t.questions))


EXPORT_FILE = "url-matrix-export.zip"


def export_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("1815-vega.pdf", b"%PDF-1.7 test")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _export_file(_isolated_files_and_tasks):
    """The adviser's finished export, in this test's own export storage (tests/conftest.py
    gives each test its own folder)."""
    export_storage().save(EXPORT_FILE, ContentFile(export_zip()))


def build_world() -> World:
    bank_record = QuestionBank.objects.get(version="1")
    vega = Municipality.objects.get(number="1815")
    utsira = Municipality.objects.get(number="1151")
    alice = CoordinatorFactory(
        municipality=vega, user=UserFactory(username="alice", email=ALICE_EMAIL)
    ).user
    bob = CoordinatorFactory(
        municipality=utsira, user=UserFactory(username="bob", email=BOB_EMAIL)
    ).user
    # A second Vega coordinator who never logs in here: their reset link stays valid.
    kari = CoordinatorFactory(municipality=vega, user=UserFactory(username="kari")).user
    staff = UserFactory(username="stine", is_staff=True)
    adv_a = make_adviser("nora", counties=["18"])
    adv_b = make_adviser("rolf", counties=["11"])

    closed = closed_round(
        vega, bank_record, levels=(3, 4), period=VEGA_CLOSED_PERIOD, comment=VEGA_COMMENT
    )
    open_ = Assessment.objects.create(
        municipality=vega, bank=bank_record, period=VEGA_OPEN_PERIOD, created_by=alice
    )
    services.respondent_join(assessment=open_, user=alice, role_group=RoleGroup.POLITICIAN.value)
    answer_everything(open_, RoleGroup.ADMINISTRATION, 3)  # one submitted: closing can be asked
    utsira_open = Assessment.objects.create(
        municipality=utsira, bank=bank_record, period=UTSIRA_OPEN_PERIOD, created_by=bob
    )
    link = services.invitations_create(
        assessment=open_,
        role_group=RoleGroup.POLITICIAN.value,
        group_link=True,
        link_for=lambda t: t,
    )
    assert link is not None

    # The respondent: a browser that pressed "Start" on the shared link.
    browser = Client()
    started = browser.post(reverse("assessment:invite", kwargs={"token": link.token}))
    assert started.status_code == 302, started.status_code
    resume_key = browser.session["planprofil_fresh_resume_key"]
    assert browser.get(started.url).status_code == 200  # shows (and forgets) the key
    respondent_session = browser.cookies[settings.SESSION_COOKIE_NAME].value

    access_request = AccessRequest.objects.create(
        municipality=vega, name=VEGA_REQUESTER, job_title="Planrådgiver", email="per@vega.no"
    )
    export = ReportExport.objects.create(
        requested_by=adv_a,
        numbers=["1815"],
        status=ReportExport.Status.DONE,
        done=1,
        total=1,
        file=EXPORT_FILE,  # placed in each test's export storage by _export_file
    )
    return World(
        users={COORD_A: alice, COORD_B: bob, ADV_A: adv_a, ADV_B: adv_b, STAFF: staff},
        respondent_session=respondent_session,
        vega_number=vega.number,
        open_pk=open_.pk,
        closed_pk=closed.pk,
        utsira_open_pk=utsira_open.pk,
        first_step=first_step_for(bank_record, RoleGroup.POLITICIAN),
        group_token=link.token,
        resume_key=resume_key,
        access_request_pk=access_request.pk,
        export_pk=str(export.pk),
        reset_uid=urlsafe_base64_encode(force_bytes(kari.pk)),
        reset_token=default_token_generator.make_token(kari),
    )


def module_world(django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """Build the world once for a module, inside a transaction rolled back at the end; each
    test's own transaction (the `db` fixture) is a savepoint inside it, so what a test
    changes is undone before the next."""
    folder = tmp_path_factory.mktemp("world")
    # As tests/conftest.py's autouse fixtures do for each test (they do not run this early).
    test_settings = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PLANPROFIL_REPORT_CACHE=str(folder / "reports"),
        PLANPROFIL_EXPORT_DIR=str(folder / "exports"),
    )
    with test_settings, django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from module_world(django_db_blocker, tmp_path_factory)


def client_for(world: World, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona == RESP:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.respondent_session
    elif persona != ANON:
        client.force_login(world.users[persona])
    return client


# --- outcomes -------------------------------------------------------------------------------


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return "login"
        if location.startswith(reverse("admin:login")):
            return "admin_login"
        return "302"
    return str(status)


def failure_details(response) -> str:
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        return "".join(traceback.format_exception(*exc_info))[-4000:]
    if response.status_code >= 500:
        return getattr(response, "content", b"")[:2000].decode("utf-8", "replace")
    return ""


def drain(response) -> None:
    """Read a streamed body to its end: the test client then closes it (and its file) the way
    a WSGI server would. (Calling response.close() again here would also close the test
    database connection, through request_finished.)"""
    if response.streaming:
        for _chunk in response.streaming_content:
            pass


def readable_text(response) -> str | None:
    if response.streaming:
        return None
    content_type = response.get("Content-Type", "")
    if content_type.startswith(("text/", "application/json")):
        return response.content.decode("utf-8", "replace")
    return None


def leaks(name: str, persona: str, response) -> list[str]:
    if response.status_code != 200:
        return []
    text = readable_text(response)
    if text is None:
        return []
    found = []
    for marker, allowed in (MARKERS | TABLE[name].private).items():
        if persona in allowed:
            continue
        if name in TOKEN_ROUTES and marker == VEGA_OPEN_PERIOD:
            continue  # the link's holder is shown which round it is for
        if marker in text:
            found.append(marker)
    return found


def url_for(name: str, row: Route, world: World) -> str:
    kwargs = {
        k: getattr(world, attr) if hasattr(world, attr) else attr for k, attr in row.params.items()
    }
    return reverse(name, kwargs=kwargs) + row.query


RESULTS: dict[str, dict] = {}


def _cases():
    for name in sorted(TABLE):
        for persona in PERSONAS:
            for method in METHODS:
                bug = KNOWN_BUGS.get((name, persona, method))
                marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
                yield pytest.param(
                    name, persona, method, id=f"{name}-{persona}-{method}", marks=marks
                )


CASES = list(_cases())


@pytest.fixture(scope="module", autouse=True)
def _summary():
    yield
    if not RESULTS:
        return
    names = {key.split(" ")[0] for key in RESULTS}
    summary = {
        "url_patterns": len(TABLE),
        "personas": len(PERSONAS),
        "methods": len(METHODS),
        "cases_defined": len(TABLE) * len(PERSONAS) * len(METHODS),
        "cases_run": len(RESULTS),
        "patterns_run": len(names),
        "status_500": sorted(k for k, v in RESULTS.items() if v["outcome"] == "500"),
        "known_bugs": {" ".join(k): v for k, v in KNOWN_BUGS.items()},
        "results": dict(sorted(RESULTS.items())),
    }
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    print(
        f"\nURL matrix: {summary['url_patterns']} patterns x {summary['personas']} personas x "
        f"{summary['methods']} methods = {summary['cases_defined']} cases "
        f"({summary['cases_run']} run) -> {ARTIFACT}"
    )


@pytest.mark.parametrize(("name", "persona", "method"), CASES)
def test_url_matrix(world, db, name, persona, method):
    row = TABLE[name]
    url = url_for(name, row, world)
    client = client_for(world, persona)
    response = client.get(url) if method == "GET" else client.post(url)
    got = outcome(response)
    details = failure_details(response)
    found = leaks(name, persona, response)
    drain(response)
    RESULTS[f"{name} {persona} {method}"] = {
        "url": url,
        "outcome": got,
        "location": response.get("Location", ""),
    }
    expected = row.expect[persona][0 if method == "GET" else 1]
    assert got != "500", f"500 on {method} {url} as {persona}:\n{details}"
    assert got in expected, (
        f"{method} {url} as {persona}: got {got} "
        f"({response.get('Location', '')}), expected one of {sorted(expected)}. Why: {row.why}"
    )
    assert not found, f"{method} {url} as {persona} shows data it must not: {found}"


def test_matrix_size_is_what_the_table_says():
    assert len(CASES) == len(TABLE) * len(PERSONAS) * len(METHODS)


# The leak check means something only if the markers do show where they belong.
SEEN_BY_THE_RIGHT_PEOPLE = [
    ("reports:results", COORD_A, VEGA_COMMENT),
    ("reports:results", COORD_A, VEGA_CLOSED_PERIOD),
    ("reports:results", ADV_A, VEGA_CLOSED_PERIOD),
    ("reports:adviser_dashboard", ADV_A, "Vega"),
    ("reports:adviser_compare_export", ADV_A, "Vega"),
    ("assessment:home", COORD_A, VEGA_OPEN_PERIOD),
    ("assessment:response", RESP, VEGA_OPEN_PERIOD),
    ("assessment:access_review", COORD_A, VEGA_REQUESTER),
    ("assessment:access_review", STAFF, VEGA_REQUESTER),
    ("assessment:coordinators", COORD_A, ALICE_EMAIL),
    ("assessment:home", COORD_B, UTSIRA_OPEN_PERIOD),
    ("assessment:coordinators", COORD_B, BOB_EMAIL),
]


@pytest.mark.parametrize(("name", "persona", "marker"), SEEN_BY_THE_RIGHT_PEOPLE)
def test_markers_show_where_they_belong(world, db, name, persona, marker):
    response = client_for(world, persona).get(url_for(name, TABLE[name], world))
    assert response.status_code == 200
    assert marker in readable_text(response)

"""Shared fixtures: reference data, personas (coordinators of two municipalities, an outsider)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from assessment.models import Municipality, QuestionBank
from tests.factories import AssessmentFactory, CoordinatorFactory, UserFactory

ROOT = Path(settings.BASE_DIR)

# CI runs the same examples every time (no flaky red builds); locally, hypothesis explores.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests do not run collectstatic; the manifest storage is for production.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _isolated_files_and_tasks(settings, tmp_path):
    """Rendered PDFs and exports go to the test's own folder; background tasks run at once."""
    settings.PLANPROFIL_REPORT_CACHE = str(tmp_path / "reports")
    settings.PLANPROFIL_EXPORT_DIR = str(tmp_path / "exports")
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load municipalities, sources and the question bank once for the whole session."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def bank_record(db) -> QuestionBank:
    return QuestionBank.objects.get(version="1")


@pytest.fixture
def bank(bank_record):
    return bank_record.parsed


@pytest.fixture
def vega(db) -> Municipality:
    return Municipality.objects.get(number="1815")


@pytest.fixture
def utsira(db) -> Municipality:
    return Municipality.objects.get(number="1151")


@pytest.fixture
def alice(vega):
    """Coordinator of Vega."""
    return CoordinatorFactory(municipality=vega, user=UserFactory(username="alice")).user


@pytest.fixture
def bob(utsira):
    """Coordinator of Utsira."""
    return CoordinatorFactory(municipality=utsira, user=UserFactory(username="bob")).user


@pytest.fixture
def charlie(db):
    """Logged-in user with no municipality."""
    return UserFactory(username="charlie")


@pytest.fixture
def vega_assessment(alice, vega, bank_record):
    return AssessmentFactory(municipality=vega, bank=bank_record, created_by=alice)


@pytest.fixture
def utsira_assessment(bob, utsira, bank_record):
    return AssessmentFactory(municipality=utsira, bank=bank_record, created_by=bob)


# --- personas shared by every test folder -------------------------------------------------
# alice (coordinator of Vega, 1815), bob (coordinator of Utsira, 1151) and charlie (an account
# with no municipality) are above; the rest of the cast:


@pytest.fixture
def staff(db):
    """Planprofil's staff: decides access requests, belongs to no municipality."""
    return UserFactory(username="stine", is_staff=True, email="stine@distriktssenteret.no")


@pytest.fixture
def adviser_in_scope(db):
    """An adviser for Nordland (county 18), where Vega is."""
    from assessment.models import Adviser

    user = UserFactory(username="nordland-adviser")
    Adviser.objects.create(user=user, counties=["18"])
    return user


@pytest.fixture
def adviser_elsewhere(db):
    """An adviser for Rogaland (county 11): Vega is out of scope, Utsira in."""
    from assessment.models import Adviser

    user = UserFactory(username="rogaland-adviser")
    Adviser.objects.create(user=user, counties=["11"])
    return user


@pytest.fixture
def respondent(client, alice, vega_assessment):
    """A browser bound to a new response in Vega's open round, started from a shared link
    for politicians (what an invited politician's phone holds)."""
    from django.test import Client

    from assessment import services

    issued = services.invitations_create(
        assessment=vega_assessment, role_group="politician", group_link=True, link_for=str
    )
    assert issued is not None
    browser = Client()
    response = browser.post(f"/svar/{issued.token}/")
    assert response.status_code == 302
    return browser

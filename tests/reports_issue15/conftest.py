"""Issue 15 (reports): a closed, answered round of Vega's (from tests/guidance) and a national
adviser."""

from __future__ import annotations

import pytest

from tests.assessment.adviser_factories import make_adviser
from tests.guidance.conftest import answered_assessment  # noqa: F401 # a shared fixture


@pytest.fixture
def nils(db):
    return make_adviser("nils", national=True)


@pytest.fixture
def adviser_client(client, nils):
    client.force_login(nils)
    return client

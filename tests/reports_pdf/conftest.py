"""The demo (manage.py load_demo): Vega's v1 round (2019-2023) and its later v2 round, with
peers, as the papers are looked at."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from assessment.models import Assessment


@pytest.fixture
def demo(db) -> Assessment:
    """The demo's later round (bank v2), whose earlier round is the closed v1 round."""
    call_command("load_demo", force=True, verbosity=0)
    return (
        Assessment.objects.filter(municipality__number="1815", bank__version="2")
        .select_related("municipality", "bank")
        .get()
    )

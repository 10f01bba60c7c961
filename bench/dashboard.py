"""Dashboard render time for 100 and 1,000 synthetic municipalities with 8 rounds each.

Runs in its own process on a throw-away SQLite database (see bench/__main__.py), so the demo
database is never touched. Prints figures; asserts nothing.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import time
import warnings
from datetime import timedelta

ROUNDS = 8
SIZES = {"98": 100, "99": 1000}  # synthetic county number -> municipalities
TARGET_MS = 200

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> int:
    import django

    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from django.utils import timezone

    from assessment.models import Adviser, Assessment, Municipality, QuestionBank, ResultSnapshot

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    bank = QuestionBank.objects.get(version="1")
    parsed = bank.parsed
    rng = random.Random(42)
    start = time.perf_counter()
    index = 0
    now = timezone.now()
    for county, count in SIZES.items():
        places = []
        for _ in range(count):
            index += 1
            # Letters keep synthetic numbers apart from real ones (four characters, like "1815").
            code = f"{chr(ord('A') + index // 1000)}{index % 1000:03d}"
            places.append(
                Municipality(
                    number=code,
                    name=f"Syntetisk {code}",
                    county_number=county,
                    county_name=f"Fylke {county}",
                    population=rng.randint(200, 2499),
                    population_year=2024,
                    administrative_centre="",
                    official_language_form="nb",
                )
            )
        Municipality.objects.bulk_create(places, batch_size=500)
        rounds = [
            Assessment(
                municipality=place,
                bank=bank,
                period=f"{2003 + 4 * (r // 2)}-{2007 + 4 * (r // 2)}",
                round="baseline" if r % 2 == 0 else "midterm",
                status=Assessment.Status.CLOSED,
                shared_with_advisers=True,
                closed_at=now - timedelta(days=200 * (ROUNDS - r)),
            )
            for place in places
            for r in range(ROUNDS)
        ]
        Assessment.objects.bulk_create(rounds, batch_size=1000)
        snapshots = []
        for a in rounds:
            themes = {t.key: rng.uniform(10, 95) for t in parsed.themes}
            dims = {
                d.key: statistics.fmean(themes[t.key] for t in d.themes) for d in parsed.dimensions
            }
            snapshots.append(
                ResultSnapshot(
                    assessment=a,
                    bank_version="1",
                    profile={},
                    content_hash="",
                    overall=statistics.fmean(dims.values()),
                    completeness=rng.uniform(0.6, 1.0),
                    scores={"dimensions": dims, "themes": themes},
                )
            )
        ResultSnapshot.objects.bulk_create(snapshots, batch_size=1000)
    print(
        f"  synthetic data: {sum(SIZES.values())} municipalities x {ROUNDS} rounds "
        f"in {time.perf_counter() - start:.1f} s"
    )

    user = get_user_model().objects.create_user("bench-adviser")
    Adviser.objects.create(user=user, national=True)
    client = Client()
    client.force_login(user)
    url = reverse("reports:adviser_dashboard")
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        for county, count in SIZES.items():
            query = {"county": county, "sort": "-overall"}
            client.get(url, query)  # warm caches (bank parse, templates)
            times = []
            for _ in range(9):
                t0 = time.perf_counter()
                response = client.get(url, query)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url, query)
            median = statistics.median(times)
            label = f"dashboard, {count} municipalities x {ROUNDS} rounds (median of 9)"
            verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
            print(
                f"{label:<58} {median:7.1f} ms   target {TARGET_MS} ms   "
                f"ratio {median / TARGET_MS:4.2f}  {verdict}   {len(queries)} queries"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

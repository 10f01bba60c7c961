"""`make bench`: figures, not pass/fail. Prints each measurement against its target.

Runs against the demo database that `make db` creates (var/planprofil.sqlite3).
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable

import pikepdf

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def _row(name: str, value_ms: float, target_ms: float) -> str:
    ratio = value_ms / target_ms
    verdict = "ok" if ratio <= 1 else "OVER TARGET"
    return (
        f"{name:<44} {value_ms:9.1f} ms   target {target_ms:7.0f} ms   "
        f"ratio {ratio:5.2f}  {verdict}"
    )


def main() -> int:
    import django

    # Benchmarks serve static files from the finders, as tests do; no collectstatic needed.
    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from assessment.models import Assessment
    from reports import pdf
    from reports.report import build_report

    assessment = (
        Assessment.objects.filter(municipality__number="1815", status="closed")
        .order_by("-closed_at", "-pk")
        .first()
    )
    if assessment is None:
        print("No demo assessment: run `make db` first.", file=sys.stderr)
        return 1
    print(f"Planprofil benchmarks ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    print(f"Demo report: {assessment.municipality} {assessment.period}\n")

    with (
        tempfile.TemporaryDirectory() as cache,
        override_settings(
            PLANPROFIL_REPORT_CACHE=cache,
            ALLOWED_HOSTS=["testserver"],
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ),
    ):
        report = build_report(assessment)
        start = time.perf_counter()
        first = pdf.render_pdf(report)
        first_ms = (time.perf_counter() - start) * 1000
        cold_ms, cold_all = _median_ms(lambda: pdf.render_pdf(build_report(assessment)), 7)
        with pikepdf.open(io.BytesIO(first)) as doc:
            pages = len(doc.pages)
        print(_row("first render in a new process (fonts, CSS)", first_ms, 1500))
        print(_row("cold render, median of 7 (build + PDF)", cold_ms, 1500))
        print(
            f"{'':<44} min {min(cold_all):.0f} ms, max {max(cold_all):.0f} ms, "
            f"{len(first) / 1024:.0f} KiB, {pages} pages"
        )

        user = get_user_model().objects.get(username="demo")
        client = Client()
        client.force_login(user)
        url = reverse("reports:report_pdf", kwargs={"pk": assessment.pk})

        def download() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            # The client returns the view's FileResponse; django-stubs type it as HttpResponse.
            b"".join(response.streaming_content)  # type: ignore[attr-defined]

        download()  # fills the cache
        cached_ms, cached_all = _median_ms(download, 30)
        print(_row("cached download via the view, median of 30", cached_ms, 50))
        print(f"{'':<44} min {min(cached_all):.1f} ms, max {max(cached_all):.1f} ms")

    # The adviser dashboard at scale, on a throw-away database in a separate process.
    print()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        subprocess.run([sys.executable, "-m", "bench.dashboard"], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

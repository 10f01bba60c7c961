"""mypy with the Django plugin over the application code, as `make lint` runs it: CI runs
`make test` only, so the type check is a test here."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_reports_no_errors():
    # One cache per checkout, outside it: the second run (CI's PostgreSQL pass) is quick.
    checkout = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    cache_dir = Path(tempfile.gettempdir()) / f"planprofil-mypy-{checkout}"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache_dir)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "1"},  # the plugin imports config.settings
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

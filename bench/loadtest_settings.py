"""Settings for `make loadtest` (bench/loadtest.py): the production settings, DEBUG off, with
one difference: collected static files go to the load test's own temporary folder instead of
var/staticfiles, so a run leaves nothing behind in the project."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["PLANPROFIL_LOADTEST_STATIC_ROOT"])

"""Small typed readers for environment variables.

Each fails loudly on a value it cannot read, so a typo in a deployment shows up at start-up
instead of as a silently wrong setting.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker and systemd secrets).

    Setting both is an error: which one wins would be a guess. A trailing line break in the
    file is dropped; anything else in it is the secret.
    """
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if file_name is None:
        return default if value is None else value
    if value is not None:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    try:
        return Path(file_name).read_text(encoding="utf-8").rstrip("\r\n")
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(f"{name}_FILE: no such file {file_name!r}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r} ({exc})") from exc

"""Log filters applied to every handler (settings.LOGGING and config/gunicorn.conf.py).

- `TruncateFilter` caps a record's message, so a megabyte of bad input does not become a
  megabyte of log.
- `RedactRespondentKeysFilter` removes respondent keys from URLs: a key in a log is as good
  as the link itself, and the link opens someone's answers. `/svar/<key>/...` and
  `/svar/fortsett/<key>/...` become `/svar/[redacted]/...` and `/svar/fortsett/[redacted]/...`,
  also percent-encoded (`%2Fsvar%2F...`, e.g. in a `?next=` parameter).

Standard library only: gunicorn's master process imports this before Django is set up.
"""

from __future__ import annotations

import copy
import logging
import os
import re
from collections.abc import Mapping
from typing import Any

DEFAULT_MAX_CHARS = 2000
REDACTED = "[redacted]"

_SLASH = r"(?:/|%2[fF])"
# A respondent key is 43 url-safe base64 characters; anything of 20 or more such characters
# after /svar/ is treated as one (the fixed path words, like "fortsett", are shorter).
KEY_IN_URL_RE = re.compile(rf"({_SLASH}svar{_SLASH}(?:fortsett{_SLASH})?)[A-Za-z0-9_-]{{20,}}")


def max_chars_from_env() -> int:
    raw = os.environ.get("PLANPROFIL_LOG_MAX_CHARS", "")
    try:
        return max(100, int(raw)) if raw.strip() else DEFAULT_MAX_CHARS
    except ValueError:
        return DEFAULT_MAX_CHARS


def redact(text: str) -> str:
    """`text` with every respondent key in a /svar/ URL replaced by [redacted]."""
    return KEY_IN_URL_RE.sub(rf"\1{REDACTED}", text)


def cap(text: str, max_chars: int) -> str:
    """`text` cut to `max_chars`, saying how much was left out."""
    if len(text) <= max_chars:
        return text
    return f"{text[:max_chars]}… [{len(text) - max_chars} more characters cut]"


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a bad format string: log what we have rather than nothing
        return f"{record.msg!r} % {record.args!r}"


def _set_message(record: logging.LogRecord, message: str) -> None:
    """Freeze the record's message: later handlers format the cleaned text as it is."""
    record.msg = message
    record.args = None


class TruncateFilter(logging.Filter):
    """Caps the message of every record at `max_chars` (PLANPROFIL_LOG_MAX_CHARS)."""

    def __init__(self, max_chars: int | None = None, name: str = "") -> None:
        super().__init__(name)
        self.max_chars = max_chars or max_chars_from_env()

    def filter(self, record: logging.LogRecord) -> bool:
        message = _message(record)
        if len(message) > self.max_chars:
            _set_message(record, cap(message, self.max_chars))
        return True


class RedactRespondentKeysFilter(logging.Filter):
    """Redacts respondent keys from the message, its arguments, a traceback and the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = _message(record)
        clean = redact(message)
        if clean != message:
            _set_message(record, clean)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        request = getattr(record, "request", None)
        if request is not None and isinstance(getattr(request, "path", None), str):
            record.request = _redacted_request(request)
        return True


def _redacted_request(request: Any) -> Any:
    """A shallow copy of an HttpRequest whose path and query carry no respondent key.

    The request itself is left alone: the view may still be using it."""
    fields = ("path", "path_info")
    if not any(KEY_IN_URL_RE.search(getattr(request, f, "") or "") for f in fields) and not (
        KEY_IN_URL_RE.search(_meta_text(request))
    ):
        return request
    clone = copy.copy(request)
    for name in fields:
        value = getattr(request, name, None)
        if isinstance(value, str):
            setattr(clone, name, redact(value))
    meta = getattr(request, "META", None)
    if isinstance(meta, Mapping):
        clone.META = {k: redact(v) if isinstance(v, str) else v for k, v in meta.items()}
    return clone


def _meta_text(request: Any) -> str:
    meta = getattr(request, "META", None)
    if not isinstance(meta, Mapping):
        return ""
    return " ".join(v for v in meta.values() if isinstance(v, str))

"""Pick the active language's text out of the {nb, nn, en} mappings used by banks and libraries."""

from collections.abc import Mapping

from django.utils.translation import get_language

FALLBACK = "nb"


def tr(text: Mapping[str, str] | None, language: str | None = None) -> str:
    if not text:
        return ""
    lang = (language or get_language() or FALLBACK).split("-")[0]
    return text.get(lang) or text.get(FALLBACK) or next(iter(text.values()), "")


_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def file_slug(text: str) -> str:
    """A file-name slug that keeps Norwegian names readable ("Sømna" -> "somna", not "smna")."""
    from django.utils.text import slugify

    return slugify(text.translate(_NORWEGIAN))

"""Pick the active language's text out of the {nb, nn, en} mappings used by banks and libraries."""

from collections.abc import Mapping

from django.utils.translation import get_language

FALLBACK = "nb"


def tr(text: Mapping[str, str] | None, language: str | None = None) -> str:
    if not text:
        return ""
    lang = (language or get_language() or FALLBACK).split("-")[0]
    return text.get(lang) or text.get(FALLBACK) or next(iter(text.values()), "")

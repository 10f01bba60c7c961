"""Writes for content shared by every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from content.models import Source


@transaction.atomic
def sources_load(*, document: Mapping[str, Any]) -> int:
    """Load fixtures/sources.yaml. `citation` is a text, or {nb, nn?, en?} where our own words
    in it are translated; `year` is a year or "n.d." (not verified)."""
    entries = document.get("sources") or []
    for entry in entries:
        raw = entry["citation"]
        texts = dict(raw) if isinstance(raw, Mapping) else {"nb": raw}
        texts = {lang: " ".join(str(text).split()) for lang, text in texts.items()}
        year = entry.get("year")
        Source.objects.update_or_create(
            key=entry["key"],
            defaults={
                "citation": texts.pop("nb"),
                "citation_translations": texts,
                "year": None if year in (None, "n.d.") else int(year),
                "url": entry.get("url", ""),
            },
        )
    return len(entries)

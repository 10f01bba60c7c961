"""Writes for content shared by every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from content.models import Source


@transaction.atomic
def sources_load(*, document: Mapping[str, Any]) -> int:
    entries = document.get("sources") or []
    for entry in entries:
        Source.objects.update_or_create(
            key=entry["key"],
            defaults={
                "citation": " ".join(str(entry["citation"]).split()),
                "year": int(entry["year"]),
                "url": entry.get("url", ""),
            },
        )
    return len(entries)

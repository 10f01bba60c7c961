"""Writes for guidance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from assessment.models import Assessment
from assessment.services import ServiceError
from guidance.library import Library
from guidance.models import ActionPlanItem
from guidance.models import Library as LibraryRecord


@transaction.atomic
def library_install(*, library: Library) -> LibraryRecord:
    """Install a validated library version; like a question bank, a version never changes."""
    existing = LibraryRecord.objects.filter(version=library.version).first()
    if existing is not None:
        if existing.content_hash != library.content_hash:
            raise ServiceError(
                f"Library v{library.version} is installed with other content; "
                "publish changes under a new version."
            )
        if existing.texts_hash != library.texts_hash:
            # Same rules and bokmål texts; translations added or corrected.
            existing.definition = dict(library.document)
            existing.texts_hash = library.texts_hash
            existing.save(update_fields=["definition", "texts_hash"])
        return existing
    return LibraryRecord.objects.create(
        version=library.version,
        definition=dict(library.document),
        content_hash=library.content_hash,
        texts_hash=library.texts_hash,
    )


@dataclass(frozen=True)
class ActionInput:
    what: str
    who: str
    due: str = ""
    recommendation_key: str = ""


@transaction.atomic
def action_plan_save(*, assessment: Assessment, items: Sequence[ActionInput]) -> None:
    """Replace the action plan with the coordinator's edited lines, in the given order.

    Allowed after closing too: scores and recommendations are frozen, but the council's plan
    is usually written once the results are in. The PDF cache key includes the plan."""
    ActionPlanItem.objects.filter(assessment=assessment).delete()
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(
            assessment=assessment,
            position=index,
            recommendation_key=item.recommendation_key,
            what=item.what,
            who=item.who,
            due=item.due,
        )
        for index, item in enumerate(items)
    )

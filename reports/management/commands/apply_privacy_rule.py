from django.core.management.base import BaseCommand

from assessment.models import ResultSnapshot
from reports import services as reports_services


class Command(BaseCommand):
    help = (
        "Re-score closed rounds frozen before the privacy rule (assessment/privacy.py), so no "
        "stored figure derives from a role group of one. Idempotent; `make db` runs it."
    )

    def handle(self, *args, **options) -> None:
        changed = sum(
            reports_services.snapshot_apply_privacy(snapshot=snapshot)
            for snapshot in ResultSnapshot.objects.select_related("assessment__bank")
        )
        self.stdout.write(f"Snapshots re-scored under the privacy rule: {changed}")

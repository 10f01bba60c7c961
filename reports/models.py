import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportExport(models.Model):
    """A batch of PDF reports for an adviser, built in the background into one ZIP file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="report_exports"
    )
    numbers = models.JSONField(default=list)  # municipality numbers, in the order chosen
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Moved here from guidance with the batch task and its views; same table.
        db_table = "guidance_reportexport"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.id} ({self.status})"

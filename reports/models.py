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


class CouncilPaper(models.Model):
    """The coordinator's edits of a round's council paper (saksframlegg). Every field left
    empty means "as the report says": the paper is composed from the report each time, so an
    unedited paper follows the report (reports/council_paper.py)."""

    assessment = models.OneToOneField(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="council_paper"
    )
    # The language the wording below was written in: a paper downloaded in another language
    # uses the report's own wording rather than mixing two languages. Dates apply in every one.
    language = models.CharField(_("language"), max_length=5, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    deadline = models.DateField(_("report back by"), null=True, blank=True)
    responsible = models.CharField(_("responsible"), max_length=120, blank=True)
    assessment_text = models.TextField(_("assessment"), blank=True)
    # The points of the proposed resolution in order; empty: the report's points.
    resolution = models.JSONField(_("proposed resolution"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("council paper")

    def __str__(self) -> str:
        return f"council paper {self.assessment_id}"

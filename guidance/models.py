import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A publication or law the product's questions and advice rest on."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    citation = models.TextField(_("citation"))
    year = models.PositiveSmallIntegerField(_("year"))
    url = models.URLField(_("URL"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.key


class Library(models.Model):
    """A version of the recommendation library; immutable once installed (like a bank)."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    definition = models.JSONField()
    content_hash = models.CharField(max_length=64)  # structure, rules, bokmål
    texts_hash = models.CharField(max_length=64, blank=True)  # changes with translations
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recommendation library")

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def parsed(self):
        from assessment.bank import parse_once
        from guidance.library import parse_library

        return parse_once(
            ("library", self.pk, self.texts_hash or self.content_hash),
            lambda: parse_library(self.definition),
        )


class ActionPlanItem(models.Model):
    """One line of an assessment's action plan, as the coordinator edited it."""

    assessment = models.ForeignKey(
        "assessment.Assessment", on_delete=models.CASCADE, related_name="action_items"
    )
    position = models.PositiveSmallIntegerField()
    recommendation_key = models.CharField(max_length=80, blank=True)
    what = models.CharField(_("what"), max_length=300)
    who = models.CharField(_("who"), max_length=120)
    due = models.CharField(_("by when"), max_length=60, blank=True)

    class Meta:
        ordering = ["assessment", "position"]
        verbose_name = _("action plan item")

    def __str__(self) -> str:
        return self.what


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
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.id} ({self.status})"

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        from content.documents import parse_once
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

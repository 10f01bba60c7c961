from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A publication or law the product's questions and advice rest on."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    citation = models.TextField(_("citation"))
    year = models.PositiveSmallIntegerField(_("year"))
    url = models.URLField(_("URL"), blank=True)

    class Meta:
        # Moved here from guidance (which builds on assessment, which cites sources); the
        # table keeps its name, so no data moves.
        db_table = "guidance_source"
        ordering = ["key"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.key

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A publication or law the product's questions and advice rest on."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    citation = models.TextField(_("citation"))
    # The citation in nynorsk and English where it has words of ours (a description in
    # brackets, "n.d."); titles stay as published. Language code -> text.
    citation_translations = models.JSONField(default=dict, blank=True)
    # None: no year could be verified; the citation says "u.å." / "n.d.".
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
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

    @property
    def localized_citation(self) -> str:
        """The citation in the active language (bokmål when it has no translation)."""
        return self.citation_translations.get(get_language() or "nb", self.citation)

"""The programme office's own words in the national report, per year.

Everything else in the report is generated from the figures; these two texts are written by
people (an introduction, and what the programme office did for the sites that year). They are
kept as plain text and passed to the report as paragraphs, never as markup.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportText(models.Model):
    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    introduction = models.TextField(
        _("inleiding"), blank=True,
        help_text=_("Verschijnt vooraan in het rapport. Een lege regel begint een nieuwe alinea."))
    national_support = models.TextField(
        _("landelijke ondersteuning"), blank=True,
        help_text=_("Wat het programmabureau dit jaar deed voor de locaties. Een lege regel "
                    "begint een nieuwe alinea."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("rapporttekst")
        verbose_name_plural = _("rapportteksten")

    def __str__(self):
        return f"{self.year}"

"""The programme office's own words in the national report, per year.

Everything else in the report is generated from the figures; these texts are written by
people, where the earlier reports had editorial text: an introduction, a summary, the quality
of the programme, what the programme office did for the sites that year, an outlook, and a
free paragraph per chapter (`section_texts`, keyed by SECTION_TEXTS). They are kept as plain
text and passed to the report as paragraphs, never as markup, and never hold a personal value
(mim.reports.validators).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The chapters that take a free paragraph of the office, after their own text and tables: the
# key stored in ReportText.section_texts, and the label of its field on the form.
SECTION_TEXTS = (
    ("sites", _("Locaties en organisaties")),
    ("coordinators", _("Coördinatoren")),
    ("mothers", _("MIM-moeders")),
    ("endings", _("Afronding en beëindiging")),
    ("volunteers", _("Vrijwilligers")),
    ("history", _("MIM over vijf jaar")),
)


class ReportText(models.Model):
    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    introduction = models.TextField(
        _("inleiding"), blank=True,
        help_text=_("Verschijnt vooraan in het rapport. Een lege regel begint een nieuwe alinea."))
    national_support = models.TextField(
        _("landelijke ondersteuning"), blank=True,
        help_text=_("Wat het programmabureau dit jaar deed voor de locaties. Een lege regel "
                    "begint een nieuwe alinea."))
    summary = models.TextField(
        _("samenvatting"), blank=True,
        help_text=_("Komt na de kerncijfers in de samenvatting. Een lege regel begint een "
                    "nieuwe alinea."))
    quality = models.TextField(
        _("kwaliteit van het programma"), blank=True,
        help_text=_("Bijvoorbeeld de erkenning van het programma; een eigen paragraaf bij de "
                    "locaties en organisaties."))
    outlook = models.TextField(
        _("vooruitblik"), blank=True,
        help_text=_("Wat er komend jaar gebeurt; een eigen hoofdstuk na de landelijke "
                    "ondersteuning."))
    section_texts = models.JSONField(
        _("eigen alinea per hoofdstuk"), default=dict, blank=True,
        help_text=_("Per hoofdstuk een alinea na de cijfers van dat hoofdstuk."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("rapporttekst")
        verbose_name_plural = _("rapportteksten")

    def __str__(self):
        return f"{self.year}"


class ChartDrawing(models.Model):
    """A report chart's SVG drawing, kept under a digest of its spec and of the drawing code
    (mim.reports.charts.drawing_key): derived, so never wrong for its key, only unused. A
    report whose figures did not change finds all its charts here and draws none.

    Holds no person's value: a chart shows published figures only. Drawings unused for
    `KEEP_DAYS` are removed when new ones are kept (mim.reports.services.kept_drawings)."""

    KEEP_DAYS = 60

    key = models.CharField(max_length=64, primary_key=True)
    svg = models.TextField()
    used_on = models.DateField(db_index=True)

    class Meta:
        verbose_name = _("grafiektekening")
        verbose_name_plural = _("grafiektekeningen")

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    cbs_code = models.CharField(_("CBS-gemeentecode"), max_length=6, blank=True,
                                help_text=_("bijvoorbeeld GM0518"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=150, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self):
        return self.name


class Site(models.Model):
    """A MIM location: a municipality or a district of one, run by one organisation."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="sites")
    first_year = models.PositiveSmallIntegerField(_("actief vanaf"))
    last_year = models.PositiveSmallIntegerField(_("actief tot en met"), null=True, blank=True)
    keeps_records = models.BooleanField(
        _("registreert in het systeem"), default=True,
        help_text=_("Uit: de locatie levert alleen totaalcijfers per jaar aan."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        constraints = [
            models.CheckConstraint(condition=Q(last_year__isnull=True)
                                   | Q(last_year__gte=F("first_year")),
                                   name="site_active_years_in_order"),
        ]

    def __str__(self):
        return self.name

    def active_in(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


def active_in(year: int) -> Q:
    """Sites active in a year, as a filter usable in any query over sites."""
    return Q(first_year__lte=year) & (Q(last_year__isnull=True) | Q(last_year__gte=year))


class SiteYear(models.Model):
    """The facts of a site for one year, entered by its coordinator."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("jaar"))
    target_group = models.TextField(_("doelgroep"), blank=True)
    # Multi-answer facts are short code lists of the codebook (financing, variant, ...);
    # they describe a site, not a person, so a JSON list is enough.
    financing = models.JSONField(_("financiering"), default=list, blank=True)
    variant = models.JSONField(_("uitvoeringsvariant"), default=list, blank=True)
    reimbursement = models.JSONField(_("vergoeding vrijwilligers"), default=list, blank=True)
    group_activities = models.JSONField(_("groepsactiviteiten"), default=list, blank=True)
    volunteer_agreement = models.CharField(_("vrijwilligersovereenkomst"), max_length=8,
                                           default="unknown")
    vog_required = models.CharField(_("VOG verplicht"), max_length=8, default="unknown")
    coordinator_background = models.TextField(_("ervaring en opleiding coördinatoren"),
                                              blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="site_year_unique"),
            models.CheckConstraint(condition=Q(volunteer_agreement__in=["yes", "no", "unknown"])
                                   & Q(vog_required__in=["yes", "no", "unknown"]),
                                   name="site_year_yes_no_codes"),
        ]


class CoordinatorYear(models.Model):
    """One coordinator's hours at a site in a year (a person may work at several sites)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="coordinator_years")
    year = models.PositiveSmallIntegerField(_("jaar"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="coordinator_years")
    label = models.CharField(_("coördinator"), max_length=100,
                             help_text=_("naam of functie, zoals de locatie die gebruikt"))
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_week__gt=0)
                                   & Q(hours_per_week__lte=40),
                                   name="coordinator_hours_in_range"),
        ]

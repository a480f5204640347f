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
    """The facts of a site for one year (its coordinator, its organisation or the office).

    Policies of the organisation (reimbursement, volunteer agreement, VOG) are not here but in
    OrganisationYear: they hold for every site of the organisation and are counted per
    organisation (data standard version 2, `facts.*`)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("jaar"))
    target_group = models.TextField(_("doelgroep"), blank=True)
    # Multi-answer facts are short code lists of the codebook (financing, variant, ...);
    # they describe a site, not a person, so a JSON list is enough. NULL is "niet bekend"
    # (counted as `unknown`), apart from an empty list: known, and none of the codes.
    financing = models.JSONField(_("financiering"), default=list, blank=True, null=True)
    variant = models.JSONField(_("uitvoeringsvariant"), default=list, blank=True, null=True)
    group_activities = models.JSONField(_("groepsactiviteiten"), default=list, blank=True,
                                        null=True)
    # Free text of before version 2, kept so that nothing entered is lost; the coded lists of
    # each coordinator (Coordinator.experience, .training) replace it and it is not counted.
    coordinator_background = models.TextField(_("ervaring en opleiding coördinatoren"),
                                              blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="site_year_unique"),
        ]


YES_NO_UNKNOWN = ("yes", "no", "unknown")
# The organisation's policies answered yes, no or unknown (figures.standard.YES_NO_FACTS says
# the same for the figures, which this app may not import).
YES_NO_FACTS = ("volunteer_agreement", "vog_required")


class OrganisationYear(models.Model):
    """An organisation's policies for its volunteers in one year, for all of its sites."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="years")
    year = models.PositiveSmallIntegerField(_("jaar"))
    # NULL: not known (see SiteYear)
    reimbursement = models.JSONField(_("vergoeding vrijwilligers"), default=list, blank=True,
                                     null=True)
    volunteer_agreement = models.CharField(_("vrijwilligersovereenkomst"), max_length=8,
                                           default="unknown")
    vog_required = models.CharField(_("VOG verplicht"), max_length=8, default="unknown")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"],
                                    name="organisation_year_unique"),
            models.CheckConstraint(condition=Q(volunteer_agreement__in=YES_NO_UNKNOWN)
                                   & Q(vog_required__in=YES_NO_UNKNOWN),
                                   name="organisation_year_yes_no_codes"),
        ]


class Coordinator(models.Model):
    """A MIM coordinator: a person of one organisation, counted once however many sites she
    works at. `ref` is pseudonymous (the files' `coordinator_ref`); `name` is contact data
    (how her colleagues recognise her on a form), optional and never in a figure or file."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="coordinators")
    ref = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("naam"), max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="coordinator_people")
    # Coded lists of the codebook (coordinator_experience, coordinator_training).
    experience = models.JSONField(_("ervaring"), default=list, blank=True)
    training = models.JSONField(_("opleiding"), default=list, blank=True)

    class Meta:
        ordering = ["organisation__name", "ref"]
        verbose_name = _("coördinator")
        verbose_name_plural = _("coördinatoren")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "ref"],
                                    name="coordinator_ref_unique_in_organisation"),
        ]

    def __str__(self):
        return self.name or self.ref


class CoordinatorAssignment(models.Model):
    """A coordinator's hours per week at one site in one year."""

    coordinator = models.ForeignKey(Coordinator, on_delete=models.CASCADE,
                                    related_name="assignments")
    site = models.ForeignKey(Site, on_delete=models.CASCADE,
                             related_name="coordinator_assignments")
    year = models.PositiveSmallIntegerField(_("jaar"))
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coordinator", "site", "year"],
                                    name="coordinator_assignment_unique"),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0)
                                   & Q(hours_per_week__lte=40),
                                   name="coordinator_assignment_hours_in_range"),
        ]

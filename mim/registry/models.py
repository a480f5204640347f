"""The site's records about persons: mothers, volunteers, their matches and visits.

Statistical fields (codes) live on Mother and Volunteer; contact details live apart in
MotherContact and VolunteerContact so they can be erased on schedule and never travel
in exports. Every field is classified in mim.registry.classification.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mim.audit.services import require_audited_write
from mim.codebook import assessment
from mim.codebook.codebooks import all_codes
from mim.registry import rules


class RecordQuerySet(models.QuerySet):
    """Bulk writes skip save() and so any logging: on records about persons they must
    run inside mim.audit.services.audited_write(), or they raise."""

    def update(self, **kwargs):
        require_audited_write("update", self.model.__name__)
        return super().update(**kwargs)

    def delete(self):
        require_audited_write("delete", self.model.__name__)
        return super().delete()


RecordManager = models.Manager.from_queryset(RecordQuerySet)


def _in_codebook(field: str, item: str, *, blank: bool = False) -> Q:
    codes = all_codes(item)
    condition = Q(**{f"{field}__in": codes})
    return condition | Q(**{field: ""}) if blank else condition


def _dated_checks(prefix: str, end_reason_item: str) -> list:
    return [
        models.CheckConstraint(condition=Q(end_date__isnull=True)
                               | Q(end_date__gte=F("start_date")),
                               name=f"{prefix}_end_not_before_start"),
        models.CheckConstraint(condition=Q(end_reason="") | Q(end_date__isnull=False),
                               name=f"{prefix}_end_reason_needs_end_date"),
        models.CheckConstraint(condition=_in_codebook("end_reason", end_reason_item, blank=True),
                               name=f"{prefix}_end_reason_code"),
        models.CheckConstraint(condition=Q(birth_year__isnull=True)
                               | Q(birth_year__gte=1900, birth_year__lte=2100),
                               name=f"{prefix}_birth_year_plausible"),
        models.CheckConstraint(condition=_in_codebook("origin", "origin"),
                               name=f"{prefix}_origin_code"),
        models.CheckConstraint(condition=_in_codebook("education", "education"),
                               name=f"{prefix}_education_code"),
    ]


class Person(models.Model):
    """Fields that mothers and volunteers share."""

    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("locatie"))
    ref = models.CharField(_("referentie"), max_length=40)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    origin = models.CharField(_("herkomst"), max_length=20, default="unknown")
    education = models.CharField(_("opleidingsniveau"), max_length=20, default="unknown")
    # When the answers were last saved through the intake form that starts empty (or
    # created from a file). Empty: stored by the form of before, whose drop-downs opened on
    # their first category, so an untouched question still holds it (selectors.defaulted).
    answers_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Optimistic locking: a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordManager()

    # Single-answer code fields and the codebook item each one is read with.
    CODED_FIELDS = {"origin": "origin", "education": "education"}
    END_REASON_ITEM = ""
    LISTED_FIELDS: tuple[str, ...] = ()  # checked against a list of rules (country)

    class Meta:
        abstract = True
        ordering = ["ref"]

    def __str__(self):
        return self.ref

    def unique_error_message(self, model_class, unique_check):
        # Django's own says "MIM-moeder met deze Locatie en Referentie bestaat al": name
        # the reference, on the field she can change.
        if tuple(unique_check) == ("site", "ref"):
            error = ValidationError({"ref": ValidationError(
                self.DUPLICATE_REF, code="unique", params={"ref": self.ref})})
            error.code = "unique"  # UniqueConstraint.validate re-raises with `.code`
            return error
        return super().unique_error_message(model_class, unique_check)

    def clean(self):
        """Cross-field rules and the codebook of the registration year (mim.registry.rules,
        shared with the spreadsheet import). The database constraints repeat what they
        can; this gives the user a message per field."""
        names = ["start_date", "end_date", "end_reason", "birth_year", *self.CODED_FIELDS,
                 *self.LISTED_FIELDS]
        errors = rules.person_errors({name: getattr(self, name) for name in names},
                                     self.CODED_FIELDS, self.END_REASON_ITEM)
        if errors:
            raise ValidationError(errors)


class Mother(Person):
    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT,
                             related_name="mothers", verbose_name=_("locatie"))
    end_reason = models.CharField(_("reden beëindiging"), max_length=30, blank=True)
    country_of_birth = models.CharField(_("geboorteland"), max_length=2, blank=True)
    household = models.CharField(_("gezinssamenstelling"), max_length=20, default="unknown")
    income_source = models.CharField(_("inkomstenbron"), max_length=30, default="unknown")
    child_order = models.CharField(_("kind"), max_length=20, default="unknown")
    pregnant_at_start = models.CharField(_("zwanger bij start"), max_length=8, default="unknown")

    CODED_FIELDS = {**Person.CODED_FIELDS, "household": "household",
                    "income_source": "income_source", "child_order": "child_order",
                    "pregnant_at_start": "yes_no"}
    END_REASON_ITEM = "mother_end_reason"
    LISTED_FIELDS = ("country_of_birth",)
    DUPLICATE_REF = _("Er is al een moeder met referentie %(ref)s op deze locatie.")

    class Meta(Person.Meta):
        verbose_name = _("MIM-moeder")
        verbose_name_plural = _("MIM-moeders")
        constraints = [
            models.UniqueConstraint(fields=["site", "ref"], name="mother_ref_unique_per_site"),
            *_dated_checks("mother", "mother_end_reason"),
            models.CheckConstraint(condition=_in_codebook("household", "household"),
                                   name="mother_household_code"),
            models.CheckConstraint(condition=_in_codebook("income_source", "income_source"),
                                   name="mother_income_source_code"),
            models.CheckConstraint(condition=_in_codebook("child_order", "child_order"),
                                   name="mother_child_order_code"),
            models.CheckConstraint(condition=_in_codebook("pregnant_at_start", "yes_no"),
                                   name="mother_pregnant_at_start_code"),
        ]
        indexes = [models.Index(fields=["site", "start_date", "end_date"])]


class MotherAnswer(models.Model):
    """One code of a multi-answer item (circumstances of mother or baby)."""

    ITEMS = ("mother_circumstances", "baby_circumstances")
    mother = models.ForeignKey(Mother, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=30)
    code = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mother", "item", "code"],
                                    name="mother_answer_unique"),
            models.CheckConstraint(
                condition=(Q(item="mother_circumstances")
                           & _in_codebook("code", "mother_circumstances"))
                | (Q(item="baby_circumstances") & _in_codebook("code", "baby_circumstances")),
                name="mother_answer_code"),
        ]


class Volunteer(Person):
    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT,
                             related_name="volunteers", verbose_name=_("locatie"))
    end_reason = models.CharField(_("reden vertrek"), max_length=30, blank=True)
    former_mim_mother = models.CharField(_("voormalig MIM-moeder"), max_length=8,
                                         default="unknown")
    # Data minimisation: we keep the date the certificate of conduct was seen, not the
    # certificate itself.
    vog_date = models.DateField(_("VOG gezien op"), null=True, blank=True)
    agreement_signed = models.CharField(_("vrijwilligersovereenkomst getekend"), max_length=8,
                                        default="unknown")

    CODED_FIELDS = {**Person.CODED_FIELDS, "former_mim_mother": "yes_no",
                    "agreement_signed": "yes_no"}
    END_REASON_ITEM = "volunteer_end_reason"
    DUPLICATE_REF = _("Er is al een vrijwilliger met referentie %(ref)s op deze locatie.")

    class Meta(Person.Meta):
        verbose_name = _("vrijwilliger")
        verbose_name_plural = _("vrijwilligers")
        constraints = [
            models.UniqueConstraint(fields=["site", "ref"],
                                    name="volunteer_ref_unique_per_site"),
            *_dated_checks("volunteer", "volunteer_end_reason"),
            models.CheckConstraint(condition=_in_codebook("former_mim_mother", "yes_no"),
                                   name="volunteer_former_mim_mother_code"),
            models.CheckConstraint(condition=_in_codebook("agreement_signed", "yes_no"),
                                   name="volunteer_agreement_signed_code"),
        ]
        indexes = [models.Index(fields=["site", "start_date", "end_date"])]


class VolunteerAnswer(models.Model):
    ITEMS = ("work_experience",)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=30)
    code = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "item", "code"],
                                    name="volunteer_answer_unique"),
            models.CheckConstraint(condition=Q(item="work_experience")
                                   & _in_codebook("code", "work_experience"),
                                   name="volunteer_answer_code"),
        ]


class Contact(models.Model):
    """Contact details: what the coordinator needs for her work, and nothing else."""

    name = models.CharField(_("naam"), max_length=150, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordManager()

    class Meta:
        abstract = True


class MotherContact(Contact):
    mother = models.OneToOneField(Mother, on_delete=models.CASCADE, related_name="contact")


class VolunteerContact(Contact):
    volunteer = models.OneToOneField(Volunteer, on_delete=models.CASCADE,
                                     related_name="contact")


class Match(models.Model):
    """A volunteer visiting a mother, for a period."""

    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT,
                             related_name="matches")
    mother = models.ForeignKey(Mother, on_delete=models.CASCADE, related_name="matches")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="matches")
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    objects = RecordManager()

    class Meta:
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True)
                                   | Q(end_date__gte=F("start_date")),
                                   name="match_end_not_before_start"),
            models.UniqueConstraint(fields=["mother", "volunteer", "start_date"],
                                    name="match_unique_start"),
        ]


class Visit(models.Model):
    mother = models.ForeignKey(Mother, on_delete=models.CASCADE, related_name="visits")
    volunteer = models.ForeignKey(Volunteer, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="visits")
    date = models.DateField(_("datum"))
    note = models.TextField(_("notitie"), blank=True)

    objects = RecordManager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("bezoek")
        verbose_name_plural = _("bezoeken")
        indexes = [models.Index(fields=["mother", "date"])]


class SelfAssessment(models.Model):
    """The mother's self-assessment at one moment (intake, about 9 months, the end): her
    answer per aim on a 1-5 scale, or empty. `version` is the wording she was asked in
    (mim.codebook.assessment); a later version never changes what is stored here."""

    INTAKE, MONTH9, END = assessment.MOMENTS
    MOMENT_CHOICES = [(INTAKE, _("intake")), (MONTH9, _("na 9 maanden")), (END, _("einde"))]
    AIMS = assessment.AIMS

    mother = models.ForeignKey(Mother, on_delete=models.CASCADE, related_name="assessments")
    moment = models.CharField(_("moment"), max_length=10, choices=MOMENT_CHOICES)
    date = models.DateField(_("datum"))
    version = models.CharField(_("versie van de vragen"), max_length=10)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    independence = models.PositiveSmallIntegerField(null=True, blank=True)
    self_care = models.PositiveSmallIntegerField(null=True, blank=True)
    support = models.PositiveSmallIntegerField(null=True, blank=True)
    finding_help = models.PositiveSmallIntegerField(null=True, blank=True)
    # Optimistic locking, as on the records themselves (security guide D4).
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordManager()

    class Meta:
        ordering = ["mother", "date"]
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        constraints = [
            models.UniqueConstraint(fields=["mother", "moment"],
                                    name="selfassessment_one_per_moment"),
            models.CheckConstraint(condition=Q(moment__in=list(assessment.MOMENTS)),
                                   name="selfassessment_moment_code"),
            models.CheckConstraint(condition=Q(version__in=assessment.all_versions()),
                                   name="selfassessment_version_code"),
            *[models.CheckConstraint(condition=Q(**{f"{aim}__isnull": True})
                                     | Q(**{f"{aim}__gte": 1, f"{aim}__lte": 5}),
                                     name=f"selfassessment_{aim}_1_to_5")
              for aim in assessment.AIMS],
        ]

    def __str__(self):
        return f"{self.mother_id}/{self.moment}"

    def answers(self) -> dict[str, int | None]:
        return {aim: getattr(self, aim) for aim in self.AIMS}

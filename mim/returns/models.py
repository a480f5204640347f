"""The annual return of a site: its figures for a year, checked, submitted and approved.

At submission the site's figures are frozen into ReturnFigure rows (the tidy format),
so later edits to records never change what was delivered. National figures read
approved returns through mim.returns.selectors.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("concept")
    SUBMITTED = "submitted", _("ingediend")
    QUERIED = "queried", _("vraag gesteld")
    APPROVED = "approved", _("goedgekeurd")
    # Set by the programme office for a site that will deliver nothing for the year (it
    # stopped, for example); counts as settled for a final report, and reopening undoes it.
    NOT_DELIVERED = "not_delivered", _("niet aangeleverd")


SETTLED = (Status.APPROVED, Status.NOT_DELIVERED)


class Source(models.TextChoices):
    RECORDS = "records", _("uit de registratie")
    AGGREGATE = "aggregate", _("totaalcijfers aangeleverd")


class AnnualReturn(models.Model):
    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField(_("jaar"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    not_delivered_reason = models.TextField(_("reden niet aangeleverd"), max_length=500,
                                            blank=True)
    source = models.CharField(_("bron"), max_length=12, choices=Source.choices,
                              default=Source.RECORDS)
    codebook_version = models.CharField(_("codeboekversie"), max_length=10, blank=True)
    deadline = models.DateField(_("uiterste datum"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Frozen at submission, beside the figures: the site's facts for the year (SiteYear and
    # coordinator hours) and the balance counts the checks read (start/new/stopped/end per
    # population). Facts describe a site, never a person.
    facts_snapshot = models.JSONField(_("locatiegegevens bij indienen"), default=dict, blank=True)
    balances = models.JSONField(_("begin- en eindstanden"), default=dict, blank=True)

    class Meta:
        ordering = ["-year", "site__name"]
        verbose_name = _("jaaropgave")
        verbose_name_plural = _("jaaropgaven")
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="return_unique_site_year"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(approved_at__isnull=False),
                                   name="return_approved_has_date"),
            models.CheckConstraint(condition=Q(status__in=["draft", "not_delivered"])
                                   | Q(submitted_at__isnull=False),
                                   name="return_submitted_has_date"),
        ]

    def __str__(self):
        return f"{self.site} {self.year}"


class ReturnFigure(models.Model):
    """One frozen tidy figure of a return (scope = the site), unsuppressed."""

    annual_return = models.ForeignKey(AnnualReturn, on_delete=models.CASCADE,
                                      related_name="figures")
    variable = models.CharField(max_length=60)
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    base = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["annual_return", "variable", "category"],
                                    name="return_figure_unique"),
        ]


class ReturnYear(models.Model):
    """A registration year opened for returns, with its deadline (a return may override it)."""

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    deadline = models.DateField(_("uiterste datum"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("jaar van de jaaropgave")
        verbose_name_plural = _("jaren van de jaaropgave")

    def __str__(self):
        return str(self.year)


class EventKind(models.TextChoices):
    STARTED = "started", _("gestart")
    FACTS = "facts", _("locatiegegevens opgeslagen")
    SOURCE = "source", _("bron gewijzigd")
    UPLOADED = "uploaded", _("totaalcijfers aangeleverd")
    SUBMITTED = "submitted", _("ingediend")
    QUERIED = "queried", _("vraag gesteld")
    ANSWERED = "answered", _("vraag beantwoord")
    APPROVED = "approved", _("goedgekeurd")
    REOPENED = "reopened", _("heropend")
    CORRECTED = "corrected", _("gecorrigeerd na een vraag")
    NOT_DELIVERED = "not_delivered", _("niet aangeleverd")


class ReturnEvent(models.Model):
    """One step in a return's life; the log the programme office and the site read."""

    annual_return = models.ForeignKey(AnnualReturn, on_delete=models.CASCADE,
                                      related_name="events")
    kind = models.CharField(_("stap"), max_length=16, choices=EventKind.choices)
    from_status = models.CharField(_("van"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=16, choices=Status.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("tijdstip"))
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stap in de jaaropgave")
        verbose_name_plural = _("stappen in de jaaropgave")


class MessageKind(models.TextChoices):
    QUESTION = "question", _("vraag")
    ANSWER = "answer", _("antwoord")


class Subject(models.TextChoices):
    """What a question of the office asks about: the part of the return it reopens for the
    site while it is open (the site's facts, or its figures), or none (the return as a
    whole)."""

    GENERAL = "general", _("de jaaropgave als geheel")
    FACTS = "facts", _("locatiegegevens en coördinatoren")
    FIGURES = "figures", _("cijfers")


class ReturnMessage(models.Model):
    """The thread of questions (programme office) and answers (coordinator) on a return.

    A question stays open until the site answers; an answer closes every open question.
    While a question on the facts or the figures is open, the site may correct that part."""

    annual_return = models.ForeignKey(AnnualReturn, on_delete=models.CASCADE,
                                      related_name="messages")
    kind = models.CharField(_("soort"), max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(_("onderwerp"), max_length=10, choices=Subject.choices,
                               default=Subject.GENERAL)
    text = models.TextField(_("tekst"), max_length=4000)
    created_at = models.DateTimeField(_("tijdstip"))
    is_open = models.BooleanField(_("open"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bericht bij de jaaropgave")
        verbose_name_plural = _("berichten bij de jaaropgave")
        constraints = [
            models.CheckConstraint(condition=Q(kind="question") | Q(is_open=False),
                                   name="return_message_only_questions_open"),
        ]


class ReturnExplanation(models.Model):
    """The site's explanation of one warning of the checks, kept with the submission."""

    annual_return = models.ForeignKey(AnnualReturn, on_delete=models.CASCADE,
                                      related_name="explanations")
    key = models.CharField(max_length=120)
    message = models.TextField(_("bevinding"))
    text = models.TextField(_("toelichting"), max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["annual_return", "key"],
                                    name="return_explanation_unique"),
        ]

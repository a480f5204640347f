"""The access log (NEN 7513): who did what to which record, when, from where, for whom.

Rows are append-only: a database trigger refuses UPDATE and DELETE (see the
migration), so not even a bug in our code can rewrite history. Entries carry record
references and field names, never the values of personal fields.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    VIEW = "view", _("bekeken")
    CREATE = "create", _("aangemaakt")
    UPDATE = "update", _("gewijzigd")
    DELETE = "delete", _("verwijderd")
    ERASE = "erase", _("gewist")
    EXPORT = "export", _("geëxporteerd")
    IMPORT = "import", _("geïmporteerd")
    LOGIN = "login", _("ingelogd")
    LOGIN_FAILED = "login_failed", _("inloggen mislukt")
    LOGOUT = "logout", _("uitgelogd")
    DENIED = "denied", _("toegang geweigerd")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("tijdstip (UTC)"), auto_now_add=True, db_index=True)
    event = models.CharField(_("gebeurtenis"), max_length=20, choices=Event.choices)
    # No database constraint and no cascade: deleting a user or site elsewhere must
    # never touch (and so be refused by) an append-only row; the ids stay as history.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    username = models.CharField(_("gebruiker"), max_length=150, blank=True)
    client = models.CharField(_("adres"), max_length=64, blank=True)
    # On whose behalf: the site (or other scope) the user acted for.
    on_behalf_of = models.CharField(_("namens"), max_length=100, blank=True)
    site = models.ForeignKey("organisations.Site", null=True, blank=True,
                             on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    object_type = models.CharField(_("soort"), max_length=40, blank=True)
    object_ref = models.CharField(_("referentie"), max_length=64, blank=True)
    detail = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("logregel")
        verbose_name_plural = _("toegangslog")
        indexes = [models.Index(fields=["site", "-at"]),
                   # the login throttle counts an address's recent failures
                   models.Index(fields=["client", "event", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.event} {self.object_ref}"

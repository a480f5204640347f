from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coördinator")
    ORGANISATION_VIEWER = "organisation_viewer", _("organisatie (kijker)")
    PROGRAMME_OFFICE = "programme_office", _("programmabureau")
    FUNDER = "funder", _("gemeente (financier)")
    OPERATOR = "operator", _("beheerder")


# Which scope column each role's assignment must fill; the others stay empty.
ROLE_SCOPE = {
    Role.COORDINATOR: "site",
    Role.ORGANISATION_VIEWER: "organisation",
    Role.FUNDER: "municipality",
    Role.PROGRAMME_OFFICE: None,
    Role.OPERATOR: None,
}


class User(AbstractUser):
    """A person who logs in. What she may see follows from her role assignments only."""

    @property
    def roles(self) -> set[str]:
        if not hasattr(self, "_roles"):
            self._roles = set(self.role_assignments.values_list("role", flat=True))
        return self._roles

    @property
    def is_operator(self) -> bool:
        return Role.OPERATOR in self.roles

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # read after the save by mim.api (a new password revokes the user's API tokens)
        self.password_changed = True

    class Meta(AbstractUser.Meta):
        # "Anna" and "anna" would be two accounts, the login finding one by exact name; the
        # office's form asks case-blind, and this holds when two forms are sent at once.
        constraints = [models.UniqueConstraint(
            Lower("username"), name="accounts_user_username_casefold_unique",
            violation_error_message=_("Deze gebruikersnaam bestaat al."))]


def _scope_check(role, scope):
    filled = {"site": Q(site__isnull=False), "organisation": Q(organisation__isnull=False),
              "municipality": Q(municipality__isnull=False)}
    condition = Q(role=role)
    for name, is_set in filled.items():
        condition &= is_set if name == scope else ~is_set
    return condition


def _scope_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=_scope_check(Role.COORDINATOR, "site")
            | _scope_check(Role.ORGANISATION_VIEWER, "organisation")
            | _scope_check(Role.FUNDER, "municipality")
            | _scope_check(Role.PROGRAMME_OFFICE, None)
            | _scope_check(Role.OPERATOR, None),
            name=f"{prefix}_scope_matches_role",
        ),
        *[models.UniqueConstraint(fields=["user", "role", scope],
                                  condition=Q(**{f"{scope}__isnull": False}),
                                  name=f"{prefix}_unique_{scope}")
          for scope in ("site", "organisation", "municipality")],
        models.UniqueConstraint(fields=["user", "role"],
                                condition=Q(site__isnull=True, organisation__isnull=True,
                                            municipality__isnull=True),
                                name=f"{prefix}_unique_national"),
    ]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    site = models.ForeignKey("organisations.Site", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="role_assignments")
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="role_assignments")
    municipality = models.ForeignKey("organisations.Municipality", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="role_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # One assignment per user, role and scope (partial indexes, because NULLs never
        # compare equal in a plain unique constraint), its scope the one its role takes.
        constraints = _scope_constraints("role_assignment")

    def __str__(self):
        scope = self.site or self.organisation or self.municipality or "landelijk"
        return f"{self.user} — {self.get_role_display()} ({scope})"


class RoleProposal(models.Model):
    """A grant that waits for a second person of the programme office (four eyes).

    A coordinator's role opens the personal records of a site, and the office's role opens
    the management of users. One office user alone could otherwise reach records that her
    role never shows her: give an account she holds the coordinator's role, or make a second
    office account and let it do that for her. So these two grants are proposals until
    another office user confirms them (mim.accounts.services.role_confirm); only then is there
    a RoleAssignment, and every read of roles sees assignments only."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_proposals")
    role = models.CharField(max_length=32, choices=Role.choices)
    site = models.ForeignKey("organisations.Site", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("organisations.Municipality", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    proposed_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = _scope_constraints("role_proposal")
        ordering = ["created_at", "pk"]

    def __str__(self):
        scope = self.site or self.organisation or self.municipality or "landelijk"
        return f"{self.user} — {self.get_role_display()} ({scope})"


class RecoveryCode(models.Model):
    """A single-use recovery code of the second factor, kept as a password hash only.

    A code has 64 random bits, below the 112 at which ASVS 6.5.2 would accept a plain
    digest: so a salted, slow hash (the password hasher, Argon2id), and a leaked
    database gives no usable code. django-otp's own StaticToken keeps codes in clear;
    its StaticDevice stays the device (throttling, login) and holds no tokens."""

    device = models.ForeignKey("otp_static.StaticDevice", on_delete=models.CASCADE,
                               related_name="recovery_codes")
    code_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)

"""Users and their roles, as the programme office manages them (mim/office).

Each grant and withdrawal goes to the access log by name, as the operator's admin does
(accounts/admin.py): a role opens records or figures."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mim.accounts.models import ROLE_SCOPE, Role, RoleAssignment, User
from mim.accounts.selectors import has_role
from mim.audit.models import Event
from mim.audit.services import audit_record

# Roles the office hands out. The operator role is given on the server (it opens the
# admin, with every raw table): never from a screen of the office.
OFFICE_GRANTS = (Role.COORDINATOR, Role.ORGANISATION_VIEWER, Role.FUNDER,
                 Role.PROGRAMME_OFFICE)


class AccountRefused(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _require_office(user) -> None:
    if not has_role(user, Role.PROGRAMME_OFFICE):
        raise AccountRefused(_("Alleen het programmabureau kan dit doen."))


def _may_manage(user, target: User) -> None:
    # Nobody widens her own access, and an operator's account is the server's business.
    if target.pk == user.pk:
        raise AccountRefused(_("U kunt uw eigen rollen niet wijzigen."))
    if target.is_operator:
        raise AccountRefused(_("Een beheerder wordt op de server beheerd."))


def first_password() -> str:
    """Twenty random characters from an alphabet without look-alikes (0/O, 1/l)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _i in range(20))


def _scope_text(assignment: RoleAssignment) -> str:
    for field in ("site", "organisation", "municipality"):
        value = getattr(assignment, field)
        if value is not None:
            return f"{field} {getattr(value, 'code', None) or value.pk}"
    return "the whole programme"


@transaction.atomic
def role_grant(*, target: User, role: str, site=None, organisation=None, municipality=None,
               user, request=None) -> RoleAssignment:
    """Give `target` a role with its scope (a site, an organisation or a municipality, or
    none for the programme office); the scope the role does not take must stay empty."""
    _require_office(user)
    _may_manage(user, target)
    if role not in OFFICE_GRANTS:
        raise AccountRefused(_("Deze rol kan het programmabureau niet toekennen."))
    scope = {"site": site, "organisation": organisation, "municipality": municipality}
    wanted = ROLE_SCOPE[Role(role)]
    errors = {name: _("Kies een %(scope)s voor deze rol.") % {"scope": _label(name)}
              for name in scope if name == wanted and scope[name] is None}
    errors |= {name: _("Deze rol heeft geen %(scope)s.") % {"scope": _label(name)}
               for name in scope if name != wanted and scope[name] is not None}
    if errors:
        raise ValidationError(errors)
    if RoleAssignment.objects.filter(user=target, role=role, **scope).exists():
        raise AccountRefused(_("Deze gebruiker heeft deze rol al."))
    assignment = RoleAssignment(user=target, role=role, **scope)
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    audit_record(event=Event.CREATE, user=user, request=request, site=site,
                 object_type="roleassignment", object_ref=target.get_username()[:64],
                 detail=f"role {role} for {_scope_text(assignment)}")
    return assignment


def _label(scope: str) -> str:
    return {"site": _("locatie"), "organisation": _("organisatie"),
            "municipality": _("gemeente")}[scope]


@transaction.atomic
def role_withdraw(*, assignment: RoleAssignment, user, request=None) -> None:
    _require_office(user)
    _may_manage(user, assignment.user)
    if assignment.role not in OFFICE_GRANTS:
        raise AccountRefused(_("Deze rol kan het programmabureau niet intrekken."))
    detail = f"role {assignment.role} for {_scope_text(assignment)}"
    username = assignment.user.get_username()[:64]
    site = assignment.site
    assignment.delete()
    audit_record(event=Event.DELETE, user=user, request=request, site=site,
                 object_type="roleassignment", object_ref=username, detail=detail)


@transaction.atomic
def user_create(*, username: str, first_name: str = "", last_name: str = "",
                email: str = "", role: str, site=None, organisation=None, municipality=None,
                user, request=None) -> tuple[User, str]:
    """A new user with one role and a first password, returned once to be handed over.

    The password is kept only as its hash; the second factor is set up at the first login
    (SecondFactorMiddleware sends a user without a device to the setup page)."""
    _require_office(user)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Deze gebruikersnaam bestaat al.")})
    new = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(),
               email=email.strip())
    password = first_password()
    validate_password(password, new)
    new.set_password(password)
    new.full_clean()
    new.save()
    audit_record(event=Event.CREATE, user=user, request=request, object_type="user",
                 object_ref=new.get_username()[:64], detail="user added with a first password")
    role_grant(target=new, role=role, site=site, organisation=organisation,
               municipality=municipality, user=user, request=request)
    return new, password


@transaction.atomic
def user_set_active(*, target: User, active: bool, user, request=None) -> User:
    """Switch an account off or on; switched off, its sessions end (accounts middleware)."""
    _require_office(user)
    _may_manage(user, target)
    target.is_active = active
    target.save(update_fields=["is_active"])
    audit_record(event=Event.UPDATE, user=user, request=request, object_type="user",
                 object_ref=target.get_username()[:64],
                 detail="account switched on" if active else "account switched off")
    return target


__all__ = ["AccountRefused", "OFFICE_GRANTS", "ValidationError", "first_password",
           "role_grant", "role_withdraw", "user_create", "user_set_active"]

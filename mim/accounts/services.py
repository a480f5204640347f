"""Users and their roles, as the programme office manages them (mim/office).

Each grant and withdrawal goes to the access log by name, as the operator's admin does
(accounts/admin.py): a role opens records or figures.

Only a coordinator ever sees a record about a person, and the office must not be able to
make itself one. So the office never holds a credential of another account (a new user sets
her own password through an invitation sent to her), and a grant that opens records or the
management of users waits for a second office user (RoleProposal, four eyes)."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from mim.accounts.models import ROLE_SCOPE, Role, RoleAssignment, RoleProposal, User
from mim.accounts.selectors import has_role
from mim.audit.models import Event
from mim.audit.services import audit_record

# Roles the office hands out. The operator role is given on the server (it opens the
# admin, with every raw table): never from a screen of the office.
OFFICE_GRANTS = (Role.COORDINATOR, Role.ORGANISATION_VIEWER, Role.FUNDER,
                 Role.PROGRAMME_OFFICE)
# Grants a second office user must confirm: the coordinator's opens personal records, the
# office's opens these very screens (one office user with a second account would otherwise
# be two pairs of eyes).
CONFIRMED_GRANTS = (Role.COORDINATOR, Role.PROGRAMME_OFFICE)


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


def _scope_text(assignment: RoleAssignment) -> str:
    for field in ("site", "organisation", "municipality"):
        value = getattr(assignment, field)
        if value is not None:
            return f"{field} {getattr(value, 'code', None) or value.pk}"
    return "the whole programme"


@transaction.atomic
def role_grant(*, target: User, role: str, site=None, organisation=None, municipality=None,
               user, request=None) -> RoleAssignment | RoleProposal:
    """Give `target` a role with its scope (a site, an organisation or a municipality, or
    none for the programme office); the scope the role does not take must stay empty.

    A role of CONFIRMED_GRANTS becomes a RoleProposal, which gives nothing until another
    office user confirms it (`role_confirm`)."""
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
    if RoleProposal.objects.filter(user=target, role=role, **scope).exists():
        raise AccountRefused(_("Deze rol wacht al op bevestiging."))
    if role in CONFIRMED_GRANTS:
        proposal = RoleProposal(user=target, role=role, proposed_by=user, **scope)
        proposal.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():  # the same proposal posted twice at once
                proposal.save()
        except IntegrityError:
            raise AccountRefused(_("Deze rol wacht al op bevestiging.")) from None
        audit_record(event=Event.CREATE, user=user, request=request, site=site,
                     object_type="roleproposal", object_ref=target.get_username()[:64],
                     detail=f"role {role} for {_scope_text(proposal)} proposed; "
                            "waits for a second office user")
        return proposal
    return _assign(target=target, role=role, scope=scope, user=user, request=request)


def _assign(*, target: User, role: str, scope: dict, user, request, detail: str = ""):
    assignment = RoleAssignment(user=target, role=role, **scope)
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    audit_record(event=Event.CREATE, user=user, request=request, site=scope["site"],
                 object_type="roleassignment", object_ref=target.get_username()[:64],
                 detail=f"role {role} for {_scope_text(assignment)}{detail}")
    return assignment


@transaction.atomic
def role_confirm(*, proposal: RoleProposal, user, request=None) -> RoleAssignment:
    """The second office user's yes: the proposal becomes the role it proposed."""
    _require_office(user)
    if proposal.proposed_by_id == user.pk:
        raise AccountRefused(_("Een andere medewerker van het programmabureau moet deze rol "
                               "bevestigen: u heeft haar zelf voorgesteld."))
    _may_manage(user, proposal.user)
    if not has_role(proposal.proposed_by, Role.PROGRAMME_OFFICE):
        # The first pair of eyes is gone (switched off, or no longer the office): her
        # proposal is no longer half of a four-eyes decision.
        raise AccountRefused(_("Wie deze rol voorstelde, hoort niet meer bij het "
                               "programmabureau. Wijs het voorstel af en stel de rol zo nodig "
                               "zelf opnieuw voor."))
    scope = {"site": proposal.site, "organisation": proposal.organisation,
             "municipality": proposal.municipality}
    if RoleAssignment.objects.filter(user=proposal.user, role=proposal.role, **scope).exists():
        raise AccountRefused(_("Deze gebruiker heeft deze rol al."))
    proposer = proposal.proposed_by.get_username()[:64]
    proposal.delete()
    return _assign(target=proposal.user, role=proposal.role, scope=scope, user=user,
                   request=request, detail=f", proposed by {proposer}, confirmed")


@transaction.atomic
def role_decline(*, proposal: RoleProposal, user, request=None) -> None:
    """A proposal turned down, or taken back by the one who made it."""
    _require_office(user)
    _delete_logged(proposal, "roleproposal",
                   f"role {proposal.role} for {_scope_text(proposal)} not granted", user, request)


def _label(scope: str) -> str:
    return {"site": _("locatie"), "organisation": _("organisatie"),
            "municipality": _("gemeente")}[scope]


@transaction.atomic
def role_withdraw(*, assignment: RoleAssignment, user, request=None) -> None:
    _require_office(user)
    _may_manage(user, assignment.user)
    if assignment.role not in OFFICE_GRANTS:
        raise AccountRefused(_("Deze rol kan het programmabureau niet intrekken."))
    _delete_logged(assignment, "roleassignment",
                   f"role {assignment.role} for {_scope_text(assignment)}", user, request)


def _delete_logged(grant, object_type: str, detail: str, user, request) -> None:
    """A role or a proposal gone, logged under the account it was for."""
    username, site = grant.user.get_username()[:64], grant.site
    grant.delete()
    audit_record(event=Event.DELETE, user=user, request=request, site=site,
                 object_type=object_type, object_ref=username, detail=detail)


class InvitationTokens(PasswordResetTokenGenerator):
    """One-time links for a new user's first password. The token hashes the account's
    password, so it stops working once she has set one; it also ends after
    PASSWORD_RESET_TIMEOUT (settings: seven days)."""

    key_salt = "mim.accounts.services.InvitationTokens"


invitation_tokens = InvitationTokens()


def invitation_path(target: User) -> str:
    return reverse("invitation", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(target.pk)),
                                         "token": invitation_tokens.make_token(target)})


def _send_invitation(target: User, request) -> None:
    path = invitation_path(target)
    if settings.MIM_SITE_URL:
        link = settings.MIM_SITE_URL + path
    elif request is not None:
        link = request.build_absolute_uri(path)
    else:
        link = "http://localhost:8000" + path
    days = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)
    body = _(
        "Het programmabureau van Moeders Informeren Moeders heeft een account voor u "
        "aangemaakt in MIM Registratie.\n\n"
        "Gebruikersnaam: %(username)s\n\n"
        "Kies via deze link zelf uw wachtwoord. De link werkt één keer en %(days)s dagen "
        "lang:\n%(link)s\n\n"
        "Daarna logt u in en stelt u de tweede stap in met een authenticator-app op uw "
        "telefoon.\n\n"
        "Verwachtte u dit bericht niet? Dan kunt u het negeren."
    ) % {"username": target.get_username(), "days": days, "link": link}
    try:
        send_mail(_("Uw account voor MIM Registratie"), body, None, [target.email])
    except OSError as exc:
        # Inside the caller's transaction: no account (or resend) without its invitation.
        raise AccountRefused(_("De uitnodiging kon niet worden verstuurd (%(reason)s). Er is "
                               "niets opgeslagen; probeer het later opnieuw.")
                             % {"reason": exc.__class__.__name__}) from None


@transaction.atomic
def user_create(*, username: str, first_name: str = "", last_name: str = "",
                email: str, role: str, site=None, organisation=None, municipality=None,
                user, request=None) -> tuple[User, RoleAssignment | RoleProposal]:
    """A new user with one role (or its proposal), and an invitation to her e-mail address.

    She has no password until she follows the invitation's link and chooses one; the office
    never sees it, nor the link. The second factor is set up at her first login
    (SecondFactorMiddleware sends a user without a device to the setup page)."""
    _require_office(user)
    username = username.strip()
    email = email.strip()
    if not email:
        raise ValidationError({"email": _("Vul het e-mailadres in: de uitnodiging gaat "
                                          "daarheen.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Deze gebruikersnaam bestaat al.")})
    new = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(),
               email=email)
    new.set_unusable_password()
    new.full_clean()
    try:
        with transaction.atomic():  # the same name sent from two forms at once
            new.save()
    except IntegrityError:
        raise ValidationError({"username": _("Deze gebruikersnaam bestaat al.")}) from None
    audit_record(event=Event.CREATE, user=user, request=request, object_type="user",
                 object_ref=new.get_username()[:64], detail="user added; invitation sent")
    grant = role_grant(target=new, role=role, site=site, organisation=organisation,
                       municipality=municipality, user=user, request=request)
    _send_invitation(new, request)
    return new, grant


def invitation_pending(target: User) -> bool:
    return not target.has_usable_password()


@transaction.atomic
def invitation_resend(*, target: User, user, request=None) -> None:
    """A new link for a user who has not chosen her password yet (the old link keeps
    working until she does, or until it ends). Never for an account with a password: a
    link would let whoever holds it choose a new one."""
    _require_office(user)
    _may_manage(user, target)
    if not invitation_pending(target):
        raise AccountRefused(_("Deze gebruiker heeft haar wachtwoord al gekozen."))
    if not target.is_active:
        raise AccountRefused(_("Dit account is uitgeschakeld: zet het eerst weer aan."))
    if not target.email:
        raise AccountRefused(_("Deze gebruiker heeft geen e-mailadres."))
    audit_record(event=Event.UPDATE, user=user, request=request, object_type="user",
                 object_ref=target.get_username()[:64], detail="invitation sent again")
    _send_invitation(target, request)


@transaction.atomic
def invitation_accept(*, target: User, form, request=None) -> User:
    """The invited user's own first password (a validated SetPasswordForm)."""
    if not invitation_pending(target) or not target.is_active:
        raise AccountRefused(_("Deze uitnodiging is al gebruikt of het account is "
                               "uitgeschakeld."))
    form.save()
    audit_record(event=Event.UPDATE, user=target, request=request, object_type="user",
                 object_ref=target.get_username()[:64],
                 detail="invitation accepted: own password set")
    return target


@transaction.atomic
def user_set_active(*, target: User, active: bool, user, request=None) -> User:
    """Switch an account off or on; switched off, its sessions end (accounts middleware).

    Saying the state wanted, not "the other one": a second click, or a colleague switching
    off the same account, leaves it off. Switching off an account that has not chosen its
    password yet also ends every invitation link sent for it (the link's token hashes the
    password, and this sets a new unusable one): the remedy for a link that reached the
    wrong person, since an address cannot be changed here."""
    _require_office(user)
    _may_manage(user, target)
    if target.is_active == active:
        return target
    target.is_active = active
    fields = ["is_active"]
    if not active and invitation_pending(target):
        target.set_unusable_password()
        fields.append("password")
    target.save(update_fields=fields)
    audit_record(event=Event.UPDATE, user=user, request=request, object_type="user",
                 object_ref=target.get_username()[:64],
                 detail="account switched on" if active else "account switched off")
    return target


__all__ = ["AccountRefused", "CONFIRMED_GRANTS", "OFFICE_GRANTS", "ValidationError",
           "invitation_accept", "invitation_pending", "invitation_resend", "invitation_tokens",
           "role_confirm", "role_decline", "role_grant", "role_withdraw", "user_create",
           "user_set_active"]

"""Visibility: the one place that answers "what may this user see".

Every view, export, report and API call that touches sites, records or figures asks
here. Deny by default: a user without a role assignment sees nothing, and only the
coordinator role ever reaches a record about a person.
"""

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from mim.accounts.models import Role
from mim.organisations.models import Municipality, Organisation, Site

# Site.code is a slug of at most 40 characters.
_SITE_CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")


def _assignments(user):
    if not user or not user.is_authenticated or not user.is_active:
        return None
    return user.role_assignments.all()


def record_sites(user) -> QuerySet[Site]:
    """Sites whose personal records the user may read and write (coordinators only)."""
    assignments = _assignments(user)
    if assignments is None:
        return Site.objects.none()
    return Site.objects.filter(role_assignments__in=assignments.filter(role=Role.COORDINATOR)
                               ).distinct()


def record_site(user, code: str) -> Site:
    """One of the user's record sites, or 404 (never 403: that would confirm it exists)."""
    if not isinstance(code, str) or not _SITE_CODE.fullmatch(code):
        # Not a site code at all (the API's path takes any text): PostgreSQL would refuse
        # a NUL byte in the query with an error rather than find nothing.
        raise Http404
    site = record_sites(user).filter(code=code).first()
    if site is None:
        raise Http404
    return site


def visible_sites(user) -> QuerySet[Site]:
    """Sites the user may see in aggregate (figures, return status)."""
    assignments = _assignments(user)
    if assignments is None:
        return Site.objects.none()
    roles = {a.role for a in assignments}
    if roles & {Role.PROGRAMME_OFFICE, Role.OPERATOR}:
        return Site.objects.all()
    condition = Q(pk__in=[])
    for a in assignments:
        if a.role == Role.COORDINATOR:
            condition |= Q(pk=a.site_id)
        elif a.role == Role.ORGANISATION_VIEWER:
            condition |= Q(organisation_id=a.organisation_id)
        elif a.role == Role.FUNDER:
            condition |= Q(municipality_id=a.municipality_id)
    return Site.objects.filter(condition)


@dataclass(frozen=True)
class FigureScope:
    scope: str  # site, organisation, municipality, national
    code: str
    label: str
    unsuppressed: bool  # only a coordinator's own sites


def figure_scopes(user) -> list[FigureScope]:
    """The figure scopes the user may look at, and whether she sees them unsuppressed.

    Only a coordinator's own sites come unsuppressed; everything else passes the
    small-cell rule (mim.figures.suppression) before it is shown."""
    assignments = _assignments(user)
    if assignments is None:
        return []
    scopes: dict[tuple[str, str], FigureScope] = {}

    def add(scope, code, label, unsuppressed=False):
        key = (scope, code)
        if key not in scopes or unsuppressed:
            scopes[key] = FigureScope(scope, code, label, unsuppressed)

    assignments = list(assignments.select_related("site", "organisation", "municipality"))
    # A coordinator who also holds a wider role never gets the organisation or municipality
    # of her own site as a whole: its published figures minus her own unsuppressed ones
    # would give her sibling sites away (with one sibling, exactly).
    own = [a.site for a in assignments if a.role == Role.COORDINATOR]
    own_organisations = {s.organisation_id for s in own}
    own_municipalities = {s.municipality_id for s in own}

    def add_organisation(org):
        if org.pk not in own_organisations:
            add("organisation", org.name, org.name)

    def add_municipality(mun):
        if mun.pk not in own_municipalities:
            add("municipality", mun.name, mun.name)

    for a in assignments:
        if a.role == Role.COORDINATOR:
            add("site", a.site.code, a.site.name, unsuppressed=True)
        elif a.role == Role.ORGANISATION_VIEWER:
            add_organisation(a.organisation)
            for site in a.organisation.sites.all():
                add("site", site.code, site.name)
        elif a.role == Role.FUNDER:
            add_municipality(a.municipality)
            for site in a.municipality.sites.all():
                add("site", site.code, site.name)
        elif a.role in (Role.PROGRAMME_OFFICE, Role.OPERATOR):
            for org in Organisation.objects.all():
                add_organisation(org)
            for mun in Municipality.objects.filter(sites__isnull=False).distinct():
                add_municipality(mun)
            for site in Site.objects.all():
                add("site", site.code, site.name)
    if scopes or assignments:
        # Everybody with a role compares with the national figures; nobody else.
        add("national", "NL", "Nederland")
    return list(scopes.values())


def may_see_scope(user, scope: str, code: str) -> FigureScope | None:
    for allowed in figure_scopes(user):
        if allowed.scope == scope and allowed.code == code:
            return allowed
    return None


def roles(user) -> frozenset[str]:
    """The roles a user holds (none for an anonymous or inactive user): what pages and menus
    offer her. What she may see is asked of the functions above."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(user.roles)


def has_role(user, *roles: str) -> bool:
    assignments = _assignments(user)
    return assignments is not None and assignments.filter(role__in=roles).exists()


def is_office(user) -> bool:
    """The programme office: returns, reports, the facts of a year, the office's screens."""
    return has_role(user, Role.PROGRAMME_OFFICE)


def has_national_role(user) -> bool:
    """The programme office and operators look at the nation as a whole."""
    return has_role(user, Role.PROGRAMME_OFFICE, Role.OPERATOR)

from django.shortcuts import render

from mim.accounts import selectors
from mim.accounts.models import Role
from mim.registry import selectors as registry_selectors


def home(request):
    """One start page; what it shows follows from the user's roles."""
    user = request.user
    roles = selectors.roles(user)
    context = {
        "roles": [Role(r).label for r in sorted(roles)],
        "is_coordinator": Role.COORDINATOR in roles,
        "is_viewer": bool(roles & {Role.ORGANISATION_VIEWER, Role.FUNDER}),
        "is_office": Role.PROGRAMME_OFFICE in roles,
        "is_operator": Role.OPERATOR in roles,
        "record_sites": selectors.record_sites(user).select_related("organisation"),
        "visible_sites": selectors.visible_sites(user).select_related(
            "organisation", "municipality"),
    }
    if context["is_coordinator"]:
        context["registry_dashboards"] = registry_selectors.dashboards(context["record_sites"])
    return render(request, "web/home.html", context)

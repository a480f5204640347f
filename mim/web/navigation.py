"""The main navigation: which entries each role gets. Entries whose URL does not exist
(yet) are left out, so the menu never links to a missing page."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from mim.accounts import selectors as access
from mim.accounts.models import Role

COORD, ORG, OFFICE, FUNDER, OPERATOR = (Role.COORDINATOR, Role.ORGANISATION_VIEWER,
                                        Role.PROGRAMME_OFFICE, Role.FUNDER, Role.OPERATOR)

ENTRIES = [
    ("home", _("Start"), {COORD, ORG, OFFICE, FUNDER, OPERATOR}),
    ("registry:mothers", _("Moeders"), {COORD}),
    ("registry:volunteers", _("Vrijwilligers"), {COORD}),
    ("spreadsheets:index", _("Spreadsheets"), {COORD}),
    ("returns:list", _("Jaaropgaven"), {COORD, ORG, OFFICE}),
    ("figures:dashboard", _("Cijfers"), {COORD, ORG, OFFICE, FUNDER}),
    ("reports:index", _("Rapporten"), {COORD, OFFICE}),
    ("registry:audit", _("Toegangslog"), {COORD}),
    ("office:index", _("Beheer"), {OFFICE}),
    ("api_tokens", _("API"), {COORD, ORG, OFFICE, FUNDER, OPERATOR}),
    ("admin:index", _("Technisch beheer"), {OPERATOR}),
]


def entries_for(user, current_path: str = "") -> list[dict]:
    roles = access.roles(user)
    items = []
    for name, label, allowed in ENTRIES:
        if not roles & allowed:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items

"""What the office's screens read: sites, organisations, municipalities, users with their
roles. No record about a person (mother, volunteer) is ever read here."""

from django.db.models import Count, Prefetch

from mim.accounts.models import RoleAssignment, User
from mim.organisations.models import Municipality, Organisation, Site


def sites():
    return Site.objects.select_related("organisation", "municipality").order_by("name")


def organisations():
    return Organisation.objects.annotate(site_count=Count("sites")).order_by("name")


def municipalities():
    return Municipality.objects.annotate(site_count=Count("sites")).order_by("name")


def _assignments():
    return RoleAssignment.objects.select_related("site", "organisation", "municipality")


def users():
    return User.objects.order_by("username").prefetch_related(
        Prefetch("role_assignments", queryset=_assignments()))


def user(pk: int) -> User | None:
    return users().filter(pk=pk).first()

"""What the office's screens read: sites, organisations, municipalities, users with their
roles, and a year's coordinators and facts. No record about a person (mother, volunteer) is
ever read here; a coordinator is staff of an organisation, not a person under protection."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from mim.accounts.models import Role, RoleAssignment, RoleProposal, User
from mim.audit.models import AuditEntry, Event
from mim.figures import standard
from mim.organisations.models import (
    Coordinator,
    CoordinatorAssignment,
    Municipality,
    Organisation,
    OrganisationYear,
    Site,
    SiteYear,
    active_in,
)
from mim.organisations.names import by_name, sort_key
from mim.organisations.selectors import describe, yes_no
from mim.returns.models import Status
from mim.returns.selectors import NOT_STARTED, default_year, return_statuses, return_years


def sites() -> list[Site]:
    return by_name(Site.objects.select_related("organisation", "municipality"))


def organisations() -> list[Organisation]:
    return by_name(Organisation.objects.annotate(site_count=Count("sites")))


def municipalities() -> list[Municipality]:
    return by_name(Municipality.objects.annotate(site_count=Count("sites")))


def _assignments():
    return RoleAssignment.objects.select_related("site", "organisation", "municipality")


def users():
    return User.objects.order_by("username").prefetch_related(
        Prefetch("role_assignments", queryset=_assignments()))


def user(pk: int) -> User | None:
    return users().prefetch_related(Prefetch("role_proposals", queryset=_proposals())).filter(
        pk=pk).first()


def account_created(target: User) -> AuditEntry | None:
    """Who made the account and when, from the access log: what a colleague who is asked to
    confirm a role for it needs to see beside the address its invitation went to."""
    return AuditEntry.objects.filter(object_type="user", event=Event.CREATE,
                                      object_ref=target.get_username()[:64]).order_by(
        "pk").first()


def _proposals():
    # Whether the proposer is still the office: a proposal of someone who has left can only
    # be declined (accounts.services.role_confirm), so the list offers no confirmation.
    proposer_in_office = Exists(RoleAssignment.objects.filter(
        user=OuterRef("proposed_by"), user__is_active=True, role=Role.PROGRAMME_OFFICE))
    return RoleProposal.objects.select_related(
        "user", "proposed_by", "site", "organisation", "municipality").annotate(
        proposer_in_office=proposer_in_office)


def proposals() -> list[RoleProposal]:
    """Grants that wait for a second office user (accounts.services.role_confirm)."""
    return list(_proposals())


def proposal(*, pk: int, user_pk: int) -> RoleProposal | None:
    return _proposals().filter(pk=pk, user_id=user_pk).first()


# --- a year's coordinators and facts ------------------------------------------------------


@dataclass
class SiteYearRow:
    site: Site
    status: str  # the return's status, or "not_started"
    status_label: str
    facts: SiteYear | None
    lines: list[CoordinatorAssignment]  # who works here this year, with her hours

    @property
    def ended(self) -> bool:
        return self.site.last_year is not None

    @property
    def missing_facts(self) -> bool:
        return self.facts is None

    def fact_texts(self, book) -> list[tuple[str, str]]:
        """(codebook item, its codes in words) of the site's facts; empty when none entered."""
        if self.facts is None:
            return []
        return [(f, describe(book, f, getattr(self.facts, f))) for f in standard.SITE_FACTS]


@dataclass
class OrganisationYearBlock:
    organisation: Organisation
    policy: OrganisationYear | None
    sites: list[SiteYearRow] = field(default_factory=list)
    # Every coordinator of the organisation, with her hours per week summed over its sites
    # this year (None: she does not work in the year).
    coordinators: list[tuple[Coordinator, Decimal | None]] = field(default_factory=list)

    def policy_texts(self, book) -> list[tuple[str, str]]:
        if self.policy is None:
            return []
        return [("reimbursement", describe(book, "reimbursement", self.policy.reimbursement)),
                ("volunteer_agreement", yes_no(self.policy.volunteer_agreement)),
                ("vog_required", yes_no(self.policy.vog_required))]


def year_overview(year: int) -> list[OrganisationYearBlock]:
    """Per organisation with a site active in `year`: its policies, its sites (also those
    that delivered nothing and those that ended that year) with their facts, status and
    coordinators, and its coordinators as people. Six queries whatever the size."""
    active = sorted(Site.objects.filter(active_in(year)).select_related("organisation"),
                    key=lambda s: (sort_key(s.organisation.name), s.organisation_id,
                                   sort_key(s.name)))
    statuses = return_statuses(year)
    labels = dict(Status.choices)
    facts = {f.site_id: f for f in SiteYear.objects.filter(year=year)}
    lines: dict[int, list[CoordinatorAssignment]] = {}
    hours: dict[int, Decimal] = {}
    for line in (CoordinatorAssignment.objects.filter(year=year).select_related("coordinator")
                 .order_by("coordinator__ref")):
        lines.setdefault(line.site_id, []).append(line)
        hours[line.coordinator_id] = hours.get(line.coordinator_id, Decimal(0)) + \
            line.hours_per_week
    organisation_ids = {s.organisation_id for s in active}
    policies = {p.organisation_id: p for p in OrganisationYear.objects.filter(
        year=year, organisation_id__in=organisation_ids)}
    people: dict[int, list[Coordinator]] = {}
    for person in Coordinator.objects.filter(organisation_id__in=organisation_ids):
        people.setdefault(person.organisation_id, []).append(person)
    blocks: dict[int, OrganisationYearBlock] = {}
    for site in active:
        block = blocks.get(site.organisation_id)
        if block is None:
            block = blocks[site.organisation_id] = OrganisationYearBlock(
                site.organisation, policies.get(site.organisation_id),
                coordinators=[(p, hours.get(p.pk))
                              for p in people.get(site.organisation_id, [])])
        status = statuses.get(site.code, NOT_STARTED)
        block.sites.append(SiteYearRow(site, status,
                                       str(labels.get(status, _("niet gestart"))),
                                       facts.get(site.pk), lines.get(site.pk, [])))
    return list(blocks.values())


def organisation_sites(organisation: Organisation, year: int) -> list[Site]:
    """The organisation's sites active in `year` (also one that ended that year)."""
    return by_name(organisation.sites.filter(active_in(year)))


def coordinator_hours(person: Coordinator, year: int) -> dict[int, Decimal]:
    """Site pk -> the coordinator's hours per week there in `year`."""
    return dict(person.assignments.filter(year=year).values_list("site_id", "hours_per_week"))


def years() -> list[int]:
    """The year menu: the returns' years, newest first."""
    return return_years()


def current_year() -> int:
    """The year the page opens on: the returns' default."""
    return default_year()

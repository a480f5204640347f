"""What the office's screens read: sites, organisations, municipalities, users with their
roles, and a year's coordinators and facts. No record about a person (mother, volunteer) is
ever read here; a coordinator is staff of an organisation, not a person under protection."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mim.accounts.models import RoleAssignment, User
from mim.codebook import codebooks
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
    return users().filter(pk=pk).first()


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


def describe(book, item: str, codes) -> str:
    """A stored code list in words: None is "niet bekend", an empty list "geen"."""
    if codes is None:
        return str(_("niet bekend"))
    if not codes:
        return str(_("geen"))
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return ", ".join(book.label(item, code, lang) for code in codes)


def yes_no(code: str) -> str:
    return str({"yes": _("ja"), "no": _("nee")}.get(code, _("niet bekend")))


@dataclass(frozen=True)
class FactChangeRow:
    subject: str
    field: str
    before: str
    after: str


def fact_change_rows(year: int, changes) -> list[FactChangeRow]:
    """The changes a facts file would make (mim.spreadsheets.facts.FactChange) in words, for
    the preview: what stands now and what it becomes."""
    book = codebooks.for_year(year)
    labels = {f.name: f.verbose_name for model in (SiteYear, OrganisationYear)
              for f in model._meta.get_fields() if hasattr(f, "verbose_name")}

    def words(name: str, value) -> str:
        if name == "coordinators":
            # Hours as the year page writes them (floatformat:"-1"), in the reader's language.
            return "; ".join(_("%(ref)s (%(hours)s uur per week)") % {
                "ref": ref, "hours": floatformat(hours, -1)} for ref, hours in value) \
                or str(_("geen"))
        if name in standard.YES_NO_FACTS:
            return yes_no(value)
        if name == "target_group":
            return value or "–"
        return describe(book, name, value)

    return [FactChangeRow(
        change.subject,
        str(_("coördinatoren") if change.field == "coordinators" else labels[change.field]),
        words(change.field, change.before) if change.stored else "–",
        words(change.field, change.after)) for change in changes]


def years() -> list[int]:
    """The year menu: the returns' years, newest first."""
    return return_years()


def current_year() -> int:
    """The year the page opens on: the returns' default."""
    return default_year()

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mim.figures import engine
from mim.figures.tidy import Figure
from mim.organisations.models import (
    CoordinatorAssignment,
    OrganisationYear,
    Site,
    SiteYear,
    active_in,
)
from mim.organisations.names import by_name
from mim.returns.models import AnnualReturn, ReturnFigure, ReturnYear, Source, Status


def unapproved_statuses(year: int) -> dict[str, tuple[str, str]]:
    """Site code -> (status, reason) of the year's returns that are not approved and not a
    draft: submitted, queried or not_delivered (the reason only for the last)."""
    rows = (AnnualReturn.objects.filter(year=year)
            .exclude(status__in=[Status.APPROVED, Status.DRAFT])
            .values_list("site__code", "status", "not_delivered_reason"))
    return {code: (status, reason) for code, status, reason in rows}


def approved_site_figures(year: int) -> dict[str, list[Figure]]:
    """The frozen figures of every approved return of the year, by site code.

    One query, whatever the number of sites."""
    rows = (ReturnFigure.objects
            .filter(annual_return__year=year, annual_return__status=Status.APPROVED)
            .values_list("annual_return__site__code", "variable", "category", "count", "base")
            .order_by("annual_return__site__code", "id"))
    by_site: dict[str, list[Figure]] = defaultdict(list)
    for code, variable, category, count, base in rows:
        by_site[code].append(Figure.of(year=year, scope="site", scope_code=code,
                                       variable=variable, category=category, count=count,
                                       base=base))
    return dict(by_site)


def return_statuses(year: int) -> dict[str, str]:
    """Status of each site's return for the year, by site code (no return: absent)."""
    return dict(AnnualReturn.objects.filter(year=year)
                .values_list("site__code", "status"))


# --- the returns app's own reads ------------------------------------------------------------

def live_site_figures(site, year: int) -> list[Figure]:
    """The site's figures for the year computed from its live records (figures engine)."""
    return list(engine.site_figures(year, sites=[site]))


def frozen_figures(annual_return: AnnualReturn) -> list[Figure]:
    """The figures stored with a return (frozen at submission, or uploaded as aggregate)."""
    code, year = annual_return.site.code, annual_return.year
    return [Figure.of(year=year, scope="site", scope_code=code, variable=v, category=c,
                      count=n, base=b)
            for v, c, n, b in annual_return.figures.order_by("id")
            .values_list("variable", "category", "count", "base")]


def current_figures(annual_return: AnnualReturn) -> list[Figure]:
    """What the return holds now: frozen once submitted; live records while a records draft."""
    if annual_return.status == Status.DRAFT and annual_return.source == Source.RECORDS:
        return live_site_figures(annual_return.site, annual_return.year)
    return frozen_figures(annual_return)


def record_balances(site, year: int) -> dict[str, dict[str, int]]:
    """Start, new and end counts of mothers and volunteers from the site's records: one
    query per population, with conditional aggregates.

    start = active on 1 January (started before the year, not ended before it);
    new = started in the year; end = active in the year and not ended in it."""
    from mim.registry.models import Mother, Volunteer

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    not_ended_before = Q(end_date__isnull=True) | Q(end_date__gte=first)
    counts = {}
    for population, model in (("mothers", Mother), ("volunteers", Volunteer)):
        counts[population] = model.objects.filter(site=site).aggregate(
            start_of_year=Count("pk", filter=Q(start_date__lt=first) & not_ended_before),
            new=Count("pk", filter=Q(start_date__gte=first, start_date__lte=last)),
            end_of_year=Count("pk", filter=Q(start_date__lte=last)
                              & (Q(end_date__isnull=True) | Q(end_date__gt=last))),
        )
    return counts


def current_balances(annual_return: AnnualReturn) -> dict[str, dict[str, int]]:
    if annual_return.status == Status.DRAFT and annual_return.source == Source.RECORDS:
        return record_balances(annual_return.site, annual_return.year)
    return annual_return.balances or {}


def site_history(site, year: int) -> dict[int, dict[str, int]]:
    """Population totals of the site's approved returns before `year` (year -> variable ->
    count), for the jump check. One query."""
    rows = (ReturnFigure.objects
            .filter(annual_return__site=site, annual_return__year__lt=year,
                    annual_return__status=Status.APPROVED, category="all",
                    variable__endswith=".total")
            .values_list("annual_return__year", "variable", "count"))
    history: dict[int, dict[str, int]] = defaultdict(dict)
    for y, variable, count in rows:
        history[y][variable] = count
    return dict(history)


def previous_balances(site, year: int) -> dict | None:
    previous = (AnnualReturn.objects.filter(site=site, year=year - 1, status=Status.APPROVED)
                .values_list("balances", flat=True).first())
    return previous or None


def facts_snapshot(site, year: int) -> dict | None:
    """The site's facts for the year as plain data (what a submission freezes), or None: its
    own facts, its organisation's policies, and the coordinators working there (by ref, with
    the hours at this site; a name is contact data and is not frozen)."""
    facts = SiteYear.objects.filter(site=site, year=year).first()
    if facts is None:
        return None
    policy = OrganisationYear.objects.filter(organisation_id=site.organisation_id,
                                             year=year).first()
    coordinators = (CoordinatorAssignment.objects.filter(site=site, year=year)
                    .select_related("coordinator").order_by("coordinator__ref"))
    return {
        "target_group": facts.target_group,
        # None: "niet bekend" (the office's form), kept apart from an empty list
        "financing": _codes(facts.financing),
        "variant": _codes(facts.variant),
        "group_activities": _codes(facts.group_activities),
        "reimbursement": _codes(policy.reimbursement) if policy else [],
        "volunteer_agreement": policy.volunteer_agreement if policy else "unknown",
        "vog_required": policy.vog_required if policy else "unknown",
        "coordinators": [{"ref": c.coordinator.ref, "hours_per_week": str(c.hours_per_week)}
                         for c in coordinators],
    }


def _codes(codes) -> list[str] | None:
    return None if codes is None else list(codes)


def return_facts(annual_return: AnnualReturn) -> dict | None:
    """Frozen facts once submitted, live ones while a draft."""
    if annual_return.status == Status.DRAFT or not annual_return.facts_snapshot:
        return facts_snapshot(annual_return.site, annual_return.year)
    return annual_return.facts_snapshot


def return_for(site, year: int) -> AnnualReturn | None:
    return AnnualReturn.objects.filter(site=site, year=year).select_related("site").first()


def deadline_for(year: int) -> dt.date | None:
    return ReturnYear.objects.filter(year=year).values_list("deadline", flat=True).first()


def default_year() -> int:
    """The year lists open on: the latest year with a deadline, else last calendar year."""
    latest = ReturnYear.objects.aggregate(latest=Max("year"))["latest"]
    return latest or timezone.localdate().year - 1


def return_years() -> list[int]:
    """Years that have a deadline or a return, newest first (for the year menu)."""
    years = set(ReturnYear.objects.values_list("year", flat=True))
    years |= set(AnnualReturn.objects.values_list("year", flat=True).distinct())
    years.add(default_year())
    return sorted(years, reverse=True)


@dataclass
class OverviewRow:
    site: Site
    year: int
    annual_return: AnnualReturn | None
    deadline: dt.date | None
    open_questions: int

    @property
    def status(self) -> str:
        return self.annual_return.status if self.annual_return else NOT_STARTED

    @property
    def status_label(self) -> str:
        return self.annual_return.get_status_display() if self.annual_return else _("niet gestart")

    @property
    def overdue(self) -> bool:
        return (self.status in (NOT_STARTED, Status.DRAFT) and self.deadline is not None
                and self.deadline < timezone.localdate())


NOT_STARTED = "not_started"


def overview(year: int, sites: QuerySet[Site]) -> list[OverviewRow]:
    """Every site of `sites` active in the year with its return (or none yet).

    Three queries whatever the number of sites: sites, returns with their open questions,
    the year's deadline. `sites` must come from mim.accounts.selectors (visibility)."""
    site_list = by_name(sites.filter(active_in(year)).select_related("organisation"))
    returns = {r.site_id: r for r in AnnualReturn.objects
               .filter(year=year, site__in=[s.pk for s in site_list])
               .annotate(open_questions=Count("messages", filter=Q(messages__is_open=True)))}
    year_deadline = deadline_for(year)
    rows = []
    for site in site_list:
        annual_return = returns.get(site.pk)
        deadline = (annual_return.deadline if annual_return and annual_return.deadline
                    else year_deadline)
        rows.append(OverviewRow(site, year, annual_return, deadline,
                                annual_return.open_questions if annual_return else 0))
    return rows


def waiting_for(rows: list[OverviewRow]) -> tuple[list[OverviewRow], list[OverviewRow]]:
    """The overview split in the sites the year's report waits for, and the settled ones
    (approved or not delivered): the report is final when the first list is empty."""
    settled = [r for r in rows if r.status in (Status.APPROVED, Status.NOT_DELIVERED)]
    return [r for r in rows if r not in settled], settled


def status_counts(rows: list[OverviewRow]) -> dict[str, int]:
    counts = dict.fromkeys([NOT_STARTED, *Status.values], 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def coordinator_rows(sites: QuerySet[Site]) -> list[OverviewRow]:
    """The returns of a coordinator's sites over the return years (newest first)."""
    years = return_years()
    site_list = by_name(sites)
    returns = {(r.site_id, r.year): r for r in AnnualReturn.objects
               .filter(site__in=[s.pk for s in site_list], year__in=years)
               .annotate(open_questions=Count("messages", filter=Q(messages__is_open=True)))}
    deadlines = dict(ReturnYear.objects.values_list("year", "deadline"))
    rows = []
    for year in years:
        for site in site_list:
            if not site.active_in(year):
                continue
            annual_return = returns.get((site.pk, year))
            deadline = (annual_return.deadline if annual_return and annual_return.deadline
                        else deadlines.get(year))
            rows.append(OverviewRow(site, year, annual_return, deadline,
                                    annual_return.open_questions if annual_return else 0))
    return rows


def thread(annual_return: AnnualReturn):
    return annual_return.messages.select_related("author").order_by("created_at", "id")


def events(annual_return: AnnualReturn):
    return annual_return.events.select_related("user").order_by("at", "id")


def explanations(annual_return: AnnualReturn) -> dict[str, str]:
    return dict(annual_return.explanations.values_list("key", "text"))

"""Demo returns, relative to the demo's day (`mim.demo.generator.DemoCalendar`): the four
years before the previous one approved for most sites (figures frozen from the engine), the
previous year under review in every state (approved, submitted, one queried, drafts, not
started), the current year open (its deadline set, no return yet), and a site without
records here that delivers aggregate figures.

Deterministic for a seed and a day: every choice comes from random.Random(seed), and the
previous year's steps fall between the first of January and the demo's day, in order.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from mim.accounts.models import Role, User
from mim.codebook import codebooks
from mim.demo import data
from mim.figures import engine, standard
from mim.figures.tidy import Figure
from mim.organisations.models import (
    Coordinator,
    CoordinatorAssignment,
    OrganisationYear,
    Site,
    SiteYear,
    active_in,
)
from mim.organisations.services import site_create
from mim.returns import checks
from mim.returns.models import (
    AnnualReturn,
    EventKind,
    MessageKind,
    ReturnEvent,
    ReturnExplanation,
    ReturnFigure,
    ReturnMessage,
    ReturnYear,
    Source,
    Status,
)
from mim.returns.selectors import (
    facts_snapshot,
    previous_balances,
    record_balances,
    site_history,
)

# The demo coordinators' sites have every earlier year approved, so the jump check has history.
ALWAYS_APPROVED = {"den-haag-escamp", "den-haag-laak", "dordrecht", "lelystad"}
CURRENT_STATUS = {"den-haag-escamp": Status.DRAFT, "den-haag-laak": Status.QUERIED,
                  "dordrecht": Status.SUBMITTED, "lelystad": Status.APPROVED}
AGGREGATE_SITE = ("almere-haven", "Almere (Haven)", "flevo", "Almere", "GM0034", 2016)
BATCH = 2000


def _at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def build_returns(rng_seed: int, cal) -> int:
    """Create the demo returns (after the sites, users and records). Returns their number."""
    rng = random.Random(rng_seed)
    years, current = cal.return_years, cal.previous
    for year in (*years, cal.today.year):
        ReturnYear.objects.create(year=year, deadline=dt.date(year + 1, 3, 1))
    office = User.objects.filter(role_assignments__role=Role.PROGRAMME_OFFICE).first()
    aggregate_site = _aggregate_site(rng, years)
    clock = _Clock(cal.today, current)
    figures: list[ReturnFigure] = []
    made = 0
    carried: dict | None = None
    for year in years:
        by_site: dict[str, list[Figure]] = defaultdict(list)
        for f in engine.site_figures(year):
            by_site[f.scope_code].append(f)
        for site in Site.objects.filter(active_in(year), keeps_records=True).order_by("code"):
            status = _status(rng, site, year, current)
            if status is None:
                continue
            _make(rng, clock, site, year, status, by_site[site.code],
                  record_balances(site, year), Source.RECORDS, office, figures)
            made += 1
        agg_figures, carried = _aggregate_figures(rng, aggregate_site, year, carried)
        status = Status.SUBMITTED if year == current else Status.APPROVED
        _make(rng, clock, aggregate_site, year, status, agg_figures[0], agg_figures[1],
              Source.AGGREGATE, office, figures)
        made += 1
        # Written per year: the next year's checks read this year's approved figures.
        ReturnFigure.objects.bulk_create(figures, batch_size=BATCH)
        figures = []
    return made


def reset_returns() -> None:
    """Remove the demo returns (the sites they protect are removed after them)."""
    AnnualReturn.objects.all().delete()
    ReturnYear.objects.all().delete()


class _Clock:
    """When a return's steps happened: in the spring after its year for the earlier years;
    for the year under review between the first of January and the demo's day (in order,
    never in the future), whatever the day."""

    def __init__(self, today: dt.date, current: int):
        self.current = current
        self.start = _at(today.year, 1, 1, 0)
        # the steps below add up to two seconds: keep the last one before the day starts
        self.span = max(0.0, (_at(today.year, today.month, today.day, 0)
                              - self.start).total_seconds() - 3)

    def steps(self, rng, year: int) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
        if year != self.current:
            return (_at(year + 1, 1, rng.randint(5, 25)), _at(year + 1, 2, rng.randint(1, 26)),
                    _at(year + 1, 3, rng.randint(2, 27)))
        fractions = sorted(rng.random() for _ in range(3))
        # a whole second apart at least, so that the steps keep their order on 1 January
        return tuple(self.start + dt.timedelta(seconds=int(f * self.span) + n)
                     for n, f in enumerate(fractions))


def _status(rng, site: Site, year: int, current: int) -> str | None:
    if year < current:
        if site.code in ALWAYS_APPROVED or rng.random() < .9:
            return Status.APPROVED
        return None  # a year the site never delivered: its figures stay provisional
    if site.code in CURRENT_STATUS:
        return CURRENT_STATUS[site.code]
    roll = rng.random()
    return (Status.APPROVED if roll < .2 else Status.SUBMITTED if roll < .5
            else Status.DRAFT if roll < .75 else None)


def _coordinator(site: Site):
    return User.objects.filter(role_assignments__site=site,
                               role_assignments__role=Role.COORDINATOR).first()


def _make(rng, clock, site, year, status, site_figures, balances, source, office,
          out) -> None:
    coordinator = _coordinator(site)
    started, submitted, approved = clock.steps(rng, year)
    frozen = status != Status.DRAFT or source == Source.AGGREGATE
    annual_return = AnnualReturn.objects.create(
        site=site, year=year, status=status, source=source,
        codebook_version=codebooks.for_year(year).version if frozen else "",
        submitted_at=submitted if status != Status.DRAFT else None,
        submitted_by=coordinator if status != Status.DRAFT else None,
        approved_at=approved if status == Status.APPROVED else None,
        approved_by=office if status == Status.APPROVED else None,
        facts_snapshot=(facts_snapshot(site, year) or {}) if status != Status.DRAFT else {},
        balances=balances if frozen else {},
        version={Status.DRAFT: 1, Status.SUBMITTED: 2, Status.QUERIED: 3,
                 Status.APPROVED: 3}[status])
    if frozen:
        out += [ReturnFigure(annual_return=annual_return, variable=f.variable,
                             category=f.category, count=f.count, base=f.base)
                for f in site_figures]
    if status != Status.DRAFT:
        _explain(annual_return, site_figures, balances)
    steps = [(EventKind.STARTED, "", Status.DRAFT, coordinator, started)]
    if status != Status.DRAFT:
        steps.append((EventKind.SUBMITTED, Status.DRAFT, Status.SUBMITTED, coordinator,
                      submitted))
    if status == Status.APPROVED:
        steps.append((EventKind.APPROVED, Status.SUBMITTED, Status.APPROVED, office, approved))
    if status == Status.QUERIED:
        asked = approved  # the step after submission, before the demo's day
        steps.append((EventKind.QUERIED, Status.SUBMITTED, Status.QUERIED, office, asked))
        ReturnMessage.objects.create(
            annual_return=annual_return, kind=MessageKind.QUESTION, author=office,
            created_at=asked, is_open=True,
            text="Het aantal gestopte vrijwilligers is flink hoger dan vorig jaar. Klopt dat, "
                 "en is er een reden voor?")
    ReturnEvent.objects.bulk_create(
        ReturnEvent(annual_return=annual_return, kind=kind, from_status=before, to_status=after,
                    user=user, at=at) for kind, before, after, user, at in steps)


def _explain(annual_return, site_figures, balances) -> None:
    """Explanations for the warnings a submitted return had, as the site would give them."""
    site, year = annual_return.site, annual_return.year
    findings = checks.run_checks(year=year, figures=site_figures, balances=balances,
                                 history=site_history(site, year),
                                 previous_balances=previous_balances(site, year),
                                 facts=annual_return.facts_snapshot)
    ReturnExplanation.objects.bulk_create(
        ReturnExplanation(annual_return=annual_return, key=f.key, message=f.message,
                          text=_EXPLANATIONS.get(f.key.split(":")[0], _EXPLANATIONS["jump"]))
        for f in findings if not f.is_error)


_EXPLANATIONS = {
    "jump": "Klopt: de instroom veranderde door nieuwe verwijzers in de wijk.",
    "carry_over": "Na de goedkeuring van vorig jaar zijn nog wijzigingen met terugwerkende "
                  "kracht verwerkt.",
}


# --- the site that keeps no records here ---------------------------------------------------


def _aggregate_site(rng, years) -> Site:
    code, name, org, municipality, cbs, first = AGGREGATE_SITE
    site = site_create(code=code, name=name, organisation=data.ORGANISATIONS[org],
                       municipality=municipality, cbs_code=cbs, first_year=first,
                       keeps_records=False)
    for year in years:
        SiteYear.objects.create(
            site=site, year=year, target_group="Moeders met een eerste kind in Almere Haven.",
            financing=["municipal_subsidy"], variant=["regular"],
            group_activities=["meeting_groups"])
        OrganisationYear.objects.get_or_create(
            organisation=site.organisation, year=year,
            defaults={"reimbursement": ["travel_costs"], "volunteer_agreement": "yes",
                      "vog_required": "yes"})
        person, _created = Coordinator.objects.get_or_create(
            organisation=site.organisation, ref=f"{site.code}-1",
            defaults={"experience": ["psychosocial_care"], "training": ["social_pedagogy"]})
        CoordinatorAssignment.objects.create(coordinator=person, site=site, year=year,
                                             hours_per_week=Decimal(rng.randint(12, 18)))
    return site


# Weights for the single-answer items that the demo data spells out; others are even.
_WEIGHTS = {
    "mothers.origin": data.MOTHER_ORIGIN, "mothers.education": data.MOTHER_EDUCATION,
    "mothers.household": data.HOUSEHOLD, "mothers.income_source": data.INCOME,
    "mothers.child_order": data.CHILD_ORDER, "mothers.pregnant_at_start": data.PREGNANT,
    "mothers_ended.end_reason": {"completed": 40, **data.MOTHER_END},
    "volunteers.origin": data.VOLUNTEER_ORIGIN, "volunteers.education": data.VOLUNTEER_EDUCATION,
    "volunteers.former_mim_mother": {"yes": 25, "no": 75},
    "volunteers_stopped.end_reason": data.VOLUNTEER_END,
}
_SHARES = {"mothers.mother_circumstances": data.MOTHER_CIRCUMSTANCES,
           "mothers.baby_circumstances": data.BABY_CIRCUMSTANCES,
           "volunteers.work_experience": data.WORK_EXPERIENCE}


def _aggregate_figures(rng, site: Site, year: int, previous: dict | None):
    """Consistent made-up figures of one site-year (they pass every check), and balances."""
    totals = {"mothers": rng.randint(24, 32), "volunteers": rng.randint(16, 22)}
    totals["mothers_ended"] = rng.randint(8, 12)
    totals["volunteers_stopped"] = rng.randint(3, 6)
    figures, counts = [], {}
    for name, spec in standard.variables(year).items():
        n = totals[spec.population]
        if spec.is_total:
            values, base = {"all": n}, n
        elif spec.item == "migrant_background":
            origin = counts[f"{spec.population}.origin"]
            base = n - origin.get("unknown", 0)
            values = {"yes": base - origin["dutch"], "no": origin["dutch"]}
        elif spec.multi:
            shares = _SHARES[name]
            values = {c: sum(rng.random() < shares.get(c, .05) for _ in range(n))
                      for c in spec.categories}
            base = n
        else:
            weights = _WEIGHTS.get(name, {})
            drawn = rng.choices(spec.categories,
                                weights=[weights.get(c, 1 if not weights else 0)
                                         for c in spec.categories], k=n)
            values, base = {c: drawn.count(c) for c in spec.categories}, n
        counts[name] = values
        figures += [Figure.of(year=year, scope="site", scope_code=site.code, variable=name,
                              category=c, count=v, base=base) for c, v in values.items()]
    balances = {}
    for population, leavers in standard.LEAVERS.items():
        n = totals[population]
        carried = (previous or {}).get(population, {}).get("end_of_year")
        start = carried if carried is not None and carried <= n else rng.randint(n // 3, n // 2)
        balances[population] = {"start_of_year": start, "new": n - start,
                                "end_of_year": n - totals[leavers]}
    return (figures, balances), balances

"""Tidy figures of coordinators and site facts (data standard version 2, `coordinators.*`,
`facts.*`, `ratios.volunteers_per_coordinator`).

A coordinator is a person of an organisation who works at one or more sites, with hours at
each (organisations.CoordinatorAssignment). She is counted once in every scope she works in,
however many of its sites she works at, and her hours are her sum over the scope's sites. Facts
are the sites' own (financing, variant, group activities: counted per site) and the
organisations' policies (reimbursement, volunteer agreement, VOG: counted per organisation,
`standard.FACT_UNITS`). A unit of which nothing is known counts as `unknown`, so that the
categories of a yes/no fact add up to the base and "not known" is never read as "no".

`YearUnits.read` runs three queries for a year (assignments, site facts, organisation
policies), whatever the number of sites and coordinators; every scope is shaped from those
rows in Python. These are counts of sites and of a few dozen professionals, not of persons
under protection (standard.UNPROTECTED_POPULATIONS): they are published through the same step
as every other figure, never hidden by suppression.

The live rows are counted, also for a site with an approved return: a coordinator working at
three sites is one person across three returns, which no single return's frozen facts can say.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from mim.codebook import codebooks
from mim.figures import standard
from mim.figures.tidy import Figure
from mim.organisations.models import CoordinatorAssignment, OrganisationYear, SiteYear


@dataclass(frozen=True)
class Assignment:
    coordinator: int
    site: int
    hours: Decimal
    experience: tuple[str, ...]
    training: tuple[str, ...]


@dataclass
class YearUnits:
    year: int
    assignments: list[Assignment]
    site_facts: dict[int, dict]  # site pk -> {fact: codes}
    policies: dict[int, dict]  # organisation pk -> {fact: codes or a yes/no code}
    _index_cache: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def read(cls, year: int) -> YearUnits:
        assignments = [Assignment(row["coordinator_id"], row["site_id"], row["hours_per_week"],
                                  tuple(row["coordinator__experience"] or ()),
                                  tuple(row["coordinator__training"] or ()))
                       for row in CoordinatorAssignment.objects.filter(year=year).values(
                           "coordinator_id", "site_id", "hours_per_week",
                           "coordinator__experience", "coordinator__training").order_by()]
        site_facts = {row.pop("site_id"): row for row in SiteYear.objects.filter(year=year)
                      .values("site_id", *standard.SITE_FACTS).order_by()}
        policies = {row.pop("organisation_id"): row for row in OrganisationYear.objects
                    .filter(year=year).values("organisation_id", *standard.ORGANISATION_FACTS)
                    .order_by()}
        return cls(year, assignments, site_facts, policies)

    def digest_rows(self) -> list:
        """What the figures here depend on, in a stable order (the publication's digest)."""
        return sorted([["a", a.coordinator, a.site, str(a.hours), list(a.experience),
                        list(a.training)] for a in self.assignments]
                      + [["s", pk, sorted((k, str(v)) for k, v in facts.items())]
                         for pk, facts in self.site_facts.items()]
                      + [["o", pk, sorted((k, str(v)) for k, v in facts.items())]
                         for pk, facts in self.policies.items()], key=str)

    def _indexes(self) -> tuple[dict[int, list[int]], set[int]]:
        """Positions of the assignments per site, and the coordinators who work solo: the
        only coordinator at every site she works at (any site, in any scope). Worked out once
        per year, not per scope."""
        if self._index_cache is None:
            by_site: dict[int, list[int]] = {}
            at_site: dict[int, set[int]] = {}
            for i, a in enumerate(self.assignments):
                by_site.setdefault(a.site, []).append(i)
                at_site.setdefault(a.site, set()).add(a.coordinator)
            shared = {a.coordinator for a in self.assignments if len(at_site[a.site]) > 1}
            solo = {a.coordinator for a in self.assignments} - shared
            self._index_cache = (by_site, solo)
        return self._index_cache

    def figures(self, scope: str, code: str, members: Iterable, delivered: set[str]
                ) -> list[Figure]:
        """The coordinators and facts rows of one scope: `members` its sites (active in the
        year), `delivered` the codes of the sites that delivered."""
        members = list(members)
        site_ids = {s.pk for s in members}
        delivered_ids = {s.pk for s in members if s.code in delivered}
        delivered_organisations = {s.organisation_id for s in members if s.code in delivered}
        book = codebooks.for_year(self.year)
        out: list[Figure] = []

        def row(variable, category, count, base):
            out.append(Figure.of(year=self.year, scope=scope, scope_code=code,
                                 variable=variable, category=category, count=count, base=base))

        by_site, solo_anywhere = self._indexes()
        # The scope's assignments in the order of self.assignments, found through its sites
        # (scanning every assignment for each of some 3,000 scopes grew with sites squared).
        here = [self.assignments[i] for i in sorted(i for pk in site_ids
                                                      for i in by_site.get(pk, ()))]
        working = {a.coordinator for a in here}
        counted = {a.coordinator for a in here if a.site in delivered_ids}
        row("coordinators.total", "all", len(working), len(working))
        n = len(counted)
        row("coordinators.delivered", "all", n, n)
        solo = counted & solo_anywhere
        row("coordinators.works_solo", "yes", len(solo), n)
        row("coordinators.works_solo", "no", n - len(solo), n)
        person = {a.coordinator: a for a in here}
        for variable, item, attribute in standard.COORDINATOR_LISTS:
            lists = [getattr(person[c], attribute) for c in counted]
            for category in book.codes(item):
                row(variable, category, sum(1 for codes in lists if category in codes), n)
            row(variable, standard.UNKNOWN, sum(1 for codes in lists if not codes), n)
        hours: dict[int, Decimal] = {}
        for a in here:
            if a.coordinator in counted:
                hours[a.coordinator] = hours.get(a.coordinator, Decimal(0)) + a.hours
        for category, pick in (("min", min), ("max", max), ("median", statistics.median)):
            value = _plain(pick(hours.values())) if hours else None
            out.append(Figure.statistic(year=self.year, scope=scope, scope_code=code,
                                        variable=standard.COORDINATOR_HOURS, category=category,
                                        value=value, base=n))
        for fact in standard.FACTS:
            if standard.FACT_UNITS[fact] == "organisation":
                units, known = delivered_organisations, self.policies
            else:
                units, known = delivered_ids, self.site_facts
            variable = f"facts.{fact}"
            base = len(units)
            for category in standard.fact_categories(book, fact):
                if category == standard.UNKNOWN:
                    # no facts at all, a yes/no `unknown`, or a list left "niet bekend" (None)
                    count = sum(1 for u in units if u not in known
                                or known[u].get(fact) in (standard.UNKNOWN, None))
                elif fact in standard.YES_NO_FACTS:
                    count = sum(1 for u in units if u in known and known[u][fact] == category)
                else:
                    count = sum(1 for u in units if u in known
                                and category in (known[u][fact] or ()))
                row(variable, category, count, base)
        return out


def ratio(year: int, scope: str, code: str, volunteers: Figure | None,
          coordinators: Figure | None) -> Figure:
    """Volunteers per coordinator over the sites that delivered (both counts are of those
    sites); hidden when the volunteers' total is."""
    hidden = volunteers is None or volunteers.suppressed or volunteers.count is None
    n = coordinators.count if coordinators is not None else 0
    value = None if hidden or not n else (Decimal(volunteers.count) / n).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    f = Figure.statistic(year=year, scope=scope, scope_code=code,
                         variable=standard.VOLUNTEERS_PER_COORDINATOR, category="all",
                         value=value, base=n)
    return f.hidden() if hidden else f


def _plain(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

"""The unsuppressed figures of a year, as the publication is built from them.

Where a site's figures come from (spec/cli.md): the frozen figures of its approved annual return
for the year where there is one (mim.returns.selectors.approved_site_figures), and otherwise its
live records, marked provisional; `approved_only=True` leaves the provisional ones out. Per year:

- a site is *expected* (`sites.active`) when it is active in the year (Site.first_year/last_year),
  or has an approved return for it (the return shows that it ran);
- a site has *delivered* (`sites.delivered`) when it has an approved return, or when it keeps its
  records in the system and at least one mother or volunteer of those records counts in the year
  (provisional). A site that registers elsewhere and has no approved return, and a site with no
  records for the year, deliver nothing: neither is added as zeros to an aggregate;
- organisation, municipality and national figures are sums of the delivered sites' figures.
- a site the programme office marked *not delivered* for the year (`sites.not_delivered`) is
  expected and delivers nothing, whatever its live records; its status says so, with the
  office's reason, and a return submitted but not approved is named `submitted` rather than
  `missing` when it has no live figures to show meanwhile.

Nothing here leaves the coordinator role: `mim.publication.selectors` is the only road out.
"""

import functools
from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import Q

from mim.codebook import codebooks
from mim.figures import coordination, engine
from mim.figures.selectors import (
    NATIONAL_CODE,
    NATIONAL_LABEL,
    Completeness,
    FigureSet,
    SiteRow,
    UnknownScope,
)
from mim.figures.tidy import SCOPES, Figure
from mim.organisations.models import Municipality, Organisation, Site, active_in
from mim.publication import kept
from mim.returns.selectors import approved_site_figures, unapproved_statuses

if TYPE_CHECKING:
    from mim.results.engine import YearResults


class YearFigures:
    """Everything about one year's figures, read with a fixed number of queries (ten)."""

    def __init__(self, year: int, *, approved_only: bool = False):
        self.year = year
        self.book = codebooks.for_year(year)  # UnknownYear for a year without a codebook
        approved = approved_site_figures(year)
        self.sites = list(Site.objects.filter(active_in(year) | Q(code__in=list(approved)))
                          .select_related("organisation", "municipality").order_by("code"))
        # Sites the office marked as delivering nothing (code -> reason), and returns
        # submitted but not approved yet: both are named as such, not as "no data".
        others = unapproved_statuses(year)
        self.not_delivered = {code: reason for code, (status, reason) in others.items()
                              if status == "not_delivered"}
        self.submitted = frozenset(code for code, (status, _reason) in others.items()
                                   if status in ("submitted", "queried"))
        # A site marked not delivered adds nothing, whatever records it holds.
        live = [] if approved_only else [s for s in self.sites
                                         if s.keeps_records and s.code not in approved
                                         and s.code not in self.not_delivered]
        by_site: dict[str, list[Figure]] = {}
        # Kept per site: only sites whose records changed are counted again (kept.py).
        for f in kept.site_figures(year, live):
            by_site.setdefault(f.scope_code, []).append(f)
        # A site without any record counting in the year has not delivered: no zeros added.
        self.provisional = frozenset(
            code for code, figures in by_site.items()
            if any(f.item == "total" and f.population in ("mothers", "volunteers") and f.count
                   for f in figures))
        self.approved = frozenset(approved)
        self.site_figures = {code: engine.complete(year, "site", code, figures)
                             for code, figures in approved.items()}
        self.site_figures.update({code: by_site[code] for code in self.provisional})
        # Coordinators and facts: not figures of a site's return but of the year's people
        # and policies (mim.figures.coordination).
        self.units = coordination.YearUnits.read(year)

    def unit_figures(self, scope: str, code: str, members: list[Site],
                     figures: list[Figure]) -> list[Figure]:
        """The coordinators and facts rows of a scope, with volunteers per coordinator from
        the scope's `figures` (published or not: the ratio is hidden where the total is)."""
        rows = self.units.figures(scope, code, members, self.delivered)
        index = {(f.variable, f.category): f for f in [*figures, *rows]}
        rows.append(coordination.ratio(self.year, scope, code,
                                       index.get(("volunteers.total", "all")),
                                       index.get(("coordinators.delivered", "all"))))
        return rows

    @functools.cached_property
    def delivered(self) -> frozenset[str]:
        """The codes of the sites that delivered (made once, not per scope)."""
        return frozenset(self.site_figures)

    @functools.cached_property
    def _kept_results(self):
        # Imported here: the results engine brings numpy, which a read of a stored publication
        # does not need.
        from mim.publication import kept_results

        return kept_results.site_results(self.year, [
            s for s in self.sites if s.code in self.site_figures and s.keeps_records])

    @property
    def results(self) -> "YearResults":
        """The year's results inputs (mim.results) over the delivered sites that keep their
        records here, for the digest and for the publication's results rows: kept per site
        (mim.publication.kept_results), so after a change at one site only that site is read
        again."""
        return self._kept_results.results

    @property
    def measures(self) -> list:
        """Every ended mother's self-assessment at the same sites
        (mim.results.assessment.site_measures), kept per site likewise."""
        return self._kept_results.measures

    @property
    def measures_digest(self) -> str:
        return self._kept_results.measures_digest()

    # scopes

    def members(self, scope: str, code: str) -> list[Site]:
        if scope == "national":
            if code != NATIONAL_CODE:
                raise UnknownScope(code)
            return self.sites
        attribute = {"site": lambda s: s.code, "organisation": lambda s: s.organisation.name,
                     "municipality": lambda s: s.municipality.name}[scope]
        return [s for s in self.sites if attribute(s) == code]

    def label(self, scope: str, code: str, members: list[Site]) -> str:
        if scope == "national":
            return str(NATIONAL_LABEL)
        if members:
            return members[0].name if scope == "site" else code
        return self.label_of(scope, code)

    @staticmethod
    def label_of(scope: str, code: str) -> str:
        """The label of a scope without active sites; UnknownScope when there is no such."""
        if scope == "national":
            if code != NATIONAL_CODE:
                raise UnknownScope(code)
            return str(NATIONAL_LABEL)
        model, lookup = {"site": (Site, "code"), "organisation": (Organisation, "name"),
                         "municipality": (Municipality, "name")}[scope]
        found = model.objects.filter(**{lookup: code}).first()  # only for inactive scopes
        if found is None:
            raise UnknownScope(f"{scope}:{code}")
        return found.name

    def status(self, code: str) -> str:
        """approved, not_delivered, provisional (live records count), submitted (no live
        figures, return awaiting approval) or missing."""
        if code in self.approved:
            return "approved"
        if code in self.not_delivered:
            return "not_delivered"
        if code in self.provisional:
            return "provisional"
        return "submitted" if code in self.submitted else "missing"

    def figure_set(self, scope: str, code: str, *, members: list[Site] | None = None,
                   with_figures: bool = True) -> FigureSet:
        """`members`: the scope's sites when the caller has them at hand (finding them scans
        every site); `with_figures=False`: everything but the figures (empty), for a caller
        that has them already (storing a publication: adding up every aggregate again cost
        as much as building it)."""
        if scope not in SCOPES:
            raise UnknownScope(scope)
        if members is None:
            members = self.members(scope, code)
        label = self.label(scope, code, members)
        delivered = [s.code for s in members if s.code in self.site_figures]
        completeness = Completeness(expected=len(members), delivered=len(delivered),
                                    approved=sum(1 for c in delivered if c in self.approved),
                                    not_delivered=sum(1 for s in members
                                                      if s.code in self.not_delivered))
        if not with_figures:
            figures = []
        elif scope == "site":
            # Every category appears, 0 where nobody has it: also for a site that had nothing
            # to count this year (it did not deliver; completeness says so).
            figures = self.site_figures.get(code) or engine.complete(self.year, "site", code, [])
        else:
            figures = self._aggregate(scope, code, members)
        if with_figures:
            figures = [*figures, *self.unit_figures(scope, code, members, figures)]
        if any(c in self.provisional for c in delivered):
            figures = [replace(f, provisional=True) for f in figures]
        return FigureSet(
            year=self.year, scope=scope, code=code, label=label, figures=tuple(figures),
            provisional=frozenset(c for c in delivered if c in self.provisional),
            completeness=completeness, codebook_version=self.book.version,
            sites=tuple(SiteRow(s.code, s.name, self.status(s.code)) for s in members)
            if scope != "site" else ())

    def _aggregate(self, scope: str, code: str, members: list[Site]) -> list[Figure]:
        parts = [self.site_figures[s.code] for s in members if s.code in self.site_figures]
        delivered = len(parts)
        return [*engine.site_counts(self.year, scope, code, active=len(members),
                                    delivered=delivered,
                                    not_delivered=sum(1 for s in members
                                                      if s.code in self.not_delivered)),
                *engine.add_up(self.year, scope, code, parts)]

    def scope_keys(self) -> dict[tuple[str, str], list[Site]]:
        keys = {("national", NATIONAL_CODE): self.sites}
        for site in self.sites:
            keys.setdefault(("organisation", site.organisation.name), []).append(site)
            keys.setdefault(("municipality", site.municipality.name), []).append(site)
        return keys


def _key(f: Figure) -> tuple:
    return (f.year, f.scope, f.scope_code, f.variable, f.category)


def year_figures(year: int, *, approved_only: bool = False, cache: dict | None = None
                 ) -> YearFigures:
    """A year's figures; `cache` (a dict the caller keeps for one request) avoids reading them
    twice when a page shows several scopes of the same year."""
    if cache is None:
        return YearFigures(year, approved_only=approved_only)
    key = (year, approved_only)
    if key not in cache:
        cache[key] = YearFigures(year, approved_only=approved_only)
    return cache[key]


def figures_for(year: int, scope: str, code: str, *, approved_only: bool = False,
                cache: dict | None = None) -> FigureSet:
    """The unsuppressed figures of one scope ("national" has code "NL").

    Raises UnknownScope for a site, organisation or municipality that does not exist and
    codebooks.UnknownYear for a year without a codebook. Never hand the result to someone
    outside the coordinator role: use `published_figures`.
    """
    return year_figures(year, approved_only=approved_only, cache=cache).figure_set(scope, code)

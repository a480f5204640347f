"""Reading figures: which figures a scope has in a year, and which of them may be published.

Two functions matter to callers:

- `figures_for(year, scope, code)`: the figures of one scope, unsuppressed, for code that runs
  inside the system (returns, reports while they are built, the operator's command).
- `published_figures(user, year, scope, code)`: THE one place where figures leave the
  coordinator role. It checks visibility (mim.accounts.selectors.may_see_scope; 404 outside the
  user's scopes) and applies small-cell suppression unless the scope is the coordinator's own
  site. Dashboards, exports, reports and the API call this and nothing else.

Where a site's figures come from (spec/cli.md): the frozen figures of its approved annual return
for the year where there is one (mim.returns.selectors.approved_site_figures), and otherwise its
live records, marked provisional; `approved_only=True` leaves the provisional ones out. Per year:

- a site is *expected* (`sites.active`) when it is active in the year (Site.first_year/last_year),
  or has an approved return for it (the return shows that it ran);
- a site has *delivered* (`sites.delivered`) when it has an approved return, or when it keeps its
  records in the system and at least one mother or volunteer of those records counts in the year
  (provisional). A site that registers elsewhere (keeps_records=False) and has no approved
  return delivers nothing, and a site with no records for the year delivers nothing either:
  neither is added as zeros to an aggregate;
- organisation, municipality and national figures are sums of the delivered sites' figures.

Suppression is done jointly for the whole year: every delivered site, every organisation, every
municipality and the nation in one `suppress` call, with `children_of` tying each aggregate to its
sites. Each scope is then shown in that one published form, whoever asks for it, so no two views
(a funder's municipality beside the office's site table) can be subtracted from each other.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mim.accounts.selectors import FigureScope, figure_scopes
from mim.codebook import codebooks
from mim.figures import engine
from mim.figures.suppression import suppress
from mim.figures.tidy import SCOPES, Figure
from mim.organisations.models import Municipality, Organisation, Site, active_in
from mim.returns.selectors import approved_site_figures

NATIONAL_CODE = "NL"
NATIONAL_LABEL = _("Nederland")


class UnknownScope(LookupError):
    """A scope that does not exist (no such site, organisation or municipality)."""


@dataclass(frozen=True)
class Completeness:
    expected: int  # sites active in the year
    delivered: int  # approved plus provisional
    approved: int

    @property
    def provisional(self) -> int:
        return self.delivered - self.approved

    @property
    def complete(self) -> bool:
        return self.delivered == self.expected


@dataclass(frozen=True)
class SiteRow:
    """One site inside an aggregate scope, as the dashboard's site table shows it."""

    code: str
    name: str
    status: str  # "approved", "provisional" or "missing"
    mothers: Figure | None = None
    volunteers: Figure | None = None


@dataclass(frozen=True)
class FigureSet:
    year: int
    scope: str
    code: str
    label: str
    figures: tuple[Figure, ...]
    provisional: frozenset[str]  # codes of the sites counted from live records
    completeness: Completeness
    codebook_version: str
    suppressed: bool = False  # True once it has passed suppression
    sites: tuple[SiteRow, ...] = ()  # only the sites the reader may see, in published form
    _index: dict = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_index", {(f.variable, f.category): f for f in self.figures})

    def get(self, variable: str, category: str = "all") -> Figure | None:
        return self._index.get((variable, category))

    def variable(self, variable: str) -> list[Figure]:
        return [f for f in self.figures if f.variable == variable]

    @property
    def has_data(self) -> bool:
        return bool(self.figures) and self.completeness.delivered > 0


# --- the figures of a year ----------------------------------------------------------------------


class YearFigures:
    """Everything about one year's figures, read with a fixed number of queries (six)."""

    def __init__(self, year: int, *, approved_only: bool = False):
        self.year = year
        self.book = codebooks.for_year(year)  # UnknownYear for a year without a codebook
        approved = approved_site_figures(year)
        self.sites = list(Site.objects.filter(active_in(year) | Q(code__in=list(approved)))
                          .select_related("organisation", "municipality").order_by("code"))
        live = [] if approved_only else [s for s in self.sites
                                         if s.keeps_records and s.code not in approved]
        by_site: dict[str, list[Figure]] = {}
        for f in engine.site_figures(year, live):
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
        model, lookup = {"site": (Site, "code"), "organisation": (Organisation, "name"),
                         "municipality": (Municipality, "name")}[scope]
        found = model.objects.filter(**{lookup: code}).first()  # only for inactive scopes
        if found is None:
            raise UnknownScope(f"{scope}:{code}")
        return found.name

    def status(self, code: str) -> str:
        if code in self.approved:
            return "approved"
        return "provisional" if code in self.provisional else "missing"

    def figure_set(self, scope: str, code: str) -> FigureSet:
        if scope not in SCOPES:
            raise UnknownScope(scope)
        members = self.members(scope, code)
        label = self.label(scope, code, members)
        delivered = [s.code for s in members if s.code in self.site_figures]
        completeness = Completeness(expected=len(members), delivered=len(delivered),
                                    approved=sum(1 for c in delivered if c in self.approved))
        if scope == "site":
            # Every category appears, 0 where nobody has it: also for a site that had nothing
            # to count this year (it did not deliver; completeness says so).
            figures = self.site_figures.get(code) or engine.complete(self.year, "site", code, [])
        else:
            figures = self._aggregate(scope, code, members)
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
                                    delivered=delivered),
                *engine.add_up(self.year, scope, code, parts)]

    # publication

    def scope_keys(self) -> dict[tuple[str, str], list[Site]]:
        keys = {("national", NATIONAL_CODE): self.sites}
        for site in self.sites:
            keys.setdefault(("organisation", site.organisation.name), []).append(site)
            keys.setdefault(("municipality", site.municipality.name), []).append(site)
        return keys

    @cached_property
    def published(self) -> dict[tuple, Figure]:
        """Every figure of the year in published form, suppressed jointly (module docstring)."""
        figures: list[Figure] = []
        children_of = {}
        for (scope, code), members in self.scope_keys().items():
            figures += self._aggregate(scope, code, members)
            children_of[(scope, code)] = [("site", s.code) for s in members
                                          if s.code in self.site_figures]
        for code in sorted(self.site_figures):
            figures += self.site_figures[code]
        return {_key(f): f for f in suppress(figures, children_of=children_of)}

    def published_set(self, figure_set: FigureSet, visible: Iterable[tuple[str, str]] = ()
                      ) -> FigureSet:
        visible = set(visible)
        rows = []
        for row in figure_set.sites:
            if ("site", row.code) not in visible:
                continue
            mothers = self.published.get((self.year, "site", row.code, "mothers.total", "all"))
            volunteers = self.published.get((self.year, "site", row.code, "volunteers.total",
                                             "all"))
            rows.append(replace(row, mothers=mothers, volunteers=volunteers))
        published = self.published
        # A site that delivered nothing this year is in no aggregate: its zeros are
        # suppressed on their own (a population under 10 gets no breakdown).
        alone = [f for f in figure_set.figures if _key(f) not in published]
        if alone:
            published = {**published, **{_key(f): f for f in suppress(alone)}}
        return replace(figure_set, figures=tuple(published[_key(f)]
                                                 for f in figure_set.figures),
                       suppressed=True, sites=tuple(rows))


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


class ApprovedOnlyNotPublished(Exception):
    """Published figures of a year come in one form only, with the provisional sites.

    Figures without the provisional sites, published beside them, would give those sites'
    figures away by subtraction: each variant is suppressed on its own, so a cell hidden in
    both could be recovered as the difference of two published ones. The approved-only
    variant is for unsuppressed use (a coordinator's own site, the operator's commands)."""


def published_figures(user, year: int, scope: str, code: str, *, approved_only: bool = False,
                      cache: dict | None = None) -> FigureSet:
    """The figures of a scope as this user may see them; Http404 outside her figure scopes.

    A coordinator's own site comes unsuppressed (she holds the records anyway); everything else
    in the one jointly suppressed form of the year. The site table of an aggregate scope lists
    only the sites the user may see as scopes of their own.
    """
    scopes = figure_scopes(user)
    allowed = _find(scopes, scope, code)
    if allowed is None:
        raise Http404
    if approved_only and not allowed.unsuppressed:
        raise ApprovedOnlyNotPublished
    year_data = year_figures(year, approved_only=approved_only, cache=cache)
    try:
        figure_set = year_data.figure_set(scope, code)
    except UnknownScope:
        raise Http404 from None
    if allowed.unsuppressed:
        return figure_set
    return year_data.published_set(figure_set, visible=((s.scope, s.code) for s in scopes))


def published_site_figures(user, year: int, code: str, figures: Iterable[Figure]
                           ) -> list[Figure]:
    """Other figures of one site and year than the system's own (an annual return's, frozen
    at submission or still a draft) as this user may see them; Http404 outside her scopes.

    Outside the site's coordinator they pass the small-cell rule, and every cell the year's
    published figures hide for the site stays hidden: suppressed on their own, they would
    show cells that the joint suppression hides against subtraction from other scopes.
    `suppress` then protects those hidden cells within the figures themselves."""
    published = published_figures(user, year, "site", code)
    if not published.suppressed:
        return list(figures)
    hidden = {(f.variable, f.category) for f in published.figures if f.suppressed}
    return suppress([f.hidden() if (f.variable, f.category) in hidden else f for f in figures])


def server_figures(year: int, scope: str, code: str, *, unsuppressed: bool = False,
                   approved_only: bool = False) -> FigureSet:
    """The operator's command on the server (`mim figures`): there is no web user to check,
    and a shell user on the server can read the database anyway. By default the figures come
    out exactly as published; `unsuppressed` gives the internal ones."""
    year_data = YearFigures(year, approved_only=approved_only)
    figure_set = year_data.figure_set(scope, code)
    return figure_set if unsuppressed else year_data.published_set(figure_set)


def _find(scopes: list[FigureScope], scope: str, code: str) -> FigureScope | None:
    return next((s for s in scopes if s.scope == scope and s.code == code), None)


def default_scope(user) -> FigureScope | None:
    """Where the dashboard opens: a coordinator's own site, a viewer's organisation, a funder's
    municipality, and the national figures for the programme office."""
    scopes = figure_scopes(user)
    national_role = _has_national_role(user)
    for wanted in (lambda s: s.scope == "site" and s.unsuppressed,
                   lambda s: s.scope == "organisation" and not national_role,
                   lambda s: s.scope == "municipality" and not national_role,
                   lambda s: s.scope == "national"):
        found = next((s for s in scopes if wanted(s)), None)
        if found:
            return found
    return scopes[0] if scopes else None


def _has_national_role(user) -> bool:
    from mim.accounts.models import Role
    from mim.accounts.selectors import has_role

    return has_role(user, Role.PROGRAMME_OFFICE, Role.OPERATOR)

"""Reads for the reports: the published figures, the sites' facts and the editorial text.

Figures reach a report through a *figure source*, of which there are two, so that a report is
the same whoever builds it:

- `ServerFigures` for the operator's `mim report` on the server: figures exactly as
  `mim.publication.selectors.server_figures` publishes them (the stored publication, with one
  cache so each year is read once however many scopes the report reads); only a site's own
  benchmark report reads that site unsuppressed (`own_site`);
- `UserFigures` for a download in the web: `published_figures(user, ...)`, which checks the
  user's figure scopes (404 outside them) and suppresses everything but her own site.

Site-level statements in the national report (largest and smallest site, second-child mothers
per site) only ever read a site's figures in that same published form, so a report never says
more about a site than the dashboards do.

Nothing here reads a personal value or counts records: figures are aggregates read from the
publication (the countries of birth too: `mothers.countries_of_birth`), and facts describe
sites.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from mim.codebook import codebooks
from mim.figures import comparison, standard
from mim.figures.history import HistoryRow, history
from mim.figures.selectors import NATIONAL_CODE, FigureSet, SiteRow, UnknownScope
from mim.figures.tidy import Figure
from mim.organisations.models import Municipality, Site, SiteYear
from mim.organisations.names import sort_key
from mim.publication.inputs import year_figures
from mim.publication.selectors import (
    approved_only_scope,
    published_figures,
    read_all,
    read_scope,
)
from mim.reports.models import ChartDrawing, ReportText
from mim.returns.models import AnnualReturn, Status

# --- figure sources ---------------------------------------------------------------------------


class ServerFigures:
    """Published figures for the operator's command (no web user; suppressed as published)."""

    def __init__(self, *, approved_only: bool = False):
        self.approved_only = approved_only
        self._cache: dict = {}

    def _year(self, year: int):
        return year_figures(year, approved_only=self.approved_only, cache=self._cache)

    def _published(self, year: int, scope: str, code: str) -> FigureSet:
        if self.approved_only:
            return approved_only_scope(year, scope, code, cache=self._cache)
        return read_scope(year, scope, code, cache=self._cache)

    def national(self, year: int) -> FigureSet:
        # Exactly what server_figures(year, "national", "NL") returns: the stored publication.
        return self._published(year, "national", NATIONAL_CODE)

    def site(self, year: int, code: str) -> FigureSet | None:
        return self._published(year, "site", code)

    def municipality(self, year: int, name: str) -> FigureSet | None:
        return self._published(year, "municipality", name)

    def own_site(self, year: int, code: str) -> FigureSet:
        """A site's own figures, unsuppressed (the benchmark report the coordinator gets)."""
        return self._year(year).figure_set("site", code)

    def site_rows(self, year: int) -> tuple[SiteRow, ...]:
        # The published site table: sites on their own, merged groups, and statuses.
        return self.national(year).sites

    def read_all(self, year: int, scope: str, rows=None) -> None:
        """About to read every site (or municipality) of the year: one query for all (of each
        only `rows`, when given: mim.publication.selectors.read_all)."""
        if not self.approved_only:
            read_all(year, scope, self._cache, rows=rows)


class UserFigures:
    """Published figures as one web user may see them (mim.figures.selectors)."""

    def __init__(self, user, *, approved_only: bool = False):
        self.user = user
        self.approved_only = approved_only
        self._cache: dict = {}

    def _get(self, year: int, scope: str, code: str) -> FigureSet:
        return published_figures(self.user, year, scope, code, approved_only=self.approved_only,
                                 cache=self._cache)

    def national(self, year: int) -> FigureSet:
        return self._get(year, "national", NATIONAL_CODE)

    def site(self, year: int, code: str) -> FigureSet | None:
        try:
            return self._get(year, "site", code)
        except Http404:
            return None  # not one of her scopes: the report says nothing about it

    def municipality(self, year: int, name: str) -> FigureSet | None:
        try:
            return self._get(year, "municipality", name)
        except Http404:
            return None  # not one of her scopes

    def own_site(self, year: int, code: str) -> FigureSet:
        figure_set = self._get(year, "site", code)
        if figure_set.suppressed:
            raise Http404  # only a coordinator's own site comes unsuppressed
        return figure_set

    def site_rows(self, year: int) -> tuple[SiteRow, ...]:
        return self.national(year).sites

    def read_all(self, year: int, scope: str, rows=None) -> None:
        """About to read every site (or municipality) of the year: one query for all; each is
        still read through published_figures, which checks the user's scopes."""
        if not self.approved_only:
            read_all(year, scope, self._cache, rows=rows)


def site_results(source, year: int, code: str) -> FigureSet | None:
    """A site's scope as the publication stores it, for its results rows (mim.publication.results)
    and the group it is merged into: the published form also for the site's own coordinator,
    whose unsuppressed figures carry no results. None outside the reader's scopes."""
    published = source.site(year, code)
    if published is None or published.suppressed:
        return published
    return read_scope(year, "site", code, cache=source._cache)


# --- what a national report reads ---------------------------------------------------------------


# Statuses of a site that adds no figures to the year (submitted: its return awaits approval
# and there are no live records to show meanwhile).
WITHOUT_DATA = ("missing", "not_delivered", "submitted")


@dataclass(frozen=True)
class SiteInfo:
    code: str
    name: str
    organisation: str
    status: str  # approved, provisional, not_delivered, submitted, missing
    figures: FigureSet | None  # the site's published figures, None when not visible
    group: str = ""  # published only inside this merged group (a site under 10 mothers)
    members: tuple[str, ...] = ()  # a merged group ("overige locaties"): its sites' names
    reason: str = ""  # not_delivered: the office's reason
    stopped: bool = False  # the site ended in this year

    @property
    def is_group(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True)
class SiteFacts:
    """What a site says about itself in words (its target group) and which variants it runs,
    to name sites; every number about facts is a tidy row (`facts.*`), never counted here."""

    code: str
    name: str
    target_group: str = ""
    variant: tuple[str, ...] = ()


@dataclass(frozen=True)
class Previous:
    """The previous year's national figures, mapped onto this year's codebook version."""

    year: int
    figures: FigureSet | None  # None: no figures computed for that year
    lookup: dict = field(default_factory=dict)  # (variable, category) -> Figure
    not_comparable: frozenset = frozenset()  # (variable, category) without a counterpart
    history: HistoryRow | None = None  # the shipped or computed row of that year

    def get(self, variable: str, category: str = "all") -> Figure | None:
        return self.lookup.get((variable, category))


@dataclass(frozen=True)
class MunicipalityTotal:
    """A municipality's published number of mothers, for "the largest municipality"."""

    name: str
    sites: int  # its sites in the year's site table
    mothers: Figure | None  # published mothers.total; None when not visible


@dataclass(frozen=True)
class NationalInputs:
    year: int
    current: FigureSet
    previous: Previous | None  # None before the first year of the series
    sites: tuple[SiteInfo, ...]
    previous_sites: dict  # code -> name of the sites expected in the previous year
    facts: tuple[SiteFacts, ...]
    # Every delivered site keeps its records here; otherwise the published number of
    # countries of birth (mothers.countries_of_birth) is a lower bound.
    countries_complete: bool
    history: tuple[HistoryRow, ...]
    introduction: str = ""
    national_support: str = ""
    approved_only: bool = False
    municipalities: tuple[MunicipalityTotal, ...] = ()
    # The office's other texts (ReportText): summary, quality, outlook, and a free paragraph
    # per chapter, keyed as models.SECTION_TEXTS.
    summary: str = ""
    quality: str = ""
    outlook: str = ""
    section_texts: dict = field(default_factory=dict)


# The rows the national report states of each site (its site table, the sites' range of
# mothers, the sites with second-child mothers): all it keeps of the sites' stored figures.
NATIONAL_SITE_ROWS = (("mothers.total", "all"), ("volunteers.total", "all"),
                      standard.SECOND_CHILD)


def national_inputs(year: int, source, *, approved_only: bool = False) -> NationalInputs:
    """Everything the national report of `year` reads. codebooks.UnknownYear for a year
    without a codebook."""
    codebooks.for_year(year)
    current = source.national(year)
    rows = source.site_rows(year)
    site_meta = _site_meta([r.code for r in rows])
    source.read_all(year, "site", rows=NATIONAL_SITE_ROWS)
    sites = tuple(
        SiteInfo(r.code, r.name, site_meta.get(r.code, ""), r.status,
                 source.site(year, r.code) if r.status not in WITHOUT_DATA and not r.group
                 else None,
                 group=r.group, members=r.members, reason=r.reason, stopped=r.stopped)
        for r in rows)
    previous = previous_figures(year, source)
    previous_sites = ({r.code: r.name for r in source.site_rows(year - 1) if not r.is_group}
                      if previous is not None else {})
    expected = [r.code for r in rows if not r.is_group]
    facts = site_facts(year, [s.code for s in sites if s.status not in WITHOUT_DATA
                              and not s.is_group and s.code in expected],
                       approved_only=approved_only)
    delivered = [s.code for s in sites if s.status not in WITHOUT_DATA and not s.is_group]
    complete = keep_records(delivered)
    text = ReportText.objects.filter(year=year).first()

    def national(y):
        figure_set = current if y == year else source.national(y)
        return list(figure_set.figures), bool(figure_set.provisional)

    return NationalInputs(
        year=year, current=current, previous=previous, sites=sites,
        previous_sites=previous_sites, facts=tuple(facts), countries_complete=complete,
        history=tuple(history(year, national=national)),
        introduction=text.introduction if text else "",
        national_support=text.national_support if text else "",
        approved_only=approved_only,
        municipalities=municipality_totals(year, source, expected),
        summary=text.summary if text else "", quality=text.quality if text else "",
        outlook=text.outlook if text else "",
        section_texts=dict(text.section_texts or {}) if text else {})


def municipality_totals(year: int, source, site_codes: list[str]
                        ) -> tuple[MunicipalityTotal, ...]:
    """Each municipality of the year's sites with its published mothers.total (one query for
    the municipalities, one read per municipality)."""
    sites: dict[str, int] = defaultdict(int)
    for name in Site.objects.filter(code__in=site_codes).values_list("municipality__name",
                                                                    flat=True):
        sites[name] += 1
    out = []
    if sites:
        source.read_all(year, "municipality", rows=[("mothers.total", "all")])
    for name in sorted(sites, key=str.casefold):
        figure_set = source.municipality(year, name)
        out.append(MunicipalityTotal(name, sites[name], figure_set.get("mothers.total")
                                     if figure_set is not None else None))
    return tuple(out)


def previous_figures(year: int, source, *, scope: str = "national",
                     code: str = NATIONAL_CODE) -> Previous | None:
    """Last year's figures of a scope, on this year's codebook (mim.figures.comparison)."""
    before = year - 1
    if before < codebooks.FIRST_YEAR:
        return None
    figure_set = source.national(before) if scope == "national" else source.site(before, code)
    shipped = None
    if scope == "national":
        shipped = next((r for r in history(before, span=1, national=lambda y: (
            list(figure_set.figures), bool(figure_set.provisional)))), None)
    if figure_set is None or not figure_set.has_data or (
            shipped is not None and shipped.source != "computed"):
        # No figures, or fewer sites than the published report had (mim.figures.history):
        # last year is the published row, totals only, never a handful of back-dated records.
        return Previous(before, None, {}, frozenset(), shipped)
    figures = list(figure_set.figures)
    not_comparable: frozenset = frozenset()
    now, then = codebooks.for_year(year).version, codebooks.for_year(before).version
    if now != then:
        mapped = comparison.to_version(figures, now, source=then)
        figures, not_comparable = mapped.figures, frozenset(mapped.not_comparable)
    lookup = {(f.variable, f.category): f for f in figures}
    return Previous(before, figure_set, lookup, not_comparable, shipped)


def _site_meta(codes: list[str]) -> dict[str, str]:
    """Organisation name per site code (one query)."""
    return dict(Site.objects.filter(code__in=codes).values_list("code", "organisation__name"))


def site_facts(year: int, codes: list[str], *, approved_only: bool = False) -> list[SiteFacts]:
    """The target group and variants of the given sites for the year, to name them: frozen
    with an approved return where there is one, otherwise the live ones; only sites that have
    facts. Three queries, whatever the number of sites."""
    names = dict(Site.objects.filter(code__in=codes).values_list("code", "name"))
    frozen = {code: snapshot for code, snapshot in AnnualReturn.objects.filter(
        year=year, status=Status.APPROVED, site__code__in=codes).exclude(facts_snapshot={})
        .values_list("site__code", "facts_snapshot")}
    live: dict[str, dict] = {}
    if not approved_only:
        for facts in SiteYear.objects.filter(year=year, site__code__in=codes).values(
                "site__code", "target_group", "variant"):
            live[facts.pop("site__code")] = facts
    out = []
    for code in sorted(set(frozen) | set(live), key=lambda c: sort_key(names.get(c, c))):
        data = frozen.get(code) or live[code]
        out.append(SiteFacts(code=code, name=names.get(code, code),
                             target_group=(data.get("target_group") or "").strip(),
                             variant=tuple(data.get("variant") or ())))
    return out


def keep_records(site_codes: list[str]) -> bool:
    """Whether every one of these sites keeps its records here (one query). The number of
    countries of birth is read from the publication; only whether it is complete is asked
    here, of the sites, not of the records."""
    if not site_codes:
        return True
    return Site.objects.filter(code__in=site_codes, keeps_records=True).count() == len(
        set(site_codes))


def stored_drawings(keys) -> dict[str, str]:
    """The kept SVG drawings of these chart keys (mim.reports.charts.drawing_key), in one
    query."""
    return dict(ChartDrawing.objects.filter(key__in=list(keys)).values_list("key", "svg"))


def report_text(year: int) -> ReportText | None:
    return ReportText.objects.filter(year=year).first()


@dataclass(frozen=True)
class MunicipalityInputs:
    year: int
    name: str
    figures: FigureSet  # the municipality as published (its site table included)
    previous: FigureSet | None  # the municipality as published last year
    national: FigureSet  # published
    groups: dict  # merged-group code -> SiteRow of the national site table ("overige ...")
    organisations: dict  # site code -> organisation name


def municipality_inputs(year: int, name: str, source) -> MunicipalityInputs:
    """What the municipality report reads: the municipality's published scope, last year's,
    and the national figures, all from the publication. UnknownScope for no such municipality,
    Http404 (web) when it is not one of the user's scopes."""
    codebooks.for_year(year)
    if not Municipality.objects.filter(name=name).exists():
        raise UnknownScope(f"municipality:{name}")
    figures = source.municipality(year, name)
    if figures is None:
        raise Http404
    previous = None
    if year - 1 >= codebooks.FIRST_YEAR:
        previous = source.municipality(year - 1, name)
    national = source.national(year)
    groups = {r.code: r for r in national.sites if r.is_group}
    return MunicipalityInputs(year=year, name=name, figures=figures, previous=previous,
                              national=national, groups=groups,
                              organisations=_site_meta([r.code for r in figures.sites]))


def site_label(code: str) -> Site:
    """The site of a benchmark report; UnknownScope when there is none."""
    site = Site.objects.select_related("organisation").filter(code=code).first()
    if site is None:
        raise UnknownScope(f"site:{code}")
    return site

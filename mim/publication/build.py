"""Building a year's publication: merged small sites, joint suppression of every linked table,
the attacker's audit, and the scopes as they are stored.

1. Units (security rule 1). A delivered site with fewer than `MIN_POPULATION` mothers is
   published only inside a merged group: its organisation's "overige locaties" when the
   organisation's small sites together reach the minimum, else the national one. A national
   group still under the minimum takes in the smallest organisation groups, then the smallest
   sites, until it reaches it. Small sites get no scope of their own outside their coordinator.
2. Joint suppression (mim.figures.suppression) over the nation, every organisation, every
   municipality and every unit at once, with each partition an equation: the nation = Σ units
   = Σ organisations = Σ municipalities; an organisation = Σ its units; a municipality = Σ its
   sites. A small site inside a partition is a term nobody publishes, so nothing may leave it
   the only unknown.
3. The audit (mim.publication.audit) attacks the result, also as a coordinator who holds a
   wider role and knows her own site. Cells it finds too narrow get a neighbour hidden and
   suppression runs again; a publication that still fails after `ROUNDS` is refused.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mim.figures import engine, standard
from mim.figures.suppression import is_primary, suppress
from mim.figures.tidy import Figure
from mim.publication import audit as attacker
from mim.publication.inputs import NATIONAL_CODE, YearFigures

# Raise when grouping, suppression or the audit change: every stored publication is rebuilt.
RULES_VERSION = "2026-12-v3"
ROUNDS = 12
GROUP_PREFIX = "overig:"


class PublicationRefused(Exception):
    """The audit could still recover hidden cells: nothing of the year is published."""

    def __init__(self, year: int, narrow: int):
        self.year, self.narrow = year, narrow
        super().__init__(
            _("De cijfers van %(year)s worden niet gepubliceerd: de privacycontrole vond "
              "%(n)s verborgen cellen die nog te herleiden zijn. De beheerder kan met "
              "'mim figures --unsuppressed' nagaan waar het knelt.") % {"year": year, "n": narrow})


@dataclass
class Group:
    code: str
    label: str
    organisation: str | None  # None: the national group
    members: list[str] = field(default_factory=list)


@dataclass
class Units:
    alone: list[str]  # site codes published on their own
    groups: dict[str, Group]
    group_of: dict[str, str]  # small site code -> group code


def plan_units(data: YearFigures) -> Units:
    """Which delivered sites are published on their own and which inside a group."""
    delivered = [s for s in data.sites if s.code in data.site_figures]
    mothers = {s.code: _total(data.site_figures[s.code], "mothers") for s in delivered}
    small = [s for s in delivered if mothers[s.code] < standard.MIN_POPULATION]
    alone = [s.code for s in delivered if mothers[s.code] >= standard.MIN_POPULATION]
    groups: dict[str, Group] = {}
    national = Group(f"{GROUP_PREFIX}{NATIONAL_CODE}", _("Overige locaties"), None)
    by_organisation: dict[str, list] = {}
    for site in small:
        by_organisation.setdefault(site.organisation.name, []).append(site)
    for organisation, sites in sorted(by_organisation.items()):
        if len(sites) > 1 and sum(mothers[s.code] for s in sites) >= standard.MIN_POPULATION:
            code = f"{GROUP_PREFIX}{organisation}"
            groups[code] = Group(code, _("Overige locaties van %(organisation)s")
                                 % {"organisation": organisation}, organisation,
                                 [s.code for s in sites])
        else:
            national.members += [s.code for s in sites]

    def size(codes):
        return sum(mothers[c] for c in codes)

    if national.members:
        while size(national.members) < standard.MIN_POPULATION and groups:
            smallest = min(groups.values(), key=lambda g: (size(g.members), g.code))
            national.members += smallest.members
            del groups[smallest.code]
        while size(national.members) < standard.MIN_POPULATION and alone:
            smallest = min(alone, key=lambda c: (mothers[c], c))
            alone.remove(smallest)
            national.members.append(smallest)
        groups[national.code] = national
    group_of = {code: g.code for g in groups.values() for code in g.members}
    return Units(alone=alone, groups=groups, group_of=group_of)


def _total(figures, population) -> int:
    return next((f.count or 0 for f in figures if f.variable == f"{population}.total"), 0)


@dataclass
class Built:
    year: int
    digest: str
    units: Units
    figures: list[Figure]  # every published scope, in published form
    secret: list[Figure]  # the small sites' figures (never stored)
    partitions: list
    audit: dict
    seconds: float


def digest_of(data: YearFigures) -> str:
    """What the publication depends on: the unsuppressed site figures, which sites belong to
    which organisation and municipality, and the rules."""
    h = hashlib.sha256(RULES_VERSION.encode())
    for site in data.sites:
        h.update(json.dumps([site.code, site.name, site.organisation.name,
                             site.municipality.name, data.status(site.code)]).encode())
        for f in data.site_figures.get(site.code, ()):
            h.update(f"{f.variable}|{f.category}|{f.count}|{f.base};".encode())
    h.update(json.dumps(sorted(_wider_role_sites())).encode())
    h.update(_assessment_digest(data).encode())
    return h.hexdigest()


def _wider_role_sites() -> set[str]:
    """Sites whose coordinator also holds a role that sees other scopes: she can subtract her
    own true figures from what that role sees, so the audit attacks as her too."""
    from mim.accounts.models import Role, RoleAssignment

    wider = RoleAssignment.objects.exclude(role=Role.COORDINATOR).values("user_id")
    return set(RoleAssignment.objects.filter(role=Role.COORDINATOR, user_id__in=wider)
               .values_list("site__code", flat=True))


def build(year: int, data: YearFigures | None = None) -> Built:
    started = time.perf_counter()
    data = data or YearFigures(year)
    units = plan_units(data)
    scopes = data.scope_keys()
    figures: list[Figure] = []
    partitions: list = []
    for (scope, code), members in scopes.items():
        figures += data._aggregate(scope, code, members)
    unit_keys = [("site", c) for c in units.alone] + [("site", g) for g in units.groups]
    for code in units.alone:
        figures += data.site_figures[code]
    for group in units.groups.values():
        parts = [data.site_figures[c] for c in group.members]
        figures += engine.add_up(year, "site", group.code, parts)
    figures = [_provisional(f, data, units) for f in figures]
    secret = [f for code in units.group_of for f in data.site_figures[code]]

    partitions.append((("national", NATIONAL_CODE), unit_keys))
    organisations = [k for k in scopes if k[0] == "organisation"]
    municipalities = [k for k in scopes if k[0] == "municipality"]
    partitions.append((("national", NATIONAL_CODE), organisations))
    partitions.append((("national", NATIONAL_CODE), municipalities))
    for (scope, code), members in scopes.items():
        if scope == "national":
            continue
        children = []
        for site in members:
            if site.code not in data.site_figures:
                continue  # delivered nothing: in no sum
            group = units.groups.get(units.group_of.get(site.code, ""))
            if scope == "organisation" and group and group.organisation == code:
                children.append(("site", group.code))  # the organisation's own group
            else:
                children.append(("site", site.code))  # inside a group: a term nobody sees
        partitions.append(((scope, code), list(dict.fromkeys(children))))
    group_partitions = [(("site", g.code), [("site", c) for c in g.members])
                        for g in units.groups.values()]
    knows = _wider_role_sites() & set(data.site_figures)
    protect = {attacker.key_of(f) for f in figures + secret if is_primary(f)}
    force: set[tuple] = set()
    result = None
    for _round in range(ROUNDS):
        published = suppress(figures, partitions=partitions, force_hidden=force)
        result = _attack(year, published, secret, partitions + group_partitions, data, knows,
                         protect=protect)
        if result.passed:
            break
        force |= _widen(year, published, result.narrow, partitions + group_partitions,
                        _round, known={("site", c) for c in knows})
    if result is None or not result.passed:
        raise PublicationRefused(year, len(result.narrow) if result else 0)
    published = _with_derived_rows(year, published, data, units)
    published += _assessment_rows(year, data, units, partitions + group_partitions)
    return Built(year=year, digest=digest_of(data), units=units, figures=published,
                 secret=secret, partitions=partitions,
                 audit={**result.summary(), "rounds": _round + 1},
                 seconds=time.perf_counter() - started)


def _provisional(f: Figure, data: YearFigures, units: Units) -> Figure:
    from dataclasses import replace

    if f.scope == "site":
        codes = units.groups[f.scope_code].members if f.scope_code in units.groups \
            else [f.scope_code]
    else:
        codes = [s.code for s in data.members(f.scope, f.scope_code)]
    return replace(f, provisional=any(c in data.provisional for c in codes))


def _attack(year, published, secret, partitions, data, knows, protect
            ) -> attacker.AuditResult:
    result = attacker.audit(year, published, secret=secret, partitions=partitions,
                            protect=protect)
    for code in sorted(knows):
        if not result.passed:
            break
        # She holds her site's true figures: constants for her attack. Every scope her site is
        # part of she can narrow by her own numbers; what she must not learn is what lies
        # outside her site, which the cells of the other scopes are checked for.
        ours = _scopes_of(code, data, partitions)
        mine = data.site_figures[code]
        again = attacker.audit(year, published, secret=secret, partitions=partitions,
                               attacker_knows=mine,
                               protect={k for k in protect if k[:2] not in ours})
        result.solves += again.solves
        result.narrow.update(again.narrow)
    return result


def _scopes_of(code: str, data: YearFigures, partitions) -> set[tuple[str, str]]:
    """The scopes whose figures include the site's (its own, its group, its organisation,
    its municipality, the nation)."""
    found = {("site", code), ("national", NATIONAL_CODE)}
    for parent, children in partitions:
        if ("site", code) in [tuple(c) for c in children]:
            found.add(tuple(parent))
    site = next(s for s in data.sites if s.code == code)
    found |= {("organisation", site.organisation.name), ("municipality", site.municipality.name)}
    return found


def _widen(year, published, narrow, partitions, round_number: int, known=frozenset()
           ) -> set[tuple]:
    """Published neighbours to hide so that the narrow cells widen.

    For each narrow cell, in each relation it is part of (its variable's row, and every
    partition its scope is the parent or a child of), the smallest published non-zero term.
    From the fourth round on the whole row of the cell goes too, and from the sixth the cell in
    every member of its partitions: slower to converge means the cell is pinned by several
    relations at once. From the ninth, the cell's variable is hidden in every scope."""
    index = {(f.scope, f.scope_code, f.variable, f.category): f for f in published}
    rows: dict[tuple, list[Figure]] = {}
    for f in published:
        rows.setdefault((f.scope, f.scope_code, f.variable), []).append(f)
    containing: dict[tuple, list] = {}
    for parent, children in partitions:
        for member in (parent, *children):
            containing.setdefault(tuple(member), []).append([parent, *children])

    def shown(f):
        # A site some attacker knows (her own) gives no cover by being hidden.
        return f is not None and not f.suppressed and f.count \
            and (f.scope, f.scope_code) not in known

    force = set()

    def hide(f):
        force.add((year, f.scope, f.scope_code, f.variable, f.category))

    stubborn = {variable for _s, _c, variable, _cat in narrow} if round_number >= 8 else set()
    for f in published:
        if f.variable in stubborn and shown(f):
            hide(f)  # the last resort: the variable is published nowhere this year
    for scope, code, variable, category in narrow:
        row = [f for f in rows.get((scope, code, variable), []) if shown(f)
               and f.category != category]
        if row:
            for f in (row if round_number >= 3 else [min(row, key=lambda f: f.count)]):
                hide(f)
        for members in containing.get((scope, code), []):
            terms = [index.get((*m, variable, category)) for m in members
                     if tuple(m) != (scope, code)]
            terms = [f for f in terms if shown(f)]
            if terms and round_number >= 5:
                for f in terms:  # pinned through several partitions: open them all
                    hide(f)
            elif terms:
                # The national figures are what most readers read: cover elsewhere first.
                hide(min(terms, key=lambda f: (f.scope == "national", f.count, f.scope,
                                                f.scope_code)))
        if not row:
            total = index.get((scope, code, f"{variable.partition('.')[0]}.total", "all"))
            if shown(total):
                hide(total)
    return force


# --- the self-assessment's results (issue 13; mim.results.assessment) ----------------------------


def _assessment_sites(data: YearFigures) -> dict[str, int]:
    """Delivered sites that keep their records here: the only ones with self-assessments."""
    return {s.code: s.pk for s in data.sites if s.code in data.site_figures and s.keeps_records}


def _assessment_digest(data: YearFigures) -> str:
    from mim.results import assessment

    return assessment.inputs_digest(data.year, _assessment_sites(data).values())


def _assessment_rows(year: int, data: YearFigures, units: Units, partitions) -> list[Figure]:
    """Every published scope's rows, under the same units as every other figure: a small site
    only inside its merged group, and the partitions' sums so no difference of scopes gives a
    hidden result away (docs/results-assessment.md)."""
    from mim.results import assessment

    ids = _assessment_sites(data)
    scopes = {key: [ids[s.code] for s in members if s.code in ids]
              for key, members in data.scope_keys().items()}
    scopes.update({("site", code): [pk] for code, pk in ids.items()})
    scopes.update({("site", g.code): [ids[c] for c in g.members if c in ids]
                   for g in units.groups.values()})
    published = [*data.scope_keys(), *(("site", c) for c in units.alone),
                 *(("site", g) for g in units.groups)]
    rows = assessment.publication_figures(year, scopes, published=published,
                                          partitions=partitions)
    return [_provisional(f, data, units) for f in rows]


# --- derived rows (data standard version 2) -----------------------------------------------------


def _with_derived_rows(year, published, data: YearFigures, units: Units) -> list[Figure]:
    out = list(published)
    national = [f for f in published if f.scope == "national"]
    provisional = bool(data.provisional)
    delivered = len(data.site_figures)
    with_second = sum(1 for figures in data.site_figures.values()
                      if any(f.variable == standard.SECOND_CHILD[0]
                             and f.category == standard.SECOND_CHILD[1] and f.count
                             for f in figures))
    out.append(Figure(year, "national", NATIONAL_CODE, standard.SITES_WITH_SECOND_CHILD, "all",
                      with_second, delivered, None if not delivered else
                      Figure.of(year=year, scope="", scope_code="", variable="", category="",
                                count=with_second, base=delivered).percent,
                      provisional=provisional))
    shares = [f.percent for f in published
              if f.scope == "site" and f.scope_code in units.alone
              and (f.variable, f.category) == standard.SECOND_CHILD and f.percent is not None]
    for category, pick in (("min", min), ("max", max)):
        row = Figure.statistic(year=year, scope="national", scope_code=NATIONAL_CODE,
                               variable=standard.SECOND_CHILD_SHARE, category=category,
                               value=pick(shares) if shares else None, base=len(shares))
        out.append(_mark(row, provisional))
    countries, known = _countries_of_birth(year, data)
    total = next((f for f in national if f.variable == "mothers.total"), None)
    hide = known < standard.MIN_POPULATION or total is None or total.suppressed
    row = Figure(year, "national", NATIONAL_CODE, standard.COUNTRIES_OF_BIRTH, "all",
                 None if hide else countries, None if hide else known, None, suppressed=hide,
                 provisional=provisional)
    out.append(row)
    return out


def _mark(f: Figure, provisional: bool) -> Figure:
    from dataclasses import replace

    return replace(f, provisional=provisional)


def _countries_of_birth(year: int, data: YearFigures) -> tuple[int, int]:
    """Distinct countries of birth, and mothers with a known one, among the mothers reached at
    the delivered sites that keep their records here. One aggregate query; no country is read.
    A distinct count is not a sum, so it has no subtraction to protect against."""
    import datetime as dt

    from mim.registry.models import Mother

    keeping = [s.pk for s in data.sites if s.code in data.site_figures and s.keeps_records]
    if not keeping:
        return 0, 0
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found = (Mother.objects.filter(site_id__in=keeping, start_date__lte=last)
             .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
             .exclude(country_of_birth="")
             .aggregate(n=Count("country_of_birth", distinct=True), known=Count("pk")))
    return found["n"] or 0, found["known"] or 0

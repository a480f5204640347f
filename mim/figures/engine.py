"""The figures engine: tidy figures of sites, computed from the live records in the database.

`site_figures` runs a fixed number of queries (four, plus one for the sites when none are
given), whatever the number of sites or persons: one query per table with conditional
aggregates grouped by site (every single-answer code of every item is a `COUNT(*) FILTER`, the
age bands are ranges of `birth_year` computed against the year in SQL), and one query per
answers table grouped by (site, item, code). Python only shapes those few aggregate rows into
`Figure`s; it never loops over persons.

The counting rules are those of the data standard ("Counting rules for year Y"):
- mothers *reached* in Y: start_date <= Y-12-31 and (no end_date or end_date >= Y-01-01);
  mothers *ended* in Y: end_date within Y (always a subset of the reached ones);
- volunteers *active* / *stopped* in Y by the same rules;
- age = Y - birth_year, banded into age_group; no birth year is `unknown`;
- single-answer items add up to the population (`unknown` included); multi-answer items count
  persons with the code, base the population;
- migrant background: origin other than dutch and unknown, base persons with a known origin.

Every category of the codebook version in force for Y appears (`template`), with count 0 where
nobody has it. A code of another version (a mother who started in 2009 and is still reached in
2010) is carried over by the crosswalk where it maps onto exactly one code of the year's version,
and otherwise counts as `unknown` (single answer) or is left out (multi answer, which has no
`unknown`). Single-answer items always have `unknown`, also where a version's list lacked it (the
2008 origin list), so that the categories add up to the base as the standard demands.
"""

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, CharField, Count, F, Q, Value, When

from mim.codebook import codebooks, crosswalk
from mim.figures.standard import AGE_BANDS, ITEMS, categories, template
from mim.figures.tidy import Figure
from mim.organisations.models import Site, active_in
from mim.registry.models import Mother, MotherAnswer, Volunteer, VolunteerAnswer

# Which population of a table ends (the ended/stopped ones are a subset of the reached/active).
_TABLES = (
    (Mother, MotherAnswer, "mother", "mothers", "mothers_ended"),
    (Volunteer, VolunteerAnswer, "volunteer", "volunteers", "volunteers_stopped"),
)


def site_figures(year: int, sites: Iterable[Site] | None = None) -> list[Figure]:
    """The tidy figures (scope "site") of every given site, from its live records.

    `sites=None` means every site active in the year that keeps its records in the system.
    Every site gets the full template, zeros included, in the order the sites are given.
    """
    book = codebooks.for_year(year)
    if sites is None:
        sites = Site.objects.filter(active_in(year), keeps_records=True).order_by("code")
    sites = list(sites)
    if not sites:
        return []
    ids = [s.pk for s in sites]
    counts: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for model, answers, person, population, ended_population in _TABLES:
        _count_single(counts, book, year, model, ids, population, ended_population)
        _count_multi(counts, book, year, answers, person, ids, population)
    figures = []
    for site in sites:
        figures += _figures_of(year, "site", site.code, counts[site.pk])
    return figures


# --- the queries ----------------------------------------------------------------------------


def _reached(year: int, prefix: str = "") -> Q:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Q(**{f"{prefix}start_date__lte": last}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": first}))


def _ended(year: int) -> Q:
    # Within the reached ones (the query's WHERE), end_date <= Y-12-31 is all that is left.
    return Q(end_date__isnull=False, end_date__lte=dt.date(year, 12, 31))


def _age_condition(year: int, low: int | None, high: int | None) -> Q:
    # age = year - birth_year, so age >= low is birth_year <= year - low (and so on).
    condition = Q(birth_year__isnull=False)
    if low is not None:
        condition &= Q(birth_year__lte=year - low)
    if high is not None:
        condition &= Q(birth_year__gte=year - high)
    return condition


def _single_conditions(book, year, model, population, ended_population):
    """(population, item, code, condition) for every conditional aggregate of one table."""
    ended = _ended(year)
    yield population, "total", "all", Q()
    yield ended_population, "total", "all", ended
    for item, codebook_item in ITEMS[population]:
        if codebook_item is None or book.item(codebook_item).multi:
            continue
        if item == "age_group":
            for code, (low, high) in AGE_BANDS.items():
                yield population, item, code, _age_condition(year, low, high)
            yield population, item, "unknown", Q(birth_year__isnull=True)
            continue
        for code in codebooks.all_codes(codebook_item):
            yield population, item, code, Q(**{item: code})
    (item, codebook_item), = ITEMS[ended_population]
    for code in codebooks.all_codes(codebook_item):
        yield ended_population, item, code, ended & Q(**{item: code})
    yield ended_population, item, "unknown", ended & Q(**{item: ""})


def _count_single(counts, book, year, model, ids, population, ended_population) -> None:
    conditions = list(_single_conditions(book, year, model, population, ended_population))
    aggregates = {f"n{i}": Count("pk", filter=condition) if condition else Count("pk")
                  for i, (*_, condition) in enumerate(conditions)}
    rows = (model.objects.filter(_reached(year), site_id__in=ids)
            .values("site_id").annotate(**aggregates).order_by())
    for row in rows:
        site_counts = counts[row["site_id"]]
        for i, (pop, item, code, _) in enumerate(conditions):
            if row[f"n{i}"]:
                site_counts[(pop, item, _fold(book.version, pop, item, code))] += row[f"n{i}"]


def _count_multi(counts, book, year, answers, person, ids, population) -> None:
    # The codes are folded into the year's categories inside the query, so that a person
    # whose several codes of another version fold into one category counts once there.
    site = f"{person}__site_id"
    folded = _folded(book.version, population)
    # A person has each code once (unique constraint), so without folding a plain count of
    # rows counts persons; COUNT(DISTINCT) costs a sort and is only paid where codes fold.
    n = Count(person, distinct=True) if isinstance(folded, Case) else Count("pk")
    rows = (answers.objects.filter(_reached(year, f"{person}__"), **{f"{site}__in": ids})
            .annotate(category=folded).exclude(category="")
            .values(site, "item", "category").annotate(n=n).order_by())
    for row in rows:
        counts[row[site]][(population, row["item"], row["category"])] += row["n"]


def _folded(version: str, population: str):
    """SQL for `_fold` over the stored codes of a population's multi-answer items; codes
    without a category in the version become '' (left out)."""
    whens = []
    for item, codebook_item in ITEMS[population]:
        if codebook_item is None or not codebooks.version(version).item(codebook_item).multi:
            continue
        for code in codebooks.all_codes(codebook_item):
            category = _fold(version, population, item, code)
            if category != code:
                whens.append(When(item=item, code=code, then=Value(category or "")))
    return Case(*whens, default=F("code"), output_field=CharField()) if whens else F("code")


@functools.cache
def _fold(version: str, population: str, item: str, code: str) -> str | None:
    """The code as a category of the version (see the module docstring)."""
    if code == "all":
        return code
    book = codebooks.version(version)
    codebook_item = dict(ITEMS[population])[item]
    wanted = categories(book, item, codebook_item)
    if code in wanted:
        return code
    mapped = (crosswalk.to_2008 if book.version == "2008" else crosswalk.to_current)(
        codebook_item, code)[0]
    if mapped in wanted:
        return mapped
    return None if book.item(codebook_item).multi else "unknown"


# --- from counts to figures -----------------------------------------------------------------


def _figures_of(year: int, scope: str, code: str, counts: dict[tuple[str, str, str], int]
                ) -> list[Figure]:
    book = codebooks.for_year(year)
    figures = []
    for population, items in ITEMS.items():
        total = counts.get((population, "total", "all"), 0)
        figures.append(Figure.of(year=year, scope=scope, scope_code=code,
                                 variable=f"{population}.total", category="all", count=total,
                                 base=total))
        for item, codebook_item in items:
            if item == "migrant_background":
                dutch = counts.get((population, "origin", "dutch"), 0)
                known = total - counts.get((population, "origin", "unknown"), 0)
                values = {"yes": known - dutch, "no": dutch}
                base = known
            else:
                values = {c: counts.get((population, item, c), 0)
                          for c in categories(book, item, codebook_item)}
                base = total
            figures += [Figure.of(year=year, scope=scope, scope_code=code,
                                  variable=f"{population}.{item}", category=category,
                                  count=count, base=base)
                        for category, count in values.items()]
    return figures


def complete(year: int, scope: str, code: str, figures: Iterable[Figure]) -> list[Figure]:
    """A site's figures completed to the year's template, in template order.

    For figures that did not come from this engine (a frozen return, perhaps entered as
    aggregates): a missing category counts 0 with its variable's base; a missing variable
    takes its population total as base (known origin for migrant background). `sites.*`
    figures are left out; they are counted per scope by the caller.
    """
    given = {(f.variable, f.category): f for f in figures if f.population != "sites"}
    bases = {f.variable: f.base for f in given.values() if f.base is not None}
    totals = {f.population: f.count or 0 for f in given.values() if f.item == "total"}
    out = []
    for variable, category in template(year):
        population, item = variable.split(".", 1)
        found = given.get((variable, category))
        count = found.count if found is not None and found.count is not None else 0
        base = bases.get(variable)
        if base is None and item == "migrant_background":
            unknown = given.get((f"{population}.origin", "unknown"))
            base = totals.get(population, 0) - (unknown.count or 0 if unknown else 0)
        elif base is None:
            base = totals.get(population, 0)
        out.append(Figure.of(year=year, scope=scope, scope_code=code, variable=variable,
                             category=category, count=count, base=base))
    return out


def add_up(year: int, scope: str, code: str, parts: Iterable[list[Figure]]) -> list[Figure]:
    """The sum of complete figure lists (counts and bases add up), as one scope's figures."""
    sums: dict[tuple[str, str], list[int]] = {key: [0, 0] for key in template(year)}
    for figures in parts:
        for f in figures:
            key = (f.variable, f.category)
            if key in sums:
                sums[key][0] += f.count or 0
                sums[key][1] += f.base or 0
    return [Figure.of(year=year, scope=scope, scope_code=code, variable=variable,
                      category=category, count=count, base=base)
            for (variable, category), (count, base) in sums.items()]


def site_counts(year: int, scope: str, code: str, *, active: int, delivered: int,
                not_delivered: int = 0) -> list[Figure]:
    """`sites.active`, `sites.delivered` and `sites.not_delivered` (marked by the office as
    delivering nothing) of an aggregate scope (base: sites active)."""
    return [Figure.of(year=year, scope=scope, scope_code=code, variable="sites.active",
                      category="all", count=active, base=active),
            Figure.of(year=year, scope=scope, scope_code=code, variable="sites.delivered",
                      category="all", count=delivered, base=active),
            Figure.of(year=year, scope=scope, scope_code=code, variable="sites.not_delivered",
                      category="all", count=not_delivered, base=active)]

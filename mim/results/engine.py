"""Results of a year from the live records: time in the programme (Kaplan-Meier curves of
mothers and volunteers) and what volunteers give (visits per volunteer-month and per matched
mother-month, the share of matched mothers visited every month). docs/results.md says what
each row means.

Set-based: four grouped queries per year whatever the number of sites or persons (on
PostgreSQL a fifth sets up the reading transaction), and no date or person crosses into
Python. The database computes durations as day numbers and counts persons per site, group and
day (the cohorts' mothers, their volunteers), sums the volunteers active per site, and folds
each mother's matches and visits of the year into 12-bit month masks before counting per site;
the SQL is the same on SQLite and PostgreSQL but for `_Dialect`. What each site adds (its
persons per key, its visits sums: `SiteInputs`) is kept per site by
mim.publication.kept_results, and the digest is made of those bytes. When rows are asked
for, numpy turns the counts into one day histogram per site and group, kept sparse (a site's
persons fill a few hundred of its days); a scope's curve is the sum of its sites' histograms
(mim.results.survival), and `rows_by_scope` sums them for every scope at once (one sparse
product) and runs the estimator over a block of scopes at a time, so its dense arrays stay
small whatever the number of sites. tests/results/test_fast_read.py checks all of it against
the row-by-row reader it replaced, on random records.

Whom a year's curves follow: the start cohorts of the year and the two before it (a mother
who started in Y-2, Y-1 or Y), observed up to the year's end or today, whichever comes first;
whoever is still in then is censored there. Three cohorts so that 18 months can be seen at all
in a year's report: the cohort of Y itself is followed for at most a year.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction

from mim.figures.tidy import Figure
from mim.results import survival
from mim.results.variables import (
    COHORTS,
    COMPLETED,
    GRID,
    cohort_category,
    cutoff_of,
    median_variable,
    retention_variable,
    visits_variable,
)

if TYPE_CHECKING:
    from scipy import sparse

# A read of at most this many sites (the kept results after a change at one) groups only
# their mothers' matches and visits, looked up by index (`_Dialect.mothers_of`).
FEW_SITES = 10

# For the grouped queries' hash aggregates (a few hundred thousand groups at a million
# mothers), set for the reading transaction only.
WORK_MEM = "128MB"
# Curve × day cells the estimator works on at once (`rows_by_scope`): 4 MB per array.
_BLOCK_CELLS = 1 << 19

@dataclass(frozen=True, slots=True)  # a year at 2,000 sites makes some 400,000
class Result:
    """A results row before publication, with the counts its publication rule looks at
    (`cells`: each must be 0 or at least MIN_CELL; never published themselves)."""

    figure: Figure
    cells: tuple[int, ...] = ()


def _quantize(value: float | None, places: str) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(_PLACES[places], rounding=ROUND_HALF_UP)


_PLACES = {"0.1": Decimal("0.1"), "0.01": Decimal("0.01")}


# The per-site sums of `_visit_sums`, in the order `SiteInputs.visits` holds them.
VISIT_NAMES = ("volunteers", "volunteer_days", "matched", "mother_days", "monthly_base",
               "monthly", "visits", "volunteer_visits")


@dataclass(frozen=True)
class SiteInputs:
    """What one site adds to a year's results, and nothing more: its cohorts' mothers and
    volunteers counted per (status, cohort, duration) key as `_PERSONS` makes it (rows of
    key and persons, ordered by key), and its visits sums (`VISIT_NAMES`). Every scope's rows
    follow from its sites' inputs exactly: a scope's histograms and sums are sums of its
    sites'. mim.publication.kept_results keeps them per site and year."""

    mothers: np.ndarray  # (rows, 2) int64: key, persons
    volunteers: np.ndarray  # (rows, 2) int64
    visits: np.ndarray  # (len(VISIT_NAMES),) int64


class YearResults:
    """One year's results inputs for the given sites (objects with `pk` and `code`): read
    from the database, or given per site (`inputs`, site pk -> SiteInputs; a site without
    an entry adds nothing)."""

    def __init__(self, year: int, sites, *, today: dt.date | None = None,
                 inputs: dict[int, SiteInputs] | None = None):
        self.year = year
        self.cutoff = cutoff_of(year, today)
        self.first = dt.date(year - COHORTS + 1, 1, 1)
        self.cohorts = tuple(range(year - COHORTS + 1, year + 1))
        sites = list(sites)
        self.index = {s.pk: i for i, s in enumerate(sites)}
        self.code_index = {s.code: i for i, s in enumerate(sites)}
        # Longest duration a curve can hold: from the first cohort's first day to the cutoff.
        self.days = max((self.cutoff - self.first).days + 1, 1)
        self.inputs = self.read(list(self.index)) if inputs is None else inputs

    def read(self, site_ids: list[int]) -> dict[int, SiteInputs]:
        """The inputs of these sites of the year: four grouped queries, whatever the number
        of sites (on PostgreSQL in a transaction with the reading settings)."""
        with transaction.atomic(savepoint=False), _settings(bool(site_ids)):
            mothers = self._person_rows("mother", site_ids)
            volunteers = self._person_rows("volunteer", site_ids)
            visits = self._visit_sums(site_ids)
        by_site = {"mothers": _split(mothers), "volunteers": _split(volunteers)}
        empty = np.zeros((0, 2), np.int64)
        return {pk: SiteInputs(by_site["mothers"].get(pk, empty),
                               by_site["volunteers"].get(pk, empty),
                               visits.get(pk, np.zeros(len(VISIT_NAMES), np.int64)))
                for pk in site_ids}

    # The histograms are made when rows are asked for, not for a digest: a publication's
    # check after a change at one site needs only the inputs.

    @functools.cached_property
    def histograms(self):
        """Per population: its groups and the day histograms of every site and group, as
        sparse (site, group × day) matrices (`_curves`), so a scope's curves are one sum over
        its sites and one batch of the estimator. Dense, they took 8 bytes for every site,
        group and day (some 2 GB at 2,000 sites, twice over); a site has a few hundred
        persons, so a few hundred non-zero days per group."""
        return {"mothers": self._curves(self._rows_of("mothers"), mothers=True),
                "volunteers": self._curves(self._rows_of("volunteers"), mothers=False)}

    @property
    def mothers(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """group -> (ended, censored) day histograms of shape (sites, days), dense."""
        return dict(self._dense("mothers"))

    @property
    def volunteers(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return dict(self._dense("volunteers"))

    def _dense(self, population: str):
        """(group, (ended, censored)) per group, one group at a time."""
        groups, ended, censored = self.histograms[population]
        for g, group in enumerate(groups):
            columns = slice(g * self.days, (g + 1) * self.days)
            yield group, (ended[:, columns].toarray(), censored[:, columns].toarray())

    @functools.cached_property
    def visits(self) -> dict[str, np.ndarray]:
        n = max(len(self.index), 1)
        out = np.zeros((len(VISIT_NAMES), n), np.int64)
        for pk, site in self.inputs.items():
            if pk in self.index:
                out[:, self.index[pk]] = site.visits
        return {name: out[i] for i, name in enumerate(VISIT_NAMES)}

    def _rows_of(self, population: str) -> np.ndarray:
        """(site id, key, persons) rows of the sites, as `_person_rows` read them."""
        parts = [np.column_stack([np.full(len(rows), pk, np.int64), rows])
                 for pk, site in self.inputs.items() if pk in self.index
                 and len(rows := getattr(site, population))]
        return np.concatenate(parts) if parts else np.zeros((0, 3), np.int64)

    # --- reading ------------------------------------------------------------------------------

    def _person_rows(self, kind: str, ids: list[int]):
        """(site id, key, persons) per group of the cohorts' mothers or volunteers: the day
        arithmetic and the grouping done in SQL (`_PERSONS`), so neither a date nor a person
        crosses into Python; `key` is (status × cohorts + cohort) × days + duration."""
        from mim.registry.models import Mother, Volunteer

        model = Mother if kind == "mother" else Volunteer
        if not ids or self.cutoff < self.first:
            return np.zeros((0, 3), np.int64)
        sql = _sql()
        cutoff_day = _epoch_day(self.cutoff)
        query = _PERSONS.format(
            table=model._meta.db_table, ids=_placeholders(ids), day_end=sql.day("end_date"),
            day_start=sql.day("start_date"), year=sql.year("start_date"))
        params = [self.cutoff, COMPLETED, self.cohorts[0], self.days, self.cutoff, cutoff_day,
                  *ids, self.first, self.cutoff]
        return _fetch(query, params)

    def _curves(self, rows, *, mothers: bool
                ) -> tuple[list[str], sparse.csr_array, sparse.csr_array]:
        """The groups, and the ended and censored histograms as (site, group × day) sparse
        matrices: column g × days + d holds group g's persons whose duration is d days."""
        from scipy import sparse  # imported late: see rows_by_scope

        n_sites = max(len(self.index), 1)
        groups = ["all", *(cohort_category(y) for y in self.cohorts)]
        if mothers:
            groups += [COMPLETED, "stopped_early"]
        shape = (n_sites, len(groups) * self.days)
        if not len(rows):
            empty = sparse.csr_array(shape, dtype=np.int64)
            return groups, empty, empty.copy()
        site = self._site_positions(rows[:, 0])
        status, days = np.divmod(rows[:, 1], self.days)
        status, cohort = np.divmod(status, COHORTS)
        count = rows[:, 2].astype(np.int64)
        ended = status > 0
        masks = [np.ones(len(rows), bool), *(cohort == i for i in range(len(self.cohorts)))]
        if mothers:
            masks += [status == _COMPLETED, status == _EARLY]
        out = []
        for flags in (ended, ~ended):
            at = [(g, mask & flags) for g, mask in enumerate(masks)]
            # Duplicate (site, column) entries are summed when the matrix is made.
            matrix = sparse.coo_array(
                (np.concatenate([count[m] for _g, m in at]),
                 (np.concatenate([site[m] for _g, m in at]),
                  np.concatenate([g * self.days + days[m] for g, m in at]))),
                shape=shape).tocsr()
            matrix.sum_duplicates()
            out.append(matrix)
        return groups, out[0], out[1]

    def _site_positions(self, site_ids: np.ndarray) -> np.ndarray:
        """The positions in `self.index` of an array of site ids."""
        ids = np.fromiter(self.index, np.int64, len(self.index))
        order = np.argsort(ids)
        return np.fromiter(self.index.values(), np.int64, len(self.index))[
            order[np.searchsorted(ids[order], site_ids)]]

    def _visit_sums(self, ids: list[int]) -> dict[int, np.ndarray]:
        """Per site (`VISIT_NAMES`): volunteers active in the year and their days active in
        it, matched mothers and their matched days (per mother at most the year's days),
        mothers matched for at least one whole month of the year and those of them visited
        in every such month, visits in the year (all, and with a volunteer). Two queries,
        each grouped per site in SQL: the matched and visited months of a mother are 12-bit
        masks there (`_MATCHED`). For a few sites only their mothers' matches and visits are
        grouped, so reading one site after a change there costs that site's rows, not
        everybody's."""
        from mim.registry.models import Match, Mother, Visit, Volunteer

        out: dict[int, np.ndarray] = {}
        first, last = dt.date(self.year, 1, 1), self.cutoff
        if not ids or last < first:
            return out

        def at(site_id):
            return out.setdefault(site_id, np.zeros(len(VISIT_NAMES), np.int64))

        period = (last - first).days + 1
        sql = _sql()
        # Volunteers active in the year and their days active in it.
        for site_id, *values in _fetch(
                _ACTIVE.format(table=Volunteer._meta.db_table, ids=_placeholders(ids),
                               overlap=sql.overlap("start_date", "end_date")),
                [*sql.overlap_params(first, last), *ids, last, first]).tolist():
            at(site_id)[0:2] = values
        # Per mother with a match or a visit in the year: her visits (all, and with a
        # volunteer), her matched days, and the whole calendar months a match of hers covered
        # and the months she was visited in, as 12-bit masks; summed per site in SQL.
        months = [(m, dt.date(self.year, m + 1, 1), _month_end(self.year, m + 1))
                  for m in range(12) if _month_end(self.year, m + 1) <= last]
        whole = sql.bit_or([("ma.start_date <= %s AND COALESCE(ma.end_date, %s) >= %s", 1 << m)
                            for m, _a, _b in months])
        whole_params = [p for _m, a, b in months for p in (a, last, b)]
        matched_of, matched_ids = sql.mothers_of("ma.mother_id", Mother._meta.db_table, ids)
        visited_of, visited_ids = sql.mothers_of("v.mother_id", Mother._meta.db_table, ids)
        for site_id, *values in _fetch(_MATCHED.format(
                match=Match._meta.db_table, mother=Mother._meta.db_table,
                visit=Visit._meta.db_table, ids=_placeholders(ids), whole=whole,
                overlap=sql.overlap("ma.start_date", "ma.end_date"),
                visited=sql.month_mask("v.date"), least=sql.least,
                match_mothers=matched_of, visit_mothers=visited_of),
                [*sql.overlap_params(first, last), *whole_params, last, first, *matched_ids,
                 first, last, *visited_ids, period, *ids]).tolist():
            at(site_id)[2:] = values
        return out

    # --- rows ---------------------------------------------------------------------------------

    def rows(self, scope: str, code: str, site_codes) -> list[Result]:
        """The results rows of a scope made of these sites (those without records add
        nothing), unprotected: mim.publication decides what is published."""
        return self.rows_by_scope({(scope, code): site_codes})[(scope, code)]

    def rows_by_scope(self, scopes: dict[tuple[str, str], list[str]]
                      ) -> dict[tuple[str, str], list[Result]]:
        """`rows` of many scopes at once: every scope's histograms are one sparse product
        of a scopes × sites membership matrix with the sites' histograms, and the estimator
        runs over a block of scopes and all their groups at a time; what remains per row is
        making it."""
        # Imported here: scipy takes a third of a second to import, and a publication's check
        # (the digest of the inputs) makes no rows.
        from scipy import sparse

        keys = list(scopes)
        members = [[self.code_index[c] for c in codes if c in self.code_index]
                   for codes in scopes.values()]
        n_sites = max(len(self.index), 1)
        membership = sparse.csr_array(
            (np.ones(sum(map(len, members)), np.int64),
             np.array([i for m in members for i in m], np.int64),
             np.cumsum([0, *map(len, members)])), shape=(len(keys), n_sites))
        out: dict[tuple[str, str], list[Result]] = {key: [] for key in keys}
        last = self.days - 1
        grid = [(m, min(survival.day_of(m), last)) for m in GRID]
        at = [day for _m, day in grid]
        for population, (groups, ended, censored) in self.histograms.items():
            n_groups = len(groups)
            # The estimator works on dense (curve, day) arrays, some of them at once: a block
            # of scopes at a time keeps those to a few tens of MB whatever the number of
            # scopes (all at once: 2.5 GB at 2,000 sites). Every curve is its own row, so the
            # blocks give the same numbers.
            block = max(1, _BLOCK_CELLS // (n_groups * self.days))
            for first in range(0, len(keys), block):
                part = membership[first:first + block]

                def of_scopes(histograms, part=part, n_groups=n_groups):
                    return (part @ histograms).toarray().reshape(part.shape[0] * n_groups,
                                                                 self.days)

                self._curve_rows(population, keys[first:first + block], groups, out, at, grid,
                                 *survival.batch(of_scopes(ended), of_scopes(censored)))
        visits = {name: (membership @ values).tolist() for name, values in self.visits.items()}
        for k, key in enumerate(keys):
            out[key] += self._visit_rows(*key, {name: v[k] for name, v in visits.items()})
        return out

    def _curve_rows(self, population, keys, groups, out, at, grid, n, curves, ended_by,
                    total_by) -> None:
        """The retention and median rows of these scopes' curves (`survival.batch`'s output,
        a row per scope and group)."""
        n_groups = len(groups)
        below = curves <= 0.5
        medians = np.where(below.any(axis=1), below.argmax(axis=1), -1).tolist()
        sizes, shares = n.tolist(), curves[:, at].tolist()
        ended_at, total_at = ended_by[:, at].tolist(), total_by[:, at].tolist()
        retention = [retention_variable(population, months) for months, _day in grid]
        median_name = median_variable(population)
        for k, (scope, code) in enumerate(keys):
            rows = out[(scope, code)]
            for g, group in enumerate(groups):
                i = k * n_groups + g
                size = sizes[i]
                for j, variable in enumerate(retention):
                    at_risk = size - total_at[i][j]
                    share = shares[i][j]
                    # Not estimable without anybody, or once everybody still observed
                    # before t was censored (the curve says nothing past its last
                    # observation).
                    known = size and not (at_risk == 0 and share > 0)
                    rows.append(Result(self._statistic(
                        scope, code, variable, group,
                        _quantize(share * 100, "0.1") if known else None, size),
                        (ended_at[i][j], at_risk)))
                median = None if medians[i] < 0 else medians[i] / survival.MONTH_DAYS
                rows.append(Result(self._statistic(scope, code, median_name, group,
                                                   _quantize(median, "0.1"), size)))

    def _statistic(self, scope, code, variable, category, value, base) -> Figure:
        # Figure.statistic's row, made directly: a year makes some 60,000 of them.
        return Figure(self.year, scope, code, variable, category, None, base, None, False,
                      value)

    def _visit_rows(self, scope, code, v) -> list[Result]:
        def rate(count, days):
            return None if not days else _quantize(count / (days / survival.MONTH_DAYS), "0.01")

        share = None if not v["monthly_base"] else _quantize(
            100 * v["monthly"] / v["monthly_base"], "0.1")
        return [
            Result(self._statistic(scope, code, visits_variable("per_volunteer_month"), "all",
                                   rate(v["volunteer_visits"], v["volunteer_days"]),
                                   v["volunteers"])),
            Result(self._statistic(scope, code, visits_variable("per_mother_month"), "all",
                                   rate(v["visits"], v["mother_days"]), v["matched"])),
            Result(self._statistic(scope, code, visits_variable("monthly_share"), "all", share,
                                   v["monthly_base"]),
                   (v["monthly"], v["monthly_base"] - v["monthly"])),
        ]

    def digest_parts(self):
        """What the results depend on, for the publication's digest: the cutoff and every
        site's inputs (`site_bytes`), in the order of the sites."""
        yield str(self.cutoff).encode()
        empty = SiteInputs(np.zeros((0, 2), np.int64), np.zeros((0, 2), np.int64),
                           np.zeros(len(VISIT_NAMES), np.int64))
        for pk in self.index:
            yield site_bytes(self.inputs.get(pk, empty))


def site_bytes(site: SiteInputs) -> bytes:
    """A site's inputs as bytes (the lengths, the visits sums, the mothers' and the
    volunteers' rows), and back (`site_from_bytes`): how they are kept and digested."""
    return b"".join([np.array([len(site.mothers), len(site.volunteers)], np.int64).tobytes(),
                     np.ascontiguousarray(site.visits, np.int64).tobytes(),
                     np.ascontiguousarray(site.mothers, np.int64).tobytes(),
                     np.ascontiguousarray(site.volunteers, np.int64).tobytes()])


def site_from_bytes(data: bytes) -> SiteInputs:
    values = np.frombuffer(data, np.int64)
    n_mothers, n_volunteers = int(values[0]), int(values[1])
    start = 2 + len(VISIT_NAMES)
    middle = start + 2 * n_mothers
    return SiteInputs(values[start:middle].reshape(-1, 2),
                      values[middle:middle + 2 * n_volunteers].reshape(-1, 2),
                      values[2:start])


def _split(rows: np.ndarray) -> dict[int, np.ndarray]:
    """(site id, key, persons) rows as site id -> its (key, persons) rows ordered by key: the
    database returns groups in any order, and a site's inputs are digested as bytes."""
    if not len(rows):
        return {}
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    bounds = np.flatnonzero(np.diff(rows[:, 0])) + 1
    return {int(part[0, 0]): np.ascontiguousarray(part[:, 1:])
            for part in np.split(rows, bounds)}


# Status of a person in `_PERSONS`: still in at the cutoff (censored), ended completed, ended
# otherwise.
_CENSORED, _COMPLETED, _EARLY = 0, 1, 2

_PERSONS = """
SELECT site_id, key, COUNT(*)
FROM (SELECT site_id,
             ((CASE WHEN end_date IS NULL OR end_date > %s THEN 0
                    WHEN end_reason = %s THEN 1 ELSE 2 END) * {cohorts} + {year} - %s) * %s
             + CASE WHEN end_date IS NOT NULL AND end_date <= %s THEN {day_end} ELSE %s END
             - {day_start} AS key
      FROM {table}
      WHERE site_id IN ({ids}) AND start_date >= %s AND start_date <= %s) persons
GROUP BY site_id, key
""".replace("{cohorts}", str(COHORTS))

_ACTIVE = """
SELECT site_id, COUNT(*), CAST(SUM({overlap}) AS BIGINT)
FROM {table}
WHERE site_id IN ({ids}) AND start_date <= %s AND (end_date IS NULL OR end_date >= %s)
GROUP BY site_id
"""

# Per mother matched in the year: her matched days and the whole months one of her matches
# covered (`whole`); per mother visited in the year: her visits and the months she was
# visited in (`Dialect.bit_or`); then per site the counts over her site's mothers. The visits
# are grouped per mother with GROUP BY, not DISTINCT: at a million visits PostgreSQL's hashed
# DISTINCT spilled for minutes.
_MATCHED = """
WITH matched AS (
    SELECT ma.mother_id, SUM({overlap}) AS days, {whole} AS whole
    FROM {match} ma
    WHERE ma.start_date <= %s AND (ma.end_date IS NULL OR ma.end_date >= %s)
      AND {match_mothers}
    GROUP BY ma.mother_id),
visited AS (
    SELECT v.mother_id, COUNT(*) AS visits, COUNT(v.volunteer_id) AS with_volunteer,
           {visited} AS months
    FROM {visit} v
    WHERE v.date >= %s AND v.date <= %s
      AND {visit_mothers}
    GROUP BY v.mother_id)
SELECT mo.site_id, COUNT(p.days), CAST(SUM({least}(COALESCE(p.days, 0), %s)) AS BIGINT),
       CAST(SUM(CASE WHEN p.whole <> 0 THEN 1 ELSE 0 END) AS BIGINT),
       CAST(SUM(CASE WHEN p.whole <> 0 AND (p.whole & ~COALESCE(p.months, 0)) = 0
                THEN 1 ELSE 0 END) AS BIGINT),
       COALESCE(CAST(SUM(p.visits) AS BIGINT), 0),
       COALESCE(CAST(SUM(p.with_volunteer) AS BIGINT), 0)
FROM (SELECT COALESCE(m.mother_id, vi.mother_id) AS mother_id, m.days, m.whole, vi.visits,
             vi.with_volunteer, vi.months
      FROM matched m FULL JOIN visited vi ON vi.mother_id = m.mother_id) p
JOIN {mother} mo ON mo.id = p.mother_id
WHERE mo.site_id IN ({ids})
GROUP BY mo.site_id
"""


@dataclass(frozen=True)
class _Dialect:
    """The few expressions SQLite and PostgreSQL spell differently."""

    vendor: str

    def day(self, column: str) -> str:
        """A date column as its day number since 1970-01-01 (an integer)."""
        if self.vendor == "postgresql":
            return f"({column} - DATE '1970-01-01')"
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"

    def year(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"CAST(date_part('year', {column}) AS INTEGER)"
        return f"CAST(strftime('%%Y', {column}) AS INTEGER)"

    @property
    def least(self) -> str:
        # PostgreSQL's LEAST and GREATEST skip NULLs, SQLite's MIN and MAX return NULL: every
        # argument given to them here is never NULL.
        return "LEAST" if self.vendor == "postgresql" else "MIN"

    @property
    def greatest(self) -> str:
        return "GREATEST" if self.vendor == "postgresql" else "MAX"

    def overlap(self, start: str, end: str) -> str:
        """Days of [start, end] (end empty: ongoing) inside [first, last]; three parameters
        (`overlap_params`)."""
        return (f"{self.greatest}({self.least}(COALESCE({self.day(end)}, %s), %s)"
                f" - {self.greatest}({self.day(start)}, %s) + 1, 0)")

    @staticmethod
    def overlap_params(first: dt.date, last: dt.date) -> list:
        return [_epoch_day(last), _epoch_day(last), _epoch_day(first)]

    def mothers_of(self, column: str, mother: str, ids: list) -> tuple[str, list]:
        """A condition that `column` is the id of a mother of these sites, and its
        parameters. Only for a few sites (the kept results after a change at one): for many,
        filtering every match and visit by her site cost PostgreSQL seconds at a million
        mothers, and the query keeps only the sites' mothers in the end anyway. PostgreSQL
        is handed the few sites' mothers as an array: with a subquery it scanned every visit
        of the year (0.16 s for one site) rather than looking up a site's few thousand
        mothers in the visits' index (0.03 s)."""
        if len(ids) > FEW_SITES:
            return "1 = 1", []
        mothers = f"SELECT id FROM {mother} WHERE site_id IN ({_placeholders(ids)})"  # noqa: S608
        if self.vendor == "postgresql":
            return f"{column} = ANY (ARRAY({mothers}))", list(ids)
        return f"{column} IN ({mothers})", list(ids)

    def month_mask(self, column: str) -> str:
        """The months of the dates in a group as a 12-bit mask (bit 0: January)."""
        if self.vendor == "postgresql":
            return f"BIT_OR(1 << (CAST(date_part('month', {column}) AS INTEGER) - 1))"
        return self.bit_or([(f"CAST(strftime('%%m', {column}) AS INTEGER) = {m + 1}", 1 << m)
                            for m in range(12)])

    def bit_or(self, terms: list[tuple[str, int]]) -> str:
        """The bitwise or over a group of the bits whose conditions hold: PostgreSQL's
        BIT_OR of one mask per row; SQLite has no BIT_OR, so one MAX per bit."""
        if not terms:
            return "0"
        if self.vendor == "postgresql":
            return "BIT_OR(" + " + ".join(f"CASE WHEN {c} THEN {b} ELSE 0 END"
                                          for c, b in terms) + ")"
        return " + ".join(f"MAX(CASE WHEN {c} THEN {b} ELSE 0 END)" for c, b in terms)


# PostgreSQL settings for reading: its JIT compiled the grouped queries for seconds (longer than
# running them at a million mothers); with the default work_mem their hash aggregates spilled
# to disk; and parallel workers each built the same per-mother aggregates again under a
# parallel join (three times the work on two cores).
_READING = {"jit": "off", "work_mem": WORK_MEM, "max_parallel_workers_per_gather": "0"}


@contextlib.contextmanager
def _settings(needed: bool):
    """`_READING` for the reading transaction, and what was set before put back after it, so
    a caller's own transaction (a publication build) goes on with its own settings."""
    from django.db import connection

    if not needed or connection.vendor != "postgresql":
        yield
        return
    names = list(_READING)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(
            "current_setting(%s), set_config(%s, %s, true)" for _name in names),
            [p for name in names for p in (name, name, _READING[name])])
        before = cursor.fetchone()[::2]
    yield
    # Not after an error: the transaction is rolled back then, and its settings with it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _n in names),
                       [p for name, value in zip(names, before, strict=True)
                        for p in (name, value)])


def _sql() -> _Dialect:
    from django.db import connection

    return _Dialect(connection.vendor)


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _fetch(query: str, params) -> np.ndarray:
    """The rows of an all-integer query as a 2-D array."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    return np.array(rows, np.int64).reshape(len(rows), -1) if rows else np.zeros((0, 0), np.int64)


def _epoch_day(day: dt.date) -> int:
    return day.toordinal() - _EPOCH


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))

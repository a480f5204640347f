"""The results readers as they were before the day arithmetic and grouping moved into SQL:
every person, match and visit read as Python objects and folded in numpy, and every ended
mother read with her answers as subqueries (`site_measures`). Kept for
tests/results/test_fast_read.py, which checks that the set-based readers of mim.results give
exactly the same histograms, visits statistics, rows and measures on random data."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import ExtractMonth

from mim.figures.tidy import Figure
from mim.registry.models import Mother, SelfAssessment
from mim.results import survival
from mim.results.assessment import AIMS, Measure
from mim.results.variables import (
    COMPLETED,
    GRID,
    cohort_category,
    median_variable,
    retention_variable,
    visits_variable,
)

COHORTS = 3  # the year's start cohort and the two before it


@dataclass(frozen=True)
class Result:
    """A results row before publication, with the counts its publication rule looks at
    (`cells`: each must be 0 or at least MIN_CELL; never published themselves)."""

    figure: Figure
    cells: tuple[int, ...] = ()


def cutoff_of(year: int, today: dt.date | None = None) -> dt.date:
    return min(dt.date(year, 12, 31), today or dt.date.today())


def _quantize(value: float | None, places: str) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


class YearResults:
    """One year's results inputs for the given sites (objects with `pk` and `code`)."""

    def __init__(self, year: int, sites, *, today: dt.date | None = None):
        self.year = year
        self.cutoff = cutoff_of(year, today)
        self.first = dt.date(year - COHORTS + 1, 1, 1)
        self.cohorts = tuple(range(year - COHORTS + 1, year + 1))
        sites = list(sites)
        self.index = {s.pk: i for i, s in enumerate(sites)}
        self.code_index = {s.code: i for i, s in enumerate(sites)}
        # Longest duration a curve can hold: from the first cohort's first day to the cutoff.
        self.days = max((self.cutoff - self.first).days + 1, 1)
        self.mothers = self._curves(self._person_rows("mother", sites), mothers=True)
        self.volunteers = self._curves(self._person_rows("volunteer", sites), mothers=False)
        self.visits = self._visits(sites)
        # Per population: its groups and their histograms stacked (group, site, day), so a
        # scope's curves are one sum over its sites and one batch of the estimator.
        self.stacks = {population: (list(curves), np.stack([curves[g][0] for g in curves]),
                                    np.stack([curves[g][1] for g in curves]))
                       for population, curves in (("mothers", self.mothers),
                                                  ("volunteers", self.volunteers))}

    # --- reading ------------------------------------------------------------------------------

    def _person_rows(self, kind: str, sites):
        from mim.registry.models import Mother, Volunteer

        model = Mother if kind == "mother" else Volunteer
        if not sites or self.cutoff < self.first:
            return []
        return list(model.objects.filter(site_id__in=list(self.index),
                                         start_date__gte=self.first,
                                         start_date__lte=self.cutoff)
                    .values_list("site_id", "start_date", "end_date", "end_reason")
                    .order_by())

    def _curves(self, rows, *, mothers: bool) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """group -> (ended, censored) histograms of shape (sites, days)."""
        n_sites = max(len(self.index), 1)
        groups = ["all", *(cohort_category(y) for y in self.cohorts)]
        if mothers:
            groups += [COMPLETED, "stopped_early"]
        shape = (n_sites, self.days)
        out = {g: (np.zeros(shape, np.int64), np.zeros(shape, np.int64)) for g in groups}
        if not rows:
            return out
        site = np.fromiter((self.index[r[0]] for r in rows), np.int64, len(rows))
        # Dates as day numbers (date.toordinal, a C call): far cheaper than datetime64.
        n = len(rows)
        start = np.fromiter((r[1].toordinal() for r in rows), np.int64, n)
        cutoff = self.cutoff.toordinal()
        ends = np.fromiter((r[2].toordinal() if r[2] else cutoff for r in rows), np.int64, n)
        ended = np.fromiter((r[2] is not None for r in rows), bool, n) & (ends <= cutoff)
        days = np.where(ended, ends, cutoff) - start
        year = np.full(n, self.cohorts[0] - 1, np.int64)
        for y in self.cohorts:
            year[start >= dt.date(y, 1, 1).toordinal()] = y
        reasons = np.array([r[3] for r in rows], dtype=object)

        def add(group, mask):
            e, c = out[group]
            for target, flags in ((e, mask & ended), (c, mask & ~ended)):
                flat = site[flags] * self.days + days[flags]
                target += np.bincount(flat, minlength=shape[0] * shape[1]).reshape(shape)

        everyone = np.ones(len(rows), bool)
        add("all", everyone)
        for y in self.cohorts:
            add(cohort_category(y), year == y)
        if mothers:
            completed = reasons == COMPLETED
            add(COMPLETED, ended & completed)
            add("stopped_early", ended & ~completed)
        return out

    def _visits(self, sites) -> dict[str, np.ndarray]:
        """Per site: visits in the year, volunteer-days active, matched mother-days, matched
        mothers, volunteers, mothers with a whole matched month, and those of them visited in
        every whole month they were matched."""
        from mim.registry.models import Match, Visit, Volunteer

        n = max(len(self.index), 1)
        out = {name: np.zeros(n, np.int64) for name in (
            "visits", "volunteer_visits", "volunteer_days", "volunteers", "mother_days",
            "matched", "monthly_base", "monthly")}
        first, last = dt.date(self.year, 1, 1), self.cutoff
        if not sites or last < first:
            return out
        ids = list(self.index)
        period = (last - first).days + 1
        # Visits per site (one grouped count).
        for site_id, visits, with_volunteer in (
                Visit.objects.filter(date__gte=first, date__lte=last, mother__site_id__in=ids)
                .values_list("mother__site_id")
                .annotate(n=Count("pk"), v=Count("pk", filter=Q(volunteer__isnull=False)))
                .order_by()):
            out["visits"][self.index[site_id]] += visits
            out["volunteer_visits"][self.index[site_id]] += with_volunteer
        # Volunteers active in the year and their days active in it.
        rows = list(Volunteer.objects.filter(site_id__in=ids, start_date__lte=last)
                    .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
                    .values_list("site_id", "start_date", "end_date").order_by())
        if rows:
            site = np.fromiter((self.index[r[0]] for r in rows), np.int64, len(rows))
            days = _overlap(rows, first, last)
            np.add.at(out["volunteer_days"], site, days)
            np.add.at(out["volunteers"], site, 1)
        # Matches in the year: matched mother-days (per mother at most the period), and the
        # whole calendar months each mother was matched, as a 12-bit mask.
        matches = list(Match.objects.filter(mother__site_id__in=ids, start_date__lte=last)
                       .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
                       .values_list("mother__site_id", "mother_id", "start_date", "end_date")
                       .order_by())
        if not matches:
            return out
        # Per mother (numpy over the match columns, no loop over persons): her site, her
        # matched days, and a 12-bit mask of the whole months she was matched.
        mother_ids = np.fromiter((r[1] for r in matches), np.int64, len(matches))
        mothers, which = np.unique(mother_ids, return_inverse=True)
        site_of = np.zeros(len(mothers), np.int64)
        site_of[which] = np.fromiter((self.index[r[0]] for r in matches), np.int64,
                                     len(matches))
        days = np.zeros(len(mothers), np.int64)
        np.add.at(days, which, _overlap([(None, r[2], r[3]) for r in matches], first, last))
        starts = np.fromiter((r[2].toordinal() for r in matches), np.int64, len(matches))
        stops = np.fromiter(((r[3] or last).toordinal() for r in matches), np.int64,
                            len(matches))
        whole = np.zeros(len(mothers), np.int64)
        for m in range(12):
            a, b = dt.date(self.year, m + 1, 1), _month_end(self.year, m + 1)
            if b > last:
                break
            covered = (starts <= a.toordinal()) & (stops >= b.toordinal())
            np.bitwise_or.at(whole, which[covered], 1 << m)
        visited = np.zeros(len(mothers), np.int64)
        # Every visit of the year as (mother, month), with neither a join nor DISTINCT (a
        # million visits made PostgreSQL's hash aggregate spill for minutes): the mothers
        # matched at these sites are picked out below, repeats fold into the mask.
        pairs = list(Visit.objects.filter(date__gte=first, date__lte=last)
                     .annotate(month=ExtractMonth("date"))
                     .values_list("mother_id", "month").order_by())
        if pairs:
            visit_mother = np.fromiter((p[0] for p in pairs), np.int64, len(pairs))
            months_seen = np.fromiter((p[1] for p in pairs), np.int64, len(pairs))
            at = np.searchsorted(mothers, visit_mother)
            found = (at < len(mothers)) & (mothers[np.minimum(at, len(mothers) - 1)]
                                           == visit_mother)
            np.bitwise_or.at(visited, at[found], 1 << (months_seen[found] - 1))
        np.add.at(out["matched"], site_of, 1)
        np.add.at(out["mother_days"], site_of, np.minimum(days, period))
        with_whole = whole != 0
        np.add.at(out["monthly_base"], site_of[with_whole], 1)
        np.add.at(out["monthly"], site_of[with_whole & ((whole & ~visited) == 0)], 1)
        return out

    # --- rows ---------------------------------------------------------------------------------

    def rows(self, scope: str, code: str, site_codes) -> list[Result]:
        """The results rows of a scope made of these sites (those without records add
        nothing), unprotected: mim.publication decides what is published."""
        members = [self.code_index[c] for c in site_codes if c in self.code_index]
        out: list[Result] = []
        last = self.days - 1
        grid = [(m, min(survival.day_of(m), last)) for m in GRID]
        for population, (groups, ended, censored) in self.stacks.items():
            n, curves, ended_by, total_by = survival.batch(ended[:, members, :].sum(axis=1),
                                                           censored[:, members, :].sum(axis=1))
            below = curves <= 0.5
            for g, group in enumerate(groups):
                size = int(n[g])
                for months, day in grid:
                    at_risk = size - int(total_by[g, day])
                    share = float(curves[g, day])
                    # Not estimable without anybody, or once everybody still observed before t
                    # was censored (the curve says nothing past its last observation).
                    known = size and not (at_risk == 0 and share > 0)
                    out.append(Result(self._statistic(
                        scope, code, retention_variable(population, months), group,
                        _quantize(share * 100, "0.1") if known else None, size),
                        (int(ended_by[g, day]), at_risk)))
                median = (int(below[g].argmax()) / survival.MONTH_DAYS if below[g].any()
                          else None)
                out.append(Result(self._statistic(scope, code, median_variable(population),
                                                  group, _quantize(median, "0.1"), size)))
        out += self._visit_rows(scope, code, members)
        return out

    def _statistic(self, scope, code, variable, category, value, base) -> Figure:
        return Figure.statistic(year=self.year, scope=scope, scope_code=code, variable=variable,
                                category=category, value=value, base=base)

    def _visit_rows(self, scope, code, members) -> list[Result]:
        v = {name: int(values[members].sum()) for name, values in self.visits.items()}

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
        """What the results depend on, for the publication's digest."""
        yield str(self.cutoff).encode()
        for curves in (self.mothers, self.volunteers):
            for group, (ended, censored) in curves.items():
                yield group.encode()
                yield ended.tobytes()
                yield censored.tobytes()
        for name, values in self.visits.items():
            yield name.encode()
            yield values.tobytes()


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


def _overlap(rows, first: dt.date, last: dt.date) -> np.ndarray:
    """Days of [start, end] (end empty: ongoing) inside [first, last], per row."""
    if not rows:
        return np.zeros(0, np.int64)
    n = len(rows)
    start = np.fromiter((r[1].toordinal() for r in rows), np.int64, n)
    stop = np.fromiter(((r[2] or last).toordinal() for r in rows), np.int64, n)
    return np.maximum(np.minimum(stop, last.toordinal()) - np.maximum(start, first.toordinal())
                      + 1, 0)


def site_measures(year: int, site_ids):
    """Every mother ended in `year` at the sites, with her changes: one query."""
    ids = sorted(set(site_ids))
    if not ids:
        return []

    def answer(moment: str, aim: str) -> Subquery:
        return Subquery(SelfAssessment.objects.filter(mother=OuterRef("pk"), moment=moment)
                        .values(aim)[:1])

    annotations = {f"{moment}_{aim}": answer(moment, aim)
                   for moment in (SelfAssessment.INTAKE, SelfAssessment.END) for aim in AIMS}
    annotations["end_id"] = Subquery(SelfAssessment.objects.filter(
        mother=OuterRef("pk"), moment=SelfAssessment.END).values("pk")[:1])
    names = ["site_id", *annotations]
    rows = (Mother.objects.filter(site_id__in=ids, end_date__gte=dt.date(year, 1, 1),
                                  end_date__lte=dt.date(year, 12, 31))
            .order_by().annotate(**annotations).values_list(*names))
    found = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        pairs = tuple(
            None if values[f"intake_{aim}"] is None or values[f"end_{aim}"] is None
            else (values[f"intake_{aim}"], values[f"end_{aim}"]) for aim in AIMS)
        found.append(Measure(values["site_id"], values["end_id"] is not None, pairs))
    return found


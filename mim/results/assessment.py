"""What changes for the mother: the self-assessment's paired change per aim, intake to end.

Population: the mothers *ended* in the year at the scope's sites (the data standard's
`mothers_ended`). Per aim, a *pair* is a mother with both an intake and an end answer on it;
the change is end - intake (-4 .. +4), its mean the figure, with a 95% confidence interval by
a paired bootstrap: the differences are resampled (each mother keeps her own pair), 9,999
times, with a fixed seed, and the interval is the bias-corrected and accelerated (BCa) one of
scipy.stats.bootstrap. Beside it, always, the share of the ended mothers with an end
measurement: a missing end is the first threat to such a result (mothers who leave early
are seldom measured, and may be the ones who changed least).

Why the bootstrap and not the Wilcoxon signed-rank test: the answers are 1-5, so the
differences are a handful of integers with many ties and zeros, where the Hodges-Lehmann
estimate and its interval move in jumps and are often exactly 0 or 1; and the figure the
office asked for is the *mean* change, whose interval is what the bootstrap gives. With a
fixed seed the interval is the same on every build, so a publication's digest is stable.

Set-based: `site_measures` counts the ended mothers of the given sites per site and reads the
intake and end answers of those who have any, in two queries whatever the number of sites,
scopes or mothers; the statistics of every scope are then sums over those rows in Python.

The publication rule (docs/results-assessment.md): `publication_figures` shows an aim of a
published scope only with at least standard.MIN_POPULATION pairs, and hides more where a
difference of published scopes would leave the answers of fewer mothers than that
(`_cover_remainders`). Nothing here leaves the coordinator role by itself: the publication
build (mim.publication.build) stores these rows with the year's publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db.models import Count

from mim.figures import standard
from mim.figures.tidy import Figure
from mim.registry.models import Mother, SelfAssessment

AIMS = standard.ASSESSMENT_AIMS
SEED = 20261213
RESAMPLES = 9_999
CONFIDENCE = 0.95
_PLACES = Decimal("0.01")

ScopeKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Measure:
    """One ended mother: her site, whether she has an end measurement, and per aim her
    (intake, end) answers, or None when either is missing."""

    site_id: int
    end_measured: bool
    answers: tuple[tuple[int, int] | None, ...]  # in the order of AIMS

    @property
    def changes(self) -> tuple[int | None, ...]:
        return tuple(None if a is None else a[1] - a[0] for a in self.answers)


@dataclass
class Result:
    """The statistics of one scope (unsuppressed)."""

    ended: int = 0
    end_measured: int = 0
    changes: dict[str, list[int]] = field(default_factory=lambda: {aim: [] for aim in AIMS})
    # The pairs' answers at intake and at the end, in the order of `changes`.
    intakes: dict[str, list[int]] = field(default_factory=lambda: {aim: [] for aim in AIMS})
    ends: dict[str, list[int]] = field(default_factory=lambda: {aim: [] for aim in AIMS})

    def pairs(self, aim: str) -> int:
        return len(self.changes[aim])


def site_measures(year: int, site_ids: Iterable[int]) -> list[Measure]:
    """Every mother ended in `year` at the sites, with her changes: two queries. The mothers
    are counted per site; only those with an intake or end answer are read one by one (in
    the order of their ids, which fixes the order the bootstrap resamples in), and the
    others are a count of measures without answers. At a million mothers, reading each
    ended mother with her answers as subqueries took seconds on every publication check."""
    ids = sorted(set(site_ids))
    if not ids:
        return []
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ended = dict(Mother.objects.filter(site_id__in=ids, end_date__gte=first, end_date__lte=last)
                 .values_list("site_id").annotate(n=Count("pk")).order_by())
    answers: dict[int, tuple[int, dict[str, tuple]]] = {}
    for mother_id, site_id, moment, *values in (
            SelfAssessment.objects.filter(
                mother__site_id__in=ids, mother__end_date__gte=first,
                mother__end_date__lte=last,
                moment__in=[SelfAssessment.INTAKE, SelfAssessment.END])
            .values_list("mother_id", "mother__site_id", "moment", *AIMS)
            .order_by("mother_id")):
        answers.setdefault(mother_id, (site_id, {}))[1][moment] = tuple(values)
    found = []
    none = tuple(None for _aim in AIMS)
    for site_id, by_moment in answers.values():
        intake = by_moment.get(SelfAssessment.INTAKE, none)
        end = by_moment.get(SelfAssessment.END, none)
        pairs = tuple(None if i is None or e is None else (i, e)
                      for i, e in zip(intake, end, strict=True))
        found.append(Measure(site_id, SelfAssessment.END in by_moment, pairs))
        ended[site_id] -= 1
    plain = {site_id: Measure(site_id, False, none) for site_id in ended}
    for site_id, n in ended.items():
        found += [plain[site_id]] * n
    return found


def results(measures: Iterable[Measure], scopes: Mapping[ScopeKey, Iterable[int]]
            ) -> dict[ScopeKey, Result]:
    """The statistics of every scope (scope key -> the site ids it is made of)."""
    by_site: dict[int, list[Measure]] = {}
    for measure in measures:
        by_site.setdefault(measure.site_id, []).append(measure)
    out = {}
    for key, site_ids in scopes.items():
        result = Result()
        for site_id in set(site_ids):
            for measure in by_site.get(site_id, ()):
                result.ended += 1
                result.end_measured += measure.end_measured
                for aim, pair in zip(AIMS, measure.answers, strict=True):
                    if pair is not None:
                        result.intakes[aim].append(pair[0])
                        result.ends[aim].append(pair[1])
                        result.changes[aim].append(pair[1] - pair[0])
        out[key] = result
    return out


def mean_change(changes: list[int]) -> Decimal | None:
    if not changes:
        return None
    return _rounded(Decimal(sum(changes)) / Decimal(len(changes)))


def confidence_interval(changes: list[int]) -> tuple[Decimal, Decimal] | None:
    """The 95% paired-bootstrap (BCa) interval of the mean change; None for fewer than two
    pairs. Every mother the same change: the interval is that change (nothing varies)."""
    if len(changes) < 2:
        return None
    data = np.asarray(changes, dtype=float)
    if np.all(data == data[0]):
        value = _rounded(Decimal(int(data[0])))
        return value, value
    # Imported here: scipy.stats takes over a second to import, and most builds of a
    # publication (every year without self-assessments) and a publication's check (the digest
    # of these inputs) never bootstrap.
    from scipy import stats

    found = stats.bootstrap((data,), np.mean, confidence_level=CONFIDENCE,
                            n_resamples=RESAMPLES, method="BCa",
                            rng=np.random.default_rng(SEED))
    low, high = found.confidence_interval
    if not (np.isfinite(low) and np.isfinite(high)):  # BCa undefined: the percentile one
        found = stats.bootstrap((data,), np.mean, confidence_level=CONFIDENCE,
                                n_resamples=RESAMPLES, method="percentile",
                                rng=np.random.default_rng(SEED))
        low, high = found.confidence_interval
    return _rounded(Decimal(str(low))), _rounded(Decimal(str(high)))


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def scope_figures(year: int, scope: str, code: str, result: Result, *, shown: set[str],
                  end_shown: bool, provisional: bool = False) -> list[Figure]:
    """The tidy rows of one scope: per aim pairs, intake_mean, end_mean (the pairs' mean
    answers), change, ci_low, ci_high (hidden, ×,
    unless the aim is in `shown`) and end_measured (hidden unless `end_shown`)."""
    rows = []
    for aim in AIMS:
        changes = result.changes[aim]
        ci = confidence_interval(changes) if aim in shown else None
        values = {"intake_mean": mean_change(result.intakes[aim]),
                  "end_mean": mean_change(result.ends[aim]), "change": mean_change(changes),
                  "ci_low": ci[0] if ci else None, "ci_high": ci[1] if ci else None}
        pairs = Figure.of(year=year, scope=scope, scope_code=code,
                          variable=standard.assessment_variable(aim, "pairs"), category="all",
                          count=len(changes), base=result.ended)
        stats_rows = [Figure.statistic(year=year, scope=scope, scope_code=code,
                                       variable=standard.assessment_variable(aim, name),
                                       category="all", value=values[name], base=len(changes))
                      for name in ("intake_mean", "end_mean", "change", "ci_low",
                                   "ci_high")]
        for row in (pairs, *stats_rows):
            rows.append(row if aim in shown else _hidden(row))
    end = Figure.of(year=year, scope=scope, scope_code=code,
                    variable=standard.ASSESSMENT_END_MEASURED, category="all",
                    count=result.end_measured, base=result.ended)
    rows.append(end if end_shown else _hidden(end))
    if provisional:
        from dataclasses import replace

        rows = [replace(row, provisional=True) for row in rows]
    return rows


def _hidden(row: Figure) -> Figure:
    """×, and no base either: the base (ended mothers, pairs) is a count of few persons."""
    from dataclasses import replace

    return replace(row.hidden(), base=None)


def figures(year: int, scopes: Mapping[ScopeKey, Iterable[int]]) -> list[Figure]:
    """Unsuppressed rows of every scope (a coordinator's own site; code inside the system):
    every aim shown, its change empty without pairs and its interval from two pairs."""
    scopes = {key: list(ids) for key, ids in scopes.items()}
    found = results(site_measures(year, {i for ids in scopes.values() for i in ids}), scopes)
    rows = []
    for (scope, code), result in found.items():
        rows += scope_figures(year, scope, code, result,
                              shown=set(AIMS), end_shown=True)
    return rows


def publication_figures(year: int, scopes: Mapping[ScopeKey, Iterable[int]], *,
                        published: Iterable[ScopeKey],
                        partitions: Iterable[tuple[ScopeKey, list[ScopeKey]]] = (),
                        provisional: Mapping[ScopeKey, bool] | None = None,
                        measures: Iterable[Measure] | None = None,
                        hidden_ended: Iterable[ScopeKey] = (),
                        attackers: Iterable[ScopeKey] = ()) -> list[Figure]:
    """The rows as the publication stores them, for every scope in `published`.

    `scopes` maps every scope key that matters to its site ids: the published ones and the
    terms nobody publishes (a small site inside a merged group), so that `partitions`
    (parent, children), the sums the publication's scopes make, can be checked. An aim of a
    published scope is shown when it has at least MIN_POPULATION pairs and no difference of
    shown scopes in a partition leaves fewer than that (else ×); end_measured likewise with
    its base (the ended mothers). `measures`: those of `site_measures` over the scopes'
    sites, when the caller has them (the publication keeps them per site).

    `hidden_ended`: the scopes whose ended mothers (`mothers_ended.total`) the counts hide.
    Every row here states that number as its base (or, with its count and percentage, gives
    it), so such a scope shows none of them. `attackers`: the sites whose coordinators hold
    their own site's rows (mim.publication.build); no rest of a partition may be small to
    any of them either."""
    scopes = {key: list(ids) for key, ids in scopes.items()}
    published = [key for key in published if key in scopes]
    if measures is None:
        measures = site_measures(year, {i for ids in scopes.values() for i in ids})
    found = results(measures, scopes)
    partitions = [(tuple(parent), [tuple(c) for c in children])
                  for parent, children in partitions]
    minimum = (standard.MIN_POPULATION,)
    hidden_ended = set(hidden_ended)
    allowed = [key for key in published if key not in hidden_ended]
    attackers = [set(), *({tuple(a)} for a in attackers)]
    shown_aims = {}
    for aim in AIMS:
        sizes = {key: (result.pairs(aim),) for key, result in found.items()}
        shown_aims[aim] = _cover_remainders(sizes, allowed, partitions, minimum, attackers)
    # The share measured at the end: its base (ended mothers) at least MIN_POPULATION and
    # its count no small cell (1-4), like every count of persons that is published.
    end_shown = _cover_remainders({key: (r.ended, r.end_measured) for key, r in found.items()},
                                  allowed, partitions,
                                  (standard.MIN_POPULATION, standard.MIN_CELL), attackers)
    rows = []
    for key in published:
        scope, code = key
        rows += scope_figures(year, scope, code, found[key],
                              shown={aim for aim in AIMS if key in shown_aims[aim]},
                              end_shown=key in end_shown,
                              provisional=bool(provisional and provisional.get(key)))
    return rows


def _cover_remainders(sizes: Mapping[ScopeKey, tuple[int, ...]], published: list[ScopeKey],
                      partitions: list[tuple[ScopeKey, list[ScopeKey]]],
                      minimum: tuple[int, ...], views: list[set] = ((),)) -> set[ScopeKey]:
    """The published scopes whose result may be shown: each of its sizes (pairs; or ended
    mothers and those measured) 0 or at least its minimum, the first at least its minimum;
    and no partition whose shown parent minus its shown children leaves a size between 1
    and its minimum (the hidden result would follow from the published ones: a mean change
    times its pairs is a sum). Where one does, the shown child with the fewest mothers is
    hidden too, or the parent when none is left; until no partition leaves such a rest. Each
    of `views` (the scopes an attacker holds as they are) is checked too: what she holds is
    no rest to her, and hiding it protects nothing."""
    empty = (0,) * len(minimum)

    def small(values) -> bool:
        return any(0 < v < m for v, m in zip(values, minimum, strict=True))

    shown = {key for key in published
             if sizes.get(key, empty)[0] >= minimum[0] and not small(sizes.get(key, empty))}
    changed = True
    while changed:
        changed = False
        for held in views:
            for parent, children in partitions:
                if parent not in shown and parent not in held:
                    continue
                rest = [sum(sizes.get(c, empty)[i] for c in children
                            if c not in shown and c not in held)
                        for i in range(len(minimum))]
                if small(rest):
                    candidates = sorted((c for c in children if c in shown and c not in held),
                                        key=lambda c: (sizes.get(c, empty), c))
                    if candidates:
                        shown.discard(candidates[0])
                    elif parent in shown:
                        shown.discard(parent)
                    else:
                        continue
                    changed = True
    return shown


def site_bytes(measures: list[Measure]) -> bytes:
    """One site's measures, in their order, as bytes (and back: `site_from_bytes`): how they
    are kept per site and digested (mim.publication.kept_results). A row per mother up to the
    last one with anything measured, (end measured, intake and end per aim, 0 for none), then
    the count of those after her with nothing: most ended mothers have no answers."""
    none = tuple(None for _aim in AIMS)
    answered = len(measures)
    while answered and (not measures[answered - 1].end_measured
                        and measures[answered - 1].answers == none):
        answered -= 1
    rows = np.zeros((answered, 1 + 2 * len(AIMS)), np.int64)
    for i, m in enumerate(measures[:answered]):
        rows[i, 0] = m.end_measured
        for a, pair in enumerate(m.answers):
            if pair is not None:
                rows[i, 1 + 2 * a:3 + 2 * a] = pair
    return (np.array([answered, len(measures) - answered], np.int64).tobytes()
            + rows.tobytes())


def site_from_bytes(site_id: int, data: bytes) -> list[Measure]:
    values = np.frombuffer(data, np.int64)
    answered, plain = int(values[0]), int(values[1])
    out = []
    for row in values[2:].reshape(answered, 1 + 2 * len(AIMS)).tolist():
        out.append(Measure(site_id, bool(row[0]), tuple(
            None if row[1 + 2 * a] == 0 else (row[1 + 2 * a], row[2 + 2 * a])
            for a in range(len(AIMS)))))
    none = tuple(None for _aim in AIMS)
    return out + [Measure(site_id, False, none)] * plain

"""The set-based results reader (mim.results.engine: days, groups and month masks computed in
SQL) against the reader it replaced (tests/results/recount.py, every row read into Python), on
random records: the same histograms, visits statistics and rows, to the last digit. Runs on
SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime as dt
import random

import numpy as np
import pytest

from mim.registry.models import Mother, SelfAssessment
from mim.results import assessment, engine
from mim.results.engine import YearResults
from tests.factories import MatchFactory, MotherFactory, SiteFactory, VisitFactory, VolunteerFactory
from tests.results import recount

YEAR = 2025
REASONS = ["completed", "moved", "no_time", "completed"]


def _day(rng, first, last):
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _random_world(seed):
    rng = random.Random(seed)
    sites = [SiteFactory() for _ in range(4)]
    for site in sites[:3]:  # the fourth site has no records at all
        volunteers = []
        for _ in range(rng.randrange(3, 9)):
            start = _day(rng, dt.date(2020, 6, 1), dt.date(2026, 3, 1))
            end = rng.choice([None, start + dt.timedelta(days=rng.randrange(0, 900))])
            volunteers.append(VolunteerFactory(site=site, start_date=start, end_date=end,
                                               end_reason="moved" if end else ""))
        for _ in range(rng.randrange(15, 30)):
            start = _day(rng, dt.date(2022, 1, 1), dt.date(2026, 2, 1))
            # Ended the same day, within the year, after the cutoff, or not at all.
            end = rng.choice([None, start, start + dt.timedelta(days=rng.randrange(0, 800))])
            mother = MotherFactory(site=site, start_date=start, end_date=end,
                                   end_reason=rng.choice(REASONS) if end else "")
            for k in range(rng.choice([0, 1, 1, 2])):  # sometimes two matches, overlapping
                begun = start + dt.timedelta(days=130 * k + rng.randrange(0, 120))
                stop = rng.choice([None, begun + dt.timedelta(days=rng.randrange(0, 500))])
                MatchFactory(mother=mother, volunteer=rng.choice(volunteers),
                             start_date=begun, end_date=stop)
            for _ in range(rng.randrange(0, 14)):
                VisitFactory(mother=mother, volunteer=rng.choice([None, *volunteers]),
                             date=_day(rng, dt.date(2024, 11, 1), dt.date(2026, 1, 31)))
    return sites


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("today", [dt.date(2026, 6, 1), dt.date(2025, 8, 14),
                                   dt.date(2025, 1, 20)])
# The matches and visits of a few sites are picked out before they are grouped, those of many
# after (`_Dialect.mothers_of`): both ways read the same.
@pytest.mark.parametrize("few_sites", [engine.FEW_SITES, 0])
def test_it_reads_exactly_what_the_row_by_row_reader_read(seed, today, few_sites, monkeypatch):
    monkeypatch.setattr(engine, "FEW_SITES", few_sites)
    sites = _random_world(seed)
    fast = YearResults(YEAR, sites, today=today)
    slow = recount.YearResults(YEAR, sites, today=today)
    assert fast.mothers.keys() == slow.mothers.keys()
    for population in ("mothers", "volunteers"):
        for group, (ended, censored) in getattr(slow, population).items():
            assert np.array_equal(getattr(fast, population)[group][0], ended), group
            assert np.array_equal(getattr(fast, population)[group][1], censored), group
    for name, values in slow.visits.items():
        assert np.array_equal(fast.visits[name], values), name
    assert slow.visits["matched"].sum() > 0 and slow.mothers["all"][0].sum() > 0
    codes = [s.code for s in sites]
    scopes = {("national", "NL"): codes, ("organisation", "pair"): codes[1:3],
              **{("site", c): [c] for c in codes}}
    together = fast.rows_by_scope(scopes)  # all scopes in one go, as the publication asks
    for (scope, code), members in scopes.items():
        expected = [(r.figure, r.cells) for r in slow.rows(scope, code, members)]
        assert [(r.figure, r.cells) for r in fast.rows(scope, code, members)] == expected
        assert [(r.figure, r.cells) for r in together[(scope, code)]] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [4, 5])
def test_it_reads_the_same_measures_as_the_mother_by_mother_reader(seed):
    rng = random.Random(seed)
    sites = [SiteFactory() for _ in range(3)]
    for site in sites[:2]:
        for _ in range(30):
            end = rng.choice([None, _day(rng, dt.date(2024, 6, 1), dt.date(2026, 3, 1))])
            mother = MotherFactory(site=site, start_date=dt.date(2024, 1, 15), end_date=end,
                                   end_reason="completed" if end else "")
            # Any of the three moments, each with some aims left empty.
            for moment, _label in rng.sample(list(SelfAssessment.MOMENT_CHOICES), rng.randrange(0, 4)):
                SelfAssessment.objects.create(
                    mother=mother, moment=moment, date=dt.date(2024, 2, 1), version="1",
                    **{aim: rng.choice([None, 1, 2, 3, 4, 5]) for aim in assessment.AIMS})
    ids = [s.pk for s in sites]
    fast = assessment.site_measures(YEAR, ids)
    slow = recount.site_measures(YEAR, ids)
    assert sorted(map(repr, fast)) == sorted(map(repr, slow))
    assert any(m.end_measured for m in slow) and any(not m.end_measured for m in slow)
    # Per site the answer pairs in the order of the mothers' ids (the seeded bootstrap resamples
    # in that order; the old reader's order was whatever its query plan gave).
    for site in ids:
        measured = [m.answers for m in fast if m.site_id == site and m.answers != (None,) * 5]
        assert measured == [m.answers for m in _by_id(site) if m.answers != (None,) * 5]


def _by_id(site_id):
    """The measures of a site's mothers ended in the year, one by one in the order of their ids."""
    out = []
    for mother in (Mother.objects.filter(site_id=site_id, end_date__year=YEAR).order_by("pk")
                   .prefetch_related("assessments")):
        answers = {a.moment: a for a in mother.assessments.all()}
        intake, end = answers.get(SelfAssessment.INTAKE), answers.get(SelfAssessment.END)
        out.append(assessment.Measure(site_id, end is not None, tuple(
            None if intake is None or end is None or getattr(intake, aim) is None
            or getattr(end, aim) is None else (getattr(intake, aim), getattr(end, aim))
            for aim in assessment.AIMS)))
    return out

"""Each site's results inputs kept per year (mim.publication.kept_results): a change at one site
reads that site alone, and what is kept always equals a fresh read, whatever path wrote the
matches, visits, self-assessments or the persons behind them. Runs on SQLite and on
PostgreSQL (DATABASE_URL), whose triggers differ."""

import datetime as dt
import random
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mim.accounts.models import Role
from mim.audit.services import audited_write
from mim.publication import build, kept_results, triggers
from mim.publication.inputs import YearFigures
from mim.publication.models import KeptSiteResults
from mim.registry import services
from mim.registry.models import Match, Mother, SelfAssessment, Visit, Volunteer
from mim.results import assessment
from mim.results.engine import YearResults
from mim.spreadsheets.services import records_import
from tests.factories import (
    MatchFactory,
    MotherFactory,
    OrganisationFactory,
    SiteFactory,
    VisitFactory,
    VolunteerFactory,
    user_with_role,
)
from tests.spreadsheets.conftest import csv_upload

pytestmark = pytest.mark.django_db
YEAR = 2025
AIMS = assessment.AIMS


def _day(rng, first, last):
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _answers(rng):
    return {aim: rng.choice([None, 1, 2, 3, 4, 5]) for aim in AIMS} | {"confidence":
                                                                       rng.randrange(1, 6)}


def _site(rng, organisation, n):
    """A site with random mothers of the cohorts 2023-2025, matches, visits in the year and
    self-assessments of those who ended in it; and, for the writes below, a volunteer and a
    mother who are free (`FREE-n`), one matched all year and visited monthly (`STEADY-n`),
    and one ended in the year with her intake measured only (`ENDED-n`)."""
    site = SiteFactory(organisation=organisation, first_year=2010)
    volunteers = [VolunteerFactory(site=site, start_date=_day(rng, dt.date(2022, 1, 1),
                                                              dt.date(2024, 12, 1)))
                  for _ in range(5)]
    VolunteerFactory(site=site, start_date=dt.date(2022, 5, 1), end_date=dt.date(2025, 4, 30),
                     end_reason="moved")
    free = VolunteerFactory(site=site, ref=f"FREE-{n}", start_date=dt.date(2024, 1, 1))
    for _ in range(22):
        start = _day(rng, dt.date(2023, 1, 1), dt.date(2025, 10, 1))
        end = rng.choice([None, _day(rng, start, dt.date(2026, 3, 1))])
        mother = MotherFactory(site=site, start_date=start, end_date=end,
                               end_reason=rng.choice(["completed", "moved"]) if end else "")
        if rng.random() < 0.7:
            match = MatchFactory(mother=mother, volunteer=rng.choice(volunteers),
                                 start_date=start + dt.timedelta(days=10), end_date=end)
            date = max(match.start_date, dt.date(YEAR, 1, 1))
            while date <= min(end or dt.date(YEAR, 12, 31), dt.date(YEAR, 12, 31)):
                VisitFactory(mother=mother, volunteer=rng.choice([None, match.volunteer]),
                             date=date)
                date += dt.timedelta(days=rng.randrange(20, 45))
        if end and end.year == YEAR and rng.random() < 0.8:
            _assess(mother, SelfAssessment.INTAKE, start, _answers(rng))
            if rng.random() < 0.7:
                _assess(mother, SelfAssessment.END, end, _answers(rng))
    MotherFactory(site=site, ref=f"FREE-{n}", start_date=dt.date(YEAR, 2, 1))
    steady = MotherFactory(site=site, ref=f"STEADY-{n}", start_date=dt.date(2024, 1, 10))
    MatchFactory(mother=steady, volunteer=free, start_date=dt.date(2024, 1, 24))
    for month in range(1, 7):
        VisitFactory(mother=steady, volunteer=free, date=dt.date(YEAR, month, 5))
    ended = MotherFactory(site=site, ref=f"ENDED-{n}", start_date=dt.date(2024, 2, 1),
                          end_date=dt.date(YEAR, 9, 30), end_reason="completed")
    _assess(ended, SelfAssessment.INTAKE, dt.date(2024, 2, 1), _answers(rng))
    return site


def _assess(mother, moment, date, answers):
    SelfAssessment.objects.create(mother=mother, moment=moment, date=date, version="1",
                                  **answers)


@pytest.fixture
def sites():
    rng = random.Random(11)
    one, two = OrganisationFactory(), OrganisationFactory()
    return [_site(rng, one, 0), _site(rng, one, 1), _site(rng, two, 2)]


def _scopes(sites):
    codes = [s.code for s in sites]
    return {("national", "NL"): codes, ("organisation", "pair"): codes[1:],
            **{("site", c): [c] for c in codes}}


def _fresh(sites):
    """Everything the publication takes from the results inputs, read afresh: every scope's
    rows, the inputs' digest, and every scope's self-assessment statistics."""
    results = YearResults(YEAR, sites)
    return _state(sites, results, assessment.site_measures(YEAR, [s.pk for s in sites]),
                  kept_results.fresh_results(YEAR, sites).measures_digest())


def _kept(sites):
    kept = kept_results.site_results(YEAR, sites)
    return _state(sites, kept.results, kept.measures, kept.measures_digest())


def _state(sites, results, measures, measures_digest):
    pk = {s.code: s.pk for s in sites}
    scopes = _scopes(sites)
    return ({key: [(r.figure, r.cells) for r in rows]
             for key, rows in results.rows_by_scope(scopes).items()},
            list(results.digest_parts()),
            assessment.results(measures, {k: [pk[c] for c in v] for k, v in scopes.items()}),
            measures_digest)


def _coordinator(site):
    return user_with_role(Role.COORDINATOR, site=site)


def _mother(ref):
    return Mother.objects.get(ref=ref)


def _web_match(sites):
    services.match_create(mother=_mother("FREE-0"), volunteer=Volunteer.objects.get(
        ref="FREE-0"), start_date=dt.date(YEAR, 3, 1), user=_coordinator(sites[0]))


def _web_match_end(sites):
    services.match_end(match=Match.objects.get(mother=_mother("STEADY-1")),
                       end_date=dt.date(YEAR, 6, 30), user=_coordinator(sites[1]))


def _web_visit(sites):
    services.visit_create(mother=_mother("STEADY-2"), date=dt.date(YEAR, 7, 20),
                          user=_coordinator(sites[2]))


def _visit_sheet(sites):
    services.visits_record(site=sites[0], month=dt.date(YEAR, 8, 1),
                           visits={"row": (_mother("STEADY-0"), dt.date(YEAR, 8, 21))},
                           user=_coordinator(sites[0]))


def _web_assessment(sites):
    services.assessment_save(mother=_mother("ENDED-1"), moment=SelfAssessment.END,
                             date=dt.date(YEAR, 9, 30), answers={aim: 4 for aim in AIMS},
                             user=_coordinator(sites[1]))


def _web_assessment_correction(sites):
    end = SelfAssessment.objects.filter(mother__site=sites[0], moment=SelfAssessment.END
                                        ).order_by("pk").first()
    services.assessment_save(mother=end.mother, moment=end.moment, date=end.date,
                             answers={aim: 1 for aim in AIMS}, revision=end.revision,
                             user=_coordinator(sites[0]))


def _assessment_sheet(sites):
    services.assessments_record(site=sites[2], entries={"row": (
        _mother("ENDED-2"), SelfAssessment.END, dt.date(YEAR, 9, 30), {aim: 5 for aim in AIMS})},
        user=_coordinator(sites[2]))


def _import(sites):
    result = records_import(site=sites[1], uploads=[csv_upload("visits", [
        {"mother_ref": "STEADY-1", "visit_date": f"{YEAR}-09-02", "volunteer_ref": ""}])])
    assert result.ok, [str(p) for p in result.problems]


def _erasure(sites):
    services.mother_erase(mother=_mother("STEADY-0"), user=_coordinator(sites[0]))


def _volunteer_erasure(sites):
    # Her visits stay with their mothers, without her: fewer visits with a volunteer.
    services.volunteer_erase(volunteer=Volunteer.objects.get(ref="FREE-1"),
                             user=_coordinator(sites[1]))


def _bulk_update(sites):
    with audited_write():
        Visit.objects.filter(mother__site=sites[1]).update(volunteer=None)


def _bulk_delete(sites):
    with audited_write():
        Match.objects.filter(mother__site=sites[2]).delete()


def _raw_sql_assessments(sites):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_selfassessment SET confidence = CASE WHEN confidence = 1 "
                       "THEN 5 ELSE 1 END WHERE mother_id IN "
                       "(SELECT id FROM registry_mother WHERE site_id = %s)", [sites[0].pk])


def _raw_sql_visits(sites):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_visit WHERE mother_id IN "
                       "(SELECT id FROM registry_mother WHERE site_id = %s)", [sites[1].pk])


def _mother_moves(sites):
    # Registered at the wrong site: she moves with her matches and visits, both sites change.
    with audited_write():
        Mother.objects.filter(ref="STEADY-0").update(site=sites[1])


def _mother_end(sites):
    mother = _mother("STEADY-2")
    services.mother_end(mother=mother, version=mother.version, end_date=dt.date(YEAR, 11, 30),
                        end_reason="moved", user=_coordinator(sites[2]))


def _volunteer_end(sites):
    volunteer = Volunteer.objects.get(ref="FREE-0")
    services.volunteer_end(volunteer=volunteer, version=volunteer.version,
                           end_date=dt.date(YEAR, 5, 31), end_reason="moved",
                           user=_coordinator(sites[0]))


WRITES = [_web_match, _web_match_end, _web_visit, _visit_sheet, _web_assessment,
          _web_assessment_correction, _assessment_sheet, _import, _erasure, _volunteer_erasure,
          _bulk_update, _bulk_delete, _raw_sql_assessments, _raw_sql_visits, _mother_moves,
          _mother_end, _volunteer_end]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__.strip("_") for w in WRITES])
def test_it_keeps_results_that_always_equal_a_fresh_read(sites, write):
    before = _fresh(sites)
    assert _kept(sites) == before  # reads and keeps
    assert KeptSiteResults.objects.filter(year=YEAR).count() == len(sites)
    write(sites)
    after = _fresh(sites)
    assert after != before  # the write moved the results: kept stale, they would differ
    assert _kept(sites) == after


def test_it_notices_a_write_path_that_raises_no_stamp(sites):
    """What the test above stands on: without the visits' triggers, a visit leaves the kept
    results stale."""
    assert _kept(sites) == _fresh(sites)
    with connection.cursor() as cursor:
        for sql in _remove_triggers_of("registry_visit"):
            cursor.execute(sql)
    _web_visit(sites)
    assert _kept(sites) != _fresh(sites)


def _remove_triggers_of(table):
    if connection.vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_site_{event} ON {table}"
                for event in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {table}_site_{event}_{row}"
            for event in ("insert", "update", "delete") for row in ("new", "old")]


def test_it_raises_a_site_stamp_on_every_table_the_results_read(sites):
    with CaptureQueriesContext(connection) as queries:
        kept_results.fresh_results(YEAR, sites)
    read = {table for q in queries for table in re.findall(r"\b(registry_\w+)", q["sql"])}
    assert {"registry_mother", "registry_volunteer", "registry_match", "registry_visit",
            "registry_selfassessment"} <= read
    assert read <= set(triggers.SITE_TABLES)


def test_it_reads_only_the_site_whose_records_changed(sites, django_assert_num_queries):
    assert _kept(sites) == _fresh(sites)
    read = []
    real = kept_results._read

    def spy(year, ids, today):
        read.append(sorted(ids))
        return real(year, ids, today)

    kept_results._read = spy
    try:
        _web_visit(sites)
        assert _kept(sites) == _fresh(sites)
    finally:
        kept_results._read = real
    # The kept results read the one site; the fresh read beside them read all three.
    assert read == [[sites[2].pk], sorted(s.pk for s in sites)]
    with django_assert_num_queries(2):  # stamps, kept rows: nothing read
        kept_results.site_results(YEAR, sites)
    kept_results._MEMORY.clear()  # a new process: the kept rows are read, not the records
    with django_assert_num_queries(3):
        kept_results.site_results(YEAR, sites)
    assert _kept(sites) == _fresh(sites)


def test_it_keeps_nothing_of_a_write_that_was_rolled_back(sites):
    before = _kept(sites)
    with pytest.raises(RuntimeError), transaction.atomic():
        _web_visit(sites)
        assert _kept(sites) == _fresh(sites) != before  # read inside, with the visit
        raise RuntimeError
    assert _kept(sites) == _fresh(sites) == before  # the kept rows went with the rollback
    # A later write raises the stamp to the value the rolled-back one had: what this process
    # remembers of the rolled-back read must not come back (kept rows carry a new token).
    _visit_sheet(sites)
    assert _kept(sites) == _fresh(sites)


def test_it_reads_again_for_another_day_or_another_reader(sites, monkeypatch):
    in_year = dt.date(YEAR, 7, 1)
    kept = kept_results.site_results(YEAR, sites, today=in_year)
    assert list(kept.results.digest_parts()) == list(
        YearResults(YEAR, sites, today=in_year).digest_parts())
    # The next day the year is observed a day longer: every site is read again.
    later = kept_results.site_results(YEAR, sites, today=in_year + dt.timedelta(days=1))
    assert list(later.results.digest_parts()) == list(
        YearResults(YEAR, sites, today=in_year + dt.timedelta(days=1)).digest_parts())
    assert _kept(sites) == _fresh(sites)
    KeptSiteResults.objects.update(inputs=b"", measures=b"")  # what older readers kept
    kept_results._MEMORY.clear()  # and a new process, which has not read them yet
    monkeypatch.setattr(kept_results, "VERSION", "another")
    assert _kept(sites) == _fresh(sites)


def test_it_moves_the_publications_digest_with_a_visit_at_one_site(sites):
    before = build.digest_of(YearFigures(YEAR))
    assert build.digest_of(YearFigures(YEAR)) == before  # read from what is kept: the same
    _web_visit(sites)
    assert build.digest_of(YearFigures(YEAR)) != before

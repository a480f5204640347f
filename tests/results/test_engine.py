"""The year's results from the records (mim.results.engine) on small hand-made data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mim.results.engine import YearResults
from tests.factories import MatchFactory, MotherFactory, SiteFactory, VisitFactory, VolunteerFactory

YEAR = 2025
TODAY = dt.date(2026, 6, 1)  # the year is over: follow-up ends on 31 December 2025
CUTOFF = dt.date(2025, 12, 31)
ENDED = [(30, "moved"), (90, "completed"), (90, "no_time"), (200, "completed"),
         (400, "completed")]
STILL_IN = [60, 120, 300]  # days from start to the year's end


def _eight_mothers(site):
    start = dt.date(2024, 3, 1)
    for days, reason in ENDED:
        MotherFactory(site=site, start_date=start, end_date=start + dt.timedelta(days=days),
                      end_reason=reason)
    for days in STILL_IN:
        begun = CUTOFF - dt.timedelta(days=days)
        # The 300-day mother ends after the year: at its end she was still in.
        end = dt.date(2026, 3, 1) if days == 300 else None
        MotherFactory(site=site, start_date=begun, end_date=end,
                      end_reason="completed" if end else "")


def _rows(results, site):
    return {(r.figure.variable, r.figure.category): r
            for r in results.rows("site", site.code, [site.code])}


@pytest.mark.django_db
def test_it_computes_the_mothers_curve_by_hand():
    site = SiteFactory()
    _eight_mothers(site)
    MotherFactory(site=site, start_date=dt.date(2022, 5, 1))  # before the three cohorts
    MotherFactory(start_date=dt.date(2025, 2, 1))  # another site
    rows = _rows(YearResults(YEAR, [site], today=TODAY), site)
    # 7/8 * 4/6 = 58.3%, then * 2/3 = 38.9%, then 0 (tests/results/test_survival.py).
    assert rows[("results.mothers.retention_6m", "all")].figure.value == Decimal("58.3")
    assert rows[("results.mothers.retention_12m", "all")].figure.value == Decimal("38.9")
    assert rows[("results.mothers.retention_18m", "all")].figure.value == Decimal("0.0")
    assert rows[("results.mothers.retention_6m", "all")].figure.base == 8
    assert rows[("results.mothers.retention_6m", "all")].cells == (3, 3)
    assert rows[("results.mothers.median_months", "all")].figure.value == Decimal("6.6")
    # The cohorts: the ended five started in 2024, the three still in during 2025.
    assert rows[("results.mothers.retention_6m", "start_2024")].figure.base == 5
    assert rows[("results.mothers.retention_6m", "start_2024")].figure.value == Decimal("40.0")
    assert rows[("results.mothers.retention_6m", "start_2025")].figure.value == Decimal("100.0")
    assert rows[("results.mothers.retention_6m", "start_2023")].figure.base == 0
    # End reasons: completed after 90, 200 and 400 days; early after 30 and 90.
    assert rows[("results.mothers.retention_6m", "completed")].figure.value == Decimal("66.7")
    assert rows[("results.mothers.median_months", "completed")].figure.value == Decimal("6.6")
    assert rows[("results.mothers.retention_6m", "stopped_early")].figure.value == Decimal("0.0")
    # Two stopped early: after the first (30 days) half are still in, so the median is 30 days.
    assert rows[("results.mothers.median_months", "stopped_early")].figure.value \
        == Decimal("1.0")


@pytest.mark.django_db
def test_it_censors_the_current_year_today():
    site = SiteFactory()
    MotherFactory(site=site, start_date=dt.date(2025, 1, 1))
    MotherFactory(site=site, start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 2, 1),
                  end_reason="moved")
    rows = _rows(YearResults(YEAR, [site], today=dt.date(2025, 5, 1)), site)
    # Seen until 1 May: one of two left in January; nobody observed beyond 4 months.
    assert rows[("results.mothers.retention_3m", "all")].figure.value == Decimal("50.0")
    assert rows[("results.mothers.retention_6m", "all")].figure.value is None


@pytest.mark.django_db
def test_it_counts_what_volunteers_give():
    site = SiteFactory()
    v1 = VolunteerFactory(site=site, start_date=dt.date(2025, 1, 1))
    v2 = VolunteerFactory(site=site, start_date=dt.date(2024, 1, 1),
                          end_date=dt.date(2025, 6, 30), end_reason="moved")
    a = MotherFactory(site=site, start_date=dt.date(2024, 12, 1))
    b = MotherFactory(site=site, start_date=dt.date(2025, 2, 1))
    c = MotherFactory(site=site, start_date=dt.date(2025, 12, 1))
    MatchFactory(mother=a, volunteer=v1, start_date=dt.date(2025, 1, 1))
    MatchFactory(mother=b, volunteer=v2, start_date=dt.date(2025, 2, 15),
                 end_date=dt.date(2025, 6, 30))
    MatchFactory(mother=c, volunteer=v1, start_date=dt.date(2025, 12, 10))
    for month in range(1, 13):
        VisitFactory(mother=a, volunteer=v1, date=dt.date(2025, month, 3))
    for day in (dt.date(2025, 2, 20), dt.date(2025, 3, 5), dt.date(2025, 4, 5),
                dt.date(2025, 5, 5)):
        VisitFactory(mother=b, volunteer=v2, date=day)  # none in June
    VisitFactory(mother=c, volunteer=None, date=dt.date(2025, 12, 15))
    VisitFactory(mother=a, volunteer=v1, date=dt.date(2024, 12, 20))  # another year
    rows = _rows(YearResults(YEAR, [site], today=TODAY), site)
    # 16 visits with a volunteer over 365 + 181 volunteer-days = 17.94 months.
    per_volunteer = rows[("results.visits.per_volunteer_month", "all")].figure
    assert per_volunteer.value == Decimal("0.89")
    assert per_volunteer.base == 2
    # 17 visits over 365 + 136 + 22 matched mother-days = 17.18 months.
    per_mother = rows[("results.visits.per_mother_month", "all")].figure
    assert per_mother.value == Decimal("0.99")
    assert per_mother.base == 3
    # Whole months matched: a all twelve (visited in each), b March-June (not in June), c none.
    monthly = rows[("results.visits.monthly_share", "all")]
    assert (monthly.figure.value, monthly.figure.base, monthly.cells) == (Decimal("50.0"), 2,
                                                                          (1, 1))
    # Time active: v1 and v2 started in the cohorts? v2 in 2024, v1 in 2025.
    assert rows[("results.volunteers.retention_6m", "all")].figure.base == 2


def _world(n_sites, per_site):
    sites = [SiteFactory() for _ in range(n_sites)]
    for site in sites:
        volunteer = VolunteerFactory(site=site, start_date=dt.date(2024, 1, 1))
        for i in range(per_site):
            mother = MotherFactory(site=site, start_date=dt.date(2024, 1 + i % 12, 1))
            MatchFactory(mother=mother, volunteer=volunteer,
                         start_date=dt.date(2025, 1, 1))
            VisitFactory(mother=mother, volunteer=volunteer, date=dt.date(2025, 3, 1))
    return sites


@pytest.mark.django_db
def test_it_runs_the_same_number_of_queries_when_rows_and_sites_double():
    counts = []
    for n_sites, per_site in ((2, 3), (4, 6)):
        sites = _world(n_sites, per_site)
        with CaptureQueriesContext(connection) as queries:
            results = YearResults(YEAR, sites, today=TODAY)
            for site in sites:
                results.rows("site", site.code, [site.code])
            results.rows("national", "NL", [s.code for s in sites])
        counts.append(len(queries))
    # Four grouped queries, and on PostgreSQL one that sets the reading up and one that puts
    # the settings back.
    assert counts[0] == counts[1] <= 6


@pytest.mark.django_db
def test_it_puts_the_database_settings_back_after_reading():
    if connection.vendor != "postgresql":
        pytest.skip("the reading settings are PostgreSQL's")
    site = SiteFactory()
    _eight_mothers(site)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the test's own transaction: settings could outlive a read
    before = _settings_now()
    YearResults(YEAR, [site], today=TODAY)
    assert _settings_now() == before


def _settings_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), "
                       "current_setting('max_parallel_workers_per_gather')")
        return cursor.fetchone()

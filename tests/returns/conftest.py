"""Fixtures for the returns tests: a year with records at site A, its facts, a started return,
and helpers that make a site's approved history."""

import datetime as dt
from decimal import Decimal

import pytest

from mim.figures.tidy import Figure
from mim.organisations.services import (
    coordinator_save,
    organisation_year_save,
    site_coordinators_set,
    site_year_save,
)
from mim.returns import services
from mim.returns.models import AnnualReturn, ReturnFigure, ReturnYear, Status
from tests.factories import MotherFactory, VolunteerFactory

YEAR = 2024


def fill_records(site, *, mothers=12, volunteers=6):
    """Mothers and volunteers reached in YEAR: some carried over, some new, some ended."""
    for n in range(mothers):
        start = dt.date(YEAR - 1, 6, 1) if n % 2 else dt.date(YEAR, 3, 1)
        end = dt.date(YEAR, 10, 1) if n % 4 == 0 else None
        MotherFactory(site=site, start_date=start, end_date=end,
                      end_reason="moved" if end else "", origin="dutch" if n % 3 else "turkish")
    for n in range(volunteers):
        end = dt.date(YEAR, 11, 1) if n == 0 else None
        VolunteerFactory(site=site, start_date=dt.date(YEAR - 2 + n % 3, 1, 10), end_date=end,
                         end_reason="no_time" if end else "")


def fill_facts(site, year=YEAR):
    organisation_year_save(organisation=site.organisation, year=year,
                           reimbursement=["travel_costs"], volunteer_agreement="yes",
                           vog_required="yes")
    person = coordinator_save(organisation=site.organisation, ref=f"{site.code}-1",
                              experience=["youth_health_care"], training=["nursing"])
    site_coordinators_set(site=site, year=year, lines=[(person, Decimal("16"))])
    return site_year_save(site=site, year=year, target_group="Eerste kind",
                          financing=["municipal_subsidy"], variant=["regular"],
                          group_activities=[])


def approved_return(site, year, totals: dict[str, int], *, balances=None) -> AnnualReturn:
    """An approved return holding only population totals (enough for the history checks)."""
    annual_return = AnnualReturn.objects.create(
        site=site, year=year, status=Status.APPROVED, submitted_at=dt.datetime(year + 1, 2, 1,
                                                                              tzinfo=dt.UTC),
        approved_at=dt.datetime(year + 1, 3, 1, tzinfo=dt.UTC), balances=balances or {})
    ReturnFigure.objects.bulk_create(
        ReturnFigure(annual_return=annual_return, variable=v, category="all", count=n, base=n)
        for v, n in totals.items())
    return annual_return


def fig(variable, category, count, base, year=YEAR, code="site-a") -> Figure:
    return Figure.of(year=year, scope="site", scope_code=code, variable=variable,
                     category=category, count=count, base=base)


@pytest.fixture
def return_year(db):
    return ReturnYear.objects.create(year=YEAR, deadline=dt.date(YEAR + 1, 3, 1))


@pytest.fixture
def ready(world, return_year):
    """Site A with records and facts for YEAR and a started draft return."""
    fill_records(world.site_a)
    fill_facts(world.site_a)
    return services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)


@pytest.fixture
def submitted(world, ready):
    return services.return_submit(annual_return=ready, user=world.coordinator_a,
                                  expected_version=ready.version, explanations={})

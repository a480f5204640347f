"""A year of records for the results' publication and report tests: five sites in two
organisations, two of them merged into groups, one of which has few mothers in the year but
many in its cohorts."""

import datetime as dt

import pytest

from mim.registry.models import SelfAssessment
from tests.factories import (
    MotherFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SiteFactory,
    VolunteerFactory,
)

YEAR = 2025


def _mothers(site, n, *, start=dt.date(2025, 1, 6), left_early=0, days=40):
    for i in range(n):
        begun = start + dt.timedelta(days=7 * i)
        ended = i < left_early
        MotherFactory(site=site, start_date=begun,
                      end_date=begun + dt.timedelta(days=days + i) if ended else None,
                      end_reason="moved" if ended else "")


@pytest.fixture
def year():
    one, two = OrganisationFactory(name="Eén"), OrganisationFactory(name="Twee")
    shared = MunicipalityFactory(name="Gedeeld")
    big = SiteFactory(code="big", organisation=one, municipality=shared)
    _mothers(big, 14, left_early=6)
    small_shared = SiteFactory(code="small-shared", organisation=one, municipality=shared)
    _mothers(small_shared, 4, left_early=2)
    small_two = SiteFactory(code="small-two", organisation=one)
    _mothers(small_two, 7, left_early=3)
    other = SiteFactory(code="other", organisation=two)
    _mothers(other, 15, left_early=1)
    # Few mothers in the year, many in the cohorts: 12 who started and ended in 2023.
    hidden = SiteFactory(code="hidden", organisation=two)
    _mothers(hidden, 3)
    _mothers(hidden, 12, start=dt.date(2023, 1, 2), left_early=12, days=100)
    for site in (big, other):
        for i in range(11):
            VolunteerFactory(site=site, start_date=dt.date(2024, 1 + i, 1))
    return {"big": big, "small_shared": small_shared, "hidden": hidden}


# --- the self-assessment (docs/results-assessment.md) --------------------------------------------

ASSESSMENT_YEAR = 2024


def _assessed_mother(site, intake: dict, end: dict | None):
    mother = MotherFactory(site=site, start_date=dt.date(2023, 3, 1),
                           end_date=dt.date(ASSESSMENT_YEAR, 9, 30), end_reason="completed")
    SelfAssessment.objects.create(mother=mother, moment=SelfAssessment.INTAKE,
                                  date=dt.date(2023, 3, 1), version="1", **intake)
    if end is not None:
        SelfAssessment.objects.create(mother=mother, moment=SelfAssessment.END,
                                      date=dt.date(ASSESSMENT_YEAR, 9, 30), version="1", **end)


@pytest.fixture
def measured(world):
    """Site A: 14 mothers ended in 2024, 12 of them measured at the end; confidence 2 -> 4 for
    six and 3 -> 4 for six (by hand: begin 2,50, end 4,00, change +1,50), support answered by
    seven of them only (a small cell: ×). Site B: twelve pairs on both aims."""
    for i in range(12):
        support = {"support": 3} if i < 7 else {}
        _assessed_mother(world.site_a, {"confidence": 2 + i % 2, **support},
                         {"confidence": 4, **({"support": 4} if support else {})})
    for _ in range(2):
        _assessed_mother(world.site_a, {"confidence": 3}, None)
    for i in range(12):
        _assessed_mother(world.site_b, {"confidence": 3, "support": 2},
                         {"confidence": 3 + i % 2, "support": 4})
    return world

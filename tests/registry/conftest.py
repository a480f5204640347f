"""Fixtures of the registration tests: a logged-in coordinator of site A, and records."""

import datetime as dt

import pytest
import time_machine

from tests.factories import MotherFactory, VolunteerFactory

# Every test of the registration runs on this day, so clocks, VOG ages and "six weeks
# without a visit" do not drift with the calendar.
TODAY = dt.date(2025, 6, 16)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2025, 6, 16, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def coordinator(world, login):
    """The test client, logged in as the coordinator of site A."""
    return login(world.coordinator_a)


@pytest.fixture
def mother(world):
    return MotherFactory(site=world.site_a, ref="M0001", start_date=dt.date(2025, 1, 6))


@pytest.fixture
def volunteer(world):
    return VolunteerFactory(site=world.site_a, ref="V0001", vog_date=dt.date(2024, 2, 1))


def mother_form(**changes) -> dict:
    """A valid intake/edit POST for a mother."""
    data = {"ref": "M0100", "start_date": "2025-03-03", "birth_year": "1996",
            "origin": "moroccan", "country_of_birth": "MA", "education": "mbo",
            "household": "cohabiting", "income_source": "joint_income", "child_order": "first",
            "pregnant_at_start": "no", "name": "Amina Testmoeder", "address": "Dorpsstraat 1",
            "postcode": "1234 AB", "phone": "06-12345678", "email": "amina@example.org",
            "mother_circumstances": ["language_or_culture", "poor_social_network"],
            "baby_circumstances": ["excessive_crying"]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def volunteer_form(**changes) -> dict:
    data = {"ref": "V0100", "start_date": "2025-02-03", "birth_year": "1980",
            "origin": "moroccan", "education": "hbo", "former_mim_mother": "yes",
            "vog_date": "2025-01-20", "agreement_signed": "yes", "name": "Fatima Vrijwilliger",
            "address": "", "postcode": "", "phone": "06-87654321", "email": "",
            "work_experience": ["care", "volunteer_work"]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}

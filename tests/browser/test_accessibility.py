"""axe-core finds no serious or critical violation on the coordinator's pages, on a
desktop and on a phone-sized screen."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory, answer

from .conftest import axe_violations, navigate, sign_in

PAGES = [
    "/",
    "/registratie/moeders/site-a/",
    "/registratie/moeders/site-a/?status=all&q=M",
    "/registratie/moeders/site-a/nieuw/",
    "/registratie/moeders/site-a/af-te-sluiten/",
    "/registratie/moeders/site-a/{mother}/",
    "/registratie/moeders/site-a/{mother}/bewerken/",
    "/registratie/moeders/site-a/{mother}/beeindigen/",
    "/registratie/moeders/site-a/{mother}/bezoek/",
    "/registratie/moeders/site-a/{unmatched}/koppelen/",
    "/registratie/moeders/site-a/{due}/afronden/",
    "/registratie/moeders/site-a/{mother}/wissen/",
    "/registratie/vrijwilligers/site-a/",
    "/registratie/vrijwilligers/site-a/nieuw/",
    "/registratie/vrijwilligers/site-a/{volunteer}/",
    "/registratie/vrijwilligers/site-a/{volunteer}/bewerken/",
    "/registratie/vrijwilligers/site-a/{volunteer}/beeindigen/",
    "/registratie/toegangslog/site-a/",
]


@pytest.fixture
def records(world):
    today = dt.date.today()
    volunteer = VolunteerFactory(site=world.site_a, ref="V-AXE", vog_date=None)
    mother = MotherFactory(site=world.site_a, ref="M-AXE", start_date=today - dt.timedelta(days=90))
    answer(mother, "mother_circumstances", "poor_social_network")
    MatchFactory(mother=mother, volunteer=volunteer, start_date=mother.start_date)
    VisitFactory(mother=mother, volunteer=volunteer, date=today - dt.timedelta(days=10))
    unmatched = MotherFactory(site=world.site_a, ref="M-ALONE", start_date=mother.start_date)
    due = MotherFactory(site=world.site_a, ref="M-DUE", start_date=today - dt.timedelta(days=600))
    return {"mother": mother.pk, "volunteer": volunteer.pk, "unmatched": unmatched.pk,
            "due": due.pk}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_has_no_serious_accessibility_violations(world, live_server, new_page, records,
                                                    width):
    page = new_page(width)
    sign_in(page, live_server, world.coordinator_a)
    found = []
    for path in PAGES:
        response = page.goto(live_server.url + path.format(**records))
        assert response.status == 200, path
        found += axe_violations(page)
    # a form with errors (error summary, aria-invalid fields)
    page.goto(f"{live_server.url}/registratie/moeders/site-a/nieuw/")
    page.fill("#id_birth_year", "1850")
    navigate(page, "main button[type=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    found += axe_violations(page)
    assert found == []

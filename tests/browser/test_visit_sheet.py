"""The monthly visit sheet in a real browser, on a desktop and on a phone-sized screen:
a wrong date is shown and nothing saved, then every visit is saved in one go; no sideways
scrolling and no serious accessibility violation."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from mim.registry.models import MotherContact, Visit, VolunteerContact
from tests.factories import MatchFactory, MotherFactory, VolunteerFactory

from .conftest import axe_violations, navigate, sign_in


@pytest.fixture
def sheet(world):
    today = dt.date.today()
    volunteer = VolunteerFactory(site=world.site_a, ref="V-SHEET",
                                 start_date=today - dt.timedelta(days=400))
    VolunteerContact.objects.create(volunteer=volunteer, name="Vera Vrijwilliger")
    mothers = []
    for n in range(1, 4):
        mother = MotherFactory(site=world.site_a, ref=f"M-SHEET-{n}",
                               start_date=today - dt.timedelta(days=90))
        MotherContact.objects.create(mother=mother, name=f"Mira Moeder {n}")
        MatchFactory(mother=mother, volunteer=volunteer, start_date=mother.start_date)
        mothers.append(mother)
    return mothers


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_records_a_months_visits_in_one_save(world, live_server, new_page, sheet, width):
    today = dt.date.today()
    page = new_page(width)
    sign_in(page, live_server, world.coordinator_a)
    page.goto(f"{live_server.url}/registratie/moeders/site-a/")
    navigate(page, "nav.subnav >> text=Bezoekenlijst")
    expect(page.locator("h1")).to_contain_text("Bezoeken in")
    expect(page.locator(".sheet-row")).to_have_count(3)
    expect(page.locator(".sheet-row").first).to_contain_text("Vera Vrijwilliger")
    _no_sideways_scroll(page)
    found = axe_violations(page)

    first, second = sheet[0].pk, sheet[1].pk
    page.fill(f"#id_m{first}_1", today.isoformat())
    page.fill(f"#id_m{second}_1", (today.replace(day=1) - dt.timedelta(days=1)).isoformat())
    navigate(page, "text=Alle bezoeken opslaan")
    expect(page.locator("[role=alert]")).to_contain_text("niet in de gekozen maand")
    assert not Visit.objects.exists()
    _no_sideways_scroll(page)
    found += axe_violations(page)

    page.fill(f"#id_m{second}_1", today.isoformat())
    navigate(page, "text=Alle bezoeken opslaan")
    expect(page.locator("text=2 bezoeken zijn vastgelegd.")).to_be_visible()
    assert sorted(Visit.objects.values_list("mother__ref", "volunteer__ref")) == [
        ("M-SHEET-1", "V-SHEET"), ("M-SHEET-2", "V-SHEET")]
    expect(page.locator(".sheet-row").first).to_contain_text(today.strftime("%d-%m-%Y"))
    _no_sideways_scroll(page)
    found += axe_violations(page)
    assert found == []

"""A coordinator registers a volunteer and a mother, matches them, logs a visit and ends
the mother, in a real browser; the coordinator of another site cannot reach her."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from mim.registry.models import Mother

from .conftest import navigate, sign_in


@pytest.fixture
def coordinator_page(world, live_server, new_page):
    page = new_page()
    sign_in(page, live_server, world.coordinator_a)
    return page


def test_it_runs_a_mothers_registration_from_intake_to_end(world, live_server, coordinator_page,
                                                           new_page):
    page = coordinator_page
    started = (dt.date.today() - dt.timedelta(days=60)).isoformat()

    navigate(page, "header >> text=Vrijwilligers")
    navigate(page, "text=Nieuwe vrijwilliger")
    page.fill("#id_ref", "V-BROWSER")
    page.fill("#id_start_date", started)
    page.select_option("#id_origin", label="Turks")
    page.fill("#id_name", "Vera Vrijwilliger")
    page.check("label:has-text('zorg')")
    navigate(page, "text=Opslaan")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Vrijwilliger V-BROWSER"))

    navigate(page, "header >> text=Moeders")
    navigate(page, "text=Nieuwe moeder")
    page.fill("#id_ref", "M-BROWSER")
    page.fill("#id_start_date", started)
    page.select_option("#id_origin", label="Turks")
    page.fill("#id_name", "Mira Moeder")
    page.fill("#id_phone", "06-11112222")
    page.check("label:has-text('weinig sociaal netwerk')")
    page.check("label:has-text('huilbaby')")
    navigate(page, "text=Opslaan")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Moeder M-BROWSER"))
    expect(page.locator("text=Mira Moeder")).to_be_visible()

    navigate(page, "text=Koppelen aan een vrijwilliger")
    expect(page.locator("tr.suggested")).to_contain_text("V-BROWSER")
    page.check("label:has-text('V-BROWSER')")
    navigate(page, "button:has-text('Koppelen')")
    expect(page.locator("#h-matches + p")).to_have_text(re.compile(r"^Gekoppeld aan V-BROWSER sinds"))

    navigate(page, "text=Bezoek vastleggen")
    page.fill("#id_note", "Kennismaking")
    navigate(page, "text=Opslaan")
    expect(page.locator("text=Het bezoek is vastgelegd.")).to_be_visible()
    expect(page.locator("td:has-text('Kennismaking')")).to_be_visible()

    navigate(page, "text=Begeleiding beëindigen")
    page.select_option("#id_end_reason", label="verhuisd")
    navigate(page, "button:has-text('Beëindigen')")
    expect(page.locator("text=M-BROWSER is beëindigd.")).to_be_visible()

    mother = Mother.objects.get(ref="M-BROWSER")
    assert (mother.site, mother.end_reason) == (world.site_a, "moved")
    assert mother.visits.get().volunteer.ref == "V-BROWSER"
    assert mother.matches.get().end_date == mother.end_date

    other = new_page()
    sign_in(other, live_server, world.coordinator_b)
    for path in ("", "bewerken/", "koppelen/", "bezoek/", "beeindigen/", "inzage/", "wissen/"):
        response = other.goto(f"{page.url.split('?')[0]}{path}")
        assert response.status == 404, path
    assert "M-BROWSER" not in other.content()


def test_it_shows_an_error_summary_that_leads_to_the_field(world, coordinator_page, live_server):
    page = coordinator_page
    page.goto(f"{live_server.url}/registratie/moeders/site-a/nieuw/")
    navigate(page, "text=Opslaan")
    summary = page.locator("[role=alert]")
    expect(summary).to_be_visible()
    summary.locator("a").first.click()
    expect(page.locator("#id_ref")).to_be_focused()

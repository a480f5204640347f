"""A coordinator registers a volunteer and a mother, matches them, logs a visit and ends
the mother, in a real browser; the coordinator of another site cannot reach her."""

import datetime as dt

import pytest

from mim.registry.models import Mother

from .conftest import sign_in


@pytest.fixture
def coordinator_page(world, live_server, new_page):
    page = new_page()
    sign_in(page, live_server, world.coordinator_a)
    return page


def test_it_runs_a_mothers_registration_from_intake_to_end(world, live_server, coordinator_page,
                                                           new_page):
    page = coordinator_page
    started = (dt.date.today() - dt.timedelta(days=60)).isoformat()

    page.click("header >> text=Vrijwilligers")
    page.click("text=Nieuwe vrijwilliger")
    page.fill("#id_ref", "V-BROWSER")
    page.fill("#id_start_date", started)
    page.select_option("#id_origin", label="Turks")
    page.fill("#id_name", "Vera Vrijwilliger")
    page.check("label:has-text('zorg')")
    page.click("text=Opslaan")
    assert page.locator("h1").inner_text().startswith("Vrijwilliger V-BROWSER")

    page.click("header >> text=Moeders")
    page.click("text=Nieuwe moeder")
    page.fill("#id_ref", "M-BROWSER")
    page.fill("#id_start_date", started)
    page.select_option("#id_origin", label="Turks")
    page.fill("#id_name", "Mira Moeder")
    page.fill("#id_phone", "06-11112222")
    page.check("label:has-text('weinig sociaal netwerk')")
    page.check("label:has-text('huilbaby')")
    page.click("text=Opslaan")
    assert page.locator("h1").inner_text().startswith("Moeder M-BROWSER")
    assert page.locator("text=Mira Moeder").is_visible()

    page.click("text=Koppelen aan een vrijwilliger")
    assert "V-BROWSER" in page.locator("tr.suggested").inner_text()
    page.check("label:has-text('V-BROWSER')")
    page.click("button:has-text('Koppelen')")
    assert page.locator("#h-matches + p").inner_text().startswith("Gekoppeld aan V-BROWSER sinds")

    page.click("text=Bezoek vastleggen")
    page.fill("#id_note", "Kennismaking")
    page.click("text=Opslaan")
    assert page.locator("text=Het bezoek is vastgelegd.").is_visible()
    assert page.locator("td:has-text('Kennismaking')").is_visible()

    page.click("text=Begeleiding beëindigen")
    page.select_option("#id_end_reason", label="verhuisd")
    page.click("button:has-text('Beëindigen')")
    assert page.locator("text=M-BROWSER is beëindigd.").is_visible()

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
    page.click("text=Opslaan")
    summary = page.locator("[role=alert]")
    assert summary.is_visible()
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_ref"

"""The self-assessment in a real browser: filled in from the mother's page with every answer
starting empty, and in the visit sheet for a mother whose 9-month measurement is due, on a
desktop and a phone-sized screen, without sideways scrolling or serious accessibility
violations."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from mim.codebook import assessment
from mim.registry import selectors
from mim.registry.models import SelfAssessment
from tests.factories import MatchFactory, MotherFactory

from .conftest import axe_violations, navigate, sign_in


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_takes_a_self_assessment_on_her_page_and_in_the_visit_sheet(
        world, live_server, new_page, width):
    today = dt.date.today()
    mother = MotherFactory(site=world.site_a, ref="M-SELF",
                           start_date=selectors.add_months(today, -9))
    MatchFactory(mother=mother, start_date=mother.start_date + dt.timedelta(days=7))
    page = new_page(width)
    sign_in(page, live_server, world.coordinator_a)
    page.goto(f"{live_server.url}/registratie/moeders/site-a/{mother.pk}/")
    expect(page.locator("#h-assessment")).to_be_visible()
    navigate(page, "#h-assessment ~ .table-wrap >> text=Invullen >> nth=0")
    expect(page.locator("h1")).to_contain_text("intake")
    for aim in assessment.AIMS:
        assert page.locator(f"#id_{aim}").input_value() == ""
    found = axe_violations(page)
    _no_sideways_scroll(page)
    page.fill("#id_date", mother.start_date.isoformat())
    page.select_option("#id_confidence", "2")
    page.select_option("#id_support", "3")
    navigate(page, "text=Opslaan")
    expect(page.locator("text=De zelfevaluatie is opgeslagen.")).to_be_visible()
    expect(page.locator("#h-assessment ~ .table-wrap")).to_contain_text("2 – niet mee eens")

    navigate(page, "nav.subnav >> text=Bezoekenlijst")
    expect(page.locator(".sheet-assessment")).to_contain_text("na 9 maanden")
    _no_sideways_scroll(page)
    found += axe_violations(page)
    page.fill(f"#id_a{mother.pk}_date", today.isoformat())
    page.select_option(f"#id_a{mother.pk}_confidence", "4")
    navigate(page, "text=Alle bezoeken opslaan")
    expect(page.locator("text=1 zelfevaluatie is vastgelegd.")).to_be_visible()
    assert SelfAssessment.objects.get(moment="month9").confidence == 4
    assert found == []

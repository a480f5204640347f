"""A coordinator's week in a real browser, on a desktop and on a 390 px phone (issue 11,
"done when"): an intake with only the required fields (the record holds no invented
answers), a month of visits in one visit sheet, closing several mothers at once, and
importing the CSV files LibreOffice saves on a Dutch machine (semicolons, Windows-1252,
DD-MM-JJJJ), with preview and confirm. On every page: no sideways scroll and no serious
or critical axe-core violation."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mim.registry.models import Mother, MotherContact, Visit, VolunteerContact
from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory

from .conftest import axe_violations, navigate, sign_in
from .layout import sideways_scroll

FIXTURES = Path(__file__).resolve().parents[1] / "spreadsheets" / "fixtures"


@pytest.fixture
def week(world):
    """Site A: a volunteer with two mothers to visit, and three mothers whose 18 months
    are over (two of them to be closed together)."""
    today = dt.date.today()
    volunteer = VolunteerFactory(site=world.site_a, ref="V-WEEK",
                                 start_date=today - dt.timedelta(days=800))
    VolunteerContact.objects.create(volunteer=volunteer, name="Vera Vrijwilliger")
    visited = []
    for n in (1, 2):
        mother = MotherFactory(site=world.site_a, ref=f"M-WEEK-{n}",
                               start_date=today - dt.timedelta(days=120))
        MotherContact.objects.create(mother=mother, name=f"Mira Moeder {n}")
        MatchFactory(mother=mother, volunteer=volunteer, start_date=mother.start_date)
        visited.append(mother)
    due = []
    for n in (1, 2, 3):
        mother = MotherFactory(site=world.site_a, ref=f"M-DUE-{n}",
                               start_date=today - dt.timedelta(days=600 + n))
        MatchFactory(mother=mother, volunteer=volunteer, start_date=mother.start_date)
        VisitFactory(mother=mother, volunteer=volunteer, date=today - dt.timedelta(days=40 + n))
        due.append(mother)
    return {"visited": visited, "due": due}


class Walk:
    """The browser page plus what every page of the walk is checked for."""

    def __init__(self, page):
        self.page, self.wide, self.violations = page, [], []

    def check(self) -> None:
        problem = sideways_scroll(self.page)
        if problem:
            self.wide.append(problem)
        self.violations += axe_violations(self.page)

    def menu(self, label: str) -> None:
        """Go to a main-menu entry, opening the folded menu first on a phone."""
        toggle = self.page.locator("button.menu-toggle")
        if toggle.is_visible():
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
        navigate(self.page, f"#site-menu nav >> text={label}")
        self.check()


def _previous_month(today: dt.date) -> list[dt.date]:
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return [first.replace(day=d) for d in (3, 10, 17, 24)]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_walks_a_coordinators_week(world, live_server, new_page, week, width):
    page = new_page(width)
    sign_in(page, live_server, world.coordinator_a)
    walk = Walk(page)
    walk.check()

    # Monday: an intake with only what is required; nothing else is made up for her
    walk.menu("Moeders")
    expect(page.locator("h1")).to_have_text("Moeders")
    navigate(page, "main >> text=Nieuwe moeder")
    walk.check()
    page.fill("#id_ref", "M-INTAKE")
    page.fill("#id_start_date", dt.date.today().isoformat())
    navigate(page, "main button[type=submit]:has-text('Opslaan')")
    expect(page.locator("h1")).to_contain_text("M-INTAKE")
    walk.check()
    intake = Mother.objects.get(site=world.site_a, ref="M-INTAKE")
    assert (intake.origin, intake.education, intake.household, intake.income_source,
            intake.child_order, intake.pregnant_at_start) == ("unknown",) * 6
    assert (intake.birth_year, intake.country_of_birth) == (None, "")
    assert not intake.answers.exists()
    assert not MotherContact.objects.filter(mother=intake).exclude(
        name="", address="", postcode="", phone="", email="").exists()

    # Tuesday: last month's visits of both mothers, in one visit sheet, in one save
    navigate(page, "nav.subnav >> text=Bezoekenlijst")
    navigate(page, "text=Vorige maand")
    # every mother with a running match has a row: the two visited and the three due
    expect(page.locator(".sheet-row")).to_have_count(5)
    walk.check()
    dates = _previous_month(dt.date.today())
    first, second = (m.pk for m in week["visited"])
    page.fill(f"#id_m{first}_1", dates[0].isoformat())
    page.fill(f"#id_m{first}_2", dates[2].isoformat())
    page.fill(f"#id_m{second}_1", dates[1].isoformat())
    page.fill(f"#id_m{second}_2", dates[3].isoformat())
    navigate(page, "text=Alle bezoeken opslaan")
    expect(page.locator("text=4 bezoeken zijn vastgelegd.")).to_be_visible()
    walk.check()
    assert sorted(Visit.objects.filter(mother__ref__startswith="M-WEEK").values_list(
        "mother__ref", "date", "volunteer__ref")) == [
        ("M-WEEK-1", dates[0], "V-WEEK"), ("M-WEEK-1", dates[2], "V-WEEK"),
        ("M-WEEK-2", dates[1], "V-WEEK"), ("M-WEEK-2", dates[3], "V-WEEK")]

    # Wednesday: two of the three mothers past their 18 months closed at once
    navigate(page, "nav.subnav >> text=Af te sluiten")
    expect(page.locator("main tbody tr")).to_have_count(3)
    walk.check()
    closing = week["due"][:2]
    for mother in closing:
        page.check(f"#id_close_{mother.pk}")
    navigate(page, "text=Aangevinkte moeders afsluiten")
    expect(page.locator(".messages")).to_contain_text("2")
    walk.check()
    for mother in week["due"]:
        mother.refresh_from_db()
    last_visits = [m.visits.order_by("-date").first().date for m in closing]
    assert [(m.end_date, m.end_reason) for m in closing] == [
        (last, "completed") for last in last_visits]
    assert week["due"][2].end_date is None

    # Thursday: the records kept in LibreOffice, saved as CSV on a Dutch machine
    walk.menu("Spreadsheets")
    expect(page.locator("h1")).to_contain_text("Spreadsheets van Locatie A")
    page.set_input_files("#id_files", [FIXTURES / "nl-windows" / "mothers.csv",
                                       FIXTURES / "nl-windows" / "volunteers.csv"])
    navigate(page, "main button:has-text('Controleren')")
    read_as = page.locator("ul.read-as")
    expect(read_as).to_contain_text("mothers.csv: tekens: Windows-1252, scheidingsteken: "
                                    "puntkomma (;), datums: DD-MM-JJJJ")
    expect(page.locator("#h-preview")).to_have_text("Controle: dit gaat er veranderen")
    assert not Mother.objects.filter(ref="M-001").exists()  # a preview saves nothing
    walk.check()
    navigate(page, "button[name=confirm]")
    expect(page.locator(".messages")).to_contain_text(
        "Ingelezen. mothers.csv: 3 nieuw, 0 gewijzigd; volunteers.csv: 2 nieuw, 0 gewijzigd.")
    walk.check()
    imported = Mother.objects.get(site=world.site_a, ref="M-001")
    assert (imported.start_date, imported.origin, imported.income_source) == (
        dt.date(2024, 3, 1), "turkish", "one_benefit")
    assert set(imported.answers.values_list("code", flat=True)) == {
        "language_or_culture", "poor_social_network", "excessive_crying"}
    blank = Mother.objects.get(site=world.site_a, ref="M-003")
    assert (blank.origin, blank.household, blank.birth_year) == ("unknown", "unknown", None)
    assert world.site_a.volunteers.filter(ref__in=["V-001", "V-002"]).count() == 2

    assert walk.wide == [], "\n".join(walk.wide)
    assert walk.violations == [], "\n".join(walk.violations)

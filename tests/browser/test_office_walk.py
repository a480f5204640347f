"""The programme office's walk (issue 11): add a site and a user through /bureau/, mark a
site not delivered, and review a return with last year's published figures beside it; enter a
year's coordinators and facts (issue 10); on a desktop and on a 390 px phone, never scrolling
sideways, with no serious axe violation."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from mim.accounts.models import Role, RoleAssignment, RoleProposal
from mim.organisations.models import Site, SiteYear
from mim.publication.selectors import server_figures
from mim.returns import services
from mim.returns.models import AnnualReturn, ReturnYear, Status
from tests.factories import MotherFactory, SiteFactory
from tests.returns.conftest import fill_facts, fill_records

from .conftest import axe_violations, navigate, sign_in

YEAR = 2024


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth"
                         " <= document.documentElement.clientWidth")


@pytest.fixture
def returns_to_review(world):
    """Site A: last year counted from its records, this year's return submitted."""
    ReturnYear.objects.create(year=YEAR, deadline=dt.date(YEAR + 1, 3, 1))
    for n in range(18):
        MotherFactory(site=world.site_a, origin="dutch" if n < 12 else "turkish",
                      start_date=dt.date(YEAR - 1, 2, 1), end_date=dt.date(YEAR - 1, 11, 1),
                      end_reason="moved")
    fill_records(world.site_a)
    fill_facts(world.site_a)
    draft = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    return services.return_submit(annual_return=draft, user=world.coordinator_a,
                                  expected_version=draft.version, explanations={})


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_walks_the_office_through_sites_users_not_delivered_and_a_review(
        world, live_server, new_page, returns_to_review, width):
    page = new_page(width)
    sign_in(page, live_server, world.office)
    found, wide = [], []

    def check():
        if not _fits(page):
            wide.append(page.url)
        found.extend(axe_violations(page))

    # A new site.
    page.goto(f"{live_server.url}/bureau/locaties/nieuw/")
    check()
    page.fill("#id_code", "nieuw-west")
    page.fill("#id_name", "Nieuw-West")
    page.select_option("#id_organisation", index=1)
    page.select_option("#id_municipality", index=1)
    page.fill("#id_first_year", str(YEAR))
    navigate(page, "main button[type=submit]")
    expect(page.locator("main")).to_contain_text("Locatie Nieuw-West is toegevoegd.")
    check()
    site = Site.objects.get(code="nieuw-west")
    assert site.first_year == YEAR

    # Its coordinator.
    page.goto(f"{live_server.url}/bureau/gebruikers/nieuw/")
    page.fill("#id_username", "coord.nieuwwest")
    page.fill("#id_email", "coord.nieuwwest@example.org")
    page.select_option("#id_role", "coordinator")
    page.select_option("#id_site", label="Nieuw-West")
    navigate(page, "main button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("uitnodiging gekregen")
    check()
    # Her role waits for a second person of the office (tests/browser/test_invitation_walk.py).
    assert RoleProposal.objects.filter(user__username="coord.nieuwwest",
                                       role=Role.COORDINATOR, site=site).exists()
    assert not RoleAssignment.objects.filter(user__username="coord.nieuwwest").exists()

    # Site B delivers nothing this year.
    page.goto(f"{live_server.url}/jaaropgave/wachten/?jaar={YEAR}")
    check()
    page.fill("#reason-site-b", "Gestopt in het voorjaar")
    navigate(page, f"form[action$='/site-b/{YEAR}/niet-aangeleverd/'] button")
    expect(page.locator("main")).to_contain_text("niet aangeleverd")
    check()
    assert AnnualReturn.objects.get(site=world.site_b, year=YEAR).status == \
        Status.NOT_DELIVERED

    # The review: this year beside last year, the approve form below the figures.
    page.goto(f"{live_server.url}/jaaropgave/beoordelen/site-a/{YEAR}/")
    expect(page.locator("h1")).to_contain_text(f"Jaaropgave {YEAR}")
    origin = page.locator("table", has=page.locator("caption", has_text="Herkomst")).first
    expect(origin.locator("thead")).to_contain_text(f"Aantal {YEAR - 1}")
    expect(origin.locator("thead")).to_contain_text("Verschil")
    summary = page.locator("#h-figures ~ details summary").first
    # 18 mothers of last year only, and the 6 fill_records carries over into this year
    expect(summary).to_contain_text(f"({YEAR - 1}: 24, verschil −12)")
    figures_top = page.locator("#h-figures").bounding_box()["y"]
    approve_top = page.locator("form[action$='/goedkeuren/']").bounding_box()["y"]
    assert approve_top > figures_top
    check()

    # A question about the facts: approval waits for the answer.
    page.check("input[name=subject][value=facts]")
    page.fill("#id_query_text", "Werkt er nog een tweede coördinator?")
    navigate(page, "form[action$='/vraag/'] button[type=submit]")
    expect(page.locator("main")).to_contain_text("Er staat nog een vraag open.")
    expect(page.locator("form[action$='/goedkeuren/']")).to_have_count(0)
    check()
    assert returns_to_review.messages.get().subject == "facts"

    assert wide == []
    assert found == []


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_lets_the_coordinator_confirm_a_summary_before_submitting(
        world, live_server, new_page, width):
    ReturnYear.objects.create(year=YEAR, deadline=dt.date(YEAR + 1, 3, 1))
    fill_records(world.site_a)
    fill_facts(world.site_a)
    services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    page = new_page(width)
    sign_in(page, live_server, world.coordinator_a)
    page.goto(f"{live_server.url}/jaaropgave/locatie/site-a/{YEAR}/")
    navigate(page, "form[action$='/indienen/'] button[type=submit]")
    expect(page.locator("h1")).to_contain_text("indienen")
    expect(page.locator("#h-summary ~ dl")).to_contain_text("Moeders")
    assert AnnualReturn.objects.get(site=world.site_a, year=YEAR).status == Status.DRAFT
    assert _fits(page)
    assert axe_violations(page) == []
    navigate(page, "text=Bevestigen en indienen")
    expect(page.locator("main")).to_contain_text("De jaaropgave is ingediend.")
    assert AnnualReturn.objects.get(site=world.site_a, year=YEAR).status == Status.SUBMITTED


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_walks_the_office_through_a_coordinator_at_two_sites_and_a_silent_sites_facts(
        world, live_server, new_page, width):
    """Issue 10: the office enters a coordinator working at two sites and the facts of a
    site that delivers nothing; the published coordinator rows count her once."""
    ReturnYear.objects.create(year=YEAR, deadline=dt.date(YEAR + 1, 3, 1))
    second = SiteFactory(code="site-a2", name="Locatie A2", organisation=world.site_a.organisation)
    for site in (world.site_a, second):
        MotherFactory(site=site, start_date=dt.date(YEAR, 3, 1))
    services.return_not_delivered(site=world.site_b, year=YEAR, user=world.office,
                                  reason="gestopt")
    page = new_page(width)
    sign_in(page, live_server, world.office)
    found, wide = [], []

    def check():
        if not _fits(page):
            wide.append(page.url)
        found.extend(axe_violations(page))

    # From the waiting page to the year's coordinators and facts.
    page.goto(f"{live_server.url}/jaaropgave/wachten/?jaar={YEAR}")
    navigate(page, f"main a[href$='/bureau/gegevens/?jaar={YEAR}']")
    expect(page.locator("h1")).to_contain_text(f"Coördinatoren en locatiegegevens {YEAR}")
    expect(page.locator("#site-site-b ~ p.muted")).to_contain_text("niet aangeleverd")
    check()

    # A coordinator of site A's organisation, at both of its sites.
    organisation = world.site_a.organisation
    navigate(page, f"a[href$='/organisaties/{organisation.pk}/coordinatoren/nieuw/']")
    check()
    page.fill("#id_ref", "C-1")
    page.check("input[name=experience][value=maternity_care]")
    page.check("input[name=training][value=nursing]")
    page.fill(f"#id_hours_{world.site_a.pk}", "12")
    page.fill(f"#id_hours_{second.pk}", "4,5")
    navigate(page, "main button[type=submit]")
    expect(page.locator("main")).to_contain_text("Coördinator C-1 is opgeslagen.")
    expect(page.locator("main")).to_contain_text("16,5 uur per week")
    check()

    # The facts of site B, which delivers nothing this year: no answer chosen beforehand.
    navigate(page, f"a[href$='/gegevens/{YEAR}/locaties/site-b/']")
    expect(page.locator("main input:checked")).to_have_count(0)
    check()
    page.fill("#id_target_group", "Eerste kind")
    page.check("input[name=financing][value=municipal_subsidy]")
    page.check("input[name=variant][value=unknown]")
    navigate(page, "main button[type=submit]")
    expect(page.locator("main")).to_contain_text("De gegevens van Locatie B")
    expect(page.locator("main")).to_contain_text("Uitvoeringsvariant: niet bekend")
    check()

    facts = SiteYear.objects.get(site=world.site_b, year=YEAR)
    assert (facts.financing, facts.variant, facts.group_activities) == (
        ["municipal_subsidy"], None, None)
    national = server_figures(YEAR, "national", "NL")
    assert national.get("coordinators.total", "all").count == 1
    assert national.get("coordinators.delivered", "all").count == 1
    assert national.get("coordinators.hours_per_week", "max").value == Decimal("16.5")
    assert national.get("coordinators.experience", "maternity_care").count == 1
    assert wide == []
    assert found == []


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_walks_the_office_through_a_facts_file_seeing_what_changes_first(
        world, live_server, new_page, tmp_path, width):
    """The office uploads a facts and coordinators file, sees field by field what stands now
    and what it becomes, and only then confirms."""
    fill_facts(world.site_a)  # financing: municipal subsidy; coordinator site-a-1, 16 hours
    organisation = world.site_a.organisation.name
    facts = tmp_path / "facts.csv"
    facts.write_text(
        "site;organisation;year;target_group;financing;variant;reimbursement;"
        "group_activities;volunteer_agreement;vog_required\n"
        f"site-a;;{YEAR};Eerste kind;\"municipal_subsidy;other\";regular;reiskosten;;ja;ja\n",
        encoding="utf-8")
    coordinators = tmp_path / "coordinators.csv"
    coordinators.write_text(
        "coordinator_ref;year;organisation;site;hours_per_week;experience;training\n"
        f"site-a-1;{YEAR};{organisation};site-a;12;youth_health_care;nursing\n",
        encoding="utf-8")
    page = new_page(width)
    sign_in(page, live_server, world.office)
    page.goto(f"{live_server.url}/bureau/gegevens/{YEAR}/bestand/")
    page.set_input_files("input[type=file]", [str(facts), str(coordinators)])
    navigate(page, "main form.record-form button[type=submit]")
    table = page.locator("main table", has_text="Wat er verandert bij bevestigen")
    expect(table).to_contain_text("gemeentelijke subsidie, overig")
    expect(table.locator("tbody tr")).to_have_count(2)  # financing and the hours, nothing else
    expect(table).to_contain_text("site-a-1 (16 uur per week)")
    expect(table).to_contain_text("site-a-1 (12 uur per week)")
    assert _fits(page), "the preview scrolls sideways"
    # What a fact becomes is in view without scrolling the table (a card per change on a phone).
    after = table.locator("tbody tr").first.locator("td").last.bounding_box()
    assert after["x"] + after["width"] <= width, "'Wordt' is out of view"
    assert axe_violations(page) == []
    assert SiteYear.objects.get(site=world.site_a, year=YEAR).financing == ["municipal_subsidy"]
    navigate(page, "main button[name=confirm]")
    expect(page.locator("main")).to_contain_text("Ingelezen")
    assert sorted(SiteYear.objects.get(site=world.site_a, year=YEAR).financing) == [
        "municipal_subsidy", "other"]

"""The office's page of which sites a year's report waits for, with its actions: marking a site
not delivered and ending a site."""

from mim.audit.models import AuditEntry
from mim.returns import services
from mim.returns.models import AnnualReturn, Status
from tests.returns.conftest import YEAR

PAGE = f"/jaaropgave/wachten/?jaar={YEAR}"


def test_it_lists_the_sites_the_report_waits_for(world, ready, login):
    services.return_not_delivered(site=world.site_b, year=YEAR, user=world.office,
                                  reason="geen coördinator")
    page = login(world.office).get(PAGE).content.decode()
    waiting, settled = page.split('id="h-settled"')
    assert "Locatie A" in waiting and "Locatie B" not in waiting
    assert "Locatie B" in settled and "geen coördinator" in settled
    assert "definitief" in page and "Het rapport over dit jaar is definitief." not in page


def test_it_marks_a_site_not_delivered_from_the_page(world, return_year, login):
    client = login(world.office)
    response = client.post(f"/jaaropgave/beoordelen/site-b/{YEAR}/niet-aangeleverd/",
                           {"text": "gestopt"}, follow=True)
    assert response.status_code == 200
    marked = AnnualReturn.objects.get(site=world.site_b, year=YEAR)
    assert marked.status == Status.NOT_DELIVERED
    assert AuditEntry.objects.filter(object_ref=str(marked.pk), client="127.0.0.1").exists()


def test_it_refuses_a_not_delivered_mark_without_a_reason_on_the_page(world, return_year,
                                                                      login):
    response = login(world.office).post(
        f"/jaaropgave/beoordelen/site-b/{YEAR}/niet-aangeleverd/", {"text": ""}, follow=True)
    assert "Geef een reden waarom de locatie niets aanlevert." in response.content.decode()
    assert not AnnualReturn.objects.exists()


def test_it_refuses_a_stale_page_after_the_coordinator_started_the_return(world, ready, login):
    login(world.office).post(f"/jaaropgave/beoordelen/site-a/{YEAR}/niet-aangeleverd/",
                             {"text": "gestopt"})
    assert AnnualReturn.objects.get(pk=ready.pk).status == Status.DRAFT


def test_it_ends_a_site_from_the_page(world, login):
    login(world.office).post("/jaaropgave/locaties/site-a/beeindigen/",
                             {"last_year": str(YEAR)})
    world.site_a.refresh_from_db()
    assert world.site_a.last_year == YEAR


def test_it_says_the_report_is_final_when_every_site_is_settled(world, return_year, login):
    for site in (world.site_a, world.site_b):
        services.return_not_delivered(site=site, year=YEAR, user=world.office, reason="gestopt")
    page = login(world.office).get(PAGE).content.decode()
    assert "Het rapport over dit jaar is definitief." in page


def test_it_reopens_a_not_delivered_site_from_its_review_page(world, return_year, login):
    marked = services.return_not_delivered(site=world.site_b, year=YEAR, user=world.office,
                                           reason="vergissing")
    client = login(world.office)
    base = f"/jaaropgave/beoordelen/site-b/{YEAR}/"
    assert client.get(base).status_code == 200
    client.post(base + "heropenen/", {"version": marked.version, "text": "levert toch"})
    marked.refresh_from_db()
    assert marked.status == Status.DRAFT

"""Who may open which returns page: deny by default, 404 outside the scope."""

import pytest
from django.urls import reverse

from mim.returns import services
from tests.conftest import PERSONAS
from tests.factories import SiteFactory
from tests.returns.conftest import YEAR

SITE_PAGES = ["site", "facts", "aggregate", "aggregate_template"]
SITE_ACTIONS = ["start", "source", "submit", "answer"]
OFFICE_ACTIONS = ["query", "approve", "reopen"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", SITE_PAGES)
def test_it_opens_a_sites_return_pages_to_its_coordinator_only(world, submitted, login,
                                                                 persona, page):
    response = login(world.persona(persona)).get(reverse(f"returns:{page}",
                                                         args=["site-a", YEAR]))
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona == "coordinator_a":
        assert response.status_code in (200, 302)  # facts of a submitted return: back to it
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", SITE_ACTIONS)
def test_it_refuses_site_actions_to_everyone_but_the_coordinator(world, ready, login, persona,
                                                                 action):
    if persona in ("coordinator_a", "anonymous"):
        return
    response = login(world.persona(persona)).post(
        reverse(f"returns:{action}", args=["site-a", YEAR]),
        {"version": ready.version, "text": "x", "source": "aggregate"})
    assert response.status_code == 404
    ready.refresh_from_db()
    assert ready.version == 1


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["review", *OFFICE_ACTIONS])
def test_it_opens_the_review_to_the_programme_office_only(world, submitted, login, persona,
                                                            page):
    client = login(world.persona(persona))
    url = reverse(f"returns:{page}", args=["site-a", YEAR])
    data = {"version": submitted.version, "text": "Waarom?"}
    response = client.get(url) if page == "review" else client.post(url, data)
    if persona == "anonymous":
        assert response.status_code == 302 and "/login" in response["Location"] or \
            response.status_code == 302
    elif persona == "office":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 404
        submitted.refresh_from_db()
        assert submitted.status == "submitted"


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_the_deadlines_to_the_programme_office_only(world, login, persona):
    response = login(world.persona(persona)).get(reverse("returns:deadlines"))
    expected = {"office": 200, "anonymous": 302}.get(persona, 404)
    assert response.status_code == expected


@pytest.mark.parametrize(("persona", "status", "shows", "hides"), [
    ("coordinator_a", 200, ["Locatie A"], ["Locatie B", "Locatie C"]),
    ("coordinator_b", 200, ["Locatie B"], ["Locatie A", "Locatie C"]),
    ("organisation_viewer", 200, ["Locatie A", "ingediend"], ["Locatie B", "Locatie C",
                                                              "beoordelen/"]),
    ("office", 200, ["Locatie A", "Locatie B", "Locatie C", "niet gestart",
                     "beoordelen/site-a/2024/"], []),
    ("funder", 404, [], []),
    ("operator", 404, [], []),
])
def test_it_shows_each_role_its_own_list(world, submitted, login, persona, status, shows,
                                         hides):
    SiteFactory(code="site-c", name="Locatie C")
    response = login(world.persona(persona)).get(reverse("returns:list"), {"jaar": YEAR})
    assert response.status_code == status
    html = response.content.decode()
    for text in shows:
        assert text in html
    for text in hides:
        assert text not in html


def test_it_shows_the_coordinator_her_figures_unsuppressed_and_the_office_suppressed(
        world, submitted, login):
    coordinator = login(world.coordinator_a).get(reverse("returns:site",
                                                         args=["site-a", YEAR]))
    assert "×" not in coordinator.content.decode()
    office = login(world.office).get(reverse("returns:review", args=["site-a", YEAR]))
    html = office.content.decode()
    assert "×" in html  # 12 mothers, 4 Turkish: small cells are hidden
    assert "&lt;5" not in html  # one neutral mark, never a claim about the value
    assert "niet getoond om de privacy te beschermen" in html


def test_it_shows_no_record_field_to_the_office(world, submitted, login):
    html = login(world.office).get(reverse("returns:review", args=["site-a", YEAR])).content
    for mother in world.site_a.mothers.all():
        assert mother.ref.encode() not in html


def test_it_logs_the_offices_view_of_a_return(world, submitted, login):
    from mim.audit.models import AuditEntry

    login(world.office).get(reverse("returns:review", args=["site-a", YEAR]))
    assert AuditEntry.objects.filter(event="view", object_type="annualreturn",
                                     user=world.office).count() == 1


def test_it_gives_the_programme_office_a_404_for_a_site_without_a_return(world, login):
    response = login(world.office).get(reverse("returns:review", args=["site-b", YEAR]))
    assert response.status_code == 404


def test_it_gives_404_for_a_year_without_a_codebook(world, login):
    response = login(world.coordinator_a).get(reverse("returns:site", args=["site-a", 1990]))
    assert response.status_code == 404


def test_it_never_shows_a_500_for_a_form_without_version(world, ready, login):
    client = login(world.coordinator_a)
    response = client.post(reverse("returns:submit", args=["site-a", YEAR]), {}, follow=True)
    assert response.status_code == 200
    assert "niet compleet" in response.content.decode()
    services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)

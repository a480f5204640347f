"""The office's screens for a year's coordinators and facts (issue 10, open gap 1): a
coordinator as a person of an organisation with hours at one or more sites, a site's facts
and an organisation's policies with no answer chosen in advance and "niet bekend" possible,
all through the services, all-or-nothing, in the access log, and closed to everybody else."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mim.audit.models import AuditEntry
from mim.organisations import services as organisations
from mim.organisations.models import (
    Coordinator,
    CoordinatorAssignment,
    OrganisationYear,
    SiteYear,
)
from mim.publication.inputs import figures_for
from mim.returns import services as returns
from tests.conftest import PERSONAS
from tests.factories import MotherFactory, SiteFactory

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def two_sites(world):
    """Site A and a second site of its organisation, both delivering in YEAR."""
    other = SiteFactory(code="site-a2", name="Locatie A2", organisation=world.site_a.organisation)
    for site in (world.site_a, other):
        MotherFactory(site=site, start_date=dt.date(YEAR, 3, 1))
    return world.site_a, other


def _post_coordinator(client, organisation, **fields):
    data = {"ref": "C-1", "name": "", **fields}
    return client.post(reverse("office:coordinator_new", args=[YEAR, organisation.pk]), data)


def test_it_enters_a_coordinator_at_two_sites_and_the_figures_count_her_once(
        world, login, two_sites):
    a, a2 = two_sites
    response = _post_coordinator(login(world.office), a.organisation, ref="C-1",
                                 name="Ans", experience=["maternity_care", "other"],
                                 training=["nursing"], **{f"hours_{a.pk}": "12",
                                                          f"hours_{a2.pk}": "4,5"})
    assert response.status_code == 302
    person = Coordinator.objects.get(organisation=a.organisation, ref="C-1")
    assert (person.name, person.experience, person.training) == (
        "Ans", ["maternity_care", "other"], ["nursing"])
    assert dict(person.assignments.filter(year=YEAR).values_list("site__code",
                                                                 "hours_per_week")) == {
        "site-a": Decimal("12.0"), "site-a2": Decimal("4.5")}
    national = figures_for(YEAR, "national", "NL")
    assert national.get("coordinators.total", "all").count == 1
    assert national.get("coordinators.hours_per_week", "max").value == Decimal("16.5")
    entry = AuditEntry.objects.get(object_type="coordinator")
    assert (entry.event, entry.user, entry.object_ref) == ("create", world.office, "C-1")
    assert "Ans" not in entry.detail  # her name is contact data, never logged


def test_it_changes_her_hours_of_one_year_and_leaves_other_years_and_colleagues(
        world, login, two_sites):
    a, a2 = two_sites
    person = organisations.coordinator_save(organisation=a.organisation, ref="C-1")
    colleague = organisations.coordinator_save(organisation=a.organisation, ref="C-2")
    organisations.site_coordinators_set(site=a, year=YEAR, lines=[(person, Decimal(8)),
                                                                   (colleague, Decimal(6))])
    organisations.site_coordinators_set(site=a, year=YEAR - 1, lines=[(person, Decimal(20))])
    response = login(world.office).post(
        reverse("office:coordinator_edit", args=[YEAR, person.pk]),
        {"ref": "C-1", f"hours_{a2.pk}": "10"})
    assert response.status_code == 302
    lines = set(CoordinatorAssignment.objects.values_list("coordinator__ref", "site__code",
                                                          "year", "hours_per_week"))
    assert lines == {("C-1", "site-a2", YEAR, Decimal(10)), ("C-2", "site-a", YEAR, Decimal(6)),
                     ("C-1", "site-a", YEAR - 1, Decimal(20))}
    assert AuditEntry.objects.get(object_type="coordinator").event == "update"


def test_it_shows_her_hours_and_lists_on_the_edit_form(world, login, two_sites):
    a, _a2 = two_sites
    person = organisations.coordinator_save(organisation=a.organisation, ref="C-7",
                                            training=["psychology"])
    organisations.site_coordinators_set(site=a, year=YEAR, lines=[(person, Decimal("7.5"))])
    page = login(world.office).get(reverse("office:coordinator_edit", args=[YEAR, person.pk]))
    html = page.content.decode()
    assert 'value="7,5"' in html
    checked = re.findall(r'<input type="checkbox" name="(\w+)" value="(\w+)"[^>]*checked', html)
    assert checked == [("training", "psychology")]


def test_it_refuses_bad_hours_in_dutch_and_writes_nothing(world, login, two_sites):
    a, a2 = two_sites
    response = _post_coordinator(login(world.office), a.organisation,
                                 **{f"hours_{a.pk}": "50", f"hours_{a2.pk}": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zorg ervoor dat deze waarde hoogstens 40 is." in html
    assert "Voer een getal in." in html
    assert not Coordinator.objects.exists()
    assert not AuditEntry.objects.filter(object_type="coordinator").exists()


def test_it_refuses_a_code_another_coordinator_of_the_organisation_has(world, login, two_sites):
    a, _a2 = two_sites
    organisations.coordinator_save(organisation=a.organisation, ref="C-1", name="Bep")
    response = _post_coordinator(login(world.office), a.organisation, ref="C-1", name="Ans",
                                 **{f"hours_{a.pk}": "8"})
    assert response.status_code == 200
    assert "Deze code heeft al een andere coördinator" in response.content.decode()
    assert Coordinator.objects.get().name == "Bep"
    assert not CoordinatorAssignment.objects.exists()


def test_it_keeps_it_all_or_nothing_when_an_hour_line_is_refused(world, two_sites):
    a, _a2 = two_sites
    elsewhere = SiteFactory(code="elders")
    with pytest.raises(organisations.ValidationError):
        organisations.coordinator_enter(
            organisation=a.organisation, year=YEAR, ref="C-9", name="", experience=[],
            training=[], hours={a: Decimal(4), elsewhere: Decimal(4)}, user=world.office)
    assert not Coordinator.objects.exists()
    assert not AuditEntry.objects.filter(object_type="coordinator").exists()


def test_it_chooses_no_answer_in_advance_on_new_forms(world, login):
    client = login(world.office)
    for url in (reverse("office:site_year", args=[YEAR, "site-a"]),
                reverse("office:organisation_year", args=[YEAR, world.site_a.organisation.pk]),
                reverse("office:coordinator_new", args=[YEAR, world.site_a.organisation.pk])):
        html = client.get(url).content.decode()
        assert "checked" not in html, url
        assert "niet bekend" in html or "Niets aangevinkt" in html


def test_it_saves_the_facts_of_a_not_delivering_site_with_not_known_apart_from_none(
        world, login, two_sites):
    a, a2 = two_sites
    returns.return_not_delivered(site=a2, year=YEAR, user=world.office, reason="gestopt")
    response = login(world.office).post(reverse("office:site_year", args=[YEAR, "site-a2"]), {
        "target_group": "Eerste kind", "financing": ["municipal_subsidy"],
        "variant": ["unknown"], "group_activities": ["none_of_these"]})
    assert response.status_code == 302
    facts = SiteYear.objects.get(site=a2, year=YEAR)
    assert (facts.target_group, facts.financing, facts.variant, facts.group_activities) == (
        "Eerste kind", ["municipal_subsidy"], None, [])
    entry = AuditEntry.objects.get(object_type="siteyear")
    assert (entry.event, entry.user, entry.site, entry.object_ref) == (
        "update", world.office, a2, f"site-a2/{YEAR}")
    # site A delivered and has its own facts: "niet bekend" is counted as unknown, not as 0
    organisations.site_year_save(site=a, year=YEAR, financing=["jgz_budget"], variant=None,
                                 group_activities=None)
    national = figures_for(YEAR, "national", "NL")
    variant = national.get("facts.variant", "unknown")
    assert (variant.count, variant.base) == (1, 1)  # a2 delivered nothing: not in the base


def test_it_refuses_not_known_beside_an_answer_and_writes_nothing(world, login):
    response = login(world.office).post(reverse("office:site_year", args=[YEAR, "site-a"]), {
        "financing": ["municipal_subsidy", "unknown"], "variant": ["regular"]})
    assert response.status_code == 200
    assert "‘niet bekend’ gaat niet samen met een ander antwoord." in response.content.decode()
    assert not SiteYear.objects.exists()


def test_it_saves_policies_left_open_as_not_known_never_as_no(world, login):
    organisation = world.site_a.organisation
    response = login(world.office).post(
        reverse("office:organisation_year", args=[YEAR, organisation.pk]),
        {"reimbursement": ["travel_costs"], "vog_required": "yes"})
    assert response.status_code == 302
    policy = OrganisationYear.objects.get(organisation=organisation, year=YEAR)
    assert (policy.reimbursement, policy.vog_required, policy.volunteer_agreement) == (
        ["travel_costs"], "yes", "unknown")
    assert AuditEntry.objects.get(object_type="organisationyear").user == world.office
    again = login(world.office).post(
        reverse("office:organisation_year", args=[YEAR, organisation.pk]),
        {"reimbursement": ["none", "gift"]})
    assert again.status_code == 200
    policy.refresh_from_db()
    assert policy.reimbursement == ["travel_costs"]


def test_it_lists_every_active_site_with_its_facts_coordinators_and_what_is_missing(
        world, login, two_sites):
    a, a2 = two_sites
    ended = SiteFactory(code="gestopt", name="Gestopte locatie",
                        organisation=a.organisation, last_year=YEAR)
    SiteFactory(code="eerder", name="Eerder gestopt", organisation=a.organisation,
                last_year=YEAR - 1)
    returns.return_not_delivered(site=ended, year=YEAR, user=world.office, reason="gestopt")
    organisations.site_year_save(site=a, year=YEAR, financing=["jgz_budget"], variant=None)
    person = organisations.coordinator_save(organisation=a.organisation, ref="C-1")
    organisations.site_coordinators_set(site=a, year=YEAR, lines=[(person, Decimal(8))])
    organisations.site_coordinators_set(site=a2, year=YEAR, lines=[(person, Decimal(4))])
    response = login(world.office).get(reverse("office:year") + f"?jaar={YEAR}")
    html = response.content.decode()
    for name in ("Locatie A", "Locatie A2", "Gestopte locatie", "Locatie B"):
        assert name in html
    assert "Eerder gestopt" not in html
    assert f"actief tot en met {YEAR}" in html
    assert "niet aangeleverd" in html.lower()
    assert "JGZ-begroting" in html and "Uitvoeringsvariant: niet bekend" in html
    assert "12 uur per week" in html  # her hours over both sites, once
    assert ("Niet ingevuld: locatiegegevens van 3 locaties, coördinatoren van 2 locaties, "
            "beleid van 2 organisaties.") in html


def test_it_links_the_screen_from_the_index_and_the_waiting_page(world, login):
    client = login(world.office)
    target = reverse("office:year")
    assert f'href="{target}"' in client.get(reverse("office:index")).content.decode()
    waiting = client.get(reverse("returns:waiting") + f"?jaar={YEAR}").content.decode()
    assert f'href="{target}?jaar={YEAR}"' in waiting


def _urls(world):
    organisation = world.site_a.organisation.pk
    person = organisations.coordinator_save(organisation=world.site_a.organisation, ref="C-1")
    return [reverse("office:year"),
            reverse("office:site_year", args=[YEAR, "site-a"]),
            reverse("office:organisation_year", args=[YEAR, organisation]),
            reverse("office:coordinator_new", args=[YEAR, organisation]),
            reverse("office:coordinator_edit", args=[YEAR, person.pk])]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("office", "anonymous")])
def test_it_refuses_everybody_but_the_office(world, login, persona):
    client = login(world.persona(persona))
    for url in _urls(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"ref": "X", "financing": ["jgz_budget"]}).status_code == 403
    assert not SiteYear.objects.exists() and not OrganisationYear.objects.exists()
    assert Coordinator.objects.count() == 1


def test_it_sends_anonymous_visitors_to_the_login_page(world, client):
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("office:year") + f"?jaar={YEAR}").status_code == 200
    return len(captured)


def test_it_reads_the_year_in_as_many_queries_for_three_organisations_as_for_one(
        world, login):
    client = login(world.office)
    person = organisations.coordinator_save(organisation=world.site_a.organisation, ref="C-1")
    organisations.site_coordinators_set(site=world.site_a, year=YEAR,
                                        lines=[(person, Decimal(8))])
    before = _page_queries(client)
    for n in range(3):
        site = SiteFactory(code=f"extra-{n}")
        organisations.site_year_save(site=site, year=YEAR, financing=["jgz_budget"])
        organisations.organisation_year_save(organisation=site.organisation, year=YEAR)
        extra = organisations.coordinator_save(organisation=site.organisation, ref=f"E-{n}")
        organisations.site_coordinators_set(site=site, year=YEAR, lines=[(extra, Decimal(4))])
    assert _page_queries(client) == before


def test_it_speaks_english_to_an_office_that_chose_english(world, login, settings):
    organisations.site_year_save(site=world.site_a, year=YEAR, financing=["jgz_budget"],
                                 variant=None)
    client = login(world.office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The middleware leaves English active in this thread: the override puts Dutch back
    # for the tests that follow.
    with translation.override("nl"):
        html = client.get(reverse("office:year") + f"?jaar={YEAR}").content.decode()
    assert translation.get_language() != "en"
    assert f"Coordinators and site facts {YEAR}" in html
    assert "Variant: not known" in html and "Financing: youth health care budget" in html


def test_it_shows_a_list_left_not_known_as_unknown_in_the_returns_facts(world):
    from mim.returns import display, selectors

    organisations.site_year_save(site=world.site_a, year=YEAR, financing=None,
                                 variant=["regular"], group_activities=[])
    rows = dict(display.facts_rows(YEAR, selectors.facts_snapshot(world.site_a, YEAR)))
    assert (rows["Financiering"], rows["Uitvoeringsvariant"], rows["Groepsactiviteiten"]) == (
        "onbekend", "regulier", "–")

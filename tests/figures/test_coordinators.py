"""Coordinators as people and facts per site or organisation (issue 10): the tidy rows
`coordinators.*`, `facts.*` and `ratios.volunteers_per_coordinator`, unsuppressed and as
`mim figures` publishes them."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from mim.organisations.services import (
    coordinator_save,
    organisation_year_save,
    site_coordinators_set,
    site_year_save,
)
from mim.publication.inputs import figures_for
from mim.publication.selectors import server_figures
from mim.returns import services as return_services
from tests.factories import MotherFactory, OrganisationFactory, SiteFactory, VolunteerFactory

YEAR = 2024


def delivering(site, mothers=1, volunteers=0):
    for _ in range(mothers):
        MotherFactory(site=site, start_date=dt.date(YEAR, 3, 1))
    for _ in range(volunteers):
        VolunteerFactory(site=site, start_date=dt.date(YEAR, 2, 1))
    return site


def person(organisation, ref, **lists):
    return coordinator_save(organisation=organisation, ref=ref, **lists)


def assign(site, *lines):
    site_coordinators_set(site=site, year=YEAR, lines=[(p, Decimal(h)) for p, h in lines])


def value(figure_set, variable, category="all"):
    f = figure_set.get(variable, category)
    return f.value if f.value is not None else f.count


@pytest.fixture
def thirteen(db):
    """Anna works 2 hours at each of 13 sites of one organisation; Bea 10 hours beside her
    at the first; Carla alone at a site of another organisation."""
    org = OrganisationFactory(name="Zorg Noord")
    sites = [delivering(SiteFactory(organisation=org, code=f"noord-{n:02}")) for n in range(13)]
    anna = person(org, "anna", experience=["youth_health_care", "maternity_care"],
                  training=["nursing"])
    bea = person(org, "bea", experience=["education"])
    other = OrganisationFactory(name="Zorg Zuid")
    alone = delivering(SiteFactory(organisation=other, code="zuid"), mothers=12, volunteers=12)
    carla = person(other, "carla", training=["psychology"])
    assign(sites[0], (anna, 2), (bea, 10))
    for site in sites[1:]:
        assign(site, (anna, 2))
    assign(alone, (carla, 30))
    return sites, alone


def test_it_counts_a_coordinator_at_thirteen_sites_once_with_her_total_hours(thirteen):
    national = figures_for(YEAR, "national", "NL")
    assert value(national, "coordinators.total") == 3
    assert value(national, "coordinators.delivered") == 3
    hours = {c: value(national, "coordinators.hours_per_week", c)
             for c in ("min", "median", "max")}
    assert hours == {"min": Decimal(10), "median": Decimal(26), "max": Decimal(30)}
    organisation = figures_for(YEAR, "organisation", "Zorg Noord")
    assert value(organisation, "coordinators.total") == 2
    assert value(organisation, "coordinators.hours_per_week", "max") == Decimal(26)
    # One of her sites on its own: her hours there, counted once there too.
    site = figures_for(YEAR, "site", "noord-05")
    assert value(site, "coordinators.total") == 1
    assert value(site, "coordinators.hours_per_week", "max") == Decimal(2)
    experience = national.get("coordinators.experience", "youth_health_care")
    assert (experience.count, experience.base) == (1, 3)
    assert national.get("coordinators.experience", "unknown").count == 1  # Carla


def test_it_tells_solo_from_team_by_who_works_where(thirteen):
    national = figures_for(YEAR, "national", "NL")
    # Anna shares the first site with Bea, so she is not solo anywhere-every-site; Carla is.
    assert value(national, "coordinators.works_solo", "yes") == 1
    assert value(national, "coordinators.works_solo", "no") == 2
    assert national.get("coordinators.works_solo", "yes").base == 3


def test_it_counts_the_coordinators_of_a_site_that_did_not_deliver(thirteen, django_user_model):
    from mim.accounts.models import Role
    from tests.factories import user_with_role

    quiet = SiteFactory(organisation=thirteen[1].organisation, code="stil")
    dora = person(quiet.organisation, "dora")
    assign(quiet, (dora, 8))
    office = user_with_role(Role.PROGRAMME_OFFICE, "bureau")
    return_services.return_not_delivered(site=quiet, year=YEAR, user=office,
                                         reason="gestopt")
    national = figures_for(YEAR, "national", "NL")
    assert value(national, "coordinators.total") == 4  # Dora counts as working
    assert value(national, "coordinators.delivered") == 3  # her site delivered nothing
    assert server_figures(YEAR, "site", "stil").get("coordinators.total").count == 1


def test_it_divides_volunteers_by_the_coordinators_of_delivering_sites(thirteen):
    site = figures_for(YEAR, "site", "zuid")
    ratio = site.get("ratios.volunteers_per_coordinator")
    assert (ratio.value, ratio.base) == (Decimal(12), 1)


def test_it_counts_policies_per_organisation_and_says_what_is_not_known(thirteen):
    north, south = thirteen[0][0].organisation, thirteen[1].organisation
    organisation_year_save(organisation=north, year=YEAR, vog_required="yes",
                           reimbursement=["travel_costs"])
    site_year_save(site=thirteen[1], year=YEAR, financing=["municipal_subsidy"])
    national = figures_for(YEAR, "national", "NL")
    vog = {c: national.get("facts.vog_required", c) for c in ("yes", "no", "unknown")}
    assert {c: (f.count, f.base) for c, f in vog.items()} == {
        "yes": (1, 2), "no": (0, 2), "unknown": (1, 2)}  # Zorg Zuid entered nothing
    financing = national.get("facts.financing", "municipal_subsidy")
    assert (financing.count, financing.base) == (1, 14)  # per site
    assert national.get("facts.financing", "unknown").count == 13
    del south


def test_it_writes_the_rows_in_mim_figures(thirteen, capsys):
    call_command("figures", "--year", str(YEAR))
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    found = {(r["variable"], r["category"]): r for r in rows if r["scope"] == "national"}
    assert found[("coordinators.total", "all")]["count"] == "3"
    assert found[("coordinators.hours_per_week", "max")]["value"] == "30"
    assert found[("coordinators.works_solo", "yes")]["suppressed"] == "false"
    assert ("facts.vog_required", "unknown") in found
    assert ("ratios.volunteers_per_coordinator", "all") in found

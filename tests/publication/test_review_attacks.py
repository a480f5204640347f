"""Attacks found by a review of the published surfaces (2026-12-07), each as it was first
written against the code before its fix: a role given after a publication was built, and the
derived rows (data standard version 2) that the audit's programme does not hold."""

import datetime as dt

import pytest

from mim.accounts import services as accounts
from mim.accounts.models import Role
from mim.audit.services import audited_write
from mim.figures import engine
from mim.publication.selectors import read_scope
from mim.registry.models import Mother
from mim.returns.models import AnnualReturn, ReturnFigure, Source, Status
from tests.factories import MotherFactory, SiteFactory, UserFactory, user_with_role
from tests.publication.exported import exported

pytestmark = pytest.mark.django_db

YEAR = 2024


def _export(client, scope: str) -> dict:
    return exported(client, YEAR, scope)


def _group_row(client):
    response = client.get("/cijfers/overzicht/", {"scope": "national:NL", "jaar": YEAR})
    assert response.status_code == 200
    return next(r for r in response.context["current"].sites if r.is_group)


def _small_group_of_two(world):
    mine, other = SiteFactory(code="klein-x"), SiteFactory(code="klein-y")
    for site, n in ((mine, 5), (other, 6), (world.site_a, 15), (world.site_b, 15)):
        for _ in range(n):
            MotherFactory(site=site, start_date=dt.date(YEAR, 2, 1))
    return mine, other


def test_it_hides_a_group_total_from_a_coordinator_appointed_after_it_was_published(
        world, client):
    """A coordinator of a site inside a merged group of two reads the group's total less her
    own as the other site's. The audit attacks as her whether or not she has been appointed:
    what was published before her appointment stays out."""
    mine, _other = _small_group_of_two(world)
    before = read_scope(YEAR, "national", "NL")  # anyone's read builds the publication
    assert {s.code for s in before.sites if s.group} == {"klein-x", "klein-y"}
    second_office = user_with_role(Role.PROGRAMME_OFFICE, "office2")
    newcomer = UserFactory(username="new_coord")
    proposal = accounts.role_grant(target=newcomer, role=Role.COORDINATOR, site=mine,
                                   user=world.office)
    accounts.role_confirm(proposal=proposal, user=second_office)
    client.force_login(newcomer)
    own = _export(client, "site:klein-x")[("mothers.total", "all")]
    assert own["count"] == "5"
    group = _group_row(client).mothers
    assert group.suppressed or group.count is None, (
        f"group total {group.count} - own 5 = the other site's hidden total")


def test_it_rebuilds_the_publication_when_a_coordinator_is_given_a_wider_role(world):
    """Her wider role makes her an attacker who holds her site's true figures: a role is an
    input of the publication, and a write to the roles raises its stamp."""
    _small_group_of_two(world)
    before = read_scope(YEAR, "national", "NL").publication
    # A role for somebody who holds no site's records changes nothing the audit attacks with.
    user_with_role(Role.ORGANISATION_VIEWER, "kijker", organisation=world.site_a.organisation)
    assert read_scope(YEAR, "national", "NL").publication == before
    world.coordinator_a.role_assignments.create(role=Role.ORGANISATION_VIEWER,
                                                organisation=world.site_a.organisation)
    assert read_scope(YEAR, "national", "NL").publication != before


def test_it_gives_no_base_for_the_countries_of_birth_that_subtracts_to_a_hidden_total(
        world, client):
    """The national total less the mothers with a known country of birth was the total of the
    sites that keep no records here: with one such site, its hidden total."""
    target = world.site_a
    for _ in range(6):
        MotherFactory(site=target, start_date=dt.date(YEAR, 2, 1), country_of_birth="NL")
    figures = engine.site_figures(YEAR, sites=[target])
    with audited_write():  # set-up only: the target keeps no records here
        Mother.objects.filter(site=target).delete()
    target.keeps_records = False
    target.save()
    annual_return = AnnualReturn.objects.create(
        site=target, year=YEAR, status=Status.APPROVED, source=Source.AGGREGATE,
        submitted_at=dt.datetime(YEAR + 1, 2, 1, tzinfo=dt.UTC),
        approved_at=dt.datetime(YEAR + 1, 3, 1, tzinfo=dt.UTC))
    ReturnFigure.objects.bulk_create(
        ReturnFigure(annual_return=annual_return, variable=f.variable, category=f.category,
                     count=f.count, base=f.base) for f in figures)
    for site in [world.site_b, *[SiteFactory() for _ in range(3)]]:
        for n in range(15):
            MotherFactory(site=site, start_date=dt.date(YEAR, 2, 1),
                          country_of_birth=["NL", "TR", "MA"][n % 3])
    client.force_login(world.office)
    assert _export(client, f"site:{target.code}")[("mothers.total", "all")]["suppressed"] \
        == "true"
    national = _export(client, "national:NL")
    countries = national[("mothers.countries_of_birth", "all")]
    assert countries["count"] == "3" and countries["base"] == ""
    total = int(national[("mothers.total", "all")]["count"])
    assert total == 66  # the hidden 6 stays hidden: nothing published to subtract it from


def test_it_counts_only_shown_sites_with_second_child_mothers(world):
    """Counted over every site, merged and hidden ones too, the row gave each of them a
    lower bound of 1 when all had some (a group of two whose count was shown put each
    member's hidden count in [1, 4]), or pinned them to 0 when none had; now only the sites
    whose own count is shown count, and the row says nothing they do not."""
    x, y = SiteFactory(code="klein-x"), SiteFactory(code="klein-y")
    for site, n, second in ((x, 5, 0), (y, 6, 0), (world.site_a, 15, 2),
                            (world.site_b, 30, 10), (SiteFactory(code="groot-c"), 30, 12)):
        for i in range(n):
            MotherFactory(site=site, start_date=dt.date(YEAR, 2, 1),
                          child_order="second" if i < second else "first")
    national = read_scope(YEAR, "national", "NL")
    assert {s.code for s in national.sites if s.group} == {"klein-x", "klein-y"}
    cells = {code: read_scope(YEAR, "site", code).get("mothers.child_order", "second")
             for code in ("site-a", "site-b", "groot-c")}
    assert cells["site-a"].suppressed  # 2: hidden, and it counted before
    shown = [code for code, f in cells.items() if not f.suppressed and f.count]
    with_second = national.get("sites.with_second_child")
    assert (with_second.count, with_second.base) == (len(shown), 5)  # 3 before: a, b and c

"""Publication: the one place figures leave the coordinator role."""

import random

import pytest
from django.http import Http404

from mim.accounts.models import Role
from mim.accounts.selectors import figure_scopes
from mim.figures import standard
from mim.figures.suppression import recoverable_cells
from mim.publication.inputs import figures_for
from mim.publication.selectors import published_figures
from tests.factories import MotherFactory, SiteFactory, user_with_role
from tests.figures.conftest import YEAR, random_records


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_it_never_publishes_a_count_of_one_to_four_to_anyone_but_the_own_coordinator(
        three_sites, seed):
    rng = random.Random(seed)
    random_records(rng, three_sites, rng.randint(5, 90), rng.randint(3, 40))
    a = three_sites[0]
    users = [user_with_role(Role.PROGRAMME_OFFICE, "office"),
             user_with_role(Role.FUNDER, "funder", municipality=a.municipality),
             user_with_role(Role.ORGANISATION_VIEWER, "viewer", organisation=a.organisation),
             user_with_role(Role.COORDINATOR, "coord", site=a)]
    cache = {}
    everything = []
    for user in users:
        for scope in figure_scopes(user):
            published = published_figures(user, YEAR, scope.scope, scope.code, cache=cache)
            if scope.unsuppressed:
                assert published.figures == figures_for(YEAR, scope.scope, scope.code).figures
                continue
            for f in published.figures:
                if standard.is_protected(f.variable):  # not sites, coordinators, facts
                    assert f.count is None or f.count == 0 or f.count >= 5, f
                    assert f.base is None or f.base == 0 or f.base >= 5, f
            everything += published.figures
    # Published views of all roles together give no hidden cell away by one subtraction.
    unique = list({(f.scope, f.scope_code, f.variable, f.category): f for f in everything}
                  .values())
    children = {("national", "NL"): [("site", s.code) for s in three_sites]}
    assert recoverable_cells(unique, children) == []


def test_it_shows_the_coordinator_her_own_site_unsuppressed(world):
    for _ in range(3):
        MotherFactory(site=world.site_a, origin="turkish")
    own = published_figures(world.coordinator_a, 2024, "site", world.site_a.code)
    assert own.suppressed is False
    assert own.get("mothers.origin", "turkish").count == 3
    national = published_figures(world.coordinator_a, 2024, "national", "NL")
    assert national.suppressed is True
    assert national.get("mothers.origin", "turkish").count is None


def test_it_suppresses_the_same_site_for_the_funder(world):
    for _ in range(3):
        MotherFactory(site=world.site_a, origin="turkish")
    seen = published_figures(world.funder, 2024, "site", world.site_a.code)
    assert seen.suppressed and seen.get("mothers.origin", "turkish").count is None


@pytest.mark.parametrize(("persona", "scope", "code"), [
    ("coordinator_a", "site", "site-b"),
    ("coordinator_a", "organisation", "any"),
    ("coordinator_b", "site", "site-a"),
    ("funder", "site", "site-b"),
    ("organisation_viewer", "site", "site-b"),
    ("anonymous", "national", "NL"),
    ("office", "site", "no-such-site"),
])
def test_it_refuses_a_scope_outside_the_users_figure_scopes(world, persona, scope, code):
    with pytest.raises(Http404):
        published_figures(world.persona(persona), 2024, scope, code)


def test_it_counts_expected_delivered_and_approved_sites(db):
    busy = SiteFactory(first_year=2010)
    SiteFactory(first_year=2010)  # active, no records: not delivered
    SiteFactory(first_year=2010, keeps_records=False)  # registers elsewhere, no return
    SiteFactory(first_year=2010, last_year=2020)  # not active in 2024
    MotherFactory(site=busy)
    got = figures_for(2024, "national", "NL")
    assert (got.completeness.expected, got.completeness.delivered,
            got.completeness.approved) == (3, 1, 0)
    assert got.provisional == {busy.code}
    assert got.get("sites.delivered").count == 1 and got.get("sites.delivered").base == 3
    assert figures_for(2024, "national", "NL", approved_only=True).get("mothers.total").count == 0


def _approve(site, year, figures):
    from django.utils import timezone

    from mim.returns.models import AnnualReturn, ReturnFigure

    annual = AnnualReturn.objects.create(site=site, year=year, status="approved",
                                         submitted_at=timezone.now(),
                                         approved_at=timezone.now())
    ReturnFigure.objects.bulk_create(
        ReturnFigure(annual_return=annual, variable=v, category=c, count=n, base=b)
        for v, c, n, b in figures)


def test_it_takes_the_approved_return_over_live_records(db):
    approved, live = SiteFactory(first_year=2010), SiteFactory(first_year=2010)
    MotherFactory(site=approved)  # live, but the approved return wins
    MotherFactory(site=live)
    _approve(approved, 2024, [("mothers.total", "all", 40, 40),
                              ("mothers.origin", "dutch", 30, 40),
                              ("mothers.origin", "unknown", 10, 40)])
    got = figures_for(2024, "national", "NL")
    assert got.get("mothers.total").count == 41
    assert got.get("mothers.origin", "dutch").count == 31
    assert got.get("mothers.origin", "turkish").count == 0  # completed to the template
    assert got.get("mothers.migrant_background", "no").base == 31  # 30 known + 1 live
    assert got.provisional == {live.code}
    assert (got.completeness.delivered, got.completeness.approved) == (2, 1)
    only = figures_for(2024, "national", "NL", approved_only=True)
    assert only.get("mothers.total").count == 40 and only.provisional == frozenset()

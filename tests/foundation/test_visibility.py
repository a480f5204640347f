"""Each persona sees exactly its scope (deny by default; records for coordinators only)."""

import pytest
from django.http import Http404

from mim.accounts import selectors
from mim.accounts.models import Role, RoleAssignment
from tests.conftest import PERSONAS
from tests.factories import SiteFactory

RECORD_SITES = {"coordinator_a": {"site-a"}, "coordinator_b": {"site-b"}}
VISIBLE_SITES = {"coordinator_a": {"site-a"}, "coordinator_b": {"site-b"},
                 "organisation_viewer": {"site-a"}, "funder": {"site-a"},
                 "office": {"site-a", "site-b"}, "operator": {"site-a", "site-b"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_gives_personal_records_to_coordinators_of_the_site_only(world, persona):
    user = world.persona(persona)
    codes = set(selectors.record_sites(user).values_list("code", flat=True))
    assert codes == RECORD_SITES.get(persona, set())


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_each_persona_the_sites_of_its_scope(world, persona):
    SiteFactory(code="site-c")  # belongs to nobody's organisation or municipality
    user = world.persona(persona)
    codes = set(selectors.visible_sites(user).values_list("code", flat=True))
    expected = VISIBLE_SITES.get(persona, set())
    if persona in ("office", "operator"):
        expected = expected | {"site-c"}
    assert codes == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_returns_404_for_a_record_site_outside_the_scope(world, persona):
    user = world.persona(persona)
    if persona == "coordinator_a":
        assert selectors.record_site(user, "site-a") == world.site_a
    with pytest.raises(Http404):
        selectors.record_site(user, "site-b" if persona != "coordinator_b" else "site-a")


def test_it_lets_only_coordinators_see_their_own_site_unsuppressed(world):
    for persona in PERSONAS:
        scopes = selectors.figure_scopes(world.persona(persona))
        unsuppressed = {(s.scope, s.code) for s in scopes if s.unsuppressed}
        if persona == "coordinator_a":
            assert unsuppressed == {("site", "site-a")}
        elif persona == "coordinator_b":
            assert unsuppressed == {("site", "site-b")}
        else:
            assert unsuppressed == set()


def test_it_gives_the_organisation_viewer_her_organisation_and_its_sites(world):
    scopes = {(s.scope, s.code) for s in selectors.figure_scopes(world.organisation_viewer)}
    assert scopes == {("organisation", world.site_a.organisation.name), ("site", "site-a"),
                      ("national", "NL")}


def test_it_gives_the_funder_her_municipality_and_its_sites(world):
    scopes = {(s.scope, s.code) for s in selectors.figure_scopes(world.funder)}
    assert scopes == {("municipality", world.site_a.municipality.name), ("site", "site-a"),
                      ("national", "NL")}


def test_it_keeps_a_coordinators_own_organisation_and_municipality_from_her_as_a_whole(world):
    # aggregate minus her own unsuppressed site would give her sibling sites away
    site = world.site_a
    for role, scope in ((Role.ORGANISATION_VIEWER, {"organisation": site.organisation}),
                        (Role.FUNDER, {"municipality": site.municipality}),
                        (Role.PROGRAMME_OFFICE, {})):
        RoleAssignment.objects.create(user=world.coordinator_a, role=role, **scope)
    other = SiteFactory()
    scopes = {(s.scope, s.code) for s in selectors.figure_scopes(world.coordinator_a)}
    assert ("organisation", site.organisation.name) not in scopes
    assert ("municipality", site.municipality.name) not in scopes
    assert {("organisation", other.organisation.name), ("site", "site-b"),
            ("national", "NL")} <= scopes


def test_it_gives_nothing_to_an_inactive_user(world):
    world.coordinator_a.is_active = False
    world.coordinator_a.save()
    assert not selectors.record_sites(world.coordinator_a).exists()
    assert selectors.figure_scopes(world.coordinator_a) == []


def test_it_gives_nothing_to_a_user_without_a_role(db):
    from tests.factories import UserFactory

    user = UserFactory()
    assert not selectors.visible_sites(user).exists()
    assert selectors.figure_scopes(user) == []

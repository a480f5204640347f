"""Who reaches which registration page (security guide A1, A3, C2).

Every URL of the registry is in the matrix below; a meta-test walks the resolver and
fails when a new URL arrives without being added here."""

import pytest
from django.urls import get_resolver, reverse

from mim.registry.models import Mother
from tests.conftest import PERSONAS
from tests.factories import MatchFactory

from .conftest import mother_form

ENTRY = {"mothers", "volunteers", "audit"}
SITE = {"mother_list", "mother_create", "mothers_to_close", "visit_sheet", "volunteer_list",
        "volunteer_create", "audit_log"}
MOTHER = {"mother_detail", "mother_edit", "mother_end", "mother_complete", "mother_match",
          "visit_create", "mother_export", "mother_erase"}
VOLUNTEER = {"volunteer_detail", "volunteer_edit", "volunteer_end", "volunteer_export",
             "volunteer_erase"}
MATCH = {"match_end"}
ASSESSMENT = {"mother_assessment"}
ALL = ENTRY | SITE | MOTHER | VOLUNTEER | MATCH | ASSESSMENT


def _url(name, site, mother, volunteer, match):
    if name in ENTRY:
        return reverse(f"registry:{name}")
    kwargs = {"site_code": site.code}
    if name in MOTHER | MATCH | ASSESSMENT:
        kwargs["pk"] = mother.pk
    if name in ASSESSMENT:
        kwargs["moment"] = "intake"
    if name in VOLUNTEER:
        kwargs["pk"] = volunteer.pk
    if name in MATCH:
        kwargs["match_pk"] = match.pk
    return reverse(f"registry:{name}", kwargs=kwargs)


def test_it_covers_every_registry_url_in_the_matrix():
    names = {pattern.name for include in get_resolver().url_patterns
             if getattr(include, "namespace", None) == "registry"
             for pattern in include.url_patterns}
    assert names == ALL


@pytest.fixture
def records(world):
    match = MatchFactory(mother__site=world.site_a)
    return match.mother, match.volunteer, match


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_record_pages_to_the_sites_own_coordinator_only(world, login, records, persona,
                                                                  name):
    url = _url(name, world.site_a, *records)
    response = login(world.persona(persona)).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona == "coordinator_a":
        # match_end only answers POST; everything else opens (or redirects to the site).
        expected = 302 if name in ENTRY else 405 if name in MATCH else 200
        assert response.status_code == expected
    elif persona == "coordinator_b" and name in ENTRY:
        # the menu entry leads her to her own site, never to site A
        assert response["Location"].startswith(reverse(f"registry:{name}") + "site-b/")
    else:
        # Never 403: that would confirm that the site or the record exists.
        assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(SITE | MOTHER | VOLUNTEER | MATCH))
def test_it_answers_404_for_another_sites_records_even_by_post(world, login, records, name):
    url = _url(name, world.site_a, *records)
    response = login(world.coordinator_b).post(url, {"end_date": "2025-06-01"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["mother_detail", "mother_edit", "volunteer_detail",
                                  "volunteer_edit", "mother_list", "volunteer_list",
                                  "audit_log", "mother_match", "mother_export"])
def test_it_forbids_caches_to_keep_record_pages(world, login, records, name):
    response = login(world.coordinator_a).get(_url(name, world.site_a, *records))
    assert "no-store" in response["Cache-Control"]


def test_it_does_not_find_a_record_of_site_a_under_site_b_in_the_url(world, login, records):
    # coordinator of both sites: the record is fetched through the URL's site only
    from mim.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=world.coordinator_a, role=Role.COORDINATOR,
                                  site=world.site_b)
    mother = records[0]
    url = reverse("registry:mother_detail", kwargs={"site_code": "site-b", "pk": mother.pk})
    assert login(world.coordinator_a).get(url).status_code == 404


def test_it_never_moves_a_record_to_another_site_whatever_is_posted(world, coordinator, mother):
    url = reverse("registry:mother_edit", kwargs={"site_code": "site-a", "pk": mother.pk})
    coordinator.post(url, mother_form(ref="M0001", version=mother.version,
                                      site=world.site_b.pk, site_id=world.site_b.pk,
                                      site_code="site-b"))
    mother.refresh_from_db()
    assert mother.site_id == world.site_a.pk
    assert mother.origin == "moroccan"  # the save itself went through
    create = reverse("registry:mother_create", kwargs={"site_code": "site-a"})
    coordinator.post(create, mother_form(ref="M0200", site=world.site_b.pk))
    assert Mother.objects.get(ref="M0200").site_id == world.site_a.pk


def test_it_offers_only_the_sites_own_volunteers_for_a_match(world, coordinator, mother):
    from tests.factories import VolunteerFactory

    stranger = VolunteerFactory(site=world.site_b)
    url = reverse("registry:mother_match", kwargs={"site_code": "site-a", "pk": mother.pk})
    response = coordinator.post(url, {"volunteer": stranger.pk, "start_date": "2025-06-01"})
    assert response.status_code == 200
    assert not mother.matches.exists()
    assert stranger.ref not in response.content.decode()

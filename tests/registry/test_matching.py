import datetime as dt

from django.urls import reverse

from mim.registry import selectors
from mim.registry.models import Match
from tests.factories import MatchFactory, MotherFactory, VolunteerFactory


def _url(name, **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": "site-a", **kwargs})


def test_it_suggests_volunteers_of_the_same_origin_with_spare_capacity(world):
    mother = MotherFactory(site=world.site_a, origin="turkish")
    free = VolunteerFactory(site=world.site_a, ref="V-FREE", origin="turkish")
    full = VolunteerFactory(site=world.site_a, ref="V-FULL", origin="turkish")
    MatchFactory.create_batch(2, volunteer=full, mother__site=world.site_a)
    other = VolunteerFactory(site=world.site_a, ref="V-OTHER", origin="dutch")
    VolunteerFactory(site=world.site_a, ref="V-GONE", origin="turkish",
                     end_date=dt.date(2025, 1, 1), end_reason="moved")
    candidates = selectors.match_candidates(mother)
    assert [(c.volunteer.ref, c.load, c.suggested) for c in candidates] == [
        (free.ref, 0, True), (other.ref, 0, False), (full.ref, 2, False)]


def test_it_matches_a_mother_with_a_volunteer(world, coordinator, mother, volunteer):
    page = coordinator.get(_url("mother_match", pk=mother.pk))
    assert volunteer.ref in page.content.decode()
    response = coordinator.post(_url("mother_match", pk=mother.pk), {
        "volunteer": volunteer.pk, "start_date": "2025-02-01"})
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.mother, match.volunteer, match.site) == (mother, volunteer, world.site_a)


def test_it_refuses_a_second_running_match(world, coordinator, mother, volunteer):
    MatchFactory(mother=mother, volunteer=volunteer, start_date=dt.date(2025, 1, 10))
    another = VolunteerFactory(site=world.site_a)
    response = coordinator.post(_url("mother_match", pk=mother.pk), {
        "volunteer": another.pk, "start_date": "2025-03-01"})
    assert response.status_code == 200
    assert mother.matches.count() == 1


def test_it_refuses_a_match_before_the_mother_started(world, coordinator, mother, volunteer):
    response = coordinator.post(_url("mother_match", pk=mother.pk), {
        "volunteer": volunteer.pk, "start_date": "2024-12-01"})
    assert "start_date" in response.context["form"].errors
    assert not Match.objects.exists()


def test_it_ends_a_match(world, coordinator, mother, volunteer):
    match = MatchFactory(mother=mother, volunteer=volunteer, start_date=dt.date(2025, 1, 10))
    response = coordinator.post(_url("match_end", pk=mother.pk, match_pk=match.pk),
                                {"end_date": "2025-06-01"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.end_date == dt.date(2025, 6, 1)
    assert selectors.current_match(mother) is None

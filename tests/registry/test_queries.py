"""The query count of a list page does not grow with its rows (style guide 3)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mim.audit.services import audit_record
from mim.registry.models import MotherContact, VolunteerContact
from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory

# 13: the page's own access-log entry, and one statement for an entry per record it shows
# (mim.audit.services.audit_each).
MAX_QUERIES = 13


def _mothers(site, n):
    for mother in MotherFactory.create_batch(n, site=site, start_date=dt.date(2025, 1, 6)):
        MotherContact.objects.create(mother=mother, name="Naam")
        match = MatchFactory(mother=mother, start_date=dt.date(2025, 1, 10))
        VisitFactory(mother=mother, volunteer=match.volunteer, date=dt.date(2025, 2, 1))


def _volunteers(site, n):
    for volunteer in VolunteerFactory.create_batch(n, site=site):
        VolunteerContact.objects.create(volunteer=volunteer, name="Naam")
        MatchFactory(volunteer=volunteer, mother__site=site)


def _log(site, n):
    for i in range(n):
        audit_record(event="view", site=site, object_type="mother", object_ref=f"M{i}")


PAGES = {
    "mother_list": _mothers,
    "volunteer_list": _volunteers,
    "mothers_to_close": lambda site, n: MotherFactory.create_batch(
        n, site=site, start_date=dt.date(2023, 1, 2)),
    "audit_log": _log,
    "visit_sheet": _mothers,
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_it_lists_5_or_60_rows_with_the_same_number_of_queries(
        world, coordinator, name, django_assert_max_num_queries):
    url = reverse(f"registry:{name}", kwargs={"site_code": "site-a"})
    PAGES[name](world.site_a, 5)
    few = _count(coordinator, url)
    PAGES[name](world.site_a, 55)
    many = _count(coordinator, url)
    assert few == many
    with django_assert_max_num_queries(MAX_QUERIES):
        coordinator.get(url)


def test_it_builds_the_home_page_with_the_same_number_of_queries_for_5_or_60_records(
        world, coordinator, django_assert_max_num_queries):
    url = reverse("home")
    _mothers(world.site_a, 5)
    few = _count(coordinator, url)
    _mothers(world.site_a, 55)
    _volunteers(world.site_a, 55)
    many = _count(coordinator, url)
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES + 4):
        coordinator.get(url)

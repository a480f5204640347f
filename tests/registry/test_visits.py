import datetime as dt

from django.urls import reverse

from mim.registry.models import Visit
from tests.factories import MatchFactory


def _url(name, **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": "site-a", **kwargs})


def test_it_logs_a_visit_with_the_matched_volunteer_and_an_optional_note(world, coordinator,
                                                                         mother, volunteer):
    MatchFactory(mother=mother, volunteer=volunteer, start_date=dt.date(2025, 1, 10))
    response = coordinator.post(_url("visit_create", pk=mother.pk), {"date": "2025-06-02"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.date, visit.volunteer, visit.note) == (dt.date(2025, 6, 2), volunteer, "")
    coordinator.post(_url("visit_create", pk=mother.pk), {"date": "2025-06-09",
                                                          "note": "Samen naar het consultatiebureau"})
    html = coordinator.get(_url("mother_detail", pk=mother.pk)).content.decode()
    assert "09-06-2025" in html and "consultatiebureau" in html


def test_it_refuses_a_visit_before_the_start_or_in_the_future(world, coordinator, mother):
    for day in ("2024-12-31", "2025-07-01"):
        response = coordinator.post(_url("visit_create", pk=mother.pk), {"date": day})
        assert "date" in response.context["form"].errors
    assert not Visit.objects.exists()

"""Whatever is posted, the forms answer with a page, never a server error (guide D1)."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mim.registry.models import Mother

from .conftest import mother_form, volunteer_form

FIELDS = ["ref", "start_date", "birth_year", "origin", "country_of_birth", "education",
          "household", "income_source", "child_order", "pregnant_at_start", "email",
          "mother_circumstances", "version", "vog_date", "work_experience", "name"]
values = st.one_of(st.text(max_size=60), st.integers(-10**12, 10**12).map(str),
                   st.dates().map(str), st.sampled_from(["", "unknown", "ja", "2008-01-01"]))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(FIELDS), values, max_size=5))
def test_it_never_fails_on_hostile_input(world, coordinator, mother, volunteer, changes):
    site = {"site_code": "site-a"}
    posts = [
        (reverse("registry:mother_create", kwargs=site), mother_form(**changes)),
        (reverse("registry:mother_edit", kwargs={**site, "pk": mother.pk}),
         mother_form(**{"ref": "M0001", "version": "1", **changes})),
        (reverse("registry:volunteer_create", kwargs=site), volunteer_form(**changes)),
        (reverse("registry:mother_end", kwargs={**site, "pk": mother.pk}),
         {"end_date": "2025-06-01", "end_reason": "moved", **changes}),
        (reverse("registry:visit_create", kwargs={**site, "pk": mother.pk}),
         {"date": changes.get("start_date", "2025-06-01"), "note": changes.get("name", "")}),
    ]
    for url, data in posts:
        response = coordinator.post(url, {k: v.replace("\x00", "") if isinstance(v, str) else v
                                          for k, v in data.items()})
        assert response.status_code in (200, 302), (url, data)
    assert Mother.objects.filter(site=world.site_b).count() == 0

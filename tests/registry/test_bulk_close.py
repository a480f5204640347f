"""Closing several mothers at once from the "to close" list, each on her last visit."""

import datetime as dt

from django.urls import reverse

from mim.audit.models import AuditEntry
from mim.audit.services import SHOWN
from mim.registry.models import Mother
from tests.factories import MatchFactory, MotherFactory, VisitFactory


def _url(name="mothers_to_close", **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": "site-a", **kwargs})


def _due(world, volunteer):
    """Three mothers past 18 months (the frozen today is 2025-06-16): two visited, one not."""
    mothers = {}
    for ref, start in (("M-A", dt.date(2023, 9, 4)), ("M-B", dt.date(2023, 10, 2)),
                       ("M-C", dt.date(2023, 11, 6))):
        mothers[ref] = MotherFactory(site=world.site_a, ref=ref, start_date=start)
    MatchFactory(mother=mothers["M-A"], volunteer=volunteer, start_date=dt.date(2023, 9, 11))
    VisitFactory(mother=mothers["M-A"], date=dt.date(2025, 4, 28))   # after her 18 months
    VisitFactory(mother=mothers["M-A"], date=dt.date(2025, 3, 3))
    VisitFactory(mother=mothers["M-B"], date=dt.date(2024, 12, 2))   # visits stopped earlier
    return mothers


def test_it_proposes_the_last_visit_as_end_date(world, coordinator, volunteer):
    mothers = _due(world, volunteer)
    response = coordinator.get(_url())
    form = response.context["form"]
    proposed = {m.ref: form[f"end_{m.pk}"].initial for m in mothers.values()}
    assert proposed == {"M-A": dt.date(2025, 4, 28), "M-B": dt.date(2024, 12, 2),
                        "M-C": dt.date(2025, 5, 6)}  # no visit: the day the 18 months ended
    single = coordinator.get(_url("mother_complete", pk=mothers["M-A"].pk))
    assert single.context["form"].initial["end_date"] == dt.date(2025, 4, 28)


def test_it_closes_the_ticked_mothers_in_one_save(world, coordinator, volunteer):
    mothers = _due(world, volunteer)
    a, b, c = mothers["M-A"], mothers["M-B"], mothers["M-C"]
    response = coordinator.post(_url(), {
        f"close_{a.pk}": "on", f"end_{a.pk}": "2025-04-28", f"version_{a.pk}": a.version,
        f"close_{b.pk}": "on", f"end_{b.pk}": "2024-12-02", f"version_{b.pk}": b.version,
        f"end_{c.pk}": "2025-05-06", f"version_{c.pk}": c.version})
    assert response.status_code == 302
    ended = dict(Mother.objects.filter(site=world.site_a).values_list("ref", "end_date"))
    assert ended == {"M-A": dt.date(2025, 4, 28), "M-B": dt.date(2024, 12, 2), "M-C": None}
    assert set(Mother.objects.filter(end_reason="completed").values_list("ref", flat=True)) == {
        "M-A", "M-B"}
    assert a.matches.get().end_date == dt.date(2025, 4, 28)
    logged = AuditEntry.objects.filter(event="update", object_type="mother")
    assert sorted(logged.values_list("object_ref", flat=True)) == ["M-A", "M-B"]


def test_it_refuses_an_end_date_before_a_visit_and_closes_nobody(world, coordinator, volunteer):
    mothers = _due(world, volunteer)
    a, b = mothers["M-A"], mothers["M-B"]
    response = coordinator.post(_url(), {
        f"close_{a.pk}": "on", f"end_{a.pk}": "2025-03-31", f"version_{a.pk}": a.version,
        f"close_{b.pk}": "on", f"end_{b.pk}": "2024-12-02", f"version_{b.pk}": b.version})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [f"end_{a.pk}"] and "28-04-2025" in errors[f"end_{a.pk}"][0]
    assert not Mother.objects.filter(end_date__isnull=False).exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_asks_for_at_least_one_mother_and_an_end_date(world, coordinator, volunteer):
    mothers = _due(world, volunteer)
    a = mothers["M-A"]
    none = coordinator.post(_url(), {f"end_{a.pk}": "2025-04-28", f"version_{a.pk}": a.version})
    assert "Vink minstens één moeder aan." in none.context["form"].non_field_errors()
    empty = coordinator.post(_url(), {f"close_{a.pk}": "on", f"end_{a.pk}": "",
                                      f"version_{a.pk}": a.version})
    assert list(empty.context["form"].errors) == [f"end_{a.pk}"]
    assert not Mother.objects.filter(end_date__isnull=False).exists()


def test_it_refuses_a_stale_row_and_closes_nobody(world, coordinator, volunteer):
    mothers = _due(world, volunteer)
    a, b = mothers["M-A"], mothers["M-B"]
    response = coordinator.post(_url(), {
        f"close_{a.pk}": "on", f"end_{a.pk}": "2025-04-28", f"version_{a.pk}": a.version,
        f"close_{b.pk}": "on", f"end_{b.pk}": "2024-12-02", f"version_{b.pk}": b.version + 7})
    assert list(response.context["form"].errors) == [f"end_{b.pk}"]
    assert not Mother.objects.filter(end_date__isnull=False).exists()


def test_it_warns_of_ended_mothers_with_visits_after_their_end(world, coordinator, volunteer):
    _due(world, volunteer)
    late = MotherFactory(site=world.site_a, ref="M-LATE", start_date=dt.date(2024, 1, 8),
                         end_date=dt.date(2025, 2, 28), end_reason="moved")
    VisitFactory(mother=late, date=dt.date(2025, 3, 10))
    fine = MotherFactory(site=world.site_a, ref="M-FINE", start_date=dt.date(2024, 1, 8),
                         end_date=dt.date(2025, 2, 28), end_reason="moved")
    VisitFactory(mother=fine, date=dt.date(2025, 2, 28))
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = coordinator.get(_url())
    assert [m.ref for m in response.context["later"]] == ["M-LATE"]
    html = response.content.decode()
    assert "Bezoeken na de einddatum" in html and "laatste bezoek 10-03-2025" in html
    (entry,) = AuditEntry.objects.filter(pk__gt=since).exclude(detail__startswith=SHOWN)
    assert entry.detail.endswith("M-A M-B M-C M-LATE")

"""The monthly visit sheet: the visits of a month for every running matched mother of the
site at once, saved all or nothing."""

import datetime as dt

from django.urls import reverse

from mim.audit.models import AuditEntry
from mim.audit.services import SHOWN
from mim.registry.models import MotherContact, Visit, VolunteerContact
from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory


def _url(**query):
    url = reverse("registry:visit_sheet", kwargs={"site_code": "site-a"})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _sheet(world):
    """Two volunteers; three matched mothers running in June 2025, one ended in May, one
    unmatched, and one matched at site B."""
    v1 = VolunteerFactory(site=world.site_a, ref="V1", start_date=dt.date(2024, 1, 1))
    v2 = VolunteerFactory(site=world.site_a, ref="V2", start_date=dt.date(2024, 1, 1))
    VolunteerContact.objects.create(volunteer=v1, name="Vera Vrijwilliger")
    mothers = {}
    for ref, volunteer in (("M1", v1), ("M2", v1), ("M3", v2)):
        mothers[ref] = MotherFactory(site=world.site_a, ref=ref, start_date=dt.date(2025, 1, 6))
        MatchFactory(mother=mothers[ref], volunteer=volunteer, start_date=dt.date(2025, 1, 10))
    MotherContact.objects.create(mother=mothers["M1"], name="Mira Moeder")
    ended = MotherFactory(site=world.site_a, ref="M-ENDED", start_date=dt.date(2025, 1, 6),
                          end_date=dt.date(2025, 5, 20), end_reason="completed")
    MatchFactory(mother=ended, volunteer=v2, start_date=dt.date(2025, 1, 10),
                 end_date=dt.date(2025, 5, 20))
    MotherFactory(site=world.site_a, ref="M-ALONE", start_date=dt.date(2025, 1, 6))
    MatchFactory(mother=MotherFactory(site=world.site_b, ref="M-B"),
                 start_date=dt.date(2025, 1, 10))
    return mothers, v1, v2


def test_it_lists_every_running_matched_mother_of_the_month_with_her_volunteer(
        world, coordinator):
    mothers, _v1, _v2 = _sheet(world)
    VisitFactory(mother=mothers["M2"], date=dt.date(2025, 6, 3))
    VisitFactory(mother=mothers["M2"], date=dt.date(2025, 5, 3))
    response = coordinator.get(_url(maand="2025-06"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.mother.ref for row in rows] == ["M1", "M2", "M3"]
    assert [[v.ref for v in row.volunteers] for row in rows] == [["V1"], ["V1"], ["V2"]]
    assert [[v.date for v in row.visits] for row in rows] == [[], [dt.date(2025, 6, 3)], []]
    html = response.content.decode()
    assert "Mira Moeder" in html and "Vera Vrijwilliger" in html and "03-06-2025" in html
    # May: the mother who ended on 20 May was still running and matched.
    may = coordinator.get(_url(maand="2025-05")).context["rows"]
    assert [row.mother.ref for row in may] == ["M-ENDED", "M1", "M2", "M3"]


def test_it_shows_the_sheet_of_one_volunteer(world, coordinator):
    _mothers, v1, _v2 = _sheet(world)
    response = coordinator.get(_url(maand="2025-06", vrijwilliger=v1.pk))
    assert [row.mother.ref for row in response.context["rows"]] == ["M1", "M2"]


def test_it_refuses_a_volunteer_of_another_site_and_a_month_that_is_not_one(world,
                                                                            coordinator):
    _sheet(world)
    other = VolunteerFactory(site=world.site_b, ref="VB")
    assert coordinator.get(_url(vrijwilliger=other.pk)).status_code == 404
    assert coordinator.get(_url(vrijwilliger="x")).status_code == 404
    for month in ("2025-13", "juni", "2025-07"):  # July 2025 lies ahead of the frozen today
        assert coordinator.get(_url(maand=month)).status_code == 404


def test_it_records_the_visits_of_many_mothers_in_one_save_with_the_matched_volunteer(
        world, coordinator):
    mothers, v1, v2 = _sheet(world)
    m1, m3 = mothers["M1"].pk, mothers["M3"].pk
    response = coordinator.post(_url(), {"maand": "2025-06", f"m{m1}_1": "2025-06-02",
                                         f"m{m1}_2": "2025-06-13", f"m{m3}_1": "2025-06-05"})
    assert response.status_code == 302 and "maand=2025-06" in response["Location"]
    visits = sorted(Visit.objects.values_list("mother__ref", "date", "volunteer__ref"))
    assert visits == [("M1", dt.date(2025, 6, 2), "V1"), ("M1", dt.date(2025, 6, 13), "V1"),
                      ("M3", dt.date(2025, 6, 5), "V2")]
    entries = AuditEntry.objects.filter(event="update").order_by("object_ref")
    assert [(e.object_ref, e.detail) for e in entries] == [("M1", "fields: visit"),
                                                           ("M3", "fields: visit")]
    # The same sheet saved again records nothing twice.
    coordinator.post(_url(), {"maand": "2025-06", f"m{m1}_1": "2025-06-02"})
    assert Visit.objects.count() == 3


def test_it_saves_nothing_when_one_date_is_wrong_and_says_which(world, coordinator):
    mothers, _v1, _v2 = _sheet(world)
    m1, m2, m3 = (mothers[ref].pk for ref in ("M1", "M2", "M3"))
    since = AuditEntry.objects.count()
    response = coordinator.post(_url(), {
        "maand": "2025-06", f"m{m1}_1": "2025-06-02",
        f"m{m2}_1": "2025-05-30",    # another month
        f"m{m3}_1": "2025-06-20",    # after the frozen today
        f"m{m3}_2": "geen datum"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {f"m{m2}_1", f"m{m3}_1", f"m{m3}_2"}
    assert "maand" in errors[f"m{m2}_1"][0] and "toekomst" in errors[f"m{m3}_1"][0]
    assert not Visit.objects.exists()
    assert not AuditEntry.objects.filter(pk__gt=since, event="update").exists()
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "error-summary" in html


def test_it_ignores_posted_mothers_that_are_not_on_the_sheet(world, coordinator):
    _sheet(world)
    outsider = MotherFactory(site=world.site_b, ref="M-B2", start_date=dt.date(2025, 1, 6))
    alone = world.site_a.mothers.get(ref="M-ALONE")
    response = coordinator.post(_url(), {"maand": "2025-06", f"m{outsider.pk}_1": "2025-06-02",
                                         f"m{alone.pk}_1": "2025-06-02"})
    assert response.status_code == 302
    assert not Visit.objects.exists()


def test_it_logs_the_sheet_with_the_refs_it_showed_and_no_names(world, coordinator):
    _sheet(world)
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    coordinator.get(_url(maand="2025-06"))
    (entry,) = AuditEntry.objects.filter(pk__gt=since).exclude(detail__startswith=SHOWN)
    assert (entry.event, entry.object_type, entry.object_ref) == ("view", "mother", "list")
    assert entry.detail == "visit sheet 2025-06; 5 shown: M1 M2 M3 V1 V2"
    # and an entry of each record's own, so her log finds the sheet
    assert sorted(AuditEntry.objects.filter(pk__gt=since, detail__startswith=SHOWN)
                  .values_list("object_type", "object_ref")) == [
        ("mother", "M1"), ("mother", "M2"), ("mother", "M3"), ("volunteer", "V1"),
        ("volunteer", "V2")]
    assert "Mira" not in entry.detail and "Vera" not in entry.detail


def test_it_is_not_there_for_another_site(world, login):
    _sheet(world)
    client = login(world.coordinator_b)
    assert client.get(_url()).status_code == 404


def test_it_refuses_a_visit_before_the_mother_started_and_writes_none_of_the_others(
        world, coordinator):
    mothers, v1, _v2 = _sheet(world)
    late = MotherFactory(site=world.site_a, ref="M-LATE", start_date=dt.date(2025, 6, 10))
    MatchFactory(mother=late, volunteer=v1, start_date=dt.date(2025, 6, 10))
    response = coordinator.post(_url(), {"maand": "2025-06",
                                         f"m{mothers['M1'].pk}_1": "2025-06-02",
                                         f"m{late.pk}_1": "2025-06-05"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"m{late.pk}_1"]
    assert not Visit.objects.exists()

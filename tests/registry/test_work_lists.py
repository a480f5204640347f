"""The work lists: sortable, filterable, exportable as xlsx (logged, formulas inert), with
the VOG's renewal date and the volunteers' names."""

import datetime as dt
import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from mim.audit.models import AuditEntry
from mim.audit.services import SHOWN
from mim.registry.models import MotherContact, VolunteerContact
from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory


def _url(name, **query):
    url = reverse(f"registry:{name}", kwargs={"site_code": "site-a"})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _records(world):
    vera = VolunteerFactory(site=world.site_a, ref="V-B", start_date=dt.date(2021, 1, 4),
                            vog_date=dt.date(2022, 3, 1))
    VolunteerContact.objects.create(volunteer=vera, name="Vera Vrijwilliger")
    VolunteerFactory(site=world.site_a, ref="V-A", start_date=dt.date(2024, 1, 8),
                     vog_date=dt.date(2024, 9, 1))
    VolunteerFactory(site=world.site_a, ref="V-C", start_date=dt.date(2024, 2, 5), vog_date=None)
    VolunteerFactory(site=world.site_a, ref="V-D", start_date=dt.date(2020, 2, 3),
                     vog_date=dt.date(2021, 5, 1))
    m1 = MotherFactory(site=world.site_a, ref="M-1", start_date=dt.date(2025, 3, 3))
    m2 = MotherFactory(site=world.site_a, ref="=M2", start_date=dt.date(2025, 1, 6))
    MotherContact.objects.create(mother=m2, name="=HYPERLINK(\"x\")")
    MatchFactory(mother=m2, volunteer=vera, start_date=dt.date(2025, 1, 10))
    VisitFactory(mother=m2, date=dt.date(2025, 6, 2))
    VisitFactory(mother=m1, date=dt.date(2025, 4, 1))
    MotherFactory(site=world.site_a, ref="M-3", start_date=dt.date(2025, 2, 3))
    return m1, m2


def _refs(response):
    return [person.ref for person in response.context["page"]]


def test_it_sorts_the_mothers_on_a_column_both_ways(world, coordinator):
    _records(world)
    assert _refs(coordinator.get(_url("mother_list"))) == ["=M2", "M-1", "M-3"]
    assert _refs(coordinator.get(_url("mother_list", sorteer="start"))) == ["=M2", "M-3", "M-1"]
    assert _refs(coordinator.get(_url("mother_list", sorteer="-start"))) == ["M-1", "M-3", "=M2"]
    # no visit goes last, both ways
    assert _refs(coordinator.get(_url("mother_list", sorteer="last_visit"))) == [
        "M-1", "=M2", "M-3"]
    assert _refs(coordinator.get(_url("mother_list", sorteer="-last_visit"))) == [
        "=M2", "M-1", "M-3"]
    response = coordinator.get(_url("mother_list", sorteer="-start", status="all"))
    html = response.content.decode()
    assert 'aria-sort="descending"' in html and "sorteer=start" in html
    # an unknown column is the usual order, not an error
    assert _refs(coordinator.get(_url("mother_list", sorteer="contact__name"))) == [
        "=M2", "M-1", "M-3"]


def test_it_shows_the_volunteers_name_beside_her_ref_on_the_mothers_list(world, coordinator):
    _records(world)
    html = coordinator.get(_url("mother_list")).content.decode()
    assert "V-B (Vera Vrijwilliger)" in html


def test_it_lists_the_vog_renewals_due_with_their_dates_longest_overdue_first(world,
                                                                              coordinator):
    _records(world)
    response = coordinator.get(_url("volunteer_list", status="vog_due"))
    assert _refs(response) == ["V-C", "V-D", "V-B"]  # none seen, due 2024-05-01, 2025-03-01
    html = response.content.decode()
    assert "01-05-2024" in html and "01-03-2025" in html and "VOG vernieuwen vóór" in html
    assert _refs(coordinator.get(_url("volunteer_list", sorteer="-ref"))) == [
        "V-D", "V-C", "V-B", "V-A"]


def test_it_exports_the_filtered_sorted_list_as_xlsx_logged_and_inert(world, coordinator):
    _records(world)
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = coordinator.get(_url("mother_list", sorteer="-start", formaat="xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="moeders-site-a-')
    data = response.content
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert not any("<f>" in archive.read(n).decode() for n in archive.namelist()
                   if n.startswith("xl/worksheets/"))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:6] == ["referentie", "naam", "start", "maand van 18", "vrijwilliger",
                           "naam vrijwilliger"]
    assert [row[0] for row in rows[1:]] == ["M-1", "M-3", "=M2"]
    assert rows[3][4:7] == ["V-B", "Vera Vrijwilliger", dt.datetime(2025, 6, 2)]
    assert sheet["A4"].quotePrefix and sheet["B4"].quotePrefix and sheet["A4"].data_type == "s"
    (entry,) = AuditEntry.objects.filter(pk__gt=since).exclude(detail__startswith=SHOWN)
    assert sorted(AuditEntry.objects.filter(pk__gt=since, detail__startswith=SHOWN)
                  .values_list("object_ref", flat=True)) == ["=M2", "M-1", "M-3", "V-B"]
    assert (entry.event, entry.object_type, entry.object_ref) == ("export", "mother", "list")
    assert entry.detail == "list active, sorted by -start: xlsx; 4 shown: M-1 M-3 =M2 V-B"
    assert "Vera" not in entry.detail and "HYPERLINK" not in entry.detail


def test_it_exports_the_volunteers_with_the_vog_renewal_date(world, coordinator):
    _records(world)
    response = coordinator.get(_url("volunteer_list", status="vog_due", formaat="xlsx"))
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content))
            .active.iter_rows()]
    assert [(row[0], row[5], row[6]) for row in rows[1:]] == [
        ("V-C", None, "ja"), ("V-D", dt.datetime(2024, 5, 1), "ja"),
        ("V-B", dt.datetime(2025, 3, 1), "ja")]

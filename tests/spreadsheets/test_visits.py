"""The `visits` file of the data standard (version 2, "Visits"): import, export, template."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from mim.audit.models import AuditEntry
from mim.registry.models import Mother, Visit
from mim.spreadsheets.reading import Upload
from mim.spreadsheets.services import records_export, records_import, template_write
from tests.factories import MatchFactory, MotherFactory, SiteFactory, VisitFactory, VolunteerFactory
from tests.spreadsheets.conftest import csv_upload, match_row, mother_row, volunteer_row


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2025, 6, 16, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


def _lines(result) -> list[str]:
    return [str(problem) for problem in result.problems]


def _visits(site) -> list[tuple]:
    return sorted(Visit.objects.filter(mother__site=site).values_list(
        "mother__ref", "date", "volunteer__ref"), key=str)


def _visit(mother, date, volunteer=""):
    return {"mother_ref": mother, "visit_date": date, "volunteer_ref": volunteer}


@pytest.mark.django_db
def test_it_imports_visits_with_the_matched_volunteer_when_none_is_given():
    site = SiteFactory()
    mother = MotherFactory(site=site, ref="M-OLD", start_date=dt.date(2024, 1, 8))
    old = VolunteerFactory(site=site, ref="V-OLD")
    MatchFactory(mother=mother, volunteer=old, start_date=dt.date(2024, 1, 15))
    result = records_import(site=site, uploads=[
        csv_upload("mothers", [mother_row("M1")]),
        csv_upload("volunteers", [volunteer_row("V1"), volunteer_row("V2")]),
        csv_upload("matches", [match_row("M1", "V1", "2024-03-15")]),
        csv_upload("visits", [_visit("M1", "2024-04-02"), _visit("M1", "03-05-2024", "V2"),
                              _visit("M1", "2024-03-05"),  # before the match: nobody
                              _visit("M-OLD", "2025-06-02")]),
    ])
    assert result.ok, _lines(result)
    assert _visits(site) == [("M-OLD", dt.date(2025, 6, 2), "V-OLD"),
                             ("M1", dt.date(2024, 3, 5), None),
                             ("M1", dt.date(2024, 4, 2), "V1"),
                             ("M1", dt.date(2024, 5, 3), "V2")]
    counts = result.counts["visits.csv"]
    assert (counts.created, counts.updated, counts.unchanged) == (4, 0, 0)
    entries = AuditEntry.objects.filter(detail="import: visits").order_by("object_ref")
    assert [(e.event, e.object_type, e.object_ref) for e in entries] == [
        ("update", "mother", "M-OLD"), ("update", "mother", "M1")]


@pytest.mark.django_db
def test_it_reports_every_wrong_visit_and_writes_nothing():
    site = SiteFactory()
    ended = MotherFactory(site=site, ref="M-END", start_date=dt.date(2024, 1, 8),
                          end_date=dt.date(2024, 12, 31), end_reason="completed")
    VisitFactory(mother=ended, date=dt.date(2024, 2, 1))
    result = records_import(site=site, uploads=[
        csv_upload("mothers", [mother_row("M1")]),
        csv_upload("visits", [
            _visit("M1", "2024-04-02"),
            _visit("M1", "2024-02-01"),        # row 3: before her start (2024-03-01)
            _visit("M-END", "2025-01-15"),     # row 4: after her end
            _visit("NOBODY", "2024-04-02"),    # row 5
            _visit("M1", "2025-07-01"),        # row 6: in the future
            _visit("M1", "2024-04-02"),        # row 7: twice
            _visit("M1", "", "V9"),            # row 8: no date, unknown volunteer
        ]),
    ])
    assert _lines(result) == [
        "visits.csv row 3, column visit_date: het bezoek ligt voor de startdatum van de moeder "
        "(2024-03-01)",
        "visits.csv row 4, column visit_date: het bezoek ligt na de einddatum van de moeder "
        "(2024-12-31)",
        "visits.csv row 5, column mother_ref: NOBODY staat niet in mothers en niet in de "
        "registratie van deze locatie",
        "visits.csv row 6, column visit_date: het bezoek ligt in de toekomst",
        "visits.csv row 7, column visit_date: hetzelfde bezoek (moeder en datum) staat ook in "
        "rij 2",
        "visits.csv row 8, column visit_date: verplicht: deze cel is leeg",
        "visits.csv row 8, column volunteer_ref: V9 staat niet in volunteers en niet in de "
        "registratie van deze locatie",
    ]
    assert not result.written
    assert not Mother.objects.filter(ref="M1").exists() and Visit.objects.count() == 1


@pytest.mark.django_db
def test_it_imports_the_same_visits_twice_without_doubling_them():
    site = SiteFactory()
    mother = MotherFactory(site=site, ref="M1", start_date=dt.date(2024, 1, 8))
    VolunteerFactory(site=site, ref="V1")
    VisitFactory(mother=mother, volunteer=None, date=dt.date(2024, 2, 1), note="blijft")
    upload = csv_upload("visits", [_visit("M1", "2024-02-01"), _visit("M1", "2024-03-01")])
    assert records_import(site=site, uploads=[upload]).ok
    again = records_import(site=site, uploads=[upload])
    counts = again.counts["visits.csv"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)
    # A volunteer named for a known visit is set on it; its note stays.
    named = records_import(site=site, uploads=[csv_upload("visits", [
        _visit("M1", "2024-02-01", "V1")])])
    assert named.counts["visits.csv"].updated == 1
    assert _visits(site) == [("M1", dt.date(2024, 2, 1), "V1"), ("M1", dt.date(2024, 3, 1), None)]
    assert Visit.objects.get(date=dt.date(2024, 2, 1)).note == "blijft"


@pytest.mark.django_db
def test_it_exports_the_visits_without_notes_and_with_inert_refs():
    site = SiteFactory()
    mother = MotherFactory(site=site, ref="=1+1", start_date=dt.date(2024, 1, 8))
    volunteer = VolunteerFactory(site=site, ref="V1")
    VisitFactory(mother=mother, volunteer=volunteer, date=dt.date(2024, 2, 1),
                 note="Zwaantje gaat verhuizen")
    VisitFactory(mother=mother, volunteer=None, date=dt.date(2024, 3, 1))
    buffer = io.BytesIO()
    counts = records_export(site=site, out=buffer)
    assert counts["visits"] == 2
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["visits"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [["mother_ref", "visit_date", "volunteer_ref"],
                    ["=1+1", dt.datetime(2024, 2, 1), "V1"], ["=1+1", dt.datetime(2024, 3, 1), None]]
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert b"Zwaantje" not in buffer.getvalue()
    # and it comes back into another site as it was
    target = SiteFactory()
    result = records_import(site=target, uploads=[Upload("export.xlsx", buffer.getvalue())])
    assert result.ok, _lines(result)
    assert _visits(target) == _visits(site)


def test_it_puts_a_visits_sheet_in_the_template(tmp_path):
    template_write(out=tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")
    assert [cell.value for cell in book["visits"][1]] == ["mother_ref", "visit_date",
                                                          "volunteer_ref"]
    explained = " ".join(str(cell.value) for row in book["uitleg"].iter_rows() for cell in row)
    assert "Werkblad visits" in explained and "visits.csv" in explained

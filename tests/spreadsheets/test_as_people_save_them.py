"""Spreadsheets as Dutch users save them (issue 11, item 7): the fixtures in `fixtures/`
were saved by LibreOffice itself (`fixtures/make.py`)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from mim.registry.models import Match, Mother, Volunteer
from mim.spreadsheets.columns import SHEETS
from mim.spreadsheets.reading import Upload
from mim.spreadsheets.services import records_import
from tests.factories import SiteFactory
from tests.spreadsheets.conftest import csv_bytes, csv_upload, mother_row

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture(path: str) -> Upload:
    file = FIXTURES / path
    return Upload(file.name, file.read_bytes())


def _lines(result) -> list[str]:
    return [str(problem) for problem in result.problems]


def _dutch_csvs() -> list[Upload]:
    return [_fixture("nl-windows/mothers.csv"), _fixture("nl-windows/volunteers.csv"),
            _fixture("utf8-comma/matches.csv")]


@pytest.mark.django_db
def test_it_reads_libreoffice_csv_with_semicolons_windows_1252_and_dutch_dates():
    raw = (FIXTURES / "nl-windows/mothers.csv").read_bytes()
    assert b";" in raw and "één".encode("cp1252") in raw  # what LibreOffice wrote
    site = SiteFactory()
    result = records_import(site=site, uploads=_dutch_csvs())
    assert result.ok, _lines(result)
    first = Mother.objects.get(site=site, ref="M-001")
    assert (first.start_date, first.origin, first.country_of_birth, first.income_source,
            first.pregnant_at_start) == (dt.date(2024, 3, 1), "turkish", "TR", "one_benefit",
                                         "yes")
    assert set(first.answers.values_list("code", flat=True)) == {
        "language_or_culture", "poor_social_network", "excessive_crying"}
    ended = Mother.objects.get(site=site, ref="M-002")
    assert (ended.end_date, ended.end_reason, ended.origin) == (
        dt.date(2024, 6, 30), "moved", "asia")
    blank = Mother.objects.get(site=site, ref="M-003")
    assert (blank.origin, blank.household, blank.pregnant_at_start) == ("unknown",) * 3
    assert Volunteer.objects.get(site=site, ref="V-001").vog_date == dt.date(2023, 1, 5)
    assert Match.objects.filter(site=site).count() == 2
    assert result.how_read() == [
        ("mothers.csv", "tekens: Windows-1252, scheidingsteken: puntkomma (;), "
                        "datums: DD-MM-JJJJ"),
        ("volunteers.csv", "tekens: UTF-8, scheidingsteken: puntkomma (;), datums: DD-MM-JJJJ"),
        ("matches.csv", "tekens: UTF-8, scheidingsteken: komma (,), datums: DD-MM-JJJJ"),
    ]


@pytest.mark.django_db
def test_it_reads_the_libreoffice_workbook_and_passes_over_its_empty_sheet():
    site = SiteFactory()
    result = records_import(site=site, uploads=[_fixture("libreoffice.xlsx")])
    assert result.ok, _lines(result)
    assert Mother.objects.filter(site=site).count() == 3
    assert Mother.objects.get(site=site, ref="M-002").end_date == dt.date(2024, 6, 30)
    assert dict(result.how_read())["mothers"] == "werkmap (xlsx), datums: datumcellen"


@pytest.mark.django_db
def test_it_reads_utf8_with_a_bom_as_excel_writes_it():
    data = "\ufeff".encode() + csv_bytes([mother_row("Mé1", start_date="01-03-2024")],
                                         list(mother_row()))
    result = records_import(site=SiteFactory(), uploads=[Upload("mothers.csv", data)])
    assert result.ok, _lines(result)
    assert Mother.objects.get().ref == "Mé1"
    assert result.how_read() == [("mothers.csv", "tekens: UTF-8 (met BOM), scheidingsteken: "
                                                 "komma (,), datums: DD-MM-JJJJ")]


@pytest.mark.django_db
def test_it_reads_both_date_forms_in_one_file_and_says_so():
    result = records_import(site=SiteFactory(), uploads=[csv_upload("mothers", [
        mother_row("M1", start_date="2024-03-01"), mother_row("M2", start_date="1-3-2024")])])
    assert result.ok, _lines(result)
    assert set(Mother.objects.values_list("start_date", flat=True)) == {dt.date(2024, 3, 1)}
    assert result.how_read()[0][1].endswith("datums: JJJJ-MM-DD en DD-MM-JJJJ")


@pytest.mark.django_db
def test_it_refuses_a_date_that_does_not_exist_in_either_form():
    result = records_import(site=SiteFactory(), uploads=[csv_upload("mothers", [
        mother_row("M1", start_date="31-02-2024"), mother_row("M2", start_date="03/01/2024")])])
    assert _lines(result) == [
        "mothers.csv row 2, column start_date: de datum 31-02-2024 bestaat niet",
        "mothers.csv row 3, column start_date: '03/01/2024' is geen datum; schrijf DD-MM-JJJJ "
        "of JJJJ-MM-DD",
    ]


@pytest.mark.django_db
def test_it_reports_the_rows_errors_beside_a_wrong_header():
    columns = [name if name != "origin" else "orign" for name in mother_row()]
    row = {("orign" if k == "origin" else k): v
           for k, v in mother_row("M1", household="kasteel").items()}
    result = records_import(site=SiteFactory(), uploads=[
        Upload("mothers.csv", csv_bytes([row], columns)),
        Upload("volunteers.csv", csv_bytes([{"start_date": "1-1-20"}], ["start_date"]))])
    assert _lines(result) == [
        "mothers.csv row 1, column orign: onbekende kolom; bedoelt u origin? de kolommen van "
        "mothers zijn: " + ", ".join(column.code for column in SHEETS["mothers"]),
        "mothers.csv row 2, column household: 'kasteel' is geen geldige waarde (toegestaan: "
        "samenwonend of gehuwd, alleenstaand, inwonend bij ouders, inwonend bij anderen, "
        "onbekend)",
        "volunteers.csv row 1, column volunteer_ref: verplichte kolom ontbreekt",
        "volunteers.csv row 2, column start_date: '1-1-20': schrijf het jaar in vier cijfers, "
        "bijvoorbeeld 01-03-2024",
    ]
    assert not Mother.objects.exists()


def _workbook(sheets: dict[str, list[list]]) -> Upload:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return Upload("records.xlsx", out.getvalue())


@pytest.mark.django_db
def test_it_names_a_filled_unknown_sheet_and_still_checks_the_others():
    upload = _workbook({
        "mothers": [["mother_ref", "start_date"], ["M1", "2024-13-01"]],
        "Blad1": [["mother_ref"], ["M9"]],
        "Blad2": [],
    })
    result = records_import(site=SiteFactory(), uploads=[upload])
    assert _lines(result) == [
        "Blad1: dit werkblad is niet leeg maar wordt niet ingelezen: de werkbladen heten "
        "mothers, volunteers, matches en visits.",
        "mothers row 2, column start_date: de datum 2024-13-01 bestaat niet",
    ]
    assert not result.written and not Mother.objects.exists()


@pytest.mark.django_db
def test_it_writes_nothing_for_a_workbook_whose_only_problem_is_an_unknown_sheet():
    upload = _workbook({"mothers": [["mother_ref", "start_date"], ["M1", "2024-03-01"]],
                        "Blad1": [["iets"]]})
    result = records_import(site=SiteFactory(), uploads=[upload])
    assert not result.ok and not Mother.objects.exists()


@pytest.mark.django_db
def test_it_says_how_the_file_was_read_in_the_preview(world, login):
    client = login(world.coordinator_a)
    upload = _fixture("nl-windows/mothers.csv")
    response = client.post(reverse("spreadsheets:upload", args=["site-a"]),
                           {"files": [SimpleUploadedFile(upload.name, upload.data)]})
    html = response.content.decode()
    assert "Zo is het bestand gelezen" in html
    assert ("<strong>mothers.csv</strong>: tekens: Windows-1252, scheidingsteken: puntkomma "
            "(;), datums: DD-MM-JJJJ") in html
    assert response.context["token"]


@pytest.mark.django_db
def test_it_prints_how_each_file_was_read(capsys):
    SiteFactory(code="ede")
    call_command("import-records", "--site", "ede", "--dry-run",
                 *[str(FIXTURES / name) for name in ("nl-windows/mothers.csv",
                                                     "nl-windows/volunteers.csv",
                                                     "utf8-comma/matches.csv")])
    out = capsys.readouterr().out
    assert "mothers.csv gelezen als: tekens: Windows-1252, scheidingsteken: puntkomma (;)" in out

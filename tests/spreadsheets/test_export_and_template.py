"""Export (re-importable, without contact details, formulas inert, logged) and template."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from mim.audit.models import AuditEntry
from mim.codebook import assessment, codebooks
from mim.registry.models import (
    Match,
    Mother,
    MotherContact,
    SelfAssessment,
    Visit,
    Volunteer,
    VolunteerContact,
)
from mim.spreadsheets.columns import SHEETS
from mim.spreadsheets.reading import Upload
from mim.spreadsheets.services import records_export, records_import, template_write
from tests.factories import (
    MatchFactory,
    MotherFactory,
    SiteFactory,
    VisitFactory,
    VolunteerFactory,
    answer,
    volunteer_answer,
)

HOSTILE_REF = '=HYPERLINK("http://x.example","klik")'


def _fill(site):
    mothers = [
        MotherFactory(site=site, ref="M1", country_of_birth="TR", origin="turkish"),
        MotherFactory(site=site, ref=HOSTILE_REF, start_date=dt.date(2023, 5, 2),
                      end_date=dt.date(2024, 1, 31), end_reason="moved", birth_year=None),
        MotherFactory(site=site, ref="+31 6", start_date=dt.date(2008, 6, 1), birth_year=1980,
                      income_source="benefit", origin="moroccan"),
        MotherFactory(site=site, ref="00123", pregnant_at_start="unknown", education="unknown"),
    ]
    answer(mothers[0], "mother_circumstances", "other")
    answer(mothers[0], "mother_circumstances", "poor_social_network")
    answer(mothers[1], "baby_circumstances", "incubator")
    volunteer = VolunteerFactory(site=site, ref="-V1", vog_date=dt.date(2021, 12, 1))
    volunteer_answer(volunteer, "care")
    volunteer_answer(volunteer, "commercial")
    VolunteerFactory(site=site, ref="V2", end_date=dt.date(2024, 6, 1), end_reason="illness")
    MatchFactory(mother=mothers[0], volunteer=volunteer, start_date=dt.date(2024, 3, 20))
    MatchFactory(mother=mothers[1], volunteer=volunteer, start_date=dt.date(2023, 6, 1),
                 end_date=dt.date(2024, 1, 31))
    VisitFactory(mother=mothers[0], volunteer=volunteer, date=dt.date(2024, 4, 2),
                 note="=geheim")
    # Before her match: no volunteer, and none is derived when it comes back.
    VisitFactory(mother=mothers[1], volunteer=None, date=dt.date(2023, 5, 20))
    SelfAssessment.objects.create(mother=mothers[1], moment="intake", date=dt.date(2023, 5, 2),
                                  version="1", confidence=2, support=None, finding_help=5)
    SelfAssessment.objects.create(mother=mothers[1], moment="end", date=dt.date(2024, 1, 31),
                                  version="1", confidence=4, independence=3)
    MotherContact.objects.create(mother=mothers[0], name="Fatima Testpersoon",
                                 phone="06-12345678", email="fatima@example.org",
                                 address="Dorpsstraat 1", postcode="1234 AB")
    VolunteerContact.objects.create(volunteer=volunteer, name="Vera Vrijwilliger",
                                    phone="06-87654321")


def _fingerprint(site) -> dict:
    """Everything the figures are computed from: the statistical fields, the answers and
    the matches (by ref). Equal fingerprints give equal figures."""
    def persons(model, fields):
        return {p.ref: ({f: getattr(p, f) for f in fields},
                        sorted(p.answers.values_list("item", "code")))
                for p in model.objects.filter(site=site).prefetch_related("answers")}

    mother_fields = [c.code for c in SHEETS["mothers"][1:] if c.kind != "multi"]
    volunteer_fields = [c.code for c in SHEETS["volunteers"][1:] if c.kind != "multi"]
    return {
        "mothers": persons(Mother, mother_fields),
        "volunteers": persons(Volunteer, volunteer_fields),
        "matches": sorted(Match.objects.filter(site=site).values_list(
            "mother__ref", "volunteer__ref", "start_date", "end_date")),
        "visits": sorted(Visit.objects.filter(mother__site=site).values_list(
            "mother__ref", "date", "volunteer__ref"), key=str),
        "assessments": sorted(SelfAssessment.objects.filter(mother__site=site).values_list(
            "mother__ref", "moment", "date", "version", *assessment.AIMS), key=str),
    }


def _figures(year, site) -> list[tuple]:
    from mim.figures.engine import site_figures

    return [(f.variable, f.category, f.count, f.base) for f in site_figures(year, [site])]


def _export(site) -> bytes:
    buffer = io.BytesIO()
    records_export(site=site, out=buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_it_round_trips_a_sites_records_through_an_export():
    source, target = SiteFactory(), SiteFactory()
    _fill(source)
    data = _export(source)
    result = records_import(site=target, uploads=[Upload("export.xlsx", data)])
    assert result.ok, [str(p) for p in result.problems]
    assert _fingerprint(target) == _fingerprint(source)
    for year in (2023, 2024):
        assert _figures(year, target) == _figures(year, source)
    again = records_import(site=source, uploads=[Upload("export.xlsx", data)], dry_run=True)
    assert {label: (n.created, n.updated) for label, n in again.counts.items()} == {
        "mothers": (0, 0), "volunteers": (0, 0), "matches": (0, 0), "visits": (0, 0),
        "assessments": (0, 0)}


@pytest.mark.django_db
def test_it_never_exports_contact_details():
    site = SiteFactory()
    _fill(site)
    archive = zipfile.ZipFile(io.BytesIO(_export(site)))
    text = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    for value in ("Fatima", "Testpersoon", "06-12345678", "fatima@example.org", "Dorpsstraat",
                  "1234 AB", "Vera", "06-87654321"):
        assert value not in text


@pytest.mark.django_db
def test_it_makes_formulas_in_exported_values_inert():
    site = SiteFactory()
    _fill(site)
    data = _export(site)
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in archive.read(name).decode() for name in sheets)
    cells = {cell.value: cell for row in load_workbook(io.BytesIO(data))["mothers"].iter_rows()
             for cell in row}
    for value in (HOSTILE_REF, "+31 6"):
        assert cells[value].data_type == "s"
        assert cells[value].quotePrefix  # Excel shows it as text, even after editing
    volunteers = load_workbook(io.BytesIO(data))["volunteers"]
    assert volunteers["A2"].value == "-V1" and volunteers["A2"].quotePrefix


@pytest.mark.django_db
def test_it_logs_the_export(tmp_path):
    site = SiteFactory(code="ede")
    _fill(site)
    call_command("export-records", "--site", "ede", "-o", str(tmp_path / "ede.xlsx"))
    entry = AuditEntry.objects.get(event="export", object_type="records")
    assert (entry.site, entry.client, entry.detail) == (
        site, "cli", "mothers: 4, volunteers: 2, matches: 2, visits: 2, assessments: 2")
    assert (tmp_path / "ede.xlsx").stat().st_size > 0


@pytest.mark.django_db
def test_it_writes_codes_and_formatted_dates_in_the_export():
    site = SiteFactory()
    _fill(site)
    mothers = load_workbook(io.BytesIO(_export(site)))["mothers"]
    header = [cell.value for cell in mothers[1]]
    assert header == [column.code for column in SHEETS["mothers"]]
    rows = {cells[0].value: dict(zip(header, cells, strict=True))
            for cells in mothers.iter_rows(min_row=2)}
    row = rows["M1"]
    assert row["origin"].value == "turkish"
    assert row["mother_circumstances"].value == "poor_social_network;other"  # codebook order
    assert row["start_date"].number_format == "yyyy-mm-dd"


def _template():
    buffer = io.BytesIO()
    template_write(out=buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())), buffer.getvalue()


def test_it_writes_a_template_with_the_exact_columns_lists_and_an_explanation():
    workbook, _data = _template()
    assert workbook.sheetnames == ["mothers", "volunteers", "matches", "visits", "assessments",
                                  "uitleg", "codes"]
    assert workbook["codes"].sheet_state == "hidden"
    for sheet, columns in SHEETS.items():
        ws = workbook[sheet]
        assert [cell.value for cell in ws[1]] == [column.code for column in columns]
        validated = {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}
        for index, column in enumerate(columns):
            letter = chr(ord("A") + index)
            if column.item or column.kind == "country":
                assert validated[letter].type == "list", (sheet, column.code)
                assert validated[letter].formula1.startswith("codes!")
            if column.kind == "date":
                assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd"
    text = " ".join(str(c.value) for row in workbook["uitleg"].iter_rows() for c in row if c.value)
    assert "Vul per persoon één rij in" in text and "JJJJ-MM-DD" in text


def test_it_offers_dutch_labels_in_the_template_that_the_importer_reads_back():
    workbook, _data = _template()
    codes = workbook["codes"]
    columns = {cell.value: cell.column for cell in codes[1]}
    for item, column in columns.items():
        labels = [row[0].value for row in codes.iter_rows(min_row=2, min_col=column,
                                                          max_col=column) if row[0].value]
        if item == "country_of_birth":
            assert len(labels) == 249
            continue
        parsed = [codebooks.CURRENT.parse(item, label) for label in labels]
        assert parsed == codebooks.CURRENT.codes(item), item


@pytest.mark.django_db
def test_it_imports_the_empty_template_as_nothing_to_do():
    _workbook, data = _template()
    result = records_import(site=SiteFactory(), uploads=[Upload("sjabloon.xlsx", data)])
    assert result.ok and not any(n.created for n in result.counts.values())


def test_it_writes_the_template_from_the_command_line(tmp_path, capsys):
    call_command("template", "-o", str(tmp_path / "t.xlsx"))
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[:3] == ["mothers", "volunteers",
                                                                  "matches"]


def test_it_refuses_a_template_into_a_missing_folder_with_exit_2(tmp_path):
    with pytest.raises(CommandError, match="no such directory") as excinfo:
        call_command("template", "-o", str(tmp_path / "nope" / "t.xlsx"))
    assert excinfo.value.returncode == 2

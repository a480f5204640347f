"""Importing record files: validation, all-or-nothing, updates, the error format."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from mim.audit.models import AuditEntry
from mim.registry.models import Match, Mother, MotherAnswer, Volunteer
from mim.spreadsheets import importing
from mim.spreadsheets.reading import Upload
from mim.spreadsheets.services import records_import
from tests.factories import MotherFactory, SiteFactory, VolunteerFactory, answer
from tests.spreadsheets.conftest import (
    csv_bytes,
    csv_upload,
    match_row,
    mother_row,
    volunteer_row,
)


def _import(site, *uploads, dry_run=False):
    return records_import(site=site, uploads=list(uploads), dry_run=dry_run)


def _lines(result) -> list[str]:
    return [str(problem) for problem in result.problems]


@pytest.mark.django_db
def test_it_creates_mothers_volunteers_matches_and_their_answers():
    site = SiteFactory()
    result = _import(
        site,
        csv_upload("mothers", [mother_row("M1", mother_circumstances="poor_social_network;other",
                                          baby_circumstances="incubator")]),
        csv_upload("volunteers", [volunteer_row("V1", work_experience="care;education")]),
        csv_upload("matches", [match_row("M1", "V1", "2024-03-15")]),
    )
    assert result.ok, _lines(result)
    mother = Mother.objects.get(site=site, ref="M1")
    assert (mother.start_date, mother.birth_year, mother.household) == (
        dt.date(2024, 3, 1), 1995, "single")
    assert set(mother.answers.values_list("item", "code")) == {
        ("mother_circumstances", "poor_social_network"), ("mother_circumstances", "other"),
        ("baby_circumstances", "incubator")}
    volunteer = Volunteer.objects.get(site=site, ref="V1")
    assert set(volunteer.answers.values_list("code", flat=True)) == {"care", "education"}
    assert Match.objects.get(site=site).mother == mother
    assert {name: (n.created, n.updated, n.unchanged) for name, n in result.counts.items()} == {
        "mothers.csv": (1, 0, 0), "volunteers.csv": (1, 0, 0), "matches.csv": (1, 0, 0)}


@pytest.mark.django_db
def test_it_reads_codes_in_any_case_dutch_labels_and_ja_nee():
    site = SiteFactory()
    row = mother_row("M1", origin="Turks", education="MBO", household="ALLEENSTAAND",
                     income_source="eigen inkomen", child_order="Tweede kind",
                     pregnant_at_start="ja", country_of_birth="tr",
                     mother_circumstances="Weinig sociaal netwerk ; huilbaby".replace(
                         "huilbaby", "overig"),
                     baby_circumstances="couveuse;HUILBABY")
    result = _import(site, csv_upload("mothers", [row]))
    assert result.ok, _lines(result)
    mother = Mother.objects.get(site=site)
    assert (mother.origin, mother.education, mother.household, mother.income_source,
            mother.child_order, mother.pregnant_at_start, mother.country_of_birth) == (
        "turkish", "mbo", "single", "own_income", "second", "yes", "TR")
    assert set(mother.answers.values_list("code", flat=True)) == {
        "poor_social_network", "other", "incubator", "excessive_crying"}


@pytest.mark.django_db
def test_it_takes_an_empty_cell_as_missing():
    site = SiteFactory()
    row = mother_row("M1", birth_year="", origin="", education=" ", country_of_birth="",
                     pregnant_at_start="")
    assert _import(site, csv_upload("mothers", [row])).ok
    mother = Mother.objects.get(site=site)
    assert (mother.birth_year, mother.origin, mother.education, mother.country_of_birth,
            mother.pregnant_at_start) == (None, "unknown", "unknown", "", "unknown")


@pytest.mark.django_db
def test_it_updates_an_existing_ref_with_its_answers_and_counts_the_rest_unchanged():
    site = SiteFactory()
    changed = MotherFactory(site=site, ref="M1", household="single", income_source="own_income",
                            country_of_birth="NL")
    answer(changed, "mother_circumstances", "other")
    same = MotherFactory(site=site, ref="M2", household="single", income_source="own_income",
                         child_order="first", pregnant_at_start="no", country_of_birth="NL")
    result = _import(site, csv_upload("mothers", [
        mother_row("M1", household="cohabiting", mother_circumstances="undocumented"),
        mother_row("M2", education="mbo"),
    ]))
    assert result.ok, _lines(result)
    assert (result.counts["mothers.csv"].updated, result.counts["mothers.csv"].unchanged) == (1, 1)
    changed.refresh_from_db()
    assert changed.household == "cohabiting"
    assert changed.version == 2  # a form opened before the import now meets a conflict
    assert list(changed.answers.values_list("code", flat=True)) == ["undocumented"]
    same.refresh_from_db()
    assert same.version == 1
    assert [(c.ref, c.columns) for c in result.changes] == [
        ("M1", ("household", "mother_circumstances"))]


@pytest.mark.django_db
def test_it_leaves_values_of_missing_columns_as_they_are():
    site = SiteFactory()
    MotherFactory(site=site, ref="M1", origin="turkish")
    answer(Mother.objects.get(ref="M1"), "baby_circumstances", "incubator")
    upload = csv_upload("mothers", [{"mother_ref": "M1", "start_date": "2024-03-01",
                                     "end_date": "2025-01-31", "end_reason": "verhuisd"}],
                        ["mother_ref", "start_date", "end_date", "end_reason"])
    assert _import(site, upload).ok
    mother = Mother.objects.get(site=site, ref="M1")
    assert (mother.origin, mother.end_reason) == ("turkish", "moved")
    assert mother.answers.count() == 1


@pytest.mark.django_db
def test_it_writes_nothing_when_one_row_anywhere_is_invalid():
    site = SiteFactory()
    existing = MotherFactory(site=site, ref="M0", household="single")
    result = _import(
        site,
        csv_upload("mothers", [mother_row(f"M{n}") for n in range(1, 50)]
                   + [mother_row("M0", household="with_parents")]),
        csv_upload("volunteers", [volunteer_row("V1")]),
        csv_upload("matches", [match_row("M1", "V1"), match_row("M2", "V1", start="1999-01-01")]),
    )
    assert not result.ok and not result.written
    assert _lines(result) == ["matches.csv row 3, column start_date: de koppeling begint voor de "
                              "startdatum van de moeder (2024-03-01)"]
    assert Mother.objects.filter(site=site).count() == 1
    existing.refresh_from_db()
    assert existing.household == "single"
    assert not Volunteer.objects.exists() and not Match.objects.exists()


@pytest.mark.django_db
def test_it_writes_nothing_when_the_write_fails_halfway(monkeypatch):
    site = SiteFactory()

    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure after the persons were written")

    monkeypatch.setattr(importing, "_write_matches", fail)
    result = _import(site, csv_upload("mothers", [mother_row("M1")]),
                     csv_upload("volunteers", [volunteer_row("V1")]),
                     csv_upload("matches", [match_row()]))
    assert not result.ok and not result.written
    assert "niets opgeslagen" in _lines(result)[0]
    assert not Mother.objects.exists() and not Volunteer.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_reports_every_error_as_file_row_and_column():
    site = SiteFactory()
    rows = [
        mother_row("M1"),
        mother_row("M2", start_date="1-3-24", origin="martian", country_of_birth="XX"),
        mother_row("M3", end_date="2024-01-01", end_reason="moved", birth_year="2020"),
        mother_row("M4", end_reason="verhuisd", mother_circumstances="poor_social_network;foo"),
        mother_row("M1", income_source="benefit"),  # a 2008 code, refused in 2024
        mother_row("", pregnant_at_start="misschien"),
    ]
    result = _import(site, csv_upload("mothers", rows))
    # Allowed values are named as the template and the form name them (Dutch labels).
    assert _lines(result) == [
        "mothers.csv row 3, column start_date: '1-3-24': schrijf het jaar in vier cijfers, "
        "bijvoorbeeld 01-03-2024",
        "mothers.csv row 3, column origin: 'martian' is geen geldige waarde (toegestaan: "
        "Nederlands, Turks, Marokkaans, Surinaams, Antilliaans/Arubaans, overig Europa, "
        "Afrika, Azië, Midden-Oosten, Noord-, Midden- en Zuid-Amerika, onbekend)",
        "mothers.csv row 3, column country_of_birth: 'XX' is geen land: schrijf de naam uit "
        "de keuzelijst (zoals Turkije) of de landcode (zoals TR)",
        "mothers.csv row 4, column end_date: De einddatum ligt voor de startdatum.",
        "mothers.csv row 4, column birth_year: Het geboortejaar past niet bij de startdatum.",
        "mothers.csv row 5, column mother_circumstances: 'foo' is geen geldige waarde (toegestaan: "
        "weinig sociaal netwerk, onzeker in de opvoeding, taal / onzeker in Nederland, "
        "alleenstaand ouderschap, postnatale depressie, gezondheidsproblemen (fysiek of "
        "psychisch), relatieproblemen, ongedocumenteerd, overig)",
        "mothers.csv row 5, column end_reason: Een reden hoort bij een einddatum; vul de "
        "einddatum in.",
        "mothers.csv row 6, column mother_ref: de referentie M1 staat ook in rij 2",
        "mothers.csv row 6, column income_source: 'benefit' is geen geldige waarde (toegestaan: "
        "inkomen partner, gezamenlijk inkomen, één inkomen en één uitkering, twee uitkeringen, "
        "eigen inkomen, één uitkering, onbekend)",
        "mothers.csv row 7, column mother_ref: verplicht: deze cel is leeg",
        "mothers.csv row 7, column pregnant_at_start: 'misschien' is geen geldige waarde "
        "(toegestaan: ja, nee, onbekend)",
    ]
    assert not Mother.objects.exists()


@pytest.mark.django_db
def test_it_reads_each_row_with_the_codebook_of_its_start_year():
    site = SiteFactory()
    result = _import(site, csv_upload("mothers", [
        mother_row("OLD", start_date="2008-05-01", birth_year="1980", income_source="benefit"),
        mother_row("NEW", start_date="2024-05-01", income_source="one_benefit"),
        mother_row("FUTURE", start_date="2999-01-01"),
    ]))
    assert len(result.problems) == 1
    assert str(result.problems[0]).startswith(
        "mothers.csv row 4, column start_date: voor 2999 is er geen codeboek")
    result = _import(site, csv_upload("mothers", [
        mother_row("OLD", start_date="2008-05-01", birth_year="1980", income_source="benefit")]))
    assert result.ok
    assert Mother.objects.get(ref="OLD").income_source == "benefit"


@pytest.mark.django_db
def test_it_reads_a_record_from_before_the_first_codebook_year_with_the_oldest_version():
    site = SiteFactory(first_year=2020)
    result = _import(
        site,
        csv_upload("volunteers", [volunteer_row("V2001", start_date="01-09-2001",
                                                birth_year="1960", vog_date="2001-08-01")]),
        csv_upload("mothers", [mother_row("M2003", start_date="2003-02-01", birth_year="1975",
                                          income_source="benefit", end_date="2004-06-30",
                                          end_reason="completed")]))
    assert result.ok, _lines(result)
    assert Volunteer.objects.get(site=site, ref="V2001").start_date == dt.date(2001, 9, 1)
    # 'benefit' is a code of the 2008 version only: the row was read with that version.
    assert Mother.objects.get(site=site, ref="M2003").income_source == "benefit"
    # Active from the first year of the series, not from 2001 (no year before it is counted).
    site.refresh_from_db()
    assert site.first_year == 2004


@pytest.mark.django_db
def test_it_refuses_a_current_code_on_a_record_from_before_the_first_codebook_year():
    site = SiteFactory()
    result = _import(site, csv_upload("mothers", [
        mother_row("M2002", start_date="2002-03-01", birth_year="1975",
                   income_source="one_benefit")]))
    assert [p.column for p in result.problems] == ["income_source"]
    assert not Mother.objects.exists()


@pytest.mark.django_db
def test_it_names_unknown_and_missing_columns():
    site = SiteFactory()
    upload = Upload("mothers.csv", csv_bytes([{"mother_ref": "M1", "naam": "x", "Origin": "dutch"}],
                                             ["mother_ref", "naam", "Origin"]))
    lines = _lines(_import(site, upload))
    assert lines[0].startswith("mothers.csv row 1, column naam: onbekende kolom; de kolommen van "
                               "mothers zijn: mother_ref, start_date")
    assert lines[1:] == ["mothers.csv row 1, column start_date: verplichte kolom ontbreekt"]


@pytest.mark.django_db
def test_it_refuses_a_value_under_a_column_without_a_header():
    site = SiteFactory()
    data = b"mother_ref,start_date,,\nM1,2024-03-01,,stray\n"
    assert _lines(_import(site, Upload("mothers.csv", data))) == [
        "mothers.csv row 2, column D: waarde in een kolom zonder kop"]


@pytest.mark.django_db
def test_it_checks_that_matches_refer_to_known_persons_within_the_mothers_period():
    site = SiteFactory()
    MotherFactory(site=site, ref="OLD", start_date=dt.date(2023, 1, 1),
                  end_date=dt.date(2023, 12, 31), end_reason="completed")
    VolunteerFactory(site=site, ref="V9")
    other_site_mother = MotherFactory(ref="ELSEWHERE")
    result = _import(site, csv_upload("matches", [
        match_row("OLD", "V9", "2023-02-01", "2023-12-31"),  # both refs already at the site
        match_row("OLD", "V9", "2024-02-01"),
        match_row("OLD", "V9", "2023-03-01", "2024-01-31"),
        match_row(other_site_mother.ref, "V9", "2024-03-01"),
        match_row("OLD", "NOBODY", "2023-05-01", "2023-04-01"),
        match_row("OLD", "V9", "2023-02-01", "2023-12-31"),
    ]))
    assert _lines(result) == [
        "matches.csv row 3, column start_date: de koppeling begint na de einddatum van de moeder "
        "(2023-12-31)",
        "matches.csv row 4, column end_date: de koppeling eindigt na de einddatum van de moeder "
        "(2023-12-31)",
        "matches.csv row 5, column mother_ref: ELSEWHERE staat niet in mothers en niet in de "
        "registratie van deze locatie",
        "matches.csv row 6, column volunteer_ref: NOBODY staat niet in volunteers en niet in de "
        "registratie van deze locatie",
        "matches.csv row 6, column end_date: De einddatum ligt voor de startdatum.",
        "matches.csv row 7, column start_date: dezelfde koppeling (moeder, vrijwilliger en "
        "startdatum) staat ook in rij 2",
    ]


@pytest.mark.django_db
def test_it_does_not_blame_a_match_for_its_mothers_invalid_row():
    site = SiteFactory()
    result = _import(site, csv_upload("mothers", [mother_row("M1", origin="martian")]),
                     csv_upload("volunteers", [volunteer_row("V1")]),
                     csv_upload("matches", [match_row("M1", "V1")]))
    assert [p.file for p in result.problems] == ["mothers.csv"]


@pytest.mark.django_db
def test_it_reads_excel_date_cells_numbers_and_booleans_from_a_workbook():
    site = SiteFactory()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Mothers"  # sheet names are matched case-insensitively
    sheet.append(["mother_ref", "start_date", "birth_year", "pregnant_at_start", "origin"])
    sheet.append([1234, dt.datetime(2024, 3, 1), 1990.0, True, "Marokkaans"])
    sheet.append([None, None, None, None, None])  # an empty row in between is passed over
    sheet.append(["M2", "2024-04-01", "1991", "nee", "dutch"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _import(site, Upload("records.xlsx", buffer.getvalue()))
    assert result.ok, _lines(result)
    assert result.counts == {"mothers": importing.Counts(created=2)}
    mother = Mother.objects.get(ref="1234")
    assert (mother.start_date, mother.birth_year, mother.pregnant_at_start, mother.origin) == (
        dt.date(2024, 3, 1), 1990, "yes", "moroccan")


@pytest.mark.django_db
def test_it_names_the_sheet_and_row_of_an_error_in_a_workbook():
    site = SiteFactory()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "mothers"
    sheet.append(["mother_ref", "start_date"])
    sheet.append(["M1", "2024-02-30"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _lines(_import(site, Upload("records.xlsx", buffer.getvalue()))) == [
        "mothers row 2, column start_date: de datum 2024-02-30 bestaat niet"]


@pytest.mark.django_db
def test_it_writes_nothing_in_a_dry_run_but_reports_the_same_counts():
    site = SiteFactory()
    upload = csv_upload("mothers", [mother_row("M1"), mother_row("M2")])
    result = _import(site, upload, dry_run=True)
    assert result.ok and not result.written
    assert result.counts["mothers.csv"].created == 2
    assert not Mother.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_logs_every_created_and_changed_record_without_personal_values():
    site = SiteFactory()
    MotherFactory(site=site, ref="M1", household="single", income_source="own_income",
                  country_of_birth="NL")
    _import(site, csv_upload("mothers", [mother_row("M1", household="with_others"),
                                         mother_row("M2", origin="turkish")]))
    entries = {(e.event, e.object_type, e.object_ref, e.detail, e.on_behalf_of)
               for e in AuditEntry.objects.all()}
    assert ("update", "mother", "M1", "import: household", site.code) in entries
    assert ("create", "mother", "M2", "import", site.code) in entries
    assert any(e[0] == "import" and "mothers.csv: 1 new, 1 updated" in e[3] for e in entries)
    assert not any("turkish" in e[3] or "with_others" in e[3] for e in entries)


@pytest.mark.django_db
def test_it_can_import_the_same_file_twice_without_changes():
    site = SiteFactory()
    upload = csv_upload("mothers", [mother_row("M1", baby_circumstances="incubator")])
    assert _import(site, upload).counts["mothers.csv"].created == 1
    again = _import(site, upload)
    assert (again.counts["mothers.csv"].unchanged, again.counts["mothers.csv"].updated) == (1, 0)
    assert MotherAnswer.objects.count() == 1


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
    ["2024-03-01", "ja", "M1", "1990", "dutch", ";", "=1+1"])), min_size=1, max_size=6),
    max_size=5))
def test_it_answers_any_cell_content_with_messages_never_an_exception(cells):
    site = SiteFactory.build(pk=1, code="x")  # validation alone reads no site from the database
    header = ["mother_ref", "start_date", "origin", "birth_year", "mother_circumstances",
              "end_date"]
    text = "\n".join([",".join(header)] + [",".join('"' + c.replace('"', '""') + '"'
                                                   for c in row) for row in cells])
    result = _import(site, Upload("mothers.csv", text.encode("utf-8", "replace")), dry_run=True)
    assert all(str(problem) for problem in result.problems)


# -- the command --------------------------------------------------------------------------

@pytest.mark.django_db
def test_it_imports_csv_files_from_the_command_line(tmp_path, capsys):
    site = SiteFactory(code="ede")
    (tmp_path / "mothers.csv").write_bytes(csv_upload("mothers", [mother_row()]).data)
    (tmp_path / "volunteers.csv").write_bytes(csv_upload("volunteers", [volunteer_row()]).data)
    call_command("import-records", "--site", "ede", str(tmp_path / "mothers.csv"),
                 str(tmp_path / "volunteers.csv"))
    out = capsys.readouterr().out
    assert "mothers.csv: 1 nieuw, 0 gewijzigd, 0 ongewijzigd" in out
    assert Mother.objects.filter(site=site).count() == 1


@pytest.mark.django_db
def test_it_prints_each_error_and_exits_1_when_refused(tmp_path, capsys):
    SiteFactory(code="ede")
    (tmp_path / "mothers.csv").write_bytes(csv_upload("mothers", [mother_row(origin="x")]).data)
    with pytest.raises(CommandError) as excinfo:
        call_command("import-records", "--site", "ede", str(tmp_path / "mothers.csv"))
    assert excinfo.value.returncode == 1
    assert "mothers.csv row 2, column origin: 'x' is geen geldige waarde" in capsys.readouterr().err
    assert not Mother.objects.exists()


@pytest.mark.django_db
def test_it_dry_runs_from_the_command_line(tmp_path, capsys):
    SiteFactory(code="ede")
    (tmp_path / "mothers.csv").write_bytes(csv_upload("mothers", [mother_row()]).data)
    call_command("import-records", "--site", "ede", "--dry-run", str(tmp_path / "mothers.csv"))
    assert "Proefimport: er is niets opgeslagen." in capsys.readouterr().out
    assert not Mother.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("arguments", "status", "message"), [
    (["--site", "nowhere", "{dir}/mothers.csv"], 1, "unknown site"),
    (["--site", "ede", "{dir}/missing.csv"], 2, "cannot read"),
    (["--site", "ede", "{dir}/notes.txt"], 1, "alleen .xlsx- en .csv-bestanden"),
    (["--site", "ede", "{dir}/moeders.csv"], 1, "bestandsnaam niet herkend"),
])
def test_it_exits_with_the_agreed_status(tmp_path, capsys, arguments, status, message):
    SiteFactory(code="ede")
    for name in ("mothers.csv", "notes.txt", "moeders.csv"):
        (tmp_path / name).write_bytes(csv_upload("mothers", [mother_row()]).data)
    with pytest.raises(CommandError) as excinfo:
        call_command("import-records", *[a.format(dir=tmp_path) for a in arguments])
    assert excinfo.value.returncode == status
    assert message in str(excinfo.value) + capsys.readouterr().err


@pytest.mark.django_db
def test_it_stores_a_missing_answer_as_unknown_in_every_codebook_version():
    # the 2008 list of origins had no "unknown"; a missing origin is still just missing
    site = SiteFactory(first_year=2004)
    result = _import(site, csv_upload("mothers", [
        mother_row("OLD", start_date="2008-03-01", origin="", education=""),
        mother_row("OLD2", start_date="2008-04-01", origin="onbekend")]))
    assert result.ok, _lines(result)
    assert set(Mother.objects.values_list("origin", "education")) == {
        ("unknown", "unknown"), ("unknown", "mbo")}


@pytest.mark.django_db
def test_it_widens_the_sites_active_years_to_its_earliest_record():
    site = SiteFactory(first_year=2026)
    result = _import(site, csv_upload("mothers", [mother_row("M1", start_date="2021-05-01")]),
                     csv_upload("volunteers", [volunteer_row("V1", start_date="2019-02-01")]))
    assert result.ok, _lines(result)
    site.refresh_from_db()
    assert (site.first_year, site.last_year) == (2019, None)

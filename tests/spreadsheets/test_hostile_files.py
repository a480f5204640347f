"""A hostile corpus (security guide D2): each file is refused quickly, with a clear message,
and nothing is written."""

import io
import random
import time
import zipfile

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from openpyxl import Workbook

from mim.registry.models import Mother
from mim.spreadsheets import reading
from mim.spreadsheets.reading import Upload
from mim.spreadsheets.services import records_import
from tests.factories import SiteFactory

SECONDS = 2  # issue 12: every hostile file is refused in under 2 s

LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                * 10) for i in range(1, 10))
          + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
          b"</sheetData></worksheet>")


def _workbook_bytes(rows=(("mother_ref", "start_date"), ("M1", "2024-03-01"))) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "mothers"
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name
                            else source.read(info.filename))
    return out.getvalue()


def _refused(upload: Upload) -> str:
    site = SiteFactory()
    started = time.perf_counter()
    result = records_import(site=site, uploads=[upload])
    elapsed = time.perf_counter() - started
    assert not result.ok and not result.written
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert not Mother.objects.exists()
    assert len(result.problems) == 1
    return str(result.problems[0])


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.django_db
def test_it_refuses_a_zip_bomb_from_its_directory():
    data = _zip_bomb()
    assert len(data) < 200_000
    assert _refused(Upload("bom.xlsx", data)) == (
        "bom.xlsx: de werkmap pakt verdacht sterk uit (mogelijk een zip-bom).")


@pytest.mark.django_db
def test_it_refuses_a_workbook_too_large_when_unpacked(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 5_000)
    assert _refused(Upload("groot.xlsx", _workbook_bytes())) == (
        "groot.xlsx: de werkmap is uitgepakt groter dan 0 MB.")


@pytest.mark.django_db
def test_it_refuses_a_workbook_of_too_many_parts():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(5_000):
            archive.writestr(f"xl/part{n}.bin", b"")
    assert "te veel onderdelen (5001)" in _refused(Upload("delen.xlsx", out.getvalue()))


@pytest.mark.django_db
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                  "[Content_Types].xml"])
def test_it_refuses_entity_expansion_in_any_part(part):
    data = _replace_part(_workbook_bytes(), part, LAUGHS)
    assert "DTD of entiteiten" in _refused(Upload("lol.xlsx", data))


@pytest.mark.django_db
def test_it_is_still_safe_when_a_dtd_slips_past_the_first_check(monkeypatch):
    # The prolog check is the first line; openpyxl parsing with defusedxml is the second.
    # Switch the first off and the second must still refuse, quickly.
    assert openpyxl.DEFUSEDXML is True
    monkeypatch.setattr(reading, "_DTD", type("Never", (), {"search": lambda self, _: None})())
    data = _replace_part(_workbook_bytes(), "xl/worksheets/sheet1.xml", LAUGHS)
    assert _refused(Upload("lol.xlsx", data)) == (
        "lol.xlsx: dit is geen geldige Excel-werkmap (.xlsx).")
    with pytest.raises(ValueError) as excinfo:
        openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert isinstance(excinfo.value.__cause__ or excinfo.value.__context__, EntitiesForbidden)


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.mark.django_db
@pytest.mark.parametrize(("upload", "message"), [
    (Upload("mothers.xlsx", PNG), "mothers.xlsx: dit is geen Excel-werkmap (.xlsx): de inhoud "
                                  "klopt niet met de naam."),
    (Upload("mothers.csv", PNG), "mothers.csv: dit is geen tekstbestand (het bevat NUL-tekens)."),
    (Upload("mothers.csv", b"mother_ref,start_date\nM1,2024-03-01\x00\n"),
     "mothers.csv: dit is geen tekstbestand (het bevat NUL-tekens)."),
    (Upload("mothers.csv", "mother_ref,start_date\nM\u00e9,2024-03-01\n".encode("utf-16")),
     "mothers.csv: de tekst is in UTF-16 (Unicode-tekst); sla het bestand op als 'CSV UTF-8 "
     "(door komma's gescheiden)'."),
    (Upload("mothers.csv", b"mother_ref,start_date\nM\x81,2024-03-01\n"),
     "mothers.csv: de tekens van het bestand zijn niet te lezen (geen UTF-8 en geen "
     "Windows-1252); sla het bestand op als 'CSV UTF-8 (door komma's gescheiden)'."),
    (Upload("mothers.csv", _workbook_bytes()),
     "mothers.csv: de inhoud is geen csv-tekst maar een gecomprimeerd bestand."),
    (Upload("oud.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
     "oud.xlsx: dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord; sla het "
     "op als Excel-werkmap (.xlsx) zonder wachtwoord."),
    (Upload("kapot.xlsx", b"PK\x03\x04" + b"\1" * 200),
     "kapot.xlsx: dit is geen geldige Excel-werkmap (.xlsx)."),
    (Upload("mothers.csv", b""), "mothers.csv: het bestand is leeg."),
], ids=["png-as-xlsx", "png-as-csv", "nul-in-csv", "utf-16", "not-windows-1252",
        "xlsx-as-csv", "xls", "broken-zip", "empty"])
def test_it_judges_a_file_by_its_bytes_not_its_name(upload, message):
    assert _refused(upload) == message


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_size_limit():
    data = b"mother_ref,start_date\n" + b"x" * reading.MAX_FILE_BYTES
    assert _refused(Upload("mothers.csv", data)) == (
        "mothers.csv: het bestand is groter dan 20 MB.")


@pytest.mark.django_db
def test_it_refuses_a_million_rows_at_the_row_limit_quickly():
    data = b"mother_ref,start_date\n" + b"M1,2024-03-01\n" * 1_000_000
    assert len(data) < reading.MAX_FILE_BYTES  # the size limit alone would not catch it
    assert _refused(Upload("mothers.csv", data)) == (
        "mothers.csv: meer dan 200.000 rijen; splits het bestand.")


@pytest.mark.django_db
def test_it_stops_reading_rows_at_the_limit_when_counting_lines_does_not_tell(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 100)
    rows = [("mother_ref", "start_date")] + [(f"M{n}", "2024-03-01") for n in range(150)]
    message = _refused(Upload("records.xlsx", _workbook_bytes(rows)))
    assert message == "mothers: meer dan 100 rijen; splits het bestand."
    csv_data = "mother_ref,start_date\n" + "".join(f"M{n},2024-03-01\n" for n in range(150))
    monkeypatch.setattr(reading, "MAX_ROWS", 100)
    assert _refused(Upload("mothers.csv", csv_data.encode())) == (
        "mothers.csv: meer dan 100 rijen; splits het bestand.")


@pytest.mark.django_db
def test_it_ignores_the_width_a_sheet_claims_for_itself():
    # A <dimension> of A1:XFD1048576 would make a naive reader pad every row to 16,384 cells.
    data = _workbook_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
    started = time.monotonic()
    result = records_import(site=SiteFactory(), uploads=[
        Upload("breed.xlsx", _replace_part(data, "xl/worksheets/sheet1.xml", sheet))],
        dry_run=True)
    assert result.ok and time.monotonic() - started < SECONDS


@pytest.mark.django_db
@pytest.mark.parametrize(("uploads", "message"), [
    ([Upload("a.xlsx", _workbook_bytes()), Upload("mothers.csv", b"mother_ref\n")],
     "upload: Kies één xlsx-werkmap, of één tot vier csv-bestanden; niet beide."),
    ([Upload("mothers.csv", b"mother_ref\n"), Upload("MOTHERS.csv", b"mother_ref\n")],
     "MOTHERS.csv: dubbel: er is al een bestand voor mothers (mothers.csv)."),
])
def test_it_refuses_a_confusing_set_of_files(uploads, message):
    result = records_import(site=SiteFactory(), uploads=uploads)
    assert [str(p) for p in result.problems] == [message]


@pytest.mark.django_db
def test_it_refuses_an_unknown_sheet_by_name():
    workbook = Workbook()
    workbook.active.title = "Moeders"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _refused(Upload("records.xlsx", buffer.getvalue())) == (
        "records.xlsx: onbekend werkblad 'Moeders': de werkbladen heten mothers, volunteers, "
        "matches en visits.")


def _with_rows(rows_xml: bytes, *, prefix: str = "") -> bytes:
    """The small workbook with extra rows appended to its sheet (raw XML)."""
    data = _workbook_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"</sheetData>", rows_xml + b"</sheetData>")
    if prefix:  # the same sheet with every element of the main namespace prefixed
        sheet = sheet.replace(b"<", b"<" + prefix.encode() + b":").replace(
            b"<" + prefix.encode() + b":/", b"</" + prefix.encode() + b":").replace(
            b"<" + prefix.encode() + b":?xml", b"<?xml").replace(
            b'xmlns="', b"xmlns:" + prefix.encode() + b'="')
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            target.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml"
                            else source.read(info.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def wide_row() -> bytes:
    """Issue 12: one row of 1.6 million cells with values that hardly compress, 8-9 MB,
    within the size and ratio limits; it cost 15 s before it was refused."""
    digits = random.Random(12).randbytes(1_600_000 * 3).hex()
    cells = "".join(f"<c><v>{int(digits[i:i + 6], 16)}</v></c>"
                    for i in range(0, len(digits), 6))
    return _with_rows(f'<row r="3">{cells}</row>'.encode())


@pytest.mark.django_db
def test_it_refuses_a_row_of_a_million_cells_while_streaming(wide_row):
    assert 5_000_000 < len(wide_row) < reading.MAX_FILE_BYTES
    assert _refused(Upload("breed.xlsx", wide_row)) == (
        "mothers: een rij van de werkmap heeft meer dan 1.000 cellen; een rij van het sjabloon "
        "heeft er hoogstens 14.")


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "x"])
def test_it_counts_the_cells_of_a_row_whatever_its_prefix(prefix):
    row = b'<row r="3">' + b"<c><v>1</v></c>" * (reading.MAX_ROW_CELLS + 1) + b"</row>"
    assert "meer dan 1.000 cellen" in _refused(Upload("breed.xlsx", _with_rows(row, prefix=prefix)))
    fits = b'<row r="3">' + b"<c><v>1</v></c>" * reading.MAX_ROW_CELLS + b"</row>"
    reading.inspect_zip(_with_rows(fits, prefix=prefix))  # not refused


@pytest.mark.django_db
def test_it_refuses_too_many_cells_in_a_sheet_while_streaming(monkeypatch):
    monkeypatch.setattr(reading, "MAX_SHEET_CELLS", 1_000)
    rows = b"".join(b'<row r="%d">' % n + b"<c><v>1</v></c>" * 10 + b"</row>"
                    for n in range(3, 200))
    assert _refused(Upload("hoog.xlsx", _with_rows(rows))) == (
        "mothers: een werkblad heeft meer dan 1.000 cellen; splits het bestand.")


@pytest.mark.django_db
def test_it_counts_the_cells_of_a_sheet_kept_outside_the_worksheets_folder():
    # openpyxl follows the workbook's relationships wherever they point.
    data = _with_rows(b'<row r="3">' + b"<c><v>1</v></c>" * 5_000 + b"</row>")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            name = info.filename
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/elders.xml"
            elif name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                content = content.replace(b"worksheets/sheet1.xml", b"elders.xml")
            target.writestr(name, content)
    assert "meer dan 1.000 cellen" in _refused(Upload("elders.xlsx", out.getvalue()))


@pytest.mark.django_db
def test_it_refuses_a_table_of_shared_texts_far_longer_than_the_cells():
    # openpyxl reads the whole table on opening: 1.5 million texts cost 20 s.
    digits = random.Random(3).randbytes(200_000 * 4).hex()
    table = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main">'
             + "".join(f"<si><t>{digits[i:i + 8]}</t></si>"
                       for i in range(0, len(digits), 8)).encode() + b"</sst>")
    source = zipfile.ZipFile(io.BytesIO(_workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", (
                    b'<Override PartName="/xl/texts.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
            target.writestr(info.filename, content)
        target.writestr("xl/texts.xml", table)
    assert _refused(Upload("teksten.xlsx", out.getvalue())) == (
        "teksten.xlsx: de werkmap bevat veel meer teksten dan cellen; dat komt in een echte "
        "werkmap niet voor.")

"""Reading uploaded record files safely (security guide D2).

A file is judged by its bytes, never by its name: an XLSX workbook is a zip archive
(`PK\\x03\\x04`) holding `[Content_Types].xml`; a CSV file is UTF-8 text without NUL bytes.
Before openpyxl sees a workbook, the zip's central directory is checked (number of
entries, total unpacked size, compression ratio) and no part may declare a DTD, so zip
bombs and entity expansion ("billion laughs") are refused in milliseconds. openpyxl then
reads in read-only (streaming) mode, and parses worksheets with defusedxml.
"""

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext as _

from .columns import IGNORED_SHEETS, SHEETS

MAX_FILE_BYTES = 20 * 1024 * 1024  # per uploaded file
MAX_ROWS = 200_000  # data rows per file or sheet (the header is not counted)
MAX_ZIP_ENTRIES = 100  # a workbook from Excel or LibreOffice has 10-30
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all parts together, as declared
MAX_RATIO = 200  # unpacked / packed per part; zip bombs reach ~1000, sheets 10-50
MAX_COLUMNS = 40  # cells read per row; the widest sheet has 14 columns
# Cells a worksheet part may hold, counted while streaming it before openpyxl parses it:
# openpyxl builds a whole <row> before `max_col` cuts it, so one row of 1.6 million cells
# (9 MB, within the size and ratio limits) cost 15 s. A real row has at most 14 filled
# cells plus a few formatted ones; a real sheet at the row limit about 3 million.
MAX_ROW_CELLS = 1_000
MAX_SHEET_CELLS = 4_000_000
MAX_CELL_CHARS = 2_000
RATIO_CHECK_FROM = 1024 * 1024  # small parts may compress well without harm

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls and password-protected workbooks
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
# A <c> (cell) or <row> start tag, with or without a namespace prefix (<x:c ...>); not <cols>.
_CELL, _ROW = re.compile(rb"<c[\s/>]"), re.compile(rb"<row[\s/>]")
_CELL_ANY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_ANY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_SI, _SI_ANY = re.compile(rb"<si[\s/>]"), re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_LONG_ROW = 4 * MAX_ROW_CELLS  # bytes: "<c/>" is the shortest cell


class Refused(Exception):  # noqa: N818 (a refusal is not a programming error)
    """The file as a whole is refused; the message is shown to the user. `where` names
    the sheet when the refusal concerns one sheet of a workbook."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


@dataclass
class Upload:
    name: str  # as given by the user (only its last part is used)
    data: bytes

    @property
    def basename(self) -> str:
        return PurePath(self.name.replace("\\", "/")).name[:100] or "bestand"


@dataclass
class Source:
    """The rows of one record file: a CSV file or one sheet of a workbook."""

    sheet: str  # mothers, volunteers, matches or visits
    label: str  # the file in error lines: `mothers.csv`, or the sheet name `mothers`
    header: tuple
    rows: Iterator[tuple[int, tuple]]  # (spreadsheet row number, cells)
    estimated_rows: int | None = None
    detected: list[str] = field(default_factory=list)  # how it was read, for the preview


def open_sources(uploads: list[Upload], sheets: tuple[str, ...] = SHEETS
                 ) -> tuple[list[Source], list[tuple[str, str]], list]:
    """The record files in the uploads, in the order mothers, volunteers, matches, visits
    (or the order of `sheets`: the facts files read `facts`, `coordinators`).

    Returns (sources, refusals as (file, message), workbooks to close)."""
    if not uploads:
        return [], [("", _("Geen bestand gekozen."))], []
    kinds = []
    refusals: list[tuple[str, str]] = []
    for upload in uploads:
        try:
            kinds.append((upload, _kind(upload)))
        except Refused as exc:
            refusals.append((upload.basename, str(exc)))
    if refusals:
        return [], refusals, []
    if any(kind == "xlsx" for _upload, kind in kinds):
        if len(uploads) > 1:
            return [], [("", _("Kies één xlsx-werkmap, of één tot vier csv-bestanden; "
                               "niet beide."))], []
        try:
            sources, problems, workbook = _workbook_sources(uploads[0], sheets)
        except Refused as exc:
            return [], [(exc.where or uploads[0].basename, str(exc))], []
        # A non-empty sheet that is not read is an error, but the sheets that are read
        # are still checked: every error of the upload at once.
        return sources, problems, [workbook]
    sources = []
    seen: dict[str, str] = {}
    for upload in uploads:
        sheet = PurePath(upload.basename.lower()).stem
        if sheet not in sheets:
            refusals.append((upload.basename, _(
                "bestandsnaam niet herkend: noem het bestand mothers.csv, volunteers.csv, "
                "matches.csv of visits.csv.") if sheets == SHEETS else _(
                "bestandsnaam niet herkend: noem het bestand %(names)s.") % {
                    "names": _(" of ").join(f"{s}.csv" for s in sheets)}))
            continue
        if sheet in seen:
            refusals.append((upload.basename, _("dubbel: er is al een bestand voor %(sheet)s "
                                                "(%(other)s).") % {"sheet": sheet,
                                                                   "other": seen[sheet]}))
            continue
        seen[sheet] = upload.basename
        try:
            sources.append(_csv_source(upload, sheet))
        except Refused as exc:
            refusals.append((upload.basename, str(exc)))
    if refusals:
        # The files that are readable are not checked alone: a match would be reported
        # against a mothers file that could not be read.
        return [], refusals, []
    order = list(sheets)
    return sorted(sources, key=lambda s: order.index(s.sheet)), refusals, []


def _kind(upload: Upload) -> str:
    """'xlsx' or 'csv', from the bytes; the name's extension must agree."""
    data = upload.data
    if len(data) > MAX_FILE_BYTES:
        raise Refused(_("het bestand is groter dan %(mb)s MB.") % {
            "mb": MAX_FILE_BYTES // (1024 * 1024)})
    if not data:
        raise Refused(_("het bestand is leeg."))
    extension = PurePath(upload.basename.lower()).suffix
    if extension not in (".xlsx", ".csv"):
        raise Refused(_("alleen .xlsx- en .csv-bestanden worden ingelezen."))
    if data.startswith(OLE_MAGIC):
        raise Refused(_("dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord; "
                        "sla het op als Excel-werkmap (.xlsx) zonder wachtwoord."))
    if data.startswith(ZIP_MAGIC):
        if extension != ".xlsx":
            raise Refused(_("de inhoud is geen csv-tekst maar een gecomprimeerd bestand."))
        return "xlsx"
    if extension == ".xlsx":
        raise Refused(_("dit is geen Excel-werkmap (.xlsx): de inhoud klopt niet met de naam."))
    return "csv"


# -- CSV ----------------------------------------------------------------------------------

def _csv_source(upload: Upload, sheet: str) -> Source:
    """A CSV file as people save it: UTF-8 (with or without BOM) or Windows-1252 (Excel's
    "CSV (gescheiden door lijstscheidingstekens)" on a Dutch Windows), and `,` or `;` (the
    Dutch list separator) between the columns. What was detected is said in the preview."""
    data = upload.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(_("de tekst is in UTF-16 (Unicode-tekst); sla het bestand op als 'CSV "
                        "UTF-8 (door komma's gescheiden)'."))
    if b"\x00" in data:
        raise Refused(_("dit is geen tekstbestand (het bevat NUL-tekens)."))
    text, encoding = _decode(data)
    # Counting newlines is cheap and refuses a huge file before any parsing; a quoted
    # field may hold a newline, so only a count far above the limit is decisive here.
    if text.count("\n") > 2 * MAX_ROWS + 2:
        raise Refused(_too_many_rows())
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = tuple(next(reader))
    except StopIteration:
        raise Refused(_("het bestand is leeg.")) from None
    except csv.Error:
        raise Refused(_("de kopregel is geen geldige csv.")) from None
    label = upload.basename
    separator = _("puntkomma (;)") if delimiter == ";" else _("komma (,)")
    detected = [_("tekens: %(encoding)s") % {"encoding": encoding},
                _("scheidingsteken: %(separator)s") % {"separator": separator}]
    return Source(sheet, label, header, _csv_rows(reader, label), text.count("\n"), detected)


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding. UTF-8 is tried first: Windows-1252 text with
    any letter outside ASCII is (almost) never valid UTF-8, and ASCII is both."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), _("UTF-8 (met BOM)")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise Refused(_("de tekens van het bestand zijn niet te lezen (geen UTF-8 en geen "
                        "Windows-1252); sla het bestand op als 'CSV UTF-8 (door komma's "
                        "gescheiden)'.")) from None


def _delimiter(first_line: str) -> str:
    """`;` or `,`: the column codes hold neither, so the header line decides."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_rows(reader, label: str) -> Iterator[tuple[int, tuple]]:
    # Row numbers count records, as a spreadsheet shows them; a quoted newline inside a
    # cell does not start a new row there either.
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise Refused(_("rij %(row)s is geen geldige csv (%(detail)s).") % {
                "row": number + 1, "detail": str(exc)[:80]}) from None
        number += 1
        if number > MAX_ROWS + 1:
            raise Refused(_too_many_rows())
        yield number, tuple(cells[:MAX_COLUMNS])


def _too_many_rows() -> str:
    return _("meer dan %(n)s rijen; splits het bestand.") % {"n": f"{MAX_ROWS:,}".replace(",", ".")}


# -- XLSX ---------------------------------------------------------------------------------

def inspect_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, once its central directory and every part's prolog look harmless."""
    entries = _declared_entry_count(data)
    if entries > MAX_ZIP_ENTRIES:
        raise Refused(_("de werkmap bestaat uit te veel onderdelen (%(n)s).") % {"n": entries})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise Refused(_invalid_workbook()) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise Refused(_("de werkmap bestaat uit te veel onderdelen (%(n)s).") % {"n": len(infos)})
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused(_invalid_workbook())
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(_("de werkmap is versleuteld; sla haar op zonder wachtwoord."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(_invalid_workbook())
        total += info.file_size
        if info.file_size > RATIO_CHECK_FROM and (
                info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise Refused(_("de werkmap pakt verdacht sterk uit (mogelijk een zip-bom)."))
    if total > MAX_UNPACKED_BYTES:
        raise Refused(_("de werkmap is uitgepakt groter dan %(mb)s MB.") % {
            "mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                head = part.read(64 * 1024)
            if _DTD.search(head):
                raise Refused(_("de werkmap bevat XML met een DTD of entiteiten; dat komt in "
                                "een echte werkmap niet voor."))
    titles = _sheet_titles(archive)
    cells = 0
    for info in infos:
        # A sheet is where the workbook's relationships point, which openpyxl follows
        # wherever it leads: a part outside xl/worksheets/ is counted as well.
        if _WORKSHEET.fullmatch(info.filename) or info.filename in titles:
            try:
                cells += _count_cells(archive, info)
            except Refused as exc:
                title = titles.get(info.filename)
                # A sheet named in the message, as the row errors name it.
                raise Refused(str(exc), where=title.strip().lower()) from None
    strings = _shared_strings_part(archive)
    if strings in names:
        # openpyxl reads the whole table of shared texts when it opens the workbook (1.5
        # million of them: 20 s). Excel and LibreOffice keep only the texts their cells
        # use, so a real table is never longer than the cells are many.
        _count_strings(archive, archive.getinfo(strings), min(cells, MAX_SHEET_CELLS) + 1_000)
    return archive


def _shared_strings_part(archive: zipfile.ZipFile) -> str:
    """The part openpyxl reads as the shared texts: the one [Content_Types].xml names."""
    from defusedxml import ElementTree

    try:
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except Exception:  # openpyxl refuses the workbook later
        return "xl/sharedStrings.xml"
    for override in types.iter():
        if (override.tag.endswith("}Override")
                and override.get("ContentType", "").endswith(".sharedStrings+xml")):
            return override.get("PartName", "").lstrip("/")
    return "xl/sharedStrings.xml"


def _count_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> None:
    count = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1024 * 1024):
            data = tail + chunk
            cut = data.rfind(b"<")
            cut = len(data) if cut < 0 else cut
            view = data[:cut]
            count += len((_SI_ANY if b":si" in view else _SI).findall(view))
            if count > limit:
                raise Refused(_("de werkmap bevat veel meer teksten dan cellen; dat komt in een "
                                "echte werkmap niet voor."))
            tail = data[cut:]


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's title, from workbook.xml and its relationships (both
    small, DTDs refused above); empty where the workbook does not say."""
    from defusedxml import ElementTree

    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except Exception:  # a broken or missing part: openpyxl refuses it later
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    titles = {}
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        part = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                  else posixpath.join("xl", target))
        titles[part] = sheet.get("name", "")
    return titles


def _count_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The number of cells of a worksheet part; refused with too many cells in a row or
    in all, by counting start tags in the decompressed stream, 1 MB at a time, with
    C-speed searches only: a loop in Python per cell would cost seconds at the limit."""
    sheet_cells = row_cells = sheet_rows = 0  # row_cells: the row open at a chunk's end
    tail = b""
    with archive.open(info) as part:
        while True:
            chunk = part.read(1024 * 1024)
            data = tail + chunk
            # A tag cut at the chunk's end is counted with the next chunk.
            cut = data.rfind(b"<") if chunk else len(data)
            cut = len(data) if cut < 0 else cut
            view = data[:cut]
            # Real workbooks write <c> and <row> without a prefix; any prefix (which
            # openpyxl accepts) takes the slower search, so it cannot hide cells.
            prefixed = b":c" in view or b":row" in view
            cell, row = (_CELL_ANY, _ROW_ANY) if prefixed else (_CELL, _ROW)
            sheet_cells += len(cell.findall(view))
            if sheet_cells > MAX_SHEET_CELLS:
                raise Refused(_("een werkblad heeft meer dan %(n)s cellen; splits het "
                                "bestand.") % {"n": _dotted(MAX_SHEET_CELLS)})
            rows = row.split(view)
            sheet_rows += len(rows) - 1
            if sheet_rows > MAX_ROWS + 1:  # empty rows too: openpyxl would read them all
                raise Refused(_too_many_rows())
            # A row of more than MAX_ROW_CELLS cells is longer than that many "<c/>": only
            # such stretches, and the rows open at both ends of the chunk, are counted.
            last = len(rows) - 1
            counts = {i: len(cell.findall(rows[i])) for i in
                      {0, last, *(i for i, text in enumerate(rows) if len(text) > _LONG_ROW)}}
            counts[0] += row_cells
            if max(counts.values()) > MAX_ROW_CELLS:
                raise Refused(_("een rij van de werkmap heeft meer dan %(n)s cellen; een "
                                "rij van het sjabloon heeft er hoogstens 14.") % {
                    "n": _dotted(MAX_ROW_CELLS)})
            row_cells = counts[last]
            if not chunk:
                return sheet_cells
            tail = data[cut:]


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _declared_entry_count(data: bytes) -> int:
    """Entries per the end-of-central-directory record, read before zipfile parses the
    directory itself (which would cost time and memory for a million entries)."""
    tail = data[-(22 + 65535):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise Refused(_invalid_workbook())
    count = int.from_bytes(tail[at + 10:at + 12], "little")
    if count == 0xFFFF:  # zip64: far beyond any workbook of ours
        return MAX_ZIP_ENTRIES + 1
    return count


def _invalid_workbook() -> str:
    return _("dit is geen geldige Excel-werkmap (.xlsx).")


def _workbook_sources(upload: Upload, sheets: tuple[str, ...] = SHEETS):
    from openpyxl import load_workbook

    archive = inspect_zip(upload.data)
    archive.close()
    try:
        workbook = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=True,
                                 keep_links=False)
    except Exception:  # openpyxl raises many kinds on malformed parts
        raise Refused(_invalid_workbook()) from None
    sources, unknown, others = [], [], []
    order = list(sheets)
    for title in workbook.sheetnames:
        sheet = title.strip().lower()
        if sheet in IGNORED_SHEETS:
            continue
        rows = _sheet_rows(workbook[title], sheet if sheet in sheets else title)
        header = _first_filled(rows)
        if sheet not in sheets:
            others.append(title)
        if header is None:
            continue  # an empty sheet ("Blad2"): nothing to import, nothing lost
        if sheet not in sheets:
            unknown.append(title)
            continue
        if any(s.sheet == sheet for s in sources):
            workbook.close()
            raise Refused(_("het werkblad %(sheet)s komt twee keer voor.") % {"sheet": sheet})
        sources.append(Source(sheet, sheet, header, rows, _declared_rows(workbook[title]),
                              [_("werkmap (xlsx)")]))
    named = _(" en ").join(sheets)
    problems = [(title[:40], _("dit werkblad is niet leeg maar wordt niet ingelezen: de "
                               "werkbladen heten mothers, volunteers, matches en visits.")
                 if sheets == SHEETS else _("dit werkblad is niet leeg maar wordt niet "
                                            "ingelezen: de werkbladen heten %(names)s.")
                 % {"names": named}) for title in unknown]
    if not sources:
        workbook.close()
        if sheets != SHEETS:
            raise Refused(_("de werkmap heeft geen gevulde werkbladen %(names)s.")
                          % {"names": named})
        if others:  # nothing to read, and a sheet of another name: most likely the cause
            raise Refused(_("onbekend werkblad '%(name)s': de werkbladen heten mothers, "
                            "volunteers, matches en visits.") % {"name": (unknown or others)[0][:40]})
        raise Refused(_("de werkmap heeft geen gevulde werkbladen mothers, volunteers, "
                        "matches of visits."))
    return sorted(sources, key=lambda s: order.index(s.sheet)), problems, workbook


def _first_filled(rows) -> tuple | None:
    """The first row with a value (the header), or None for an empty sheet."""
    for _number, cells in rows:
        if any(cell is not None and str(cell).strip() for cell in cells):
            return cells
    return None


def _declared_rows(worksheet) -> int | None:
    try:
        return worksheet.max_row
    except Exception:
        return None


def _sheet_rows(worksheet, label: str) -> Iterator[tuple[int, tuple]]:
    # Explicit bounds: openpyxl would otherwise pad every row to the width the sheet's
    # <dimension> claims, which a hostile file can set to 16,384 columns.
    rows = worksheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS,
                               values_only=True)
    number = 0
    try:
        for cells in rows:
            number += 1
            if number > MAX_ROWS + 1:
                raise Refused(_too_many_rows())
            yield number, tuple(_cell(value) for value in cells)
    except Refused:
        raise
    except Exception:
        raise Refused(_("rij %(row)s kan niet worden gelezen: de werkmap is beschadigd.") % {
            "row": number + 1}) from None


def _cell(value):
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS]
    if isinstance(value, dt.datetime):
        return value.date()  # a date cell; a time of day has no meaning in these files
    return value

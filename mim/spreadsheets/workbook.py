"""Writing record workbooks: the empty template and the export of a site's records.

Both have the same sheets and columns (mim.spreadsheets.columns), drop-down lists from
the current codebook held on a hidden `codes` sheet, and an `uitleg` sheet in Dutch. The
template's lists offer the Dutch labels (what a coordinator reads); the export writes the
codes of the data standard and its lists offer codes, so each workbook is consistent in
itself. The importer reads both.

Exports neutralise spreadsheet formulas (ASVS 1.2.10): every text is written as a text
cell, and a text that starts like a formula gets Excel's "quote prefix", so it stays
inert even when someone edits the cell.
"""

from collections.abc import Iterable

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mim.codebook import codebooks
from mim.registry import rules

from . import columns as c
from .columns import SHEETS
from .reading import MAX_ROWS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EDE3EF")
_COUNTRY_LIST = "country_of_birth"


def write_workbook(out, *, rows: dict[str, Iterable[list]] | None = None,
                   labels: bool = True) -> None:
    """Write the workbook to `out` (a path or a binary file). `rows` holds the data rows
    per sheet in column order (None: the empty template)."""
    book = codebooks.CURRENT
    workbook = Workbook(write_only=True)
    lists = _code_lists(book, labels)
    list_refs = {name: _list_ref(index, len(values))
                 for index, (name, values) in enumerate(lists.items())}
    for sheet, columns in SHEETS.items():
        ws = workbook.create_sheet(sheet)
        _prepare_sheet(ws, columns, list_refs)
        ws.append([_header_cell(ws, column.code) for column in columns])
        for values in (rows or {}).get(sheet, ()):
            ws.append([_data_cell(ws, column, value) for column, value in
                       zip(columns, values, strict=True)])
    _explanation(workbook.create_sheet("uitleg"), book, labels)
    codes = workbook.create_sheet("codes")
    codes.sheet_state = "hidden"
    width = max(len(values) for values in lists.values())
    codes.append(list(lists))
    for i in range(width):
        codes.append([values[i] if i < len(values) else None for values in lists.values()])
    workbook.save(out)


def _code_lists(book, labels: bool) -> dict[str, list[str]]:
    """One list per codebook item used by a column, plus the country codes."""
    lists: dict[str, list[str]] = {}
    for columns in SHEETS.values():
        for column in columns:
            if column.item and column.item not in lists:
                item = book.item(column.item)
                lists[column.item] = [code.nl if labels else code.code for code in item.codes]
    if labels:
        with translation.override("nl"):  # the template is Dutch, like its other lists
            lists[_COUNTRY_LIST] = [name for _code, name in rules.country_choices()]
    else:
        lists[_COUNTRY_LIST] = sorted(rules.country_codes())
    return lists


def _list_ref(index: int, length: int) -> str:
    letter = get_column_letter(index + 1)
    return f"codes!${letter}$2:${letter}${length + 1}"


def _prepare_sheet(ws, columns, list_refs) -> None:
    ws.freeze_panes = "A2"
    last = MAX_ROWS + 1
    for index, column in enumerate(columns):
        letter = get_column_letter(index + 1)
        dimension = ws.column_dimensions[letter]
        dimension.width = max(14, len(column.code) + 4)
        area = f"{letter}2:{letter}{last}"
        if column.kind == c.DATE:
            dimension.number_format = DATE_FORMAT
        elif column.kind == c.REF:
            dimension.number_format = "@"  # a ref like 00123 keeps its zeros
        elif column.kind == c.SCALE:
            dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Ongeldig antwoord",
                                error="Vul een antwoord in van 1 tot en met 5, of laat de cel leeg.")
            dv.add(area)
            ws.data_validations.append(dv)
        elif column.kind == c.YEAR:
            dv = DataValidation(type="whole", operator="between", formula1="1900",
                                formula2="2100", allow_blank=True, showErrorMessage=True,
                                errorTitle="Ongeldig jaartal",
                                error="Vul een geboortejaar in van vier cijfers.")
            dv.add(area)
            ws.data_validations.append(dv)
        source = list_refs.get(column.item) if column.item else (
            list_refs[_COUNTRY_LIST] if column.kind == c.COUNTRY else None)
        if source:
            multi = column.kind == c.MULTI
            dv = DataValidation(
                type="list", formula1=source, allow_blank=True,
                # A multi-answer cell holds several values separated by ";", which a list
                # cannot check, and a country may be typed as its code (TR): offer the
                # list, accept what is typed; the import checks it.
                showErrorMessage=not multi and column.kind != c.COUNTRY, errorTitle="Ongeldige waarde",
                error="Kies een waarde uit de lijst.", showInputMessage=multi,
                promptTitle="Meerdere antwoorden" if multi else None,
                prompt="Kies een waarde, of typ er meer gescheiden door ;" if multi else None)
            dv.add(area)
            ws.data_validations.append(dv)


def _header_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, text)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    return cell


def _data_cell(ws, column: c.Column, value):
    if value is None or value == "":
        return None
    if column.kind == c.DATE:
        cell = WriteOnlyCell(ws, value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        return text_cell(ws, value)
    return value


def text_cell(ws, value: str) -> WriteOnlyCell:
    """A text cell that no spreadsheet will run as a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _explanation(ws, book, labels: bool) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 70
    ws.column_dimensions["D"].width = 40
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(*values, bold=False):
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value)
            cell.alignment = wrap
            if bold:
                cell.font = _HEADER_FONT
            cells.append(cell)
        ws.append(cells)

    line("Uitleg bij het registratiesjabloon van MIM", bold=True)
    for text in (
        "Vul per persoon één rij in op het werkblad mothers (moeders) of volunteers "
        "(vrijwilligers), en per koppeling één rij op matches. De eerste rij (de kolomnamen) "
        "blijft staan zoals hij is.",
        "Op visits staat per bezoek één rij: de moeder, de datum en eventueel de "
        "vrijwilliger. Laat u de vrijwilliger leeg, dan geldt de vrijwilliger die op die datum "
        "aan de moeder gekoppeld was. Een bezoek van dezelfde moeder op dezelfde datum wordt "
        "niet twee keer opgeslagen.",
        "Op assessments staat per moeder en moment één zelfevaluatie: intake, month9 (na "
        "9 maanden) of end (einde), de datum van het gesprek en per vraag een antwoord van 1 "
        "(helemaal niet mee eens) tot 5 (helemaal mee eens); leeg is niet beantwoord. Een "
        "meting die al bestaat wordt bijgewerkt en houdt de versie van de vragen waarmee zij "
        "is ingevuld.",
        "Gebruik alleen uw eigen referenties (bijvoorbeeld M0012); nooit namen, adressen of "
        "andere gegevens waarmee iemand herkend kan worden.",
        "Datums schrijft u als DD-MM-JJJJ (01-03-2025) of JJJJ-MM-DD (2025-03-01), met het "
        "jaar in vier cijfers; een datumcel kan ook. Een lege cel betekent "
        "'onbekend' of 'niet van toepassing'.",
        "Bij vragen met meer antwoorden (omstandigheden, werkervaring) scheidt u de antwoorden "
        "met een puntkomma, bijvoorbeeld: couveuse; huilbaby.",
        "U mag de Nederlandse omschrijving uit de keuzelijst gebruiken of de code uit de tabel "
        "hieronder; hoofdletters maken niet uit. Ja/nee-vragen accepteren ook yes/no.",
        "Bij het inlezen wordt een referentie die al bestaat bijgewerkt, en een nieuwe "
        "referentie toegevoegd. Er wordt niets verwijderd. Een kolom die ontbreekt, laat de "
        "bestaande waarden staan; alleen de referentie en de startdatum zijn verplicht.",
        "Als csv-bestand (een per werkblad, met de naam mothers.csv, volunteers.csv, "
        "matches.csv, visits.csv of assessments.csv) mag u het opslaan met komma's of "
        "puntkomma's, in UTF-8 of Windows-1252; bij het inlezen ziet u hoe het gelezen is.",
        "Het bestand wordt in zijn geheel ingelezen of helemaal niet: bij één fout wordt niets "
        "opgeslagen, en u krijgt een lijst met alle fouten (werkblad, rij en kolom).",
        "De codes gelden vanaf de startdatum: een registratie van vóór 2010 volgt het codeboek "
        "van 2008.",
    ):
        line(text)
    line()
    for sheet, columns in SHEETS.items():
        line(f"Werkblad {sheet}", bold=True)
        line("kolom", "verplicht", "inhoud", bold=True)
        for column in columns:
            line(column.code, "ja" if column.required else "", column.nl)
        line()
    line("Codes en omschrijvingen (codeboek vanaf 2010)", bold=True)
    line("vraag", "code", "omschrijving", bold=True)
    seen = set()
    for columns in SHEETS.values():
        for column in columns:
            if not column.item or column.item in seen:
                continue
            seen.add(column.item)
            item = book.item(column.item)
            for code in item.codes:
                line(item.nl, code.code, code.nl)
    line()
    line("Geboorteland: de Nederlandse naam uit de keuzelijst van de kolom country_of_birth "
         "(Turkije, Marokko, ...) of de tweeletterige code van ISO 3166-1 (TR, MA, ...).")
    if not labels:
        line("Deze export bevat de codes; bij opnieuw inlezen worden dezelfde gegevens "
             "opgeslagen. Contactgegevens staan er nooit in.")

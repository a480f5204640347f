"""Tidy figures as files: CSV, JSON and XLSX, all with the columns of the data standard.

The callers decide which figures go out (published ones for every web export); these functions
only write them.
"""

import csv
import io
import json
from collections.abc import Iterable

from django.utils.translation import gettext as _

from mim.figures.standard import HIDDEN_LEGEND, HIDDEN_MARK
from mim.figures.tidy import COLUMNS, Figure

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def to_csv(figures: Iterable[Figure]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(f.as_row() for f in figures)
    return out.getvalue()


def to_json(figures: Iterable[Figure]) -> str:
    rows = []
    for f in figures:
        rows.append({"year": f.year, "scope": f.scope, "scope_code": f.scope_code,
                     "variable": f.variable, "category": f.category, "count": f.count,
                     "base": f.base, "percent": None if f.percent is None else float(f.percent),
                     "value": None if f.value is None else float(f.value),
                     "suppressed": f.suppressed, "provisional": f.provisional})
    return json.dumps(rows, ensure_ascii=False, indent=1)


def to_xlsx(figures: Iterable[Figure]) -> bytes:
    """A workbook people open: sheet `figures` (the tidy columns; numbers as numbers,
    percentages with one decimal, a bold frozen header, fitted widths, a hidden cell as the
    neutral mark) and sheet `toelichting` (what the marks mean, and whether any row is
    provisional). No text cell can act as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    figures = list(figures)
    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    percent_column = COLUMNS.index("percent") + 1
    for f in figures:
        hidden = f.suppressed or f.count is None
        sheet.append([f.year, inert(f.scope), inert(f.scope_code), inert(f.variable),
                      inert(f.category), HIDDEN_MARK if hidden and f.value is None else f.count,
                      f.base, None if f.percent is None else float(f.percent),
                      None if f.value is None else float(f.value),
                      "true" if f.suppressed else "false",
                      "true" if f.provisional else "false"])
        sheet.cell(row=sheet.max_row, column=percent_column).number_format = "0.0"
    widths = [len(name) for name in COLUMNS]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(str(value)) if value is not None else 0)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    notes = book.create_sheet("toelichting")
    notes.append([f"{HIDDEN_MARK}: {HIDDEN_LEGEND}"])
    provisional = sum(1 for f in figures if f.provisional)
    notes.append([_("Voorlopig: %(n)s van de %(total)s regels tellen (ook) uit de lopende "
                    "registratie van locaties zonder goedgekeurde jaaropgave (kolom "
                    "provisional).") % {"n": provisional, "total": len(figures)}
                  if provisional else _("Alle regels komen uit goedgekeurde jaaropgaven.")])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def inert(value):
    """Text a spreadsheet would read as a formula gets a leading quote (ASVS 1.2.10); an
    organisation's name is free text and could start with "="."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value

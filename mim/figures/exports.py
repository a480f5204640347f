"""Tidy figures as files: CSV, JSON and XLSX, all with the columns of the data standard.

The callers decide which figures go out (published ones for every web export); these functions
only write them.
"""

import csv
import io
import json
from collections.abc import Iterable

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
                     "suppressed": f.suppressed})
    return json.dumps(rows, ensure_ascii=False, indent=1)


def to_xlsx(figures: Iterable[Figure]) -> bytes:
    """One sheet `figures`; numbers as numbers, and no text cell can act as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(COLUMNS))
    for f in figures:
        sheet.append([f.year, inert(f.scope), inert(f.scope_code), inert(f.variable),
                      inert(f.category), f.count, f.base,
                      None if f.percent is None else float(f.percent),
                      "true" if f.suppressed else "false"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def inert(value):
    """Text a spreadsheet would read as a formula gets a leading quote (ASVS 1.2.10); an
    organisation's name is free text and could start with "="."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value

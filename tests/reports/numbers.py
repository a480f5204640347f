"""The number-consistency check of a report: every number in a sentence is a number of the table
rows the sentence points to (document.Ref).

A number in a paragraph is accepted when, after the labels of its referenced rows, the names it
states (Paragraph.names), the column heads of their tables that hold a word ("Na 18 maanden")
and the dates of the report's years ("31 december 2016") are taken out of the text (a label
such as "25-29 jaar" or a name such as "Locatie 2" holds numbers of its own):

- it is a cell of one of those rows ("841", "34%", "<1%", "2,2", "+0,45" with its sign);
- a difference in procentpunten is the difference of two percentage cells of one row;
- a count difference ("5 meer") is the difference of two count cells of one row, and a relative
  change ("+0,6%") is `fmt_change` of two count cells of one row;
- a number of hidden rows ("Van 2 groepen wordt ... niet getoond") counts the rows with a × in
  one column (with or without the last row, "unknown");
- a year is one of the report's years.

A paragraph with a number and no refs is an error, except in the sections listed in EXEMPT.
"""

from __future__ import annotations

import re

from mim.figures.standard import HIDDEN_MARK
from mim.reports.document import Paragraph, Report, iter_sections
from mim.reports.text import fmt_change

# Sections whose sentences without refs are not checked: the method ("Over de cijfers": the
# thresholds of the small-cell and notable-change rules).
EXEMPT = {"Over de cijfers"}

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
DATE = re.compile(rf"\b\d{{1,2}} (?:{'|'.join(MONTHS)}) (?P<year>\d{{4}})\b")
NUMBER = re.compile(
    r"(?P<sign>[+−-])?(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?P<dec>,\d+)?"
    r"(?P<unit>%| procentpunten| procentpunt)?")


def _int(text: str) -> int | None:
    text = text.replace(".", "").replace("−", "-")
    try:
        return int(text)
    except ValueError:
        return None


def _pct(text: str) -> int | None:
    return _int(text[:-1]) if text.endswith("%") and text[:-1].isdigit() else None


def problems(report: Report, years: set[int]) -> list[str]:
    found = []
    for _level, section in iter_sections(report):
        for block in section.blocks:
            if isinstance(block, Paragraph) and not block.editorial:
                found += [f"{section.title}: {p}" for p in check(block, years, section.title)]
    return found


def check(paragraph: Paragraph, years: set[int], section: str) -> list[str]:
    rows = [row for ref in paragraph.refs for row in ref.cells()]
    text = paragraph.text.replace("minder dan 1%", "<1%").replace("meer dan 99%", ">99%")
    for label in sorted({row[0] for row in rows} | set(paragraph.names), key=len, reverse=True):
        if label:
            text = text.replace(label, " ")
    heads = {c for ref in paragraph.refs for c in ref.table.columns[1:]
             if re.search(r"[^\W\d_]", c)}
    for head in sorted(heads, key=len, reverse=True):
        text = re.sub(re.escape(head), " ", text, flags=re.IGNORECASE)
    text = DATE.sub(lambda d: " " if int(d.group("year")) in years else d.group(0), text)
    cells = {cell for row in rows for cell in row[1:]}
    hidden = set().union(*(_hidden_counts(ref.cells()) for ref in paragraph.refs))
    out = []
    for m in NUMBER.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "<>"):
            if text[start - 1] in "<>" and f"{text[start - 1]}{m.group(0)}" in cells:
                continue
            if text[start - 1].isalnum():
                continue  # part of a word (a code, a name)
        token, unit = m.group(0), m.group("unit") or ""
        value = _int(m.group("int"))
        if not unit and not m.group("dec") and not m.group("sign") and value in years:
            continue
        if not paragraph.refs:
            if section in EXEMPT:
                continue
            out.append(f"{token!r} without a source row in {paragraph.text!r}")
            continue
        if _accepted(m, rows, cells, hidden):
            continue
        out.append(f"{token!r} is in none of its rows: {paragraph.text!r}")
    return out


def _accepted(m: re.Match, rows: list[list[str]], cells: set[str], hidden: set[int]) -> bool:
    sign, dec, unit = m.group("sign"), m.group("dec"), (m.group("unit") or "").strip()
    number = m.group("int") + (dec or "")
    value = _int(m.group("int"))
    if unit == "%" and not sign and not dec:
        return f"{number}%" in cells
    if unit == "%":  # a relative change of a count: "+0,6%"
        text = f"{'+' if sign == '+' else '−' if sign else ''}{number}%"
        return any(fmt_change(a, b) == text for row in rows for a in _counts(row)
                   for b in _counts(row) if b)
    if unit.startswith("procentpunt"):
        return any(abs(a - b) == value for row in rows for a in _pcts(row) for b in _pcts(row))
    if dec:
        return number in cells or m.group(0) in cells
    if number in cells:
        return True
    if any(abs(a - b) == value for row in rows for a in _counts(row) for b in _counts(row)):
        return True
    return value in hidden


def _hidden_counts(rows: list[list[str]]) -> set[int]:
    """How many rows of one table have a × in one column: all rows, or all but the last (a
    sentence over the categories leaves "unknown", the codebook's last, out)."""
    width = max((len(r) for r in rows), default=0)
    counts = set()
    for column in range(1, width):
        marked = [len(r) > column and r[column] == HIDDEN_MARK for r in rows]
        counts |= {sum(marked), sum(marked[:-1])}
    return counts


def _counts(row: list[str]) -> list[int]:
    return [n for cell in row[1:] if (n := _int(cell)) is not None]


def _pcts(row: list[str]) -> list[int]:
    return [n for cell in row[1:] if (n := _pct(cell)) is not None]

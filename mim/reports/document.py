"""The report as plain data, independent of how figures are computed and how they are rendered.

Whoever builds a report fills these dataclasses with text that is already formatted (numbers with
a decimal comma, "×" for hidden cells); the renderers in ``render_pdf``, ``render_html`` and
``render_docx`` only lay it out. All text is treated as literal text by every renderer: nothing
in it is interpreted as markup.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model itself does not need matplotlib loaded
    from mim.reports.charts import BarChart, LineChart

# C0/C1 control characters other than tab and newline: invisible, not allowed in XML (DOCX)
# and refused by Typst in a PDF/UA file. They arrive by pasting from other programs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


# Headings below this depth would become <h7> in HTML (the report title is the <h1>).
MAX_LEVEL = 5


@dataclass
class Paragraph:
    text: str
    # The table rows whose figures the text states (`Ref`): every number in the text is one of
    # their cells, the difference of two cells of one row, or part of a row's label; checked by
    # tests/reports/test_numbers.py. Renderers ignore them.
    refs: tuple[Ref, ...] = ()
    # Text the programme office wrote (ReportText): its numbers are the office's own.
    editorial: bool = False
    # Proper names the text states (sites, organisations): a digit in a name ("Locatie 2")
    # is not a figure, so the number check reads past them.
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.text = clean(self.text)
        self.refs = tuple(self.refs)
        self.names = tuple(clean(n) for n in self.names)


@dataclass
class BulletList:
    items: list[str]

    def __post_init__(self) -> None:
        self.items = [clean(item) for item in self.items]


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    # Indices of columns holding figures: right-aligned so digits line up.
    numeric_columns: list[int] = field(default_factory=list)
    # The first cell of each row names the row (a category), so it is marked as a row header.
    row_headers: bool = True

    def __post_init__(self) -> None:
        self.caption = clean(self.caption)
        self.columns = [clean(c) for c in self.columns]
        self.rows = [[clean(cell) for cell in row] for row in self.rows]
        self.notes = [clean(n) for n in self.notes]
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(
                    f"table {self.caption!r}: row {number} has {len(row)} cells, expected {width}"
                )
        for index in self.numeric_columns:
            if not 0 <= index < width:
                raise ValueError(f"table {self.caption!r}: no column {index}")


@dataclass(eq=False)
class Ref:
    """Rows of a table in the same report, by their first cell; no rows: every row."""

    table: Table
    rows: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.rows = tuple(self.rows)
        labels = {row[0] for row in self.table.rows}
        missing = [r for r in self.rows if r not in labels]
        if missing:
            raise ValueError(f"table {self.table.caption!r} has no row {missing[0]!r}")

    def cells(self) -> list[list[str]]:
        return [row for row in self.table.rows if not self.rows or row[0] in self.rows]


@dataclass
class Chart:
    spec: BarChart | LineChart
    alt_text: str
    # The caption shown under the chart in a document; defaults to the chart's own title, which
    # is then left out of the image so it is not shown twice.
    title: str = ""

    def __post_init__(self) -> None:
        self.alt_text, self.title = clean(self.alt_text), clean(self.title)
        if not self.alt_text.strip():
            raise ValueError("a chart needs an alt text (PDF/UA and WCAG require one)")

    @property
    def caption(self) -> str:
        return self.title or self.spec.title


@dataclass
class Note:
    """A footnote-like remark, e.g. on completeness: "gegevens van 18 van 19 locaties"."""

    text: str

    def __post_init__(self) -> None:
        self.text = clean(self.text)


Block = Paragraph | BulletList | Table | Chart | Note


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    # Heading level of a top-level section; subsections are always one level below their parent,
    # whatever their own ``level`` says, so the heading outline cannot skip a level.
    level: int = 1
    subsections: list[Section] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = clean(self.title)


@dataclass
class Report:
    title: str
    subtitle: str
    year: int
    concept: bool = False
    concept_note: str | None = None
    lang: str = "nl"
    sections: list[Section] = field(default_factory=list)
    colophon: list[str] = field(default_factory=list)
    generated: datetime.date = field(default_factory=datetime.date.today)

    def __post_init__(self) -> None:
        self.title, self.subtitle = clean(self.title), clean(self.subtitle)
        self.concept_note = clean(self.concept_note) if self.concept_note else self.concept_note
        self.colophon = [clean(line) for line in self.colophon]
        if self.lang not in LABELS:
            raise ValueError(f"unsupported report language {self.lang!r}")
        previous = 0
        for level, section in iter_sections(self):
            if level > MAX_LEVEL:
                raise ValueError(f"section {section.title!r} is nested too deep")
            if level > previous + 1:
                raise ValueError(f"section {section.title!r} skips a heading level")
            previous = level


def iter_sections(report: Report) -> Iterator[tuple[int, Section]]:
    """Every section in reading order, with its effective heading level (1 = chapter)."""

    def walk(section: Section, level: int) -> Iterator[tuple[int, Section]]:
        yield level, section
        for sub in section.subsections:
            yield from walk(sub, level + 1)

    for section in report.sections:
        yield from walk(section, section.level)


# Fixed words the renderers add around the caller's text.
LABELS = {
    "nl": {
        "toc": "Inhoud",
        "skip": "Naar de inhoud",
        "page": "pagina",
        "of": "van",
        "concept": "CONCEPT",
        "concept_default": "Dit is een conceptversie; de cijfers kunnen nog wijzigen.",
        "generated": "Gegenereerd op",
        "table": "Tabel",
        "figure": "Figuur",
        "note": "Noot",
        "toc_update": "Klik met de rechtermuisknop en kies 'Veld bijwerken' om de inhoudsopgave "
        "te vullen.",
        "months": [
            "januari", "februari", "maart", "april", "mei", "juni",
            "juli", "augustus", "september", "oktober", "november", "december",
        ],
    },
    "en": {
        "toc": "Contents",
        "skip": "Skip to content",
        "page": "page",
        "of": "of",
        "concept": "DRAFT",
        "concept_default": "This is a draft; figures may still change.",
        "generated": "Generated on",
        "table": "Table",
        "figure": "Figure",
        "note": "Note",
        "toc_update": "Right-click and choose 'Update field' to fill the table of contents.",
        "months": [
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ],
    },
}


def labels(report: Report) -> dict:
    return LABELS[report.lang]


def format_date(report: Report, day: datetime.date | None = None) -> str:
    """'22 november 2025': spelled out here so output does not depend on the active locale."""
    day = day or report.generated
    return f"{day.day} {labels(report)['months'][day.month - 1]} {day.year}"


def concept_text(report: Report) -> str:
    return report.concept_note or labels(report)["concept_default"]

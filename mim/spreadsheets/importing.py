"""Validating record files against the site's records, and writing them in bulk.

Validation runs in Python over the whole upload with the site's existing records loaded
once (one query per table), so its cost grows with rows but its queries do not. Each
person row is read with the codebook of its start year and then checked by the model's
own `clean()` (the cross-field rules), so a form and a file can never disagree.
"""

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import DateField, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mim.audit.models import Event
from mim.audit.services import Entries, audited_write
from mim.codebook import assessment, codebooks
from mim.codebook.codebooks import InvalidValue
from mim.organisations.services import site_cover_records
from mim.registry import rules
from mim.registry.models import Match, SelfAssessment, Visit

from . import columns as c
from .columns import MATCH_COLUMNS, MOTHERS, VOLUNTEERS, Column, PersonSheet
from .reading import Refused, Source

MAX_PROBLEMS = 5_000  # kept for display; the count goes on
MAX_CHANGES = 50  # rows shown in the preview of what will change
BATCH = 2_000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DMY = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_DMY_SHORT = re.compile(r"\d{1,2}-\d{1,2}-\d{2}")
DATE_KINDS = {"iso": gettext_lazy("JJJJ-MM-DD"), "dmy": gettext_lazy("DD-MM-JJJJ"),
              "cell": gettext_lazy("datumcellen")}
_YEAR = re.compile(r"\d{4}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Cells that Person.clean() compares with each other: when one of them is unreadable, the
# rules are not checked (they would report a consequence, not the cause).
_CROSS_FIELD = {"end_date", "end_reason", "birth_year"}

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class Problem:
    """One error line: `<file> row <n>, column <code>: <message>`, or `<file>: <message>`
    for the file as a whole."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file or _("upload")
        if self.row is None:
            return f"{where}: {self.message}"
        return f"{where} row {self.row}, column {self.column}: {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Change:
    file: str
    row: int
    ref: str
    created: bool
    columns: tuple[str, ...]


@dataclass
class ImportResult:
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    counts: dict[str, Counts] = field(default_factory=dict)  # by file label
    changes: list[Change] = field(default_factory=list)
    written: bool = False
    detected: dict[str, list[str]] = field(default_factory=dict)  # by file label
    date_kinds: dict[str, set] = field(default_factory=dict)  # by file label

    def how_read(self) -> list[tuple[str, str]]:
        """(file, how it was read: encoding, separator, dates), for the preview."""
        rows = []
        for label, detected in self.detected.items():
            kinds = [str(DATE_KINDS[kind]) for kind in DATE_KINDS if kind in
                     self.date_kinds.get(label, ())]
            dates = [_("datums: %(kinds)s") % {"kinds": _(" en ").join(kinds)}] if kinds else []
            rows.append((label, ", ".join(str(part) for part in [*detected, *dates])))
        return rows

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def omitted(self) -> int:
        return self.problem_count - len(self.problems)

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def note_change(self, change: Change) -> None:
        if len(self.changes) < MAX_CHANGES:
            self.changes.append(change)


# -- cell readers: each returns the value to store or raises InvalidValue ----------------

def _empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def read_ref(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a number typed into a cell
    text = str(raw).strip()
    if len(text) > 40:
        raise InvalidValue(_("de referentie is langer dan 40 tekens"))
    if _CONTROL.search(text):
        raise InvalidValue(_("de referentie bevat een onzichtbaar teken"))
    return text


def read_date(raw) -> dt.date:
    """A date cell, or text as JJJJ-MM-DD or DD-MM-JJJJ (D-M-JJJJ too: Excel's Dutch
    short date). A two-digit year is refused rather than guessed."""
    if isinstance(raw, dt.date):
        return raw.date() if isinstance(raw, dt.datetime) else raw
    text = str(raw).strip()
    if _DATE.fullmatch(text):
        year, month, day = text.split("-")
    elif found := _DMY.fullmatch(text):
        day, month, year = found.groups()
    elif _DMY_SHORT.fullmatch(text):
        raise InvalidValue(_("'%(value)s': schrijf het jaar in vier cijfers, bijvoorbeeld "
                             "01-03-2024") % {"value": text[:20]})
    else:
        raise InvalidValue(_("'%(value)s' is geen datum; schrijf DD-MM-JJJJ of JJJJ-MM-DD") % {
            "value": text[:20]})
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise InvalidValue(_("de datum %(value)s bestaat niet") % {"value": text}) from None


def date_kind(raw) -> str | None:
    """How a date cell was written (for the preview); None when it is no date."""
    if isinstance(raw, dt.date):
        return "cell"
    text = str(raw).strip()
    if _DATE.fullmatch(text):
        return "iso"
    return "dmy" if _DMY.fullmatch(text) else None


def read_year(raw) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if isinstance(raw, bool) or not _YEAR.fullmatch(text):
        raise InvalidValue(_("'%(value)s' is geen jaartal van vier cijfers") % {
            "value": text[:20]})
    return int(text)


_MOMENTS = {"intake": "intake", "month9": "month9", "na 9 maanden": "month9",
            "9 maanden": "month9", "end": "end", "einde": "end", "eind": "end"}


def read_moment(raw) -> str:
    found = _MOMENTS.get(str(raw).strip().casefold())
    if found is None:
        raise InvalidValue(_("'%(value)s' is geen moment (toegestaan: intake, month9, end)")
                           % {"value": str(raw).strip()[:20]})
    return found


def read_scale(raw) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if isinstance(raw, bool) or text not in {str(v) for v in assessment.SCALE}:
        raise InvalidValue(_("'%(value)s' is geen antwoord van 1 tot en met 5") % {
            "value": text[:20]})
    return int(text)


def read_version(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if text not in assessment.all_versions():
        raise InvalidValue(_("'%(value)s' is geen versie van de vragen (bestaand: "
                             "%(versions)s)") % {"value": text[:20],
                                                 "versions": ", ".join(
                                                     assessment.all_versions())})
    return text


def read_country(raw) -> str:
    """The ISO code, from a code or a country name (the same list as the intake form)."""
    code = rules.parse_country(raw)
    if code is None:
        raise InvalidValue(_("'%(value)s' is geen land: schrijf de naam uit de keuzelijst "
                             "(zoals Turkije) of de landcode (zoals TR)")
                           % {"value": str(raw).strip()[:40]})
    return code


def _coded(book: codebooks.Codebook, item: str, raw):
    if isinstance(raw, bool):  # a TRUE/FALSE cell in a yes/no column
        raw = "yes" if raw else "no"
    return book.parse(item, raw)


def read_cell(column: Column, raw, book: codebooks.Codebook):
    """The stored value of one cell (empty = missing)."""
    kind = column.kind
    if kind == c.MULTI:
        return book.parse_multi(column.item, None if _empty(raw) else str(raw))
    if kind == c.CODE:
        return _coded(book, column.item, raw)
    if _empty(raw):
        return "" if kind in (c.END_REASON, c.COUNTRY, c.REF, c.VERSION, c.MOMENT) else None
    if kind == c.MOMENT:
        return read_moment(raw)
    if kind == c.SCALE:
        return read_scale(raw)
    if kind == c.VERSION:
        return read_version(raw)
    if kind == c.DATE:
        return read_date(raw)
    if kind == c.YEAR:
        return read_year(raw)
    if kind == c.END_REASON:
        return _coded(book, column.item, raw)
    if kind == c.COUNTRY:
        return read_country(raw)
    return read_ref(raw)


def cached_reader(column: Column, kinds: set | None = None) -> Callable:
    """`read_cell` for one column, remembering what it read: codes and dates repeat
    thousands of times in a file, and a dictionary lookup is far cheaper than parsing.
    The memory is bounded, so a file of unique values cannot fill it. A date column
    notes in `kinds` how its dates were written."""
    memo: dict = {}
    dates = kinds is not None and column.kind == c.DATE

    def read(raw, book):
        key = (book.version, type(raw), raw)  # True == 1, but not as a cell
        found = memo.get(key, memo)
        if found is not memo:
            return found
        if dates and not _empty(raw):
            kinds.add(date_kind(raw))
        value = read_cell(column, raw, book)
        if len(memo) < 20_000:
            memo[key] = value
        return value

    return read


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# -- the header ---------------------------------------------------------------------------

@dataclass
class Layout:
    positions: list[tuple[Column, int]]  # the columns present, with their cell index
    unnamed: list[int]  # cell indexes without a header: they must stay empty
    width: int
    missing: set = field(default_factory=set)  # required columns the header lacks

    def index(self, code: str) -> int | None:
        for column, index in self.positions:
            if column.code == code:
                return index
        return None


def read_header(source: Source, known: tuple[Column, ...], result: ImportResult) -> Layout:
    """The columns of the header. A wrong header is reported, and the rows are still
    checked with the columns that are right: one typo in a header must not hide the
    errors of every row (nothing is written while any error stands)."""
    by_code = {column.code: column for column in known}
    positions: list[tuple[Column, int]] = []
    unnamed: list[int] = []
    for index, raw in enumerate(source.header):
        name = "" if raw is None else str(raw).strip()
        if not name:
            unnamed.append(index)
            continue
        column = by_code.get(name.lower())
        if column is None:
            # Its cells are not read: the header's error stands for them.
            guess = difflib.get_close_matches(name.lower(), by_code, n=1)
            hint = (_("bedoelt u %(code)s? ") % {"code": guess[0]}) if guess else ""
            result.add(Problem(source.label, _("onbekende kolom; %(hint)sde kolommen van "
                                               "%(sheet)s zijn: %(codes)s") % {
                "hint": hint, "sheet": source.sheet, "codes": ", ".join(by_code)},
                1, name[:40]))
        elif any(column is seen for seen, _i in positions):
            result.add(Problem(source.label, _("deze kolom staat er twee keer in"), 1,
                               column.code))
        else:
            positions.append((column, index))
    present = {column.code for column, _i in positions}
    missing = set()
    for column in known:
        if column.required and column.code not in present:
            result.add(Problem(source.label, _("verplichte kolom ontbreekt"), 1, column.code))
            missing.add(column.code)
    return Layout(positions, unnamed, len(source.header), missing)


def _read_cells(result, label: str, number: int, cells: tuple, readers) -> dict:
    """One row's values by column code (matches and visits): a problem per empty required or
    unreadable cell, the other cells still read, so one pass reports every error."""
    values = {}
    for column, index, read in readers:
        raw = cells[index] if index is not None and index < len(cells) else None
        if column.required and _empty(raw):
            result.add(Problem(label, _("verplicht: deze cel is leeg"), number, column.code))
            continue
        try:
            values[column.code] = read(raw, codebooks.CURRENT)
        except InvalidValue as exc:
            result.add(Problem(label, str(exc), number, column.code))
    return values


def _stray_cells(source: Source, layout: Layout, number: int, cells: tuple,
                 result: ImportResult) -> None:
    """A value in a column without a header would be silently lost: refuse it."""
    for index in [*layout.unnamed, *range(layout.width, len(cells))]:
        if index < len(cells) and not _empty(cells[index]):
            result.add(Problem(source.label, _("waarde in een kolom zonder kop"), number,
                               _column_letter(index)))


def _rows(source: Source, result: ImportResult, progress: Progress | None):
    """The non-empty rows; a refusal while reading (row limit, broken file) becomes a
    problem of the file as a whole."""
    try:
        for number, cells in source.rows:
            if progress and number % 2000 == 0:
                progress(source.label, number, source.estimated_rows)
            if all(_empty(cell) for cell in cells):
                continue
            yield number, cells
    except Refused as exc:
        result.add(Problem(source.label, str(exc)))


_CANONICAL: dict = {}


def canonical(value):
    """One shared object per distinct value: a site's records repeat a few dozen codes and
    a few thousand dates hundreds of thousands of times."""
    if len(_CANONICAL) > 500_000:
        _CANONICAL.clear()
    return _CANONICAL.setdefault(value, value)


# -- persons ------------------------------------------------------------------------------

@dataclass
class PersonPlan:
    sheet: PersonSheet
    creates: list = field(default_factory=list)  # (instance, {item: codes})
    updates: list = field(default_factory=list)  # (instance, fields, {item: codes})
    refs: dict = field(default_factory=dict)  # ref -> row number of the file, valid or not
    periods: dict = field(default_factory=dict)  # ref -> (start, end) after the import
    ids: dict = field(default_factory=dict)  # ref -> pk of existing records


class PersonValidator:
    def __init__(self, sheet: PersonSheet, site, result: ImportResult):
        self.sheet, self.site, self.result = sheet, site, result
        self.fields = [col.code for col in sheet.columns[1:] if col.kind != c.MULTI]
        self.defaults = {name: sheet.model._meta.get_field(name).get_default()
                         for name in self.fields}
        self.position = {name: i for i, name in enumerate(self.fields)}
        rows = sheet.model.objects.filter(site=site).values_list("id", "ref", *self.fields)
        # Tuples, not dicts, and one object per distinct code or date: 100,000 existing
        # records must fit in memory beside the file.
        self.existing = {row[1]: (row[0], tuple(map(canonical, row[2:])))
                         for row in rows.iterator(chunk_size=5000)}
        self.plan = PersonPlan(sheet)
        self.plan.ids = {ref: pk for ref, (pk, _values) in self.existing.items()}
        start, end = self.position["start_date"], self.position["end_date"]
        self.plan.periods = {ref: (values[start], values[end])
                             for ref, (_pk, values) in self.existing.items()}
        self.answers: dict[int, tuple[frozenset, ...]] | None = None
        self._books: dict[int, codebooks.Codebook] = {}

    def _existing_answers(self) -> dict[int, tuple[frozenset, ...]]:
        """Per record, the codes of each multi-answer item (in the order of ITEMS); the
        same combination is one shared tuple."""
        if self.answers is None:
            items = self.sheet.answer_model.ITEMS
            owner = f"{self.sheet.owner_field}_id"
            found: dict[int, list[set]] = {}
            rows = self.sheet.answer_model.objects.filter(
                **{f"{self.sheet.owner_field}__site": self.site}).values_list(owner, "item", "code")
            for pk, item, code in rows.iterator(chunk_size=5000):
                found.setdefault(pk, [set() for _item in items])[items.index(item)].add(code)
            self.answers = {pk: canonical(tuple(frozenset(codes) for codes in sets))
                            for pk, sets in found.items()}
        return self.answers

    def _book(self, year: int) -> codebooks.Codebook:
        if year not in self._books:
            self._books[year] = codebooks.for_record(year)
        return self._books[year]

    def validate(self, source: Source, progress: Progress | None) -> None:
        layout = read_header(source, self.sheet.columns, self.result)
        self._existing_answers()
        counts = self.result.counts.setdefault(source.label, Counts())
        ref_at = layout.index(self.sheet.ref_column)
        if ref_at is None:
            self.plan.refs = None  # unknown: matches cannot be checked against this file
        start_at = layout.index("start_date")
        self.kinds = self.result.date_kinds.setdefault(source.label, set())
        others = [(col, i, cached_reader(col, self.kinds)) for col, i in layout.positions
                  if i not in (ref_at, start_at)]
        for number, cells in _rows(source, self.result, progress):
            self._row(source, layout, number, cells, ref_at, start_at, others, counts)

    def _row(self, source, layout, number, cells, ref_at, start_at, others, counts):
        label, result = source.label, self.result
        before = result.problem_count
        _stray_cells(source, layout, number, cells, result)

        def cell(index):
            return cells[index] if index is not None and index < len(cells) else None

        ref = None
        if ref_at is not None:  # a missing column is reported once, in the header
            ref = self._required(label, number, self.sheet.ref_column, cell(ref_at),
                                 read_ref)
        if ref:
            if ref in self.plan.refs:
                result.add(Problem(label, _("de referentie %(ref)s staat ook in rij %(row)s") % {
                    "ref": ref, "row": self.plan.refs[ref]}, number, self.sheet.ref_column))
                ref = None
            else:
                self.plan.refs[ref] = number
                self.plan.periods.pop(ref, None)  # known again once the row is valid
        start = None
        if start_at is not None:
            raw = cell(start_at)
            if not _empty(raw):
                self.kinds.add(date_kind(raw))
            start = self._required(label, number, "start_date", raw, read_date)
        book = None
        if start:
            try:
                book = self._book(start.year)
            except codebooks.UnknownYear:
                # Records from before 2004 read the oldest version; only a year far back or
                # ahead (a date typed wrong) has none.
                result.add(Problem(label, _("voor %(year)s is er geen codeboek: een "
                                            "startdatum ligt tussen %(first)s en %(last)s") % {
                    "year": start.year, "first": codebooks.EARLIEST_RECORD_YEAR,
                    "last": codebooks.last_known_year()}, number, "start_date"))
        values = {"start_date": start}
        answers = {}
        failed = set()
        for column, index, read in others:
            try:
                # Without a valid start date the current codebook still finds the other
                # cells' errors, so the user sees them all at once.
                value = read(cell(index), book or codebooks.CURRENT)
            except InvalidValue as exc:
                result.add(Problem(label, str(exc), number, column.code))
                failed.add(column.code)
                continue
            if column.kind == c.MULTI:
                answers[column.code] = value
            else:
                values[column.code] = value
        if not ref or book is None or failed & _CROSS_FIELD:
            return
        self._check_and_plan(label, number, ref, values, answers, counts,
                             ok=result.problem_count == before, failed=failed)

    def _required(self, label, number, code, raw, reader):
        if _empty(raw):
            self.result.add(Problem(label, _("verplicht: deze cel is leeg"), number, code))
            return None
        try:
            return reader(raw)
        except InvalidValue as exc:
            self.result.add(Problem(label, str(exc), number, code))
            return None

    def _check_and_plan(self, label, number, ref, values, answers, counts, *, ok, failed):
        pk, old = self.existing.get(ref, (None, None))
        if old is not None:
            old = dict(zip(self.fields, old, strict=True))
        merged = {**(old or self.defaults), **values}
        model = self.sheet.model
        # The rules of Person.clean(), on plain values: no model instance per row.
        errors = rules.person_errors(merged, model.CODED_FIELDS, model.END_REASON_ITEM)
        for name, message in errors.items():
            if name not in failed:
                self.result.add(Problem(label, str(message), number, name))
        if errors or not ok:
            return
        self.plan.periods[ref] = (merged["start_date"], merged["end_date"])
        if old is None:
            self.plan.creates.append((ref, tuple(merged.values()), answers))
            counts.created += 1
            self.result.note_change(Change(label, number, ref, True, ()))
            return
        fields = [name for name, value in values.items() if old[name] != value]
        current = self._existing_answers().get(pk)
        items = self.sheet.answer_model.ITEMS
        changed_answers = {item: codes for item, codes in answers.items()
                           if (current[items.index(item)] if current else frozenset()) != codes}
        if not fields and not changed_answers:
            counts.unchanged += 1
            return
        self.plan.updates.append((pk, ref, tuple(merged.values()), fields, changed_answers))
        counts.updated += 1
        self.result.note_change(Change(label, number, ref, False,
                                       tuple(fields) + tuple(changed_answers)))


# -- matches ------------------------------------------------------------------------------

@dataclass
class MatchPlan:
    creates: list = field(default_factory=list)  # (mother_ref, volunteer_ref, start, end)
    updates: list = field(default_factory=list)  # (pk, end, mother_ref, volunteer_ref)


class MatchValidator:
    def __init__(self, site, mothers: PersonPlan, volunteers: PersonPlan, result: ImportResult):
        self.mothers, self.volunteers, self.result = mothers, volunteers, result
        rows = Match.objects.filter(site=site).values_list(
            "id", "mother__ref", "volunteer__ref", "start_date", "end_date")
        self.existing = {(canonical(m), canonical(v), canonical(start)): (pk, canonical(end))
                         for pk, m, v, start, end in rows.iterator(chunk_size=5000)}
        self.plan = MatchPlan()
        self.seen: dict[tuple, int] = {}

    def validate(self, source: Source, progress: Progress | None) -> None:
        layout = read_header(source, MATCH_COLUMNS, self.result)
        counts = self.result.counts.setdefault(source.label, Counts())
        at = {column.code: index for column, index in layout.positions}
        kinds = self.result.date_kinds.setdefault(source.label, set())
        readers = [(column, at.get(column.code), cached_reader(column, kinds))
                   for column in MATCH_COLUMNS if column.code not in layout.missing]
        for number, cells in _rows(source, self.result, progress):
            _stray_cells(source, layout, number, cells, self.result)
            self._row(source.label, number, cells, readers, counts)

    def _row(self, label, number, cells, readers, counts):
        result = self.result
        before = result.problem_count
        values = _read_cells(result, label, number, cells, readers)
        mother = self._period(label, number, values.get("mother_ref"), self.mothers,
                              "mother_ref", "mothers")
        self._period(label, number, values.get("volunteer_ref"), self.volunteers,
                     "volunteer_ref", "volunteers")
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            result.add(Problem(label, _("De einddatum ligt voor de startdatum."), number,
                               "end_date"))
        if mother and start:
            self._within(label, number, mother, start, end)
        if result.problem_count > before or len(values) < len(MATCH_COLUMNS):
            return  # an error in the row, or a column missing from the header
        key = (values["mother_ref"], values["volunteer_ref"], start)
        if key in self.seen:
            result.add(Problem(label, _("dezelfde koppeling (moeder, vrijwilliger en startdatum) "
                                        "staat ook in rij %(row)s") % {"row": self.seen[key]},
                               number, "start_date"))
            return
        self.seen[key] = number
        self._plan(label, number, key, end, counts)

    def _within(self, label, number, mother, start, end) -> None:
        """A match lies within the mother's period (an open match of an ended mother is
        taken to end with her)."""
        m_start, m_end = mother
        if start < m_start:
            self.result.add(Problem(label, _("de koppeling begint voor de startdatum van de "
                                             "moeder (%(date)s)") % {"date": m_start},
                                    number, "start_date"))
        elif m_end and start > m_end:
            self.result.add(Problem(label, _("de koppeling begint na de einddatum van de "
                                             "moeder (%(date)s)") % {"date": m_end},
                                    number, "start_date"))
        if end and m_end and end > m_end:
            self.result.add(Problem(label, _("de koppeling eindigt na de einddatum van de "
                                             "moeder (%(date)s)") % {"date": m_end},
                                    number, "end_date"))

    def _period(self, label, number, ref, persons: PersonPlan, column: str, sheet: str):
        """The person's period after the import, or None (and a problem if she is unknown)."""
        if not ref:
            return None
        if ref in persons.periods:
            return persons.periods[ref]
        if persons.refs is None or ref in persons.refs:
            return None  # her own row (or file) is in error: that error is reported there
        self.result.add(Problem(label, _("%(ref)s staat niet in %(sheet)s en niet in de "
                                         "registratie van deze locatie") % {
            "ref": ref, "sheet": sheet}, number, column))
        return None

    def _plan(self, label, number, key, end, counts):
        found = self.existing.get(key)
        if found is None:
            self.plan.creates.append((*key, end))
            counts.created += 1
            self.result.note_change(Change(label, number, f"{key[0]} / {key[1]}", True, ()))
        elif found[1] != end:
            self.plan.updates.append((found[0], end, key[0], key[1]))
            counts.updated += 1
            self.result.note_change(Change(label, number, f"{key[0]} / {key[1]}", False,
                                           ("end_date",)))
        else:
            counts.unchanged += 1


# -- visits (data standard version 2, "Visits") ------------------------------------------

@dataclass
class VisitPlan:
    creates: list = field(default_factory=list)  # (mother_ref, date, volunteer_ref or "")
    updates: list = field(default_factory=list)  # (pk, mother_ref, volunteer_ref)


class VisitValidator:
    """A visit is known by its mother and date: the same row imported twice changes
    nothing. An empty volunteer_ref means the volunteer matched to the mother on that
    date (after this import's matches), for a new visit; an existing visit keeps its own."""

    def __init__(self, site, matches: "MatchValidator", result: ImportResult):
        self.matches, self.result = matches, result
        rows = (Visit.objects.filter(mother__site=site).order_by("pk")
                .values_list("id", "mother__ref", "date", "volunteer__ref"))
        self.existing: dict[tuple, tuple] = {}
        for pk, mother, date, volunteer in rows.iterator(chunk_size=5000):
            self.existing.setdefault((canonical(mother), canonical(date)), (pk, volunteer or ""))
        self.plan = VisitPlan()
        self.seen: dict[tuple, int] = {}
        self._timeline: dict[str, list] | None = None
        self.today = timezone.localdate()

    def timeline(self) -> dict[str, list]:
        """Per mother, her matches after the import: (start, end, volunteer_ref)."""
        if self._timeline is None:
            ends = {key: end for key, (_pk, end) in self.matches.existing.items()}
            by_pk = {pk: key for key, (pk, _end) in self.matches.existing.items()}
            for pk, end, _m, _v in self.matches.plan.updates:
                ends[by_pk[pk]] = end
            for m, v, start, end in self.matches.plan.creates:
                ends[(m, v, start)] = end
            self._timeline = {}
            for (m, v, start), end in ends.items():
                self._timeline.setdefault(m, []).append((start, end, v))
        return self._timeline

    def matched(self, mother: str, date: dt.date) -> str:
        """The volunteer matched on the date (the latest match that covers it), or ""."""
        covering = [(start, v) for start, end, v in self.timeline().get(mother, ())
                    if start <= date and (end is None or end >= date)]
        return max(covering)[1] if covering else ""

    def validate(self, source: Source, progress: Progress | None) -> None:
        layout = read_header(source, c.VISIT_COLUMNS, self.result)
        counts = self.result.counts.setdefault(source.label, Counts())
        at = {column.code: index for column, index in layout.positions}
        kinds = self.result.date_kinds.setdefault(source.label, set())
        readers = [(column, at.get(column.code), cached_reader(column, kinds))
                   for column in c.VISIT_COLUMNS if column.code not in layout.missing]
        complete = not layout.missing
        for number, cells in _rows(source, self.result, progress):
            _stray_cells(source, layout, number, cells, self.result)
            self._row(source.label, number, cells, readers, counts, complete)

    def _row(self, label, number, cells, readers, counts, complete):
        result = self.result
        before = result.problem_count
        values = _read_cells(result, label, number, cells, readers)
        mother = self.matches._period(label, number, values.get("mother_ref"),
                                      self.matches.mothers, "mother_ref", "mothers")
        volunteer = values.get("volunteer_ref") or ""
        if volunteer:
            self.matches._period(label, number, volunteer, self.matches.volunteers,
                                 "volunteer_ref", "volunteers")
        date = values.get("visit_date")
        if date and date > self.today:
            result.add(Problem(label, _("het bezoek ligt in de toekomst"), number, "visit_date"))
        elif mother and date:
            start, end = mother
            if date < start:
                result.add(Problem(label, _("het bezoek ligt voor de startdatum van de moeder "
                                            "(%(date)s)") % {"date": start}, number,
                                   "visit_date"))
            elif end and date > end:
                result.add(Problem(label, _("het bezoek ligt na de einddatum van de moeder "
                                            "(%(date)s)") % {"date": end}, number, "visit_date"))
        if result.problem_count > before or not complete or not mother:
            return
        key = (values["mother_ref"], date)
        if key in self.seen:
            result.add(Problem(label, _("hetzelfde bezoek (moeder en datum) staat ook in rij "
                                        "%(row)s") % {"row": self.seen[key]},
                               number, "visit_date"))
            return
        self.seen[key] = number
        found = self.existing.get(key)
        ref = f"{key[0]} {date.isoformat()}"
        if found is None:
            self.plan.creates.append((*key, volunteer or self.matched(*key)))
            counts.created += 1
            result.note_change(Change(label, number, ref, True, ()))
        elif volunteer and volunteer != found[1]:
            self.plan.updates.append((found[0], key[0], volunteer))
            counts.updated += 1
            result.note_change(Change(label, number, ref, False, ("volunteer_ref",)))
        else:
            counts.unchanged += 1


# -- self-assessments (issue 13) ------------------------------------------------------------

@dataclass
class AssessmentPlan:
    creates: list = field(default_factory=list)  # (mother_ref, moment, date, version, answers)
    updates: list = field(default_factory=list)  # (pk, mother_ref, moment, date, answers, fields)


class AssessmentValidator:
    """A self-assessment is known by its mother and moment. A new one gets the version of
    its row, or the one in use on its date; an existing one keeps the version it was
    answered in (a different version in the row is refused: its answers are to other
    questions)."""

    def __init__(self, site, matches: "MatchValidator", result: ImportResult):
        self.matches, self.result = matches, result
        rows = SelfAssessment.objects.filter(mother__site=site).values_list(
            "id", "mother__ref", "moment", "date", "version", *assessment.AIMS)
        self.existing = {(mother, moment): (pk, date, version, tuple(values))
                         for pk, mother, moment, date, version, *values in rows}
        self.plan = AssessmentPlan()
        self.seen: dict[tuple, int] = {}
        self.today = timezone.localdate()

    def validate(self, source: Source, progress: Progress | None) -> None:
        layout = read_header(source, c.ASSESSMENT_COLUMNS, self.result)
        counts = self.result.counts.setdefault(source.label, Counts())
        at = {column.code: index for column, index in layout.positions}
        kinds = self.result.date_kinds.setdefault(source.label, set())
        readers = [(column, at.get(column.code), cached_reader(column, kinds))
                   for column in c.ASSESSMENT_COLUMNS if column.code not in layout.missing]
        present = {column.code for column, _i in layout.positions}
        for number, cells in _rows(source, self.result, progress):
            _stray_cells(source, layout, number, cells, self.result)
            self._row(source.label, number, cells, readers, counts, present,
                      complete=not layout.missing)

    def _row(self, label, number, cells, readers, counts, present, complete):
        result = self.result
        before = result.problem_count
        values = _read_cells(result, label, number, cells, readers)
        mother = self.matches._period(label, number, values.get("mother_ref"),
                                      self.matches.mothers, "mother_ref", "mothers")
        date = values.get("assessment_date")
        if date and date > self.today:
            result.add(Problem(label, _("de datum ligt in de toekomst"), number,
                               "assessment_date"))
        elif mother and date and date < mother[0]:
            result.add(Problem(label, _("de datum ligt voor de startdatum van de moeder "
                                        "(%(date)s)") % {"date": mother[0]}, number,
                               "assessment_date"))
        aims = [aim for aim in assessment.AIMS if aim in present]
        answers = {aim: values.get(aim) for aim in aims}
        if result.problem_count > before or not complete or not mother:
            return
        key = (values["mother_ref"], values["moment"])
        if key in self.seen:
            result.add(Problem(label, _("dezelfde meting (moeder en moment) staat ook in rij "
                                        "%(row)s") % {"row": self.seen[key]}, number, "moment"))
            return
        self.seen[key] = number
        found = self.existing.get(key)
        ref = f"{key[0]} {key[1]}"
        version = values.get("version") or ""
        if found is None:
            if not any(v is not None for v in answers.values()):
                result.add(Problem(label, _("vul minstens één vraag in"), number, "moment"))
                return
            version = version or assessment.for_date(date).version
            self.plan.creates.append((*key, date, version, answers))
            counts.created += 1
            result.note_change(Change(label, number, ref, True, ()))
            return
        pk, old_date, old_version, old_values = found
        if version and version != old_version:
            result.add(Problem(label, _("deze meting is ingevuld met versie %(version)s van "
                                        "de vragen; die blijft") % {"version": old_version},
                               number, "version"))
            return
        old = dict(zip(assessment.AIMS, old_values, strict=True))
        merged = {**old, **answers}
        fields = [aim for aim in aims if old[aim] != merged[aim]]
        if old_date != date:
            fields.insert(0, "assessment_date")
        if not fields:
            counts.unchanged += 1
            return
        if not any(v is not None for v in merged.values()):
            result.add(Problem(label, _("vul minstens één vraag in"), number, "moment"))
            return
        self.plan.updates.append((pk, key[0], key[1], date, merged, fields))
        counts.updated += 1
        result.note_change(Change(label, number, ref, False, tuple(fields)))


# -- the whole upload ---------------------------------------------------------------------

@dataclass
class Plan:
    mothers: PersonPlan
    volunteers: PersonPlan
    matches: MatchPlan
    visits: VisitPlan
    assessments: AssessmentPlan = field(default_factory=AssessmentPlan)


def validate(*, site, sources: list[Source], result: ImportResult,
             progress: Progress | None = None) -> Plan:
    try:
        return _validate(site, sources, result, progress)
    finally:
        _CANONICAL.clear()  # nothing of one import stays in the process


def _validate(site, sources, result, progress) -> Plan:
    by_sheet = {source.sheet: source for source in sources}
    validators = {}
    for sheet in (MOTHERS, VOLUNTEERS):
        validator = PersonValidator(sheet, site, result)
        if sheet.name in by_sheet:
            validator.validate(by_sheet[sheet.name], progress)
        validators[sheet.name] = validator
    mothers, volunteers = validators["mothers"].plan, validators["volunteers"].plan
    matches = MatchValidator(site, mothers, volunteers, result)
    if "matches" in by_sheet:
        matches.validate(by_sheet["matches"], progress)
    visits = VisitValidator(site, matches, result)
    if "visits" in by_sheet:
        visits.validate(by_sheet["visits"], progress)
    assessments = AssessmentValidator(site, matches, result)
    if "assessments" in by_sheet:
        assessments.validate(by_sheet["assessments"], progress)
    return Plan(mothers, volunteers, matches.plan, visits.plan, assessments.plan)


def write(*, site, plan: Plan, user=None, request=None,
          progress: Progress | None = None) -> None:
    """Write a valid plan; the caller holds the transaction."""
    now = timezone.now()
    audit = Entries(site=site, user=user, request=request, at=now)
    for persons in (plan.mothers, plan.volunteers):
        _write_persons(site, persons, now, audit, progress)
    _write_matches(site, plan, audit)
    _write_visits(plan, audit)
    _write_assessments(plan, audit, now)
    audit.save(write=insert)
    first = min((d for d in (site.mothers.aggregate(d=Min("start_date"))["d"],
                             site.volunteers.aggregate(d=Min("start_date"))["d"]) if d),
                default=None)
    site_cover_records(site, first.year if first else None)


def _write_persons(site, persons: PersonPlan, now, audit, progress) -> None:
    sheet = persons.sheet
    model, answer_model = sheet.model, sheet.answer_model
    fields = [column.code for column in sheet.columns[1:] if column.kind != c.MULTI]
    # The plan holds each record's values as a tuple in the order of `fields`.
    # A record created from a file carries the answers the file gave (no drop-down chose
    # them for her): confirmed, like a save through the form.
    insert(model, ["site", "ref", *fields, "version", "created_at", "updated_at",
                   "answers_confirmed_at"],
           [(site.pk, ref, *values, 1, now, now, now)
            for ref, values, _answers in persons.creates],
           progress=progress, label=_("opslaan %(sheet)s") % {"sheet": sheet.name})
    if persons.creates:
        persons.ids = dict(model.objects.filter(site=site).values_list("ref", "id"))
    # One statement shape for every update; the version moves on, so a form opened
    # before the import meets a conflict instead of overwriting it.
    update(model, fields, [(*values, now, pk)
                           for pk, _ref, values, _fields, _answers in persons.updates])
    replaced: dict[str, list[int]] = {}
    for pk, _ref, _merged, _fields, items in persons.updates:
        for item in items:
            replaced.setdefault(item, []).append(pk)
    for item, pks in replaced.items():
        for start in range(0, len(pks), 500):
            answer_model.objects.filter(**{f"{sheet.owner_field}__in": pks[start:start + 500]},
                                        item=item).delete()
    ids = persons.ids
    answers = [(ids[ref], item, code) for ref, _merged, items in persons.creates
               for item, codes in items.items() for code in sorted(codes)]
    answers += [(pk, item, code) for pk, _ref, _merged, _fields, items in persons.updates
                for item, codes in items.items() for code in sorted(codes)]
    insert(answer_model, [sheet.owner_field, "item", "code"], answers)
    for ref, _merged, _answers in persons.creates:
        audit.add(Event.CREATE, sheet.object_type, ref, "import")
    for _pk, ref, _merged, changed, items in persons.updates:
        audit.add(Event.UPDATE, sheet.object_type, ref, "import: " + ", ".join([*changed, *items]))


def _write_matches(site, plan: Plan, audit) -> None:
    mothers, volunteers = plan.mothers.ids, plan.volunteers.ids
    insert(Match, ["site", "mother", "volunteer", "start_date", "end_date"],
           [(site.pk, mothers[m], volunteers[v], start, end)
            for m, v, start, end in plan.matches.creates])
    updated = [Match(pk=pk, end_date=end) for pk, end, _m, _v in plan.matches.updates]
    with audited_write():  # each ended match is logged below, per record
        Match.objects.bulk_update(updated, ["end_date"], batch_size=500)
    for m, v, _start, _end in plan.matches.creates:
        audit.add(Event.CREATE, "match", f"{m}/{v}", "import")
    for _pk, _end, m, v in plan.matches.updates:
        audit.add(Event.UPDATE, "match", f"{m}/{v}", "import: end_date")
    # And in each person's own log, as the match form writes it (found in review: her
    # subject-access report did not show an imported match).
    for m, v, _start, _end in plan.matches.creates:
        audit.add(Event.UPDATE, "mother", m, "import: match")
        audit.add(Event.UPDATE, "volunteer", v, "import: match")
    for _pk, _end, m, v in plan.matches.updates:
        audit.add(Event.UPDATE, "mother", m, "import: match.end_date")
        audit.add(Event.UPDATE, "volunteer", v, "import: match.end_date")


def _write_visits(plan: Plan, audit) -> None:
    mothers, volunteers = plan.mothers.ids, plan.volunteers.ids
    insert(Visit, ["mother", "volunteer", "date", "note"],
           [(mothers[m], volunteers[v] if v else None, date, "")
            for m, date, v in plan.visits.creates])
    updated = [Visit(pk=pk, volunteer_id=volunteers[v]) for pk, _m, v in plan.visits.updates]
    with audited_write():  # logged below, per mother
        Visit.objects.bulk_update(updated, ["volunteer"], batch_size=500)
    # One entry per mother whose visits changed: the visits have no ref of their own.
    changed = sorted({m for m, _date, _v in plan.visits.creates}
                     | {m for _pk, m, _v in plan.visits.updates})
    for mother in changed:
        audit.add(Event.UPDATE, "mother", mother, "import: visits")


def _write_assessments(plan: Plan, audit, now) -> None:
    mothers = plan.mothers.ids
    aims = list(assessment.AIMS)
    insert(SelfAssessment, ["mother", "moment", "date", "version", *aims, "revision",
                            "created_at", "updated_at"],
           [(mothers[m], moment, date, version, *[answers.get(a) for a in aims], 1, now, now)
            for m, moment, date, version, answers in plan.assessments.creates])
    updated = []
    for pk, _m, _moment, date, answers, _fields in plan.assessments.updates:
        row = SelfAssessment(pk=pk, date=date, updated_at=now, **answers)
        updated.append(row)
    with audited_write():  # logged below, per mother: field names, never the answers
        SelfAssessment.objects.bulk_update(updated, ["date", *aims, "updated_at"],
                                           batch_size=500)
        if updated:
            from django.db.models import F

            SelfAssessment.objects.filter(pk__in=[r.pk for r in updated]).update(
                revision=F("revision") + 1)
    for m, moment, _date, _version, answers in plan.assessments.creates:
        audit.add(Event.UPDATE, "mother", m, "import: " + ", ".join(
            f"assessment.{moment}.{a}" for a in aims if answers.get(a) is not None))
    for _pk, m, moment, _date, _answers, fields in plan.assessments.updates:
        audit.add(Event.UPDATE, "mother", m, "import: " + ", ".join(
            f"assessment.{moment}.{name}" for name in fields))


def _converters(model, names: list[str]):
    """Each column's conversion to the database's form (dates and times differ per
    database); other values go as they are."""
    fields = [model._meta.get_field(name) for name in names]
    return fields, [_converter(field) if isinstance(field, DateField) else None
                    for field in fields]


def _converter(field) -> Callable:
    # A few thousand distinct dates (and one timestamp) fill hundreds of thousands of
    # cells; converting each once keeps the conversion off the profile.
    memo: dict = {}

    def convert(value):
        if value is None:
            return None
        found = memo.get(value)
        if found is None:
            found = field.get_db_prep_save(value, connection)
            if len(memo) < 50_000:
                memo[value] = found
        return found

    return convert


def insert(model, names: list[str], rows: list[tuple], *, progress: Progress | None = None,
           label: str = "") -> None:
    """INSERT many rows fast: COPY on PostgreSQL, one prepared statement on SQLite. For
    100,000 records the ORM's per-object work (bulk_create) costs several times what the
    database does, and PostgreSQL would pay a round trip per row."""
    if not rows:
        return
    fields, convert = _converters(model, names)
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, values only as parameters.
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([v if fn is None else fn(v)
                                    for fn, v in zip(convert, row, strict=True)])
            if progress and label:
                progress(label, len(rows), len(rows))
            return
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [tuple(v if fn is None else fn(v)
                                           for fn, v in zip(convert, row, strict=True))
                                     for row in rows[start:start + BATCH]])
            if progress and label:
                progress(label, min(start + BATCH, len(rows)), len(rows))


def update(model, names: list[str], rows: list[tuple]) -> None:
    """UPDATE person records by id: the named fields, `updated_at`, and version + 1."""
    if not rows:
        return
    fields, convert = _converters(model, [*names, "updated_at"])
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    version = quote("version")
    sql = f"UPDATE {table} SET {assignments}, {version} = {version} + 1 WHERE id = %s"  # noqa: S608
    convert = [*convert, None]  # the id
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [tuple(v if fn is None else fn(v)
                                           for fn, v in zip(convert, row, strict=True))
                                     for row in rows[start:start + BATCH]])

"""The "Resultaten" section of the national and the site report: time in the programme and
what volunteers give, from the published results rows (mim.publication.results, docs/results.md).

`results_section(inputs)` is a pure function of the report's inputs: `NationalInputs` (the
national figures carry the nation's results rows) or `SiteInputs` (the site's `own` figures
carry the site's published results rows, added by mim.reports.assemble through
`selectors.site_results`; the national ones come with `national`). Its sentences are in
mim.reports.results_text.
"""

from __future__ import annotations

from dataclasses import dataclass

from mim.codebook import assessment as assessment_items
from mim.figures import standard
from mim.figures.selectors import FigureSet
from mim.figures.standard import HIDDEN_MARK
from mim.figures.tidy import Figure
from mim.reports import results_text as text
from mim.reports.building import DASH, HIDDEN_NOTE
from mim.reports.charts import LineChart, Series
from mim.reports.document import Chart, Note, Paragraph, Ref, Section, Table
from mim.reports.text import SUPPRESSED, fmt_decimal, fmt_int, fmt_pct, fmt_share_cell
from mim.results.variables import (
    COHORTS,
    COMPLETED,
    GRID,
    STATED,
    cohort_category,
    cutoff_of,
    is_results,
    median_variable,
    retention_variable,
    visits_variable,
)


@dataclass(frozen=True)
class Results:
    """One scope's published results rows."""

    label: str
    rows: dict

    @classmethod
    def of(cls, figure_set: FigureSet | None, label: str = "") -> Results | None:
        if figure_set is None:
            return None
        rows = {(f.variable, f.category): f for f in figure_set.figures if is_results(f.variable)}
        return cls(label or figure_set.label, rows) if rows else None

    def value(self, variable: str, category: str = "all"):
        f: Figure | None = self.rows.get((variable, category))
        if f is None:
            return None
        return SUPPRESSED if f.suppressed else f.value

    def base(self, variable: str, category: str = "all"):
        f = self.rows.get((variable, category))
        if f is None:
            return None
        return SUPPRESSED if f.suppressed and f.base is None else f.base

    def count(self, variable: str, category: str = "all"):
        f = self.rows.get((variable, category))
        if f is None:
            return None
        return SUPPRESSED if f.suppressed else f.count


def results_section(inputs) -> Section:
    """The section for a national report (NationalInputs) or a site report (SiteInputs)."""
    year = inputs.year
    cohorts = tuple(range(year - COHORTS + 1, year + 1))
    cutoff = cutoff_of(year)
    if hasattr(inputs, "own"):  # a site's benchmark report
        own = Results.of(inputs.own, inputs.name)
        national = Results.of(inputs.national)
        merged = inputs.own.merged_into
    else:
        own, national, merged = Results.of(inputs.current), None, ""
    blocks: list = []
    if merged:
        blocks.append(Paragraph(text.merged_sentence(inputs.name, merged),
                                names=(inputs.name, merged)))
    if own is None and national is None:
        blocks.append(Paragraph(text.no_results_sentence(year)))
        return Section("Resultaten", blocks)
    shown = own or national
    blocks.append(Paragraph(text.scope_sentence(cohorts, cutoff, "moeders en vrijwilligers")))
    mothers = _mothers(shown, national if own else None, cohorts)
    method = [Paragraph(p) for p in text.can_and_cannot(cohorts, cutoff)]
    # "na 18 maanden" names a column of the mothers' table
    method[2].refs = (Ref(next(b for b in mothers.blocks if isinstance(b, Table))),)
    subsections = [
        mothers,
        _volunteers(shown, national if own else None, cohorts),
        _visits(shown, national if own else None),
        _assessment(year, shown, national if own else None),
        Section("Wat de cijfers wel en niet laten zien", [
            *method, Note(text.thresholds(standard.MIN_POPULATION, standard.MIN_CELL))]),
    ]
    section = Section("Resultaten", blocks, subsections=subsections)
    # The sentences name their scope ("moeders (Locatie 2)"): a digit in a name is no figure.
    names = tuple(n for n in (getattr(inputs, "name", ""), shown.label) if n)
    for paragraph in _paragraphs(section):
        paragraph.names = tuple(dict.fromkeys((*paragraph.names, *names)))
    return section


def _paragraphs(section: Section):
    for block in section.blocks:
        if isinstance(block, Paragraph):
            yield block
    for sub in section.subsections:
        yield from _paragraphs(sub)


def _shares(r: Results, population: str, category: str = "all"):
    return [(m, r.value(retention_variable(population, m), category)) for m in STATED]


def _mothers(r: Results, national: Results | None, cohorts) -> Section:
    groups = [("all", "Alle moeders"), *((cohort_category(y), f"Begonnen in {y}")
                                         for y in cohorts),
              (COMPLETED, "Hele programma afgerond"), ("stopped_early", "Eerder gestopt")]
    table = _table(f"Moeders nog in het programma ({r.label})", r, national, "mothers", groups)
    every = (Ref(table, ("Alle moeders",)),)
    blocks: list = [
        Paragraph(text.retention_sentence(f"moeders ({r.label})", "nog in het programma",
                                          _shares(r, "mothers")), refs=every),
        Paragraph(text.median_sentence(f"moeders ({r.label})", "verliet het programma",
                                       "in het programma",
                                       r.value(median_variable("mothers"))), refs=every),
        Paragraph(text.end_groups_sentence(r.value(median_variable("mothers"), COMPLETED),
                                           r.value(median_variable("mothers"), "stopped_early")),
                  refs=(Ref(table, ("Hele programma afgerond", "Eerder gestopt")),)),
        table,
    ]
    chart = _chart(r, "mothers", cohorts, "Moeders nog in het programma")
    if chart:
        blocks.append(chart)
    return Section("Hoe lang moeders in het programma blijven", blocks)


def _volunteers(r: Results, national: Results | None, cohorts) -> Section:
    groups = [("all", "Alle vrijwilligers"), *((cohort_category(y), f"Begonnen in {y}")
                                               for y in cohorts)]
    table = _table(f"Vrijwilligers nog actief ({r.label})", r, national, "volunteers", groups)
    every = (Ref(table, ("Alle vrijwilligers",)),)
    blocks: list = [
        Paragraph(text.retention_sentence(f"vrijwilligers ({r.label})", "nog actief",
                                          _shares(r, "volunteers")), refs=every),
        Paragraph(text.median_sentence(f"vrijwilligers ({r.label})", "stopte", "actief",
                                       r.value(median_variable("volunteers"))), refs=every),
        table,
    ]
    return Section("Hoe lang vrijwilligers actief blijven", blocks)


def _visits(r: Results, national: Results | None) -> Section:
    values = [r.value(visits_variable(item)) for item in
              ("per_volunteer_month", "per_mother_month", "monthly_share")]
    sentences = text.visits_sentences(*values)
    rows = []
    for item, label, fmt in (
            ("per_volunteer_month", "Bezoeken per vrijwilliger per maand", _rate_cell),
            ("per_mother_month", "Bezoeken per gekoppelde moeder per maand", _rate_cell),
            ("monthly_share", "Gekoppelde moeders elke volle maand bezocht", _share_cell)):
        row = [label, fmt(r.value(visits_variable(item)))]
        if national is not None:
            row.append(fmt(national.value(visits_variable(item))))
        rows.append(row)
    columns = ["Wat vrijwilligers geven", r.label] + (["Nederland"] if national else [])
    table = Table("Bezoeken", columns, rows, notes=_notes(rows),
                  numeric_columns=list(range(1, len(columns))))
    blocks: list = [Paragraph(s, refs=(Ref(table, (rows[i][0],)),)) for i, s in sentences] or [
        Paragraph("Er zijn geen bezoeken geregistreerd.")]
    return Section("Wat vrijwilligers geven", [*blocks, table])


def _share_cell(value) -> str:
    if value is SUPPRESSED:
        return HIDDEN_MARK
    return DASH if value is None else fmt_pct(value)


def _rate_cell(value) -> str:
    if value is SUPPRESSED:
        return HIDDEN_MARK
    return DASH if value is None else fmt_decimal(value, 2)


def _months_cell(value) -> str:
    if value is SUPPRESSED:
        return HIDDEN_MARK
    return DASH if value is None else fmt_decimal(value)


def _base_cell(value) -> str:
    if value is SUPPRESSED:
        return HIDDEN_MARK
    return DASH if value is None else fmt_int(value)


def _table(caption: str, r: Results, national: Results | None, population: str, groups
           ) -> Table:
    rows = []
    scopes = [(r, "")] + ([(national, "Nederland: ")] if national else [])
    for scope, prefix in scopes:
        for category, label in groups if not prefix else groups[:1]:
            rows.append([prefix + label,
                         _base_cell(scope.base(median_variable(population), category)),
                         *(_share_cell(scope.value(retention_variable(population, m), category))
                           for m in STATED),
                         _months_cell(scope.value(median_variable(population), category))])
    return Table(caption, ["Groep", "Aantal", *(f"Na {m} maanden" for m in STATED),
                           "Mediaan (maanden)"], rows, notes=_notes(rows),
                 numeric_columns=[1, 2, 3, 4, 5])


def _notes(rows) -> list[str]:
    notes = []
    if any(HIDDEN_MARK in row for row in rows):
        notes.append(HIDDEN_NOTE)
    if any(DASH in row for row in rows):
        notes.append(f"{DASH}: nog niet bekend (niet zo lang gevolgd) of geen personen.")
    return notes


def _chart(r: Results, population: str, cohorts, title: str) -> Chart | None:
    months = [0, *GRID]
    series = []
    for category, name in [("all", "Alle"), *((cohort_category(y), f"Begonnen in {y}")
                                              for y in cohorts)]:
        values = [r.value(retention_variable(population, m), category) for m in GRID]
        values = [None if v is None or v is SUPPRESSED else float(v) for v in values]
        if any(v is not None for v in values):
            series.append(Series(name, [100.0, *values]))
    if not series:
        return None
    spec = LineChart(title=f"{title} na 0 tot 24 maanden ({r.label})", years=months,
                     series=series, value_label="Percentage nog in", unit="%",
                     missing_label="niet bekend", show_values=False)
    alt = (f"Lijndiagram: het percentage {'moeders' if population == 'mothers' else 'vrijwilligers'} "
           f"dat na 0 tot 24 maanden nog in het programma was, per startjaar. De cijfers staan "
           f"ook in de tabel erboven (na 6, 12 en 18 maanden).")
    return Chart(spec, alt)


# --- what changes for the mother: the self-assessment (docs/results-assessment.md) ---------------


def _aim_name(aim: str) -> str:
    """The aim's name in the newest version of the items (the aims themselves never change)."""
    name = assessment_items.VERSIONS[-1].question(aim).short()
    return name[:1].upper() + name[1:]


def _signed_cell(value) -> str:
    if value is SUPPRESSED:
        return HIDDEN_MARK
    return DASH if value is None else text.signed(value)


def _mean_cell(value) -> str:
    if value is SUPPRESSED:
        return HIDDEN_MARK
    return DASH if value is None else fmt_decimal(value, 2)


def _interval_cell(low, high) -> str:
    if low is SUPPRESSED or high is SUPPRESSED:
        return HIDDEN_MARK
    if low is None or high is None:
        return DASH
    return f"{text.signed(low)} tot {text.signed(high)}"


def _end_cells(r: Results) -> list[str]:
    ended = r.base(standard.ASSESSMENT_END_MEASURED)
    measured = r.count(standard.ASSESSMENT_END_MEASURED)
    if ended is SUPPRESSED or measured is SUPPRESSED:
        return [HIDDEN_MARK, HIDDEN_MARK, HIDDEN_MARK]
    if ended is None or measured is None:
        return [DASH, DASH, DASH]
    return [fmt_int(ended), fmt_int(measured), fmt_share_cell(measured, ended) if ended else DASH]


def _assessment(year: int, r: Results, national: Results | None) -> Section:
    """Per aim the pairs' mean answer at intake and at the end, the mean paired change with
    its 95% interval and the number of pairs; always beside it the share of the ended mothers
    with an end measurement. Refs on every sentence, so its numbers are checked."""
    scopes = [(r, "")] + ([(national, "Nederland: ")] if national else [])
    rows = []
    for scope, prefix in scopes:
        for aim in standard.ASSESSMENT_AIMS:
            def v(stat, scope=scope, aim=aim):
                return scope.value(standard.assessment_variable(aim, stat))

            pairs = scope.count(standard.assessment_variable(aim, "pairs"))
            rows.append([prefix + _aim_name(aim), _base_cell(pairs), _mean_cell(v("intake_mean")),
                         _mean_cell(v("end_mean")), _signed_cell(v("change")),
                         _interval_cell(v("ci_low"), v("ci_high"))])
    # Short heads: the numeric columns size to their heads, and long ones squeezed the aims'
    # names into a column narrower than one word on an A4 page.
    table = Table(f"Zelfevaluatie van de moeders die in {year} stopten ({r.label})",
                  ["Doel", "Paren", "Begin", "Einde", "Verandering", "95%-interval"], rows,
                  notes=[
                      *_notes(rows),
                      "Antwoorden van 1 (helemaal niet mee eens) tot 5 (helemaal mee eens); een "
                      "paar is een moeder met een antwoord bij het begin en bij het einde. Begin "
                      "en einde: het gemiddelde antwoord van de paren."],
                  numeric_columns=[1, 2, 3, 4, 5])
    end_rows = [[prefix.rstrip(": ") or scope.label, *_end_cells(scope)]
                for scope, prefix in scopes]
    end_table = Table(f"Eindmeting van de moeders die in {year} stopten ({r.label})",
                      ["Groep", "Gestopte moeders", "Met eindmeting", "Aandeel"], end_rows,
                      notes=_notes(end_rows), numeric_columns=[1, 2, 3])
    own_rows = rows[:len(standard.ASSESSMENT_AIMS)]
    changes = [(row[0], row[1], row[4]) for row in own_rows]
    blocks: list = [
        Paragraph(text.end_measured_sentence(year, *_end_cells(r)),
                  refs=(Ref(end_table, (end_rows[0][0],)),)),
        Paragraph(text.pairs_sentence(changes), refs=(Ref(table, tuple(
            row[0] for row in own_rows)),)),
        Paragraph(text.assessment_caution()),
        table, end_table,
    ]
    return Section("Wat verandert voor de moeder", blocks)

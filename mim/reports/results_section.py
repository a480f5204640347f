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

from mim.figures import standard
from mim.figures.selectors import FigureSet
from mim.figures.standard import HIDDEN_MARK
from mim.figures.tidy import Figure
from mim.reports import results_text as text
from mim.reports.building import DASH, HIDDEN_NOTE
from mim.reports.charts import LineChart, Series
from mim.reports.document import Chart, Paragraph, Section, Table
from mim.reports.text import SUPPRESSED, fmt_decimal, fmt_int, fmt_pct
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
        blocks.append(Paragraph(text.merged_sentence(inputs.name, merged)))
    if own is None and national is None:
        blocks.append(Paragraph(text.no_results_sentence(year)))
        return Section("Resultaten", blocks)
    shown = own or national
    blocks.append(Paragraph(text.scope_sentence(cohorts, cutoff, "moeders en vrijwilligers")))
    subsections = [
        _mothers(shown, national if own else None, cohorts),
        _volunteers(shown, national if own else None, cohorts),
        _visits(shown, national if own else None),
        Section("Wat de cijfers wel en niet laten zien", [
            Paragraph(p) for p in text.can_and_cannot(cohorts, cutoff, standard.MIN_POPULATION,
                                                      standard.MIN_CELL)]),
    ]
    return Section("Resultaten", blocks, subsections=subsections)


def _shares(r: Results, population: str, category: str = "all"):
    return [(m, r.value(retention_variable(population, m), category)) for m in STATED]


def _mothers(r: Results, national: Results | None, cohorts) -> Section:
    blocks: list = [
        Paragraph(text.retention_sentence(f"moeders ({r.label})", "nog in het programma",
                                          _shares(r, "mothers"))),
        Paragraph(text.median_sentence(f"moeders ({r.label})", "verliet het programma",
                                       "in het programma",
                                       r.value(median_variable("mothers")))),
        Paragraph(text.end_groups_sentence(r.value(median_variable("mothers"), COMPLETED),
                                           r.value(median_variable("mothers"), "stopped_early"))),
    ]
    groups = [("all", "Alle moeders"), *((cohort_category(y), f"Begonnen in {y}")
                                         for y in cohorts),
              (COMPLETED, "Hele programma afgerond"), ("stopped_early", "Eerder gestopt")]
    blocks.append(_table(f"Moeders nog in het programma ({r.label})", r, national, "mothers",
                         groups))
    chart = _chart(r, "mothers", cohorts, "Moeders nog in het programma")
    if chart:
        blocks.append(chart)
    return Section("Hoe lang moeders in het programma blijven", blocks)


def _volunteers(r: Results, national: Results | None, cohorts) -> Section:
    blocks: list = [
        Paragraph(text.retention_sentence(f"vrijwilligers ({r.label})", "nog actief",
                                          _shares(r, "volunteers"))),
        Paragraph(text.median_sentence(f"vrijwilligers ({r.label})", "stopte", "actief",
                                       r.value(median_variable("volunteers")))),
    ]
    groups = [("all", "Alle vrijwilligers"), *((cohort_category(y), f"Begonnen in {y}")
                                               for y in cohorts)]
    blocks.append(_table(f"Vrijwilligers nog actief ({r.label})", r, national, "volunteers",
                         groups))
    return Section("Hoe lang vrijwilligers actief blijven", blocks)


def _visits(r: Results, national: Results | None) -> Section:
    values = [r.value(visits_variable(item)) for item in
              ("per_volunteer_month", "per_mother_month", "monthly_share")]
    sentences = text.visits_sentences(*values)
    blocks: list = [Paragraph(s) for s in sentences] or [
        Paragraph("Er zijn geen bezoeken geregistreerd.")]
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
    blocks.append(Table("Bezoeken", columns, rows, notes=_notes(rows),
                        numeric_columns=list(range(1, len(columns)))))
    return Section("Wat vrijwilligers geven", blocks)


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
    return Table(caption, ["Groep", "Aantal", "Na 6 mnd", "Na 12 mnd", "Na 18 mnd",
                           "Mediaan (mnd)"], rows, notes=_notes(rows),
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

"""The results block of the figures page: time in the programme, what volunteers give and
what changes for the mother (the self-assessment), as published (mim.publication.results,
mim.results.assessment; docs/results.md, docs/results-assessment.md), for the scope beside
the nation, with the Kaplan-Meier curves as a chart. Presentation only, like
mim.dashboards.dashboard: every number is a stored publication row the view hands in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mim.codebook import assessment as assessment_items
from mim.dashboards import charts
from mim.figures import standard
from mim.figures.selectors import FigureSet
from mim.figures.standard import HIDDEN_MARK
from mim.reports.charts import LineChart, Series
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

DASH = "–"


@dataclass
class ResultsTable:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class ResultsBlock:
    label: str
    cohorts: tuple[int, ...]
    cutoff: str
    tables: list[ResultsTable] = field(default_factory=list)
    # What changes for the mother: per aim, and the share measured at the end (always shown).
    assessment: list[ResultsTable] = field(default_factory=list)
    chart: str = ""
    merged_into: str = ""
    min_population: int = standard.MIN_POPULATION
    min_cell: int = standard.MIN_CELL


def _rows(figure_set: FigureSet | None) -> dict:
    if figure_set is None:
        return {}
    return {(f.variable, f.category): f for f in figure_set.figures if is_results(f.variable)}


def _cell(f, kind: str) -> str:
    if f is None:
        return ""
    if f.suppressed:
        return HIDDEN_MARK
    if kind == "base":
        return DASH if f.base is None else number_format(f.base, 0, force_grouping=True)
    if f.value is None:
        return DASH
    if kind == "share":
        return number_format(f.value, 1) + "%"
    return number_format(f.value, 2 if kind == "rate" else 1)


def block(current: FigureSet, national: FigureSet | None) -> ResultsBlock | None:
    """None when neither the scope nor the nation has results rows (a year before any)."""
    own, nl = _rows(current), _rows(national)
    if not own and not nl and not current.merged_into:
        return None
    year = current.year
    cohorts = tuple(range(year - COHORTS + 1, year + 1))
    cutoff = cutoff_of(year)
    result = ResultsBlock(label=current.label, cohorts=cohorts,
                          cutoff=number_format(cutoff.day) + "-" + number_format(cutoff.month)
                          + "-" + str(cutoff.year), merged_into=current.merged_into)
    scopes = [(current.label, own)] + ([(national.label, nl)] if national and nl else [])
    for population, title, groups in (
            ("mothers", _("Moeders nog in het programma"),
             [("all", _("alle moeders")), *((cohort_category(y), _("begonnen in %(year)s")
                                             % {"year": y}) for y in cohorts),
              (COMPLETED, _("hele programma afgerond")), ("stopped_early", _("eerder gestopt"))]),
            ("volunteers", _("Vrijwilligers nog actief"),
             [("all", _("alle vrijwilligers")), *((cohort_category(y), _("begonnen in %(year)s")
                                                   % {"year": y}) for y in cohorts)])):
        rows = []
        for label, found in scopes:
            if not found:
                continue
            for category, name in groups if found is own else groups[:1]:
                median = found.get((median_variable(population), category))
                rows.append([f"{label}: {name}", _cell(median, "base"),
                             *(_cell(found.get((retention_variable(population, m), category)),
                                     "share") for m in STATED),
                             _cell(median, "months")])
        if rows:
            result.tables.append(ResultsTable(title, [
                _("Groep"), _("Aantal"), *(_("na %(n)s mnd") % {"n": m} for m in STATED),
                _("Mediaan (mnd)")], rows))
    visit_rows = []
    for item, name, kind in (("per_volunteer_month", _("Bezoeken per vrijwilliger per maand"),
                              "rate"),
                             ("per_mother_month", _("Bezoeken per gekoppelde moeder per maand"),
                              "rate"),
                             ("monthly_share", _("Gekoppelde moeders elke volle maand bezocht"),
                              "share")):
        visit_rows.append([name, *(_cell(found.get((visits_variable(item), "all")), kind)
                                   for _label, found in scopes if found)])
    if any(found for _label, found in scopes):
        result.tables.append(ResultsTable(_("Wat vrijwilligers geven"), [
            _("Bezoeken"), *(label for label, found in scopes if found)], visit_rows))
    result.assessment = _assessment(year, scopes)
    result.chart = _chart(current.label, own or nl, cohorts)
    return result


def _signed(value) -> str:
    text = number_format(value, 2)
    return f"+{text}" if value > 0 else text


def _assessment_cell(f, kind: str) -> str:
    if f is None:
        return ""
    if f.suppressed:
        return HIDDEN_MARK
    if kind == "pairs":
        return number_format(f.count, 0, force_grouping=True)
    if f.value is None:
        return DASH
    return _signed(f.value) if kind == "signed" else number_format(f.value, 2)


def _interval(low, high) -> str:
    if low is None or high is None:
        return ""
    if low.suppressed or high.suppressed:
        return HIDDEN_MARK
    if low.value is None or high.value is None:
        return DASH
    return _("%(low)s tot %(high)s") % {"low": _signed(low.value), "high": _signed(high.value)}


def _aim_name(aim: str) -> str:
    name = assessment_items.VERSIONS[-1].question(aim).short(
        "en" if (get_language() or "").startswith("en") else "nl")
    return name[:1].upper() + name[1:]


def _assessment(year: int, scopes) -> list[ResultsTable]:
    """Per aim the pairs' mean answer at intake and at the end, the mean change with its 95%
    interval and the pairs; and the share of the ended mothers with an end measurement."""
    scopes = [(label, found) for label, found in scopes
              if any(v.startswith(standard.ASSESSMENT_PREFIX + ".") for v, _c in found)]
    if not scopes:
        return []
    aims, ends = [], []
    for label, found in scopes:
        def row(aim, statistic, found=found):
            return found.get((standard.assessment_variable(aim, statistic), "all"))

        for aim in standard.ASSESSMENT_AIMS:
            aims.append([f"{label}: {_aim_name(aim)}", _assessment_cell(row(aim, "pairs"), "pairs"),
                         _assessment_cell(row(aim, "intake_mean"), "mean"),
                         _assessment_cell(row(aim, "end_mean"), "mean"),
                         _assessment_cell(row(aim, "change"), "signed"),
                         _interval(row(aim, "ci_low"), row(aim, "ci_high"))])
        end = found.get((standard.ASSESSMENT_END_MEASURED, "all"))
        if end is None:
            continue
        if end.suppressed:
            ends.append([label, HIDDEN_MARK, HIDDEN_MARK, HIDDEN_MARK])
        else:
            ends.append([label, number_format(end.base, 0, force_grouping=True),
                         number_format(end.count, 0, force_grouping=True),
                         number_format(end.percent, 1) + "%" if end.percent is not None
                         else DASH])
    return [
        ResultsTable(_("Zelfevaluatie van de moeders die in %(year)s stopten: van begin tot "
                       "einde") % {"year": year},
                     [_("Doel"), _("Paren"), _("Gemiddeld begin"), _("Gemiddeld einde"),
                      _("Verandering"),
                      _("%(level)s-interval") % {"level": "95%"}], aims),
        ResultsTable(_("Moeders die in %(year)s stopten, met een eindmeting") % {"year": year},
                     [_("Groep"), _("Gestopte moeders"), _("Met eindmeting"), _("Aandeel")],
                     ends),
    ]


def _chart(label: str, rows: dict, cohorts) -> str:
    series = []
    for category, name in [("all", _("alle moeders")), *(
            (cohort_category(y), _("begonnen in %(year)s") % {"year": y}) for y in cohorts)]:
        values = []
        for m in GRID:
            f = rows.get((retention_variable("mothers", m), category))
            values.append(None if f is None or f.suppressed or f.value is None
                          else float(f.value))
        if any(v is not None for v in values):
            series.append(Series(name, [100.0, *values]))
    if not series:
        return ""
    spec = LineChart(title=_("Moeders nog in het programma, 0 tot 24 maanden na de start"),
                     years=[0, *GRID], series=series, value_label=_("Percentage nog in"),
                     unit="%", missing_label=_("niet bekend"), show_values=False)
    alt = _("Lijndiagram: het percentage moeders dat 0 tot 24 maanden na de start nog in het "
            "programma was, per startjaar (%(label)s); de cijfers na 6, 12 en 18 maanden staan "
            "in de tabel.") % {"label": label}
    return charts.inline(spec, chart_id="results-mothers", alt=alt)

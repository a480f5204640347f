"""What the figures pages show, built from published FigureSets: table rows with the previous
year and the national figure beside each category, and the charts. Presentation only: every
FigureSet handed in here already came through `selectors.published_figures`.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mim.codebook import codebooks
from mim.dashboards import charts
from mim.figures import standard
from mim.figures.comparison import to_version
from mim.figures.selectors import FigureSet
from mim.figures.standard import HIDDEN_MARK, ITEMS, MULTI_ANSWER_ITEMS
from mim.figures.tidy import Figure, percent_of
from mim.reports.charts import BarChart, LineChart, Series

HIDDEN_COUNT = HIDDEN_MARK
HIDDEN = "–"

POPULATIONS = {
    "mothers": _("MIM-moeders bereikt"),
    "mothers_ended": _("Moeders gestopt"),
    "volunteers": _("Vrijwilligers actief"),
    "volunteers_stopped": _("Vrijwilligers gestopt"),
}
BASES = {
    "mothers": _("moeders bereikt"),
    "mothers_ended": _("moeders gestopt"),
    "volunteers": _("vrijwilligers actief"),
    "volunteers_stopped": _("vrijwilligers gestopt"),
}
CHARTED = {"mothers.origin", "mothers.age_group", "mothers.mother_circumstances",
           "volunteers.origin"}


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def count_text(f: Figure | None) -> str:
    if f is None:
        return ""
    return HIDDEN_COUNT if f.suppressed or f.count is None else number_format(f.count, 0,
                                                                             force_grouping=True)


def percent_text(f: Figure | None) -> str:
    if f is None:
        return ""
    return HIDDEN if f.percent is None else number_format(f.percent, 1)


def change_text(now: Figure | None, before: Figure | None) -> str:
    if now is None or before is None or now.percent is None or before.percent is None:
        return HIDDEN if now is not None and before is not None else ""
    change = now.percent - before.percent
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return f"{sign}{number_format(abs(change), 1)}"


@dataclass
class Row:
    label: str
    count: str
    percent: str
    mentions: str
    previous_count: str
    previous_percent: str
    change: str
    other_percent: str
    hidden: bool


@dataclass
class Table:
    variable: str
    caption: str
    base_text: str
    multi: bool
    rows: list[Row]
    chart: str = ""


def _labels(book: codebooks.Codebook, population: str, item: str, category: str) -> str:
    # The data standard's labels (mim.figures.standard), the same as returns and reports use.
    return standard.category_label(book.first_year, f"{population}.{item}", category)


def _caption(book, population, item) -> str:
    label = standard.item_label(book.first_year, f"{population}.{item}")
    return f"{POPULATIONS[population]}: {label}"


def _mentions(figures: list[Figure], f: Figure) -> str:
    """Share of all mentions (count / sum of counts); unknown when any count is hidden."""
    if any(x.count is None for x in figures):
        return HIDDEN
    total = sum(x.count for x in figures)
    if not total or f.count is None:
        return HIDDEN
    return number_format(percent_of(f.count, total), 1)


def tables(current: FigureSet, previous: FigureSet | None, other: FigureSet | None
           ) -> list[Table]:
    """One table per variable of the person populations, in the engine's order."""
    book = codebooks.version(current.codebook_version)
    previous_index = {}
    not_comparable = {}
    if previous is not None and previous.figures:
        mapped = to_version(previous.figures, current.codebook_version,
                            source=previous.codebook_version)
        previous_index = {(f.variable, f.category): f for f in mapped.figures}
        not_comparable = mapped.not_comparable
    other_index = {(f.variable, f.category): f for f in other.figures} if other else {}
    out = []
    for population, items in ITEMS.items():
        for item, _codebook_item in items:
            variable = f"{population}.{item}"
            figures = current.variable(variable)
            if not figures:
                continue
            multi = item in MULTI_ANSWER_ITEMS
            rows = []
            for f in figures:
                before = previous_index.get((variable, f.category))
                rows.append(Row(
                    label=_labels(book, population, item, f.category),
                    count=count_text(f), percent=percent_text(f),
                    mentions=_mentions(figures, f) if multi else "",
                    previous_count=(str(_("n.v.t.")) if (variable, f.category) in not_comparable
                                    else count_text(before)),
                    previous_percent=percent_text(before), change=change_text(f, before),
                    other_percent=percent_text(other_index.get((variable, f.category))),
                    hidden=f.suppressed))
            base = figures[0].base
            base_label = (_("met bekende herkomst") if item == "migrant_background"
                          else BASES[population])
            # A base left out is a hidden count: the neutral mark, as on every hidden cell.
            base_text = (f"{HIDDEN_COUNT if base is None else number_format(base, 0)} "
                         f"{base_label}")
            out.append(Table(variable, _caption(book, population, item), base_text, multi, rows))
    return out


def chart_for(table: Table, current: FigureSet, comparison: FigureSet | None,
              comparison_name: str) -> str:
    """A horizontal bar chart of the shares: this scope beside the comparison (previous year or
    national). Hidden shares are drawn as no bar with the label "–"."""
    if table.variable not in CHARTED:
        return ""
    figures = current.variable(table.variable)
    if not figures or all(f.percent is None for f in figures):
        return ""
    index = {f.category: f for f in comparison.variable(table.variable)} if comparison else {}
    series = [_series(f"{current.label} {current.year}", figures)]
    if index:
        series.append(_series(comparison_name, [index.get(f.category) for f in figures]))
    spec = BarChart(title=table.caption, categories=[r.label for r in table.rows], series=series,
                    value_label=str(_("Percentage")), decimals=1, unit="%")
    alt = str(_("Staafdiagram: %(caption)s, percentages per categorie; de cijfers staan in de "
                "tabel.")) % {"caption": table.caption}
    return charts.inline(spec, chart_id=table.variable.replace(".", "-"), alt=alt)


def _series(name: str, figures: list[Figure | None]) -> Series:
    values = [None if f is None or f.percent is None else float(f.percent) for f in figures]
    labels = [HIDDEN if v is None else number_format(v, 1) + "%" for v in values]
    return Series(name, values, labels)


def history_chart(rows) -> str:
    if not rows or all(r.missing for r in rows):
        return ""
    spec = LineChart(
        title=str(_("Landelijk: moeders en vrijwilligers per jaar")),
        years=[r.year for r in rows],
        series=[Series(str(_("MIM-moeders")), [r.mothers for r in rows]),
                Series(str(_("Vrijwilligers")), [r.volunteers for r in rows])],
        value_label=str(_("Aantal")), missing_label=str(_("geen gegevens")))
    alt = str(_("Lijndiagram: aantal moeders en vrijwilligers per jaar, landelijk; de cijfers "
                "staan in de tabel met het vijfjarenoverzicht."))
    return charts.inline(spec, chart_id="history", alt=alt)

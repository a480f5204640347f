"""Small helpers shared by the report builders: published figures → text values, table rows,
charts and paragraphs.

A published `Figure` becomes a value the sentence generator (`mim.reports.text`) understands:
an int, a share, None (no figures), or `SUPPRESSED` for a hidden cell, which claims no size:
a Figure does not record why it was hidden (display_count in mim.figures.suppression), and it
may hide 5 or more to protect a neighbour.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mim.codebook import codebooks
from mim.figures.standard import HIDDEN_MARK, ITEMS, categories
from mim.figures.suppression import display_count
from mim.figures.tidy import Figure
from mim.reports.charts import BarChart, Series
from mim.reports.document import Chart, Paragraph, Table
from mim.reports.text import (
    MIN_PERSONS,
    SUPPRESSED,
    Count,
    Share,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    fmt_share_cell,
)

DASH = "–"
HIDDEN_NOTE = (f"{HIDDEN_MARK}: niet getoond om de privacy te beschermen; bij een verborgen "
               "aantal staat ook geen percentage (–).")


# The persons a share is a share of, per population: every table caption, chart title, axis
# and alt text names it, so a share of the mothers who ended never reads as a share of all
# mothers.
BASES = {"mothers": "alle MIM-moeders",
         "mothers_ended": "de moeders die het programma beëindigden",
         "volunteers": "alle vrijwilligers",
         "volunteers_stopped": "de vrijwilligers die stopten"}


def count_value(figure: Figure | None) -> Count | None:
    if figure is None:
        return None
    if figure.suppressed or figure.count is None:
        return SUPPRESSED
    return figure.count


def share_value(figure: Figure | None) -> Share | None:
    """The exact share of a figure (count / base, not rounded), so that the sentence and the
    table round it once, the same way; None where there is none to give."""
    if figure is None:
        return None
    if figure.suppressed or figure.count is None:
        return SUPPRESSED
    return figure.share  # None: base hidden or empty, no share can be given


def count_cell(figure: Figure | None) -> str:
    if figure is None:
        return DASH
    return fmt_int(figure.count) if not (figure.suppressed or figure.count is None) \
        else display_count(figure)


def pct_cell(figure: Figure | None) -> str:
    """The share of a figure as the sentences give it: rounded once from count and base."""
    value = share_value(figure)
    if value is None or value is SUPPRESSED:
        return DASH
    return fmt_share_cell(figure.count, figure.base)


def codes_of(year: int, population: str, item: str) -> list[str]:
    """The categories of a figure variable in the year's codebook, in codebook order."""
    book = codebooks.for_year(year)
    codebook_item = dict(ITEMS[population])[item]
    return categories(book, item, codebook_item)


def label_of(year: int, population: str, item: str, code: str) -> str:
    book = codebooks.for_year(year)
    codebook_item = dict(ITEMS[population])[item]
    if codebook_item is None:
        return {"yes": "ja", "no": "nee"}.get(code, code)
    return book.label(codebook_item, code)


def any_hidden(figures: list[Figure]) -> bool:
    return any(f.suppressed or f.count is None for f in figures)


def paragraphs(text: str) -> list[Paragraph]:
    """Plain text from a form as paragraphs: a blank line starts a new one. Never markup."""
    parts = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [Paragraph(" ".join(line.strip() for line in part.splitlines()).strip(),
                      editorial=True)
            for part in parts if part.strip()]


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[Figure | None]]], *,
              alt: str, base: str) -> Chart | None:
    """A horizontal bar chart of shares; hidden cells are drawn as gaps labelled with the neutral mark.

    None when there is nothing to draw (every value hidden or missing)."""
    built = []
    for name, figures in series:
        values, texts = [], []
        for f in figures:
            value = share_value(f)
            if value is None or value is SUPPRESSED:
                values.append(None)
                texts.append(HIDDEN_MARK if f is not None and f.suppressed else "")
            else:
                values.append(float(value))
                texts.append(f"{fmt_pct(value)}")
        if any(v is not None for v in values):
            built.append(Series(name, values, texts))
    if not built:
        return None
    spec = BarChart(title, labels, built, value_label=f"Percentage van {base}", unit="%")
    return Chart(spec, alt_text=alt, title=title)


def total_of(figure: Figure | None) -> int | None:
    """A published population total as a plain int, or None when hidden or absent."""
    value = count_value(figure)
    return value if isinstance(value, int) else None


def decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def breakdown_table(caption: str, year: int, population: str, item: str, current,
                    previous=None, *, previous_year: int | None = None,
                    mentions: bool = False, include_unknown: bool = True) -> Table:
    """One item as a table: category, count and share this year, share last year.

    Multi-answer items (`mentions=True`) also get the share of all mentions, unless a cell of
    the item is hidden: then the sum of mentions is not known, and no mention share is shown.
    """
    variable = f"{population}.{item}"
    codes = codes_of(year, population, item)
    figures = [current.get(variable, c) for c in codes]
    rows = []
    hidden = any_hidden([f for f in figures if f is not None])
    total_mentions = None
    if mentions and not hidden:
        total_mentions = sum(f.count for f in figures if f is not None)
    columns = ["Categorie", "Aantal", f"% {year}"]
    if mentions:
        columns.append("% vermeldingen")
    if previous is not None and previous_year is not None:
        columns.append(f"% {previous_year}")
    for code, f in zip(codes, figures, strict=True):
        if code == "unknown" and not include_unknown:
            continue
        row = [label_of(year, population, item, code), count_cell(f), pct_cell(f)]
        if mentions:
            if total_mentions and f is not None and not f.suppressed:
                row.append(fmt_share_cell(f.count, total_mentions))
            else:
                row.append(DASH)
        if previous is not None and previous_year is not None:
            row.append(pct_cell(previous.get(variable, code)))
        rows.append(row)
    if total_mentions:
        # The second base of a multi-answer item, as a row the text can point to.
        row = ["Alle vermeldingen", fmt_int(total_mentions), DASH, "100%"]
        if previous is not None and previous_year is not None:
            row.append(DASH)
        rows.append(row)
    notes = []
    if any(f is not None and (f.suppressed or f.count is None) for f in figures) or (
            previous is not None and previous_year is not None and any(
                (p := previous.get(variable, c)) is not None and p.suppressed for c in codes)):
        notes.append(HIDDEN_NOTE)
    if mentions:
        notes.append("Per persoon kunnen meerdere antwoorden zijn gegeven: de percentages van "
                     "de personen tellen daarom op tot meer dan 100%. De kolom '% vermeldingen' "
                     "deelt door het totaal aantal gegeven antwoorden.")
        if hidden:
            notes.append("Omdat een cel niet wordt getoond, is het totaal aantal vermeldingen "
                         "niet bekend; daarom staat er geen aandeel van de vermeldingen.")
    numeric = list(range(1, len(columns)))
    return Table(caption, columns, rows, notes=notes, numeric_columns=numeric)


# The key figures a site's or a municipality's report puts beside the national ones:
# (label, variable, category, a percentage?).
KEY_FIGURES = (
    ("MIM-moeders", "mothers.total", "all", False),
    ("Moeders die het programma beëindigden", "mothers_ended.total", "all", False),
    ("Van hen: hele programma afgerond (%)", "mothers_ended.end_reason", "completed", True),
    ("Moeders met een migratieachtergrond (%)", "mothers.migrant_background", "yes", True),
    ("Moeders van een tweede kind (%)", "mothers.child_order", "second", True),
    ("Vrijwilligers", "volunteers.total", "all", False),
    ("Vrijwilligers die stopten", "volunteers_stopped.total", "all", False),
    ("Vrijwilligers met een migratieachtergrond (%)", "volunteers.migrant_background", "yes",
     True),
)


PER_VOLUNTEER = "MIM-moeders per vrijwilliger"


def ratio_cell(numerator: int | None, denominator: int | None) -> str:
    """An average as the text gives it (text.ratio_sentence): only over at least 10 on both
    sides."""
    if numerator is None or denominator is None or numerator < MIN_PERSONS \
            or denominator < MIN_PERSONS:
        return DASH
    return fmt_decimal(Decimal(numerator) / Decimal(denominator))


def year_table(caption: str, own, previous, year: int) -> Table:
    """A scope's totals this year beside last year's, which the count sentences of the site and
    municipality reports state (compare_count, ratio_sentence)."""
    def ratio(figures) -> str:
        if figures is None:
            return DASH
        return ratio_cell(total_of(figures.get("mothers.total")),
                          total_of(figures.get("volunteers.total")))

    rows = [[label, count_cell(own.get(variable)),
             count_cell(previous.get(variable)) if previous is not None else DASH]
            for label, variable in (("MIM-moeders", "mothers.total"),
                                    ("Vrijwilligers", "volunteers.total"))]
    rows.append([PER_VOLUNTEER, ratio(own), ratio(previous)])
    return Table(caption, ["Kerncijfer", str(year), str(year - 1)], rows,
                 notes=[f"{DASH}: geen cijfer. Een gemiddelde staat er alleen als beide "
                        f"aantallen minstens {MIN_PERSONS} zijn."], numeric_columns=[1, 2])


def key_figure_rows(own, nl) -> list[list[str]]:
    """One row per key figure: its label, the scope's published cell and the nation's."""
    rows = []
    for label, variable, category, pct in KEY_FIGURES:
        cell = pct_cell if pct else count_cell
        rows.append([label, cell(own.get(variable, category)), cell(nl.get(variable, category))])
    return rows

"""What every section reads: this year's and last year's published figures, and the helpers
shared by the sections (ranked categories, breakdown sections, charts, answers with mentions)."""

from __future__ import annotations

from mim.figures.tidy import Figure
from mim.reports.building import (
    any_hidden,
    bar_chart,
    breakdown_table,
    codes_of,
    count_value,
    label_of,
    share_value,
    total_of,
)
from mim.reports.document import Chart, Paragraph, Section, Table
from mim.reports.selectors import WITHOUT_DATA, NationalInputs
from mim.reports.text import (
    SUPPRESSED,
    Noun,
    compare_count,
    compare_share,
    multi_answer_sentence,
    ranked_categories_sentence,
)

STATUS_TEXT = {"approved": "goedgekeurd", "provisional": "voorlopig", "missing": "geen gegevens",
               "submitted": "ingediend, nog niet goedgekeurd",
               "not_delivered": "niet aangeleverd"}
ENDED = Noun("moeder die het programma beëindigde", "moeders die het programma beëindigden")
STOPPED = Noun("vrijwilliger die stopte", "vrijwilligers die stopten")
SECOND = Noun("moeder van een tweede kind", "moeders van een tweede kind")


class Ctx:
    """The figures of this year and last year, and the sentences comparing them."""

    def __init__(self, inputs: NationalInputs):
        self.inputs = inputs
        self.year = inputs.year
        self.current = inputs.current
        self.previous = inputs.previous
        self.previous_year = inputs.year - 1

    def fig(self, variable: str, category: str = "all") -> Figure | None:
        return self.current.get(variable, category)

    def prev(self, variable: str, category: str = "all") -> Figure | None:
        p = self.previous
        if p is None or p.figures is None or (variable, category) in p.not_comparable:
            return None
        return p.get(variable, category)

    def prev_set(self):
        p = self.previous
        return p if p is not None and p.figures is not None else None

    def prev_total(self, variable: str):
        """Last year's total: computed figures, else the shipped series (totals only)."""
        found = self.prev(variable)
        if found is not None:
            return count_value(found)
        row = self.previous.history if self.previous is not None else None
        if row is None or row.source == "computed":
            return None
        return {"mothers.total": row.mothers, "volunteers.total": row.volunteers}.get(variable)

    def count_sentence(self, what, variable: str) -> str:
        return compare_count(what, count_value(self.fig(variable)), self.prev_total(variable),
                             year=self.year, previous_year=self.previous_year)

    def share_sentence(self, label: str, variable: str, category: str) -> str:
        return compare_share(label, share_value(self.fig(variable, category)),
                             share_value(self.prev(variable, category)),
                             year=self.year, previous_year=self.previous_year)

    def table(self, caption: str, population: str, item: str, **kw) -> Table:
        prev = self.prev_set()
        return breakdown_table(caption, self.year, population, item, self.current,
                               Mapped(self, prev) if prev else None,
                               previous_year=self.previous_year if prev else None, **kw)

    def has_data(self) -> bool:
        return self.current.has_data


class Mapped:
    """Last year's figures as the tables read them (not-comparable categories left out)."""

    def __init__(self, ctx: Ctx, previous):
        self.ctx = ctx

    def get(self, variable, category="all"):
        return self.ctx.prev(variable, category)


def sort_key(name: str) -> str:
    """Dutch alphabetical order: 's-Hertogenbosch is filed under H."""
    return name.casefold().removeprefix("'s-").removeprefix("\u2019s-")


def site_names(inputs: NationalInputs, status: str) -> list[str]:
    return sorted((s.name for s in inputs.sites if s.status == status and not s.is_group),
                  key=sort_key)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def site_values(ctx: Ctx, variable: str, category: str = "all") -> dict:
    """A published figure of every delivered site the report may show, by site name."""
    values = {}
    for s in ctx.inputs.sites:
        if s.figures is None or s.status in WITHOUT_DATA or s.is_group or s.group:
            continue  # a merged group is not a site; a site inside one is not published
        values[s.name] = count_value(s.figures.get(variable, category))
    return values


def ranked_sentence(ctx: Ctx, population: str, item: str, *, item_text: str, persons: str,
            quote: bool = False, state_unknown: bool = True) -> str:
    variable = f"{population}.{item}"
    codes = codes_of(ctx.year, population, item)
    counts = {quoted(label_of(ctx.year, population, item, c), quote):
              count_value(ctx.fig(variable, c)) for c in codes if c != "unknown"}
    unknown = count_value(ctx.fig(variable, "unknown")) if "unknown" in codes else 0
    base = total_of(ctx.fig(f"{population}.total"))
    if base is None or any(v is None for v in counts.values()) or unknown is None:
        return ""
    try:
        return ranked_categories_sentence(counts, item=item_text, unknown=unknown, base=base,
                                          persons=persons, state_unknown=state_unknown)
    except ValueError:
        # Figures that do not add up (never from the engine; an uploaded return could) get
        # their table but no ranking sentence, rather than no report at all.
        return ""


def quoted(label: str, quote: bool) -> str:
    return f"'{label}'" if quote else label


def largest_category_share(ctx: Ctx, population: str, item: str, label: str) -> str:
    """Compare the share of this year's largest category with last year (percentage points)."""
    variable = f"{population}.{item}"
    shown = [(c, ctx.fig(variable, c)) for c in codes_of(ctx.year, population, item)
             if c != "unknown"]
    shown = [(c, f) for c, f in shown if f is not None and not f.suppressed and f.count]
    if not shown or ctx.prev_set() is None:
        return ""
    code, _ = max(shown, key=lambda cf: cf[1].count)
    name = label_of(ctx.year, population, item, code)
    return ctx.share_sentence(label.format(name=name), variable, code)


def breakdown_section(ctx: Ctx, title: str, population: str, item: str, *, item_text: str,
                       persons: str, share_label: str, chart: bool = False) -> Section:
    blocks: list = []
    text = ranked_sentence(ctx, population, item, item_text=item_text, persons=persons)
    if text:
        blocks.append(Paragraph(text))
    compare = largest_category_share(ctx, population, item, share_label)
    if compare:
        blocks.append(Paragraph(compare))
    blocks.append(ctx.table(f"{title} ({who_of(population)}, {ctx.year})", population, item))
    if chart:
        made = chart_of(ctx, title, population, item)
        if made:
            blocks.append(made)
    return Section(title, blocks)


def who_of(population: str) -> str:
    return "MIM-moeders" if population.startswith("mothers") else "vrijwilligers"


def chart_of(ctx: Ctx, title: str, population: str, item: str) -> Chart | None:
    variable = f"{population}.{item}"
    codes = [c for c in codes_of(ctx.year, population, item) if c != "unknown"]
    labels = [label_of(ctx.year, population, item, c) for c in codes]
    series = [(str(ctx.year), [ctx.fig(variable, c) for c in codes])]
    if ctx.prev_set() is not None:
        series.append((str(ctx.previous_year), [ctx.prev(variable, c) for c in codes]))
    who = "MIM-moeders" if population.startswith("mothers") else "vrijwilligers"
    return bar_chart(f"{title}: percentage van de {who}", labels, series,
                     alt=f"Staafdiagram: {title.lower()} van de {who} in {ctx.year}"
                         f"{f' en {ctx.previous_year}' if len(series) > 1 else ''}, in procenten "
                         f"van alle {who}. De cijfers staan ook in de tabel erboven.")


def multi_sentences(ctx: Ctx, population: str, item: str, label_fmt: str, persons: str,
           mentions: str, top: int = 3) -> list[str]:
    variable = f"{population}.{item}"
    codes = codes_of(ctx.year, population, item)
    figures = [ctx.fig(variable, c) for c in codes]
    base = total_of(ctx.fig(f"{population}.total"))
    if base is None or any(f is None for f in figures):
        return []
    hidden = any_hidden(figures)
    # With a hidden cell the sum of mentions is unknown: no mention shares then (text.py).
    total_mentions = SUPPRESSED if hidden else sum(f.count for f in figures)
    shown = sorted(((c, f) for c, f in zip(codes, figures, strict=True)
                    if not f.suppressed and f.count), key=lambda cf: -cf[1].count)
    out = []
    for code, f in shown[:top]:
        label = label_fmt.format(name=label_of(ctx.year, population, item, code))
        out.append(multi_answer_sentence(label, f.count, base, total_mentions, persons=persons,
                                         mentions=mentions))
    if not shown:
        out.append(f"Er zijn bij de {persons} geen {mentions} genoemd die getoond kunnen "
                   f"worden.")
    return out

"""What every section reads: this year's and last year's published figures, and the helpers
shared by the sections (ranked categories, breakdown sections, charts, answers with mentions)."""

from __future__ import annotations

import functools

from mim.figures.tidy import Figure
from mim.organisations.names import sort_key
from mim.reports.building import (
    BASES,
    any_hidden,
    bar_chart,
    breakdown_table,
    codes_of,
    count_value,
    label_of,
    share_value,
    total_of,
)
from mim.reports.document import Chart, Paragraph, Ref, Section, Table
from mim.reports.selectors import WITHOUT_DATA, NationalInputs
from mim.reports.text import (
    SUPPRESSED,
    Noun,
    ShareChange,
    changes_sentence,
    compare_count,
    compare_share,
    fmt_int,
    mentions_base_sentence,
    most_mentioned_sentence,
    notable_share_change,
    ranked_categories_sentence,
    round_half_up,
    share_level_sentence,
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
        # Tables a later section's sentences point to (the site table of "Locaties").
        self.tables: dict[str, Table] = {}

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

    def published_previous(self):
        """Last year's published row when it stands in for the system's figures (no figures,
        or fewer settled sites than the published report: mim.figures.history.prefer)."""
        row = self.previous.history if self.previous is not None else None
        if row is None or row.source == "computed" or self.prev_set() is not None:
            return None
        return row

    def previous_sites(self) -> int | None:
        """How many sites were active last year: the system's, or the published report's."""
        published = self.published_previous()
        if published is not None and published.sites is not None:
            return published.sites
        return len(self.inputs.previous_sites) or None

    def count_sentence(self, what, variable: str) -> str:
        return compare_count(what, count_value(self.fig(variable)), self.prev_total(variable),
                             year=self.year, previous_year=self.previous_year)

    def share_sentence(self, label: str, variable: str, category: str) -> str:
        return compare_share(label, share_value(self.fig(variable, category)),
                             share_value(self.prev(variable, category)),
                             year=self.year, previous_year=self.previous_year)

    def share_sentence_notable(self, label: str, variable: str, category: str) -> str:
        """`share_sentence`, and whether a change is large enough to mean something. Without
        last year's figures at all the share alone (the introduction says why once)."""
        if self.prev_set() is None and self.previous is not None:
            return share_level_sentence(label, share_value(self.fig(variable, category)),
                                        year=self.year)
        sentence = self.share_sentence(label, variable, category)
        now, before = self.fig(variable, category), self.prev(variable, category)
        if now is None or before is None or now.share is None or before.share is None:
            return sentence
        if round_half_up(now.share) == round_half_up(before.share):
            return sentence
        if notable_share_change(now.count, now.base, before.count, before.base):
            return sentence
        return f"{sentence} Dat verschil is te klein om iets te betekenen."

    def table(self, caption: str, population: str, item: str, **kw) -> Table:
        prev = self.prev_set()
        caption = f"{caption}; percentages van {BASES[population]}"
        return breakdown_table(caption, self.year, population, item, self.current,
                               Mapped(self, prev) if prev else None,
                               previous_year=self.previous_year if prev else None, **kw)

    def has_data(self) -> bool:
        return self.current.has_data

    @functools.cached_property
    def key_table(self) -> Table:
        from mim.reports.national.keyfigures import key_figures_table

        return key_figures_table(self)

    def key(self, *rows: str) -> Ref:
        """Rows of the key-figures table, for a sentence that states them."""
        return Ref(self.key_table, rows)

    def notable_changes(self, population: str, item: str, label_fmt: str,
                        codes: list[str] | None = None) -> list[ShareChange] | None:
        """The categories whose share changed notably since last year (text.notable_share_change);
        None when there is no last year to compare with."""
        if self.prev_set() is None:
            return None
        variable = f"{population}.{item}"
        found = []
        for code in codes or codes_of(self.year, population, item):
            if code == "unknown":
                continue
            now, before = self.fig(variable, code), self.prev(variable, code)
            if now is None or before is None or now.share is None or before.share is None:
                continue
            if notable_share_change(now.count, now.base, before.count, before.base):
                label = label_fmt.format(name=label_of(self.year, population, item, code))
                found.append(ShareChange(label, before.share, now.share))
        return found


class Mapped:
    """Last year's figures as the tables read them (not-comparable categories left out)."""

    def __init__(self, ctx: Ctx, previous):
        self.ctx = ctx

    def get(self, variable, category="all"):
        return self.ctx.prev(variable, category)


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
                    quote: bool = False, state_unknown: bool = True, top: int = 4) -> str:
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
                                          persons=persons, state_unknown=state_unknown,
                                          top=top)
    except ValueError:
        # Figures that do not add up (never from the engine; an uploaded return could) get
        # their table but no ranking sentence, rather than no report at all.
        return ""


def quoted(label: str, quote: bool) -> str:
    return f"'{label}'" if quote else label


def breakdown_section(ctx: Ctx, title: str, population: str, item: str, *, item_text: str,
                      persons: str, share_label: str, chart: bool = False) -> Section:
    """A single-answer item: its largest groups and its notable changes in two or three
    sentences, the table with every category, and a chart where asked."""
    table = ctx.table(f"{title} ({who_of(population)}, {ctx.year})", population, item)
    blocks: list = []
    parts = [ranked_sentence(ctx, population, item, item_text=item_text, persons=persons,
                             top=3)]
    changes = ctx.notable_changes(population, item, share_label)
    if changes is not None:
        what = f"de verdeling naar {item_text.split(' ', 1)[1]}"
        parts.append(changes_sentence(changes, previous_year=ctx.previous_year, what=what))
    text = " ".join(p for p in parts if p)
    if text:
        blocks.append(Paragraph(text, refs=(Ref(table, [r[0] for r in table.rows]),)))
    blocks.append(table)
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
    base = BASES[population]
    total = total_of(ctx.fig(f"{population}.total"))
    counted = f" ({fmt_int(total)} in {ctx.year})" if total is not None else ""
    return bar_chart(f"{title}: percentage van {base}", labels, series, base=base,
                     alt=f"Staafdiagram: {title.lower()} in {ctx.year}"
                         f"{f' en {ctx.previous_year}' if len(series) > 1 else ''}, in procenten "
                         f"van {base}{counted}. De cijfers staan ook in de tabel erboven.")


def multi_paragraph(ctx: Ctx, population: str, item: str, table: Table, *, lead: str,
                    persons: str, mentions: str, label_fmt: str, top: int = 3) -> Paragraph | None:
    """A multi-answer item in a few sentences: the answers given most often (shares of the
    persons), both bases once, and the notable changes."""
    variable = f"{population}.{item}"
    codes = codes_of(ctx.year, population, item)
    figures = [ctx.fig(variable, c) for c in codes]
    base = total_of(ctx.fig(f"{population}.total"))
    if base is None or any(f is None for f in figures):
        return None
    hidden = any_hidden(figures)
    # With a hidden cell the sum of mentions is unknown (text.py).
    total_mentions = SUPPRESSED if hidden else sum(f.count for f in figures)
    shown = sorted(((c, f) for c, f in zip(codes, figures, strict=True)
                    if not f.suppressed and f.count and c != "unknown"),
                   key=lambda cf: -cf[1].count)
    ranked = [(quoted(label_of(ctx.year, population, item, c), True), f.count)
              for c, f in shown[:top]]
    parts = [most_mentioned_sentence(ranked, base=base, lead=lead, persons=persons),
             mentions_base_sentence(total_mentions, base, what=mentions, persons=persons)]
    changes = ctx.notable_changes(population, item, label_fmt)
    if changes:
        parts.append(changes_sentence(changes, previous_year=ctx.previous_year, what=mentions))
    return Paragraph(" ".join(parts), refs=(Ref(table, [r[0] for r in table.rows]),
                                            ctx.key(total_row(population))))


def total_row(population: str) -> str:
    """The key-figures row of a population's total."""
    from mim.reports.national import keyfigures

    return {"mothers": keyfigures.MOTHERS, "volunteers": keyfigures.VOLUNTEERS,
            "mothers_ended": keyfigures.ENDED, "volunteers_stopped": keyfigures.STOPPED
            }[population]

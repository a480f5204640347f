"""The coordinators section: it renders the tidy rows `coordinators.*` and
`ratios.volunteers_per_coordinator` (mim.figures.coordination) and counts nothing. Its table
holds every number its sentences state, and the sentences point to it (document.Ref)."""

from __future__ import annotations

from mim.codebook import codebooks
from mim.figures import standard
from mim.reports.building import DASH, total_of
from mim.reports.document import Paragraph, Ref, Section, Table
from mim.reports.national.context import Ctx
from mim.reports.text import (
    MIN_PERSONS,
    coordinator_list_sentence,
    coordinators_count_sentence,
    coordinators_delivered_sentence,
    fmt_decimal,
    fmt_hours,
    fmt_int,
    fmt_share,
    hours_statistics_sentence,
    per_coordinator_sentence,
    per_coordinator_shown,
    solo_sentence,
)

TOTAL = "Coördinatoren, ieder één keer geteld"
DELIVERED = "Van hen op locaties met gegevens"
ELSEWHERE = "Van hen alleen op locaties zonder gegevens"
HOURS = {"min": "Uren per week: minimaal", "median": "Uren per week: mediaan",
         "max": "Uren per week: maximaal"}
SOLO = "Enige coördinator op elke locatie waar zij werkt"
TEAM = "Op ten minste één locatie samen met een andere coördinator"
VOLUNTEERS = "Vrijwilligers op locaties met gegevens"
PER_COORDINATOR = "Vrijwilligers per coördinator (locaties met gegevens)"
KNOWN = "Met gegevens"
UNKNOWN = "Niet bekend"


def _count(figure) -> int:
    return figure.count if figure is not None and figure.count is not None else 0


def _value(ctx: Ctx, variable: str, category: str, *, previous: bool = False):
    f = ctx.prev(variable, category) if previous else ctx.fig(variable, category)
    return None if f is None or f.suppressed else f.value


def _number(figure) -> str:
    return DASH if figure is None or figure.count is None else fmt_int(figure.count)


def per_coordinator_cell(ctx: Ctx, *, previous: bool = False) -> str:
    """Volunteers per coordinator as a cell (here and in the key figures): the row's value
    where the section's sentence gives it (`per_coordinator_shown`), else a dash."""
    ratio = _value(ctx, standard.VOLUNTEERS_PER_COORDINATOR, "all", previous=previous)
    volunteers = ctx.prev_total("volunteers.total") if previous \
        else total_of(ctx.fig("volunteers.total"))
    delivered = ctx.prev("coordinators.delivered") if previous \
        else ctx.fig("coordinators.delivered")
    shown = per_coordinator_shown(ratio, volunteers if isinstance(volunteers, int) else None,
                                  _count(delivered))
    return fmt_decimal(ratio) if shown else DASH


def _table(ctx: Ctx, total: int, delivered: int, hours_shown: bool) -> Table:
    """The section's figures, this year beside last year."""
    def both(variable: str, category: str = "all") -> list[str]:
        return [_number(ctx.fig(variable, category)), _number(ctx.prev(variable, category))]

    def hours(category: str, previous: bool) -> str:
        value = _value(ctx, standard.COORDINATOR_HOURS, category, previous=previous)
        return fmt_hours(value) if value is not None else DASH

    before = ctx.prev("coordinators.total")
    before_delivered = ctx.prev("coordinators.delivered")
    rows = [[TOTAL, *both("coordinators.total")],
            [DELIVERED, *both("coordinators.delivered")],
            [ELSEWHERE, fmt_int(total - delivered),
             fmt_int(_count(before) - _count(before_delivered)) if before is not None
             and before_delivered is not None else DASH]]
    if hours_shown:
        rows += [[label, hours(category, False), hours(category, True)]
                 for category, label in HOURS.items()]
    rows += [[SOLO, *both("coordinators.works_solo", "yes")],
             [TEAM, *both("coordinators.works_solo", "no")],
             [VOLUNTEERS, _number(ctx.fig("volunteers.total")),
              _number(ctx.prev("volunteers.total"))],
             [PER_COORDINATOR, per_coordinator_cell(ctx), per_coordinator_cell(ctx,
                                                                               previous=True)]]
    return Table(f"Coördinatoren in {ctx.year} en {ctx.previous_year}",
                 ["Kerncijfer", str(ctx.year), str(ctx.previous_year)], rows,
                 notes=[f"{DASH}: geen cijfer. Wie op meer locaties werkt, telt één keer mee; "
                        f"haar uren zijn opgeteld over haar locaties."],
                 numeric_columns=[1, 2])


def coordinators_section(ctx: Ctx) -> Section:
    total = _count(ctx.fig("coordinators.total"))
    delivered = _count(ctx.fig("coordinators.delivered"))
    if not total:
        return Section("Coördinatoren", [Paragraph(
            f"Over {ctx.year} zijn er geen gegevens over de coördinatoren.")])
    previous = ctx.prev("coordinators.total")
    hours_text = hours_statistics_sentence(
        _value(ctx, standard.COORDINATOR_HOURS, "min"),
        _value(ctx, standard.COORDINATOR_HOURS, "median"),
        _value(ctx, standard.COORDINATOR_HOURS, "max"), delivered)
    hours_shown = delivered >= MIN_PERSONS \
        and _value(ctx, standard.COORDINATOR_HOURS, "min") is not None
    table = _table(ctx, total, delivered, hours_shown)
    refs = (Ref(table),)
    blocks: list = [Paragraph(coordinators_count_sentence(
        total, previous.count if previous is not None else None, year=ctx.year,
        previous_year=ctx.previous_year), refs=refs)]
    if delivered < total:
        blocks.append(Paragraph(coordinators_delivered_sentence(total, delivered,
                                                                year=ctx.year), refs=refs))
    if not delivered:
        return Section("Coördinatoren", [*blocks, table])
    blocks.append(Paragraph(hours_text, refs=refs))
    solo = solo_sentence(_count(ctx.fig("coordinators.works_solo", "yes")),
                         _count(ctx.fig("coordinators.works_solo", "no")))
    if solo:
        blocks.append(Paragraph(solo, refs=refs))
    ratio = per_coordinator_sentence(
        _value(ctx, standard.VOLUNTEERS_PER_COORDINATOR, "all"),
        total_of(ctx.fig("volunteers.total")), delivered)
    if ratio:
        blocks.append(Paragraph(ratio, refs=refs))
    blocks.append(table)
    background = [*_list_blocks(ctx, table, "Ervaring", "coordinators.experience",
                                "coordinator_experience", "de ervaring", delivered),
                  *_list_blocks(ctx, table, "Opleiding", "coordinators.training",
                                "coordinator_training", "de opleiding", delivered)]
    return Section("Coördinatoren", blocks,
                   subsections=[Section("Ervaring en opleiding", background)])


def _list_blocks(ctx: Ctx, main: Table, title: str, variable: str, item: str, what: str,
                 n: int) -> list:
    book = codebooks.for_year(ctx.year)
    unknown = _count(ctx.fig(variable, standard.UNKNOWN))
    known = n - unknown
    rows = []
    for code in book.codes(item):
        k = _count(ctx.fig(variable, code))
        rows.append([book.label(item, code), fmt_int(k),
                     fmt_share(k, known) if k and known else "0%" if known else DASH])
    # The bases the sentence names are rows too: those it is known of, and those it is not.
    rows += [[KNOWN, fmt_int(known), DASH], [UNKNOWN, fmt_int(unknown), DASH]]
    table = Table(f"{title} van de coördinatoren in {ctx.year}",
                  ["Categorie", "Coördinatoren",
                   f"% van de {fmt_int(known)} met gegevens" if known else "%"],
                  rows, numeric_columns=[1, 2])
    sentence = coordinator_list_sentence(known, n, unknown, what=what)
    return [Paragraph(sentence, refs=(Ref(table), Ref(main, (DELIVERED,)))), table]

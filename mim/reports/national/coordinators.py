"""The coordinators section: it renders the tidy rows `coordinators.*` and
`ratios.volunteers_per_coordinator` (mim.figures.coordination) and counts nothing."""

from __future__ import annotations

from mim.codebook import codebooks
from mim.figures import standard
from mim.reports.building import total_of
from mim.reports.document import Paragraph, Section, Table
from mim.reports.national.context import Ctx
from mim.reports.text import (
    coordinators_count_sentence,
    count_noun,
    fmt_int,
    fmt_share,
    hours_statistics_sentence,
    per_coordinator_sentence,
    solo_sentence,
)


def _count(figure) -> int:
    return figure.count if figure is not None and figure.count is not None else 0


def _value(ctx: Ctx, variable: str, category: str):
    f = ctx.fig(variable, category)
    return None if f is None or f.suppressed else f.value


def coordinators_section(ctx: Ctx) -> Section:
    total = _count(ctx.fig("coordinators.total"))
    delivered = _count(ctx.fig("coordinators.delivered"))
    if not total:
        return Section("Coördinatoren", [Paragraph(
            f"Over {ctx.year} zijn er geen gegevens over de coördinatoren.")])
    previous = ctx.prev("coordinators.total")
    blocks: list = [Paragraph(coordinators_count_sentence(
        total, previous.count if previous is not None else None, year=ctx.year,
        previous_year=ctx.previous_year))]
    if delivered < total:
        blocks.append(Paragraph(
            f"Van hen {'werkt' if delivered == 1 else 'werken'} er {fmt_int(delivered)} op "
            f"locaties die gegevens over {ctx.year} aanleverden; van "
            f"{count_noun(total - delivered, 'coördinatoren')} werken alleen op locaties "
            f"zonder gegevens. Wat hieronder volgt, gaat over de {fmt_int(delivered)}."
            if delivered else
            f"Geen van hen werkt op een locatie die gegevens over {ctx.year} aanleverde."))
    if not delivered:
        return Section("Coördinatoren", blocks)
    blocks.append(Paragraph(hours_statistics_sentence(
        _value(ctx, standard.COORDINATOR_HOURS, "min"),
        _value(ctx, standard.COORDINATOR_HOURS, "median"),
        _value(ctx, standard.COORDINATOR_HOURS, "max"), delivered)))
    solo = solo_sentence(_count(ctx.fig("coordinators.works_solo", "yes")),
                         _count(ctx.fig("coordinators.works_solo", "no")))
    if solo:
        blocks.append(Paragraph(solo))
    ratio = per_coordinator_sentence(
        _value(ctx, standard.VOLUNTEERS_PER_COORDINATOR, "all"),
        total_of(ctx.fig("volunteers.total")), delivered)
    if ratio:
        blocks.append(Paragraph(ratio))
    background = [*_list_blocks(ctx, "Ervaring", "coordinators.experience",
                                "coordinator_experience", "de ervaring", delivered),
                  *_list_blocks(ctx, "Opleiding", "coordinators.training",
                                "coordinator_training", "de opleiding", delivered)]
    return Section("Coördinatoren", blocks,
                   subsections=[Section("Ervaring en opleiding", background)])


def _list_blocks(ctx: Ctx, title: str, variable: str, item: str, what: str, n: int
                 ) -> list:
    book = codebooks.for_year(ctx.year)
    unknown = _count(ctx.fig(variable, standard.UNKNOWN))
    known = n - unknown
    rows = []
    for code in book.codes(item):
        k = _count(ctx.fig(variable, code))
        rows.append([book.label(item, code), fmt_int(k),
                     fmt_share(k, known) if k and known else "0%"])
    blocks: list = []
    if known:
        blocks.append(Paragraph(
            f"Over {what} zijn er gegevens van {fmt_int(known)} van de "
            f"{count_noun(n, 'coördinatoren')}; een coördinator kan meer dan één gebied "
            f"hebben." + (f" Van {count_noun(unknown, 'coördinatoren')} is dit niet bekend."
                          if unknown else "")))
        blocks.append(Table(f"{title} van de coördinatoren in {ctx.year}",
                            ["Categorie", "Coördinatoren",
                             f"% van de {fmt_int(known)} met gegevens"],
                            rows, numeric_columns=[1, 2]))
    else:
        blocks.append(Paragraph(f"Van de {count_noun(n, 'coördinatoren')} is {what} niet "
                                f"bekend."))
    return blocks

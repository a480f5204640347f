"""The opening sections: introduction and summary."""

from __future__ import annotations

from mim.reports.building import (
    count_cell,
    paragraphs,
    share_value,
    total_of,
)
from mim.reports.document import BulletList, Note, Paragraph, Section
from mim.reports.national.completeness import completeness_note
from mim.reports.national.context import Ctx
from mim.reports.text import (
    SUPPRESSED,
    fmt_int,
    fmt_pct,
    ratio_sentence,
)


def introduction_section(ctx: Ctx) -> Section:
    blocks: list = list(paragraphs(ctx.inputs.introduction))
    blocks.append(Paragraph(
        f"Dit rapport geeft de landelijke cijfers van Moeders Informeren Moeders over "
        f"{ctx.year}: de locaties en hun coördinatoren, de MIM-moeders die zij bereikten en de "
        f"vrijwilligers die de moeders bezochten. Waar het kan, staat het cijfer van "
        f"{ctx.previous_year} ernaast. Locaties kunnen hun eigen cijfers naast de landelijke "
        f"leggen met hun eigen locatierapport."))
    blocks.append(Paragraph(completeness_note(ctx)))
    if ctx.inputs.approved_only:
        blocks.append(Note("Alleen locaties met een goedgekeurde jaaropgave zijn meegeteld."))
    return Section("Inleiding", blocks)


def summary_section(ctx: Ctx) -> Section:
    items = []
    c = ctx.current.completeness
    items.append(f"Locaties: {fmt_int(c.expected)}, waarvan {fmt_int(c.delivered)} met "
                 f"gegevens.")
    coordinators = ctx.fig("coordinators.total")
    if coordinators is not None and coordinators.count:
        items.append(f"Coördinatoren: {fmt_int(coordinators.count)} (ieder één keer geteld).")
    for label, variable in (("MIM-moeders", "mothers.total"),
                            ("Moeders die het programma beëindigden", "mothers_ended.total"),
                            ("Vrijwilligers", "volunteers.total")):
        f = ctx.fig(variable)
        if f is not None:
            items.append(f"{label}: {count_cell(f)}.")
    for label, variable in (("MIM-moeders met een migratieachtergrond",
                             "mothers.migrant_background"),
                            ("Vrijwilligers met een migratieachtergrond",
                             "volunteers.migrant_background")):
        share = share_value(ctx.fig(variable, "yes"))
        if share is not None and share is not SUPPRESSED:
            items.append(f"{label}: {fmt_pct(share)} (van wie de afkomst bekend is).")
    ratio = ratio_sentence(total_of(ctx.fig("mothers.total")),
                           total_of(ctx.fig("volunteers.total")),
                           what="moeders", per="vrijwilligers")
    blocks: list = [Paragraph(f"De belangrijkste cijfers over {ctx.year} op een rij."),
                    BulletList(items)]
    if ratio:
        blocks.append(Paragraph(ratio))
    return Section("Samenvatting", blocks)

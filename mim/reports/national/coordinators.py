"""The coordinators section."""

from __future__ import annotations

from mim.reports.building import (
    total_of,
)
from mim.reports.document import BulletList, Paragraph, Section
from mim.reports.national.context import SITES_WITH_FACTS, Ctx, capitalise
from mim.reports.text import (
    compare_count,
    count_noun,
    hours_range_sentence,
    list_phrase,
    ratio_sentence,
)


def coordinators_section(ctx: Ctx) -> Section:
    facts = [f for f in ctx.inputs.facts if f.coordinator_hours]
    hours = [h for f in facts for h in f.coordinator_hours]
    blocks: list = []
    if not facts:
        blocks.append(Paragraph(f"Over {ctx.year} zijn er geen gegevens over de coördinatoren."))
        return Section("Coördinatoren", blocks)
    blocks.append(Paragraph(compare_count("coördinatoren", len(hours),
                                          ctx.inputs.previous_coordinators, year=ctx.year,
                                          previous_year=ctx.previous_year)))
    blocks.append(Paragraph(f"Dit aantal komt van {count_noun(len(facts), SITES_WITH_FACTS)}; "
                            f"wie op meer locaties werkt, telt op elke locatie mee."))
    blocks.append(Paragraph(hours_range_sentence(hours)))
    solo = sum(1 for f in facts if len(f.coordinator_hours) == 1)
    team = len(facts) - solo
    parts = []
    if solo:
        parts.append(f"op {count_noun(solo, 'locaties')} werkt één coördinator alleen")
    if team:
        parts.append(f"op {count_noun(team, 'locaties')} werken twee of meer coördinatoren "
                     f"samen")
    blocks.append(Paragraph(capitalise(list_phrase(parts)) + "."))
    volunteers = total_of(ctx.fig("volunteers.total"))
    ratio = ratio_sentence(volunteers, len(hours), what="vrijwilligers", per="coördinatoren")
    if ratio and volunteers is not None:
        blocks.append(Paragraph(f"Samen begeleiden zij {count_noun(volunteers, 'vrijwilligers')}"
                                f". {ratio}"))
    backgrounds = sorted({f.coordinator_background for f in ctx.inputs.facts
                          if f.coordinator_background}, key=str.casefold)
    sub = []
    if backgrounds:
        sub.append(Section("Ervaring en opleiding", [
            Paragraph("De locaties beschrijven de ervaring en opleiding van hun coördinatoren "
                      "als volgt:"), BulletList(backgrounds)]))
    return Section("Coördinatoren", blocks, subsections=sub)

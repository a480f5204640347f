"""The opening sections: introduction and summary."""

from __future__ import annotations

from mim.reports.building import (
    DASH,
    count_value,
    paragraphs,
    share_value,
    total_of,
)
from mim.reports.document import Note, Paragraph, Ref, Section
from mim.reports.national import keyfigures
from mim.reports.national.completeness import completeness_note
from mim.reports.national.context import Ctx
from mim.reports.text import (
    CountChange,
    ShareChange,
    notable_count_change,
    notable_share_change,
    summary_changes_sentence,
    summary_people_sentence,
    summary_reach_sentence,
    summary_sites_sentence,
)


def introduction_section(ctx: Ctx) -> Section:
    blocks: list = list(paragraphs(ctx.inputs.introduction))
    blocks.append(Paragraph(
        f"Dit rapport geeft de landelijke cijfers van Moeders Informeren Moeders over "
        f"{ctx.year}: de locaties en hun coördinatoren, de MIM-moeders die zij bereikten en de "
        f"vrijwilligers die de moeders bezochten. Waar het kan, staat het cijfer van "
        f"{ctx.previous_year} ernaast. Locaties kunnen hun eigen cijfers naast de landelijke "
        f"leggen met hun eigen locatierapport."))
    blocks.append(Paragraph(completeness_note(ctx), refs=(ctx.key(keyfigures.SITES,
                                                                  keyfigures.DELIVERED),)))
    if ctx.published_previous() is not None:
        blocks.append(Paragraph(
            f"Over {ctx.previous_year} heeft MIM Registratie alleen de kerncijfers uit het "
            f"gepubliceerde registratierapport; de verdelingen zijn daarom niet met "
            f"{ctx.previous_year} vergeleken."))
    if ctx.inputs.approved_only:
        blocks.append(Note("Alleen locaties met een goedgekeurde jaaropgave zijn meegeteld."))
    return Section("Inleiding", blocks)


def summary_section(ctx: Ctx) -> Section:
    """Connected sentences on sites and organisations, coordinators and volunteers, mothers per
    volunteer, reach, and the year's notable changes, beside the key-figures table."""
    key = ctx.key_table
    cells = {row[0]: row for row in key.rows}
    c = ctx.current.completeness
    organisations = len({s.organisation for s in ctx.inputs.sites if not s.is_group})

    def shown(row: str) -> str | None:
        value = cells[row][1]
        return None if value == DASH else value

    people = summary_people_sentence(
        keyfigures.coordinators(ctx, variable="coordinators.delivered"),
        count_value(ctx.fig("volunteers.total")), count_value(ctx.fig("mothers.total")),
        all_coordinators=keyfigures.coordinators(ctx),
        volunteers_per_coordinator=shown(keyfigures.VOLUNTEERS_PER_COORDINATOR),
        mothers_per_volunteer=shown(keyfigures.MOTHERS_PER_VOLUNTEER))
    reach = summary_reach_sentence(share_value(ctx.fig("mothers.migrant_background", "yes")),
                                   share_value(ctx.fig("volunteers.migrant_background", "yes")))
    parts = [summary_sites_sentence(c.expected, organisations, c.delivered, year=ctx.year),
             people, reach]
    if ctx.previous is not None and (ctx.prev_set() is not None or ctx.previous.history):
        parts.append(summary_changes_sentence(*notable_key_changes(ctx),
                                              previous_year=ctx.previous_year))
    blocks: list = [Paragraph(" ".join(p for p in parts if p), refs=(Ref(key),)), key]
    return Section("Samenvatting", blocks)


def notable_key_changes(ctx: Ctx) -> tuple[list[CountChange], list[ShareChange]]:
    counts = []
    for what, variable in (("het aantal MIM-moeders", "mothers.total"),
                           ("het aantal vrijwilligers", "volunteers.total"),
                           ("het aantal moeders dat het programma beëindigde",
                            "mothers_ended.total"),
                           ("het aantal vrijwilligers dat stopte", "volunteers_stopped.total")):
        now, before = total_of(ctx.fig(variable)), ctx.prev_total(variable)
        if isinstance(now, int) and isinstance(before, int) and notable_count_change(now, before):
            counts.append(CountChange(what, before, now))
    shares = []
    for label, variable in (("het aandeel moeders met een migratieachtergrond",
                             "mothers.migrant_background"),
                            ("het aandeel vrijwilligers met een migratieachtergrond",
                             "volunteers.migrant_background")):
        now, before = ctx.fig(variable, "yes"), ctx.prev(variable, "yes")
        if now is None or before is None or now.share is None or before.share is None:
            continue
        if notable_share_change(now.count, now.base, before.count, before.base):
            shares.append(ShareChange(label, before.share, now.share))
    return counts, shares

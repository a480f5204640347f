"""The volunteers' sections: background, work experience, turnover, policies."""

from __future__ import annotations

from mim.reports.building import (
    total_of,
)
from mim.reports.document import Paragraph, Section
from mim.reports.national.context import (
    STOPPED,
    Ctx,
    breakdown_section,
    multi_sentences,
    ranked_sentence,
)
from mim.reports.national.mothers import origin_section
from mim.reports.national.sites import fact_rows, site_fact_section
from mim.reports.text import (
    Noun,
    count_noun,
    known_fact_sentence,
    ratio_sentence,
)


def volunteers_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence("vrijwilligers", "volunteers.total"))]
    if not ctx.has_data():
        return Section("Vrijwilligers", blocks)
    mothers, volunteers = total_of(ctx.fig("mothers.total")), total_of(ctx.fig("volunteers.total"))
    ratio = ratio_sentence(mothers, volunteers, what="moeders", per="vrijwilligers")
    if ratio and mothers is not None and volunteers is not None:
        blocks.append(Paragraph(f"Zij bezochten samen {count_noun(mothers, 'MIM-moeders')}. "
                                f"{ratio}"))
    blocks.append(Paragraph(ctx.share_sentence(
        "het aandeel vrijwilligers dat zelf MIM-moeder is geweest",
        "volunteers.former_mim_mother", "yes")))
    subsections = [
        origin_section(ctx, "volunteers", "Herkomst en migratieachtergrond", "vrijwilligers"),
        breakdown_section(ctx, "Leeftijd", "volunteers", "age_group", item_text="de leeftijd",
                           persons="vrijwilligers",
                           share_label="het aandeel vrijwilligers in de leeftijdsgroep {name}"),
        breakdown_section(ctx, "Opleidingsniveau", "volunteers", "education",
                           item_text="het opleidingsniveau", persons="vrijwilligers",
                           share_label="het aandeel vrijwilligers met opleidingsniveau {name}"),
        work_experience_section(ctx),
        turnover_section(ctx),
        volunteer_facts_section(ctx),
    ]
    return Section("Vrijwilligers", blocks, subsections=subsections)


def work_experience_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph(t) for t in multi_sentences(
        ctx, "volunteers", "work_experience", "werkervaring in '{name}'", "vrijwilligers",
        "soorten werkervaring")]
    blocks.append(ctx.table(f"Werkervaring van vrijwilligers ({ctx.year})", "volunteers",
                            "work_experience", mentions=True))
    return Section("Werkervaring", blocks)


def turnover_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence(STOPPED, "volunteers_stopped.total"))]
    stopped = total_of(ctx.fig("volunteers_stopped.total"))
    if stopped:
        text = ranked_sentence(ctx, "volunteers_stopped", "end_reason", item_text="de reden",
                       persons="vrijwilligers", quote=True)
        if text:
            blocks.append(Paragraph(text))
        blocks.append(ctx.table(f"Redenen om te stoppen ({ctx.year})", "volunteers_stopped",
                                "end_reason"))
    return Section("Verloop", blocks)


def volunteer_facts_section(ctx: Ctx) -> Section:
    """The organisations' policies for volunteers, from the rows `facts.*` (counted per
    organisation: they hold for all its sites)."""
    section = site_fact_section(ctx, "Vergoeding, overeenkomst en VOG", "reimbursement",
                                "de vergoeding voor vrijwilligers",
                                "Een organisatie kan meer soorten vergoeding geven.")
    for fact, does, what, question in (
            ("volunteer_agreement", Noun("werkt met", "werken met"),
             "een vrijwilligersovereenkomst", "met een vrijwilligersovereenkomst werken"),
            ("vog_required", Noun("vraagt", "vragen"),
             "vrijwilligers een Verklaring Omtrent Gedrag (VOG) bij de start",
             "vrijwilligers een VOG vragen")):
        counts, _known, unknown, unit = fact_rows(ctx, fact)
        by_code = {code: k for code, _label, k in counts}
        if not sum(by_code.values()) and not unknown:
            continue
        section.blocks.append(Paragraph(known_fact_sentence(
            by_code.get("yes", 0), by_code.get("no", 0), unknown, unit=unit, does=does,
            what=what, question=question)))
    activities = site_fact_section(ctx, "Groepsactiviteiten", "group_activities",
                                   "de groepsactiviteiten",
                                   "Een locatie kan meer soorten activiteiten hebben.")
    return Section(section.title, section.blocks, subsections=[activities])

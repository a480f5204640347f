"""The volunteers' sections: background, work experience, turnover, policies."""

from __future__ import annotations

from mim.reports.building import (
    total_of,
)
from mim.reports.document import Paragraph, Ref, Section
from mim.reports.national import keyfigures
from mim.reports.national.context import (
    SITES_WITH_FACTS,
    STOPPED,
    Ctx,
    breakdown_section,
    chart_of,
    multi_paragraph,
    ranked_sentence,
)
from mim.reports.national.mothers import origin_section
from mim.reports.national.sites import site_fact_section
from mim.reports.text import (
    changes_sentence,
    count_noun,
    fmt_int,
    fmt_share,
    ratio_sentence,
)


def volunteers_section(ctx: Ctx) -> Section:
    blocks: list = []
    parts = [ctx.count_sentence("vrijwilligers", "volunteers.total")]
    refs = [ctx.key(keyfigures.VOLUNTEERS)]
    if not ctx.has_data():
        return Section("Vrijwilligers", [Paragraph(parts[0], refs=tuple(refs))])
    mothers, volunteers = total_of(ctx.fig("mothers.total")), total_of(ctx.fig("volunteers.total"))
    ratio = ratio_sentence(mothers, volunteers, what="moeders", per="vrijwilligers")
    if ratio and mothers is not None and volunteers is not None:
        parts.append(f"Zij bezochten samen {count_noun(mothers, 'MIM-moeders')}. {ratio}")
        refs += [ctx.key(keyfigures.MOTHERS, keyfigures.MOTHERS_PER_VOLUNTEER)]
    parts.append(ctx.share_sentence_notable(
        "het aandeel vrijwilligers dat zelf MIM-moeder is geweest",
        "volunteers.former_mim_mother", "yes"))
    refs.append(ctx.key(keyfigures.FORMER))
    blocks.append(Paragraph(" ".join(parts), refs=tuple(refs)))
    subsections = [
        origin_section(ctx, "volunteers", "Herkomst en migratieachtergrond", "vrijwilligers"),
        breakdown_section(ctx, "Leeftijd", "volunteers", "age_group", item_text="de leeftijd",
                          persons="vrijwilligers", chart=True,
                          share_label="het aandeel vrijwilligers van {name}"),
        breakdown_section(ctx, "Opleidingsniveau", "volunteers", "education",
                          item_text="het opleidingsniveau", persons="vrijwilligers", chart=True,
                          share_label="het aandeel vrijwilligers met opleidingsniveau '{name}'"),
        work_experience_section(ctx),
        turnover_section(ctx),
        volunteer_facts_section(ctx),
    ]
    return Section("Vrijwilligers", blocks, subsections=subsections)


def work_experience_section(ctx: Ctx) -> Section:
    table = ctx.table(f"Werkervaring van vrijwilligers ({ctx.year})", "volunteers",
                      "work_experience", mentions=True)
    made = multi_paragraph(ctx, "volunteers", "work_experience", table,
                           lead="als werkervaring", persons="vrijwilligers",
                           mentions="soorten werkervaring",
                           label_fmt="het aandeel vrijwilligers met werkervaring in '{name}'")
    return Section("Werkervaring", ([made] if made else []) + [table])


def turnover_section(ctx: Ctx) -> Section:
    count = ctx.count_sentence(STOPPED, "volunteers_stopped.total")
    stopped = total_of(ctx.fig("volunteers_stopped.total"))
    if not stopped:
        return Section("Verloop", [Paragraph(count, refs=(ctx.key(keyfigures.STOPPED),))])
    table = ctx.table(f"Redenen om te stoppen ({ctx.year})", "volunteers_stopped", "end_reason")
    parts = [count, ranked_sentence(ctx, "volunteers_stopped", "end_reason",
                                    item_text="de reden", persons="vrijwilligers", quote=True,
                                    top=3)]
    changes = ctx.notable_changes("volunteers_stopped", "end_reason",
                                  "het aandeel met als reden '{name}'")
    if changes is not None:
        parts.append(changes_sentence(changes, previous_year=ctx.previous_year,
                                      what="de verdeling naar reden"))
    parts.append(f"De percentages zijn van de {count_noun(stopped, STOPPED)}.")
    blocks: list = [Paragraph(" ".join(p for p in parts if p),
                              refs=(ctx.key(keyfigures.STOPPED), Ref(table))), table]
    made = chart_of(ctx, "Redenen om te stoppen", "volunteers_stopped", "end_reason")
    if made:
        blocks.append(made)
    return Section("Verloop", blocks)


def volunteer_facts_section(ctx: Ctx) -> Section:
    facts = ctx.inputs.facts
    section = site_fact_section(ctx, "Vergoeding, overeenkomst en VOG", "reimbursement",
                                 "de vergoeding voor vrijwilligers",
                                 "Een locatie kan meer soorten vergoeding geven.")
    if facts:
        n = len(facts)
        for attribute, text, one, more in (
                ("volunteer_agreement", "Met een vrijwilligersovereenkomst", "werkt", "werken"),
                ("vog_required", "Een Verklaring Omtrent Gedrag (VOG) bij de start", "vraagt",
                 "vragen")):
            yes = sum(1 for f in facts if getattr(f, attribute) == "yes")
            unknown = sum(1 for f in facts if getattr(f, attribute) not in ("yes", "no"))
            share = f" ({fmt_share(yes, n)})" if yes else ""
            sentence = (f"{text} {one if yes == 1 else more} {fmt_int(yes)} van de "
                        f"{count_noun(n, SITES_WITH_FACTS)}{share}.")
            if unknown:
                sentence += f" Van {count_noun(unknown, 'locaties')} is dit niet bekend."
            section.blocks.append(Paragraph(sentence))
    activities = site_fact_section(ctx, "Groepsactiviteiten", "group_activities",
                                    "de groepsactiviteiten",
                                    "Een locatie kan meer soorten activiteiten hebben.")
    section.subsections = []
    return Section(section.title, section.blocks, subsections=[activities])

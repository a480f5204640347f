"""The volunteers' sections: background, work experience, turnover, policies."""

from __future__ import annotations

from mim.reports.building import (
    DASH,
    total_of,
)
from mim.reports.document import Paragraph, Ref, Section, Table
from mim.reports.national import keyfigures
from mim.reports.national.context import (
    STOPPED,
    Ctx,
    breakdown_section,
    chart_of,
    multi_paragraph,
    ranked_sentence,
)
from mim.reports.national.mothers import origin_section
from mim.reports.national.sites import fact_rows, site_fact_section
from mim.reports.text import (
    Noun,
    changes_sentence,
    count_noun,
    fmt_int,
    fmt_share,
    known_fact_sentence,
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
    """The organisations' policies for volunteers, from the rows `facts.*` (counted per
    organisation: they hold for all its sites)."""
    section = site_fact_section(ctx, "Vergoeding, overeenkomst en VOG", "reimbursement",
                                "de vergoeding voor vrijwilligers",
                                "Een organisatie kan meer soorten vergoeding geven.")
    rows, sentences = [], []
    for fact, label, does, what, question, negative in (
            ("volunteer_agreement", "Vrijwilligersovereenkomst", Noun("werkt met", "werken met"),
             "een vrijwilligersovereenkomst", "met een vrijwilligersovereenkomst werken",
             "werkt niet met een vrijwilligersovereenkomst"),
            ("vog_required", "VOG bij de start", Noun("vraagt", "vragen"),
             "vrijwilligers een Verklaring Omtrent Gedrag (VOG) bij de start",
             "vrijwilligers een VOG vragen",
             "vraagt vrijwilligers geen Verklaring Omtrent Gedrag (VOG) bij de start")):
        counts, known, unknown, unit = fact_rows(ctx, fact)
        by_code = {code: k for code, _label, k in counts}
        if not known and not unknown:
            continue
        yes = by_code.get("yes", 0)
        rows.append([label, fmt_int(yes), fmt_int(by_code.get("no", 0)), fmt_int(known),
                     fmt_int(unknown), fmt_share(yes, known) if yes else "0%" if known
                     else DASH])
        sentences.append(known_fact_sentence(yes, by_code.get("no", 0), unknown, unit=unit,
                                             does=does, what=what, question=question,
                                             negative=negative))
    if rows:
        table = Table(f"Vrijwilligersovereenkomst en VOG in {ctx.year}",
                      ["Beleid", "Ja", "Nee", "Bekend", "Niet bekend", "% ja van bekend"],
                      rows, notes=[f"Aantallen {unit}. {DASH}: geen cijfer."],
                      numeric_columns=[1, 2, 3, 4, 5])
        section.blocks += [*(Paragraph(text, refs=(Ref(table),)) for text in sentences),
                           table]
    activities = site_fact_section(ctx, "Groepsactiviteiten", "group_activities",
                                   "de groepsactiviteiten",
                                   "Een locatie kan meer soorten activiteiten hebben.")
    return Section(section.title, section.blocks, subsections=[activities])

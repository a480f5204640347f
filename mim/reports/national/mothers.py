"""The mothers' sections: background, circumstances, second child, endings."""

from __future__ import annotations

from mim.figures import standard
from mim.reports.building import (
    count_value,
    share_value,
    total_of,
)
from mim.reports.document import Note, Paragraph, Section
from mim.reports.national.context import (
    ENDED,
    SECOND,
    Ctx,
    breakdown_section,
    chart_of,
    multi_sentences,
    ranked_sentence,
    site_values,
    who_of,
)
from mim.reports.national.municipalities import largest_municipality_sentence
from mim.reports.text import (
    compare_count,
    count_noun,
    fmt_int,
    fmt_pct,
    migrant_background_sentence,
    multi_answer_note,
    range_sentence,
)


def mothers_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence("MIM-moeders", "mothers.total"))]
    if not ctx.has_data():
        return Section("MIM-moeders", blocks)
    sites = site_values(ctx, "mothers.total")
    if sites:
        blocks.append(Paragraph(range_sentence(sites, subject="het aantal MIM-moeders")))
    largest = largest_municipality_sentence(ctx)
    if largest:
        blocks.append(Paragraph(largest))
    subsections = [
        origin_section(ctx, "mothers", "Herkomst en migratieachtergrond", "moeders"),
        breakdown_section(ctx, "Leeftijd", "mothers", "age_group", item_text="de leeftijd",
                           persons="moeders", chart=True,
                           share_label="het aandeel moeders in de leeftijdsgroep {name}"),
        breakdown_section(ctx, "Opleidingsniveau", "mothers", "education",
                           item_text="het opleidingsniveau", persons="moeders", chart=True,
                           share_label="het aandeel moeders met opleidingsniveau {name}"),
        breakdown_section(ctx, "Gezinssamenstelling", "mothers", "household",
                           item_text="de gezinssamenstelling", persons="moeders", chart=True,
                           share_label="het aandeel moeders in de groep '{name}'"),
        breakdown_section(ctx, "Inkomen", "mothers", "income_source",
                           item_text="de inkomstenbron", persons="moeders", chart=True,
                           share_label="het aandeel moeders met als inkomstenbron '{name}'"),
        circumstances_section(ctx),
        second_child_section(ctx),
    ]
    return Section("MIM-moeders", blocks, subsections=subsections)


def origin_section(ctx: Ctx, population: str, title: str, persons: str) -> Section:
    total = total_of(ctx.fig(f"{population}.total"))
    blocks: list = []
    if total is not None:
        blocks.append(Paragraph(migrant_background_sentence(
            share_value(ctx.fig(f"{population}.migrant_background", "yes")),
            count_value(ctx.fig(f"{population}.origin", "unknown")), total, persons=persons)))
    blocks.append(Paragraph(ctx.share_sentence(
        f"het aandeel {persons} met een migratieachtergrond", f"{population}.migrant_background",
        "yes")))
    # The sentence on migrant background already says how many have an unknown origin.
    ranked = ranked_sentence(ctx, population, "origin", item_text="de afkomst", persons=persons,
                     state_unknown=False)
    if ranked:
        blocks.append(Paragraph(ranked))
    countries = ctx.fig(standard.COUNTRIES_OF_BIRTH)
    if population == "mothers" and countries is not None and countries.count \
            and total and total >= 10:
        lead = "ten minste " if not ctx.inputs.countries_complete else ""
        blocks.append(Paragraph(
            f"De moeders zijn geboren in {lead}{fmt_int(countries.count)} verschillende "
            f"landen (voor zover het geboorteland is geregistreerd)."))
    blocks.append(Note("Een migratieachtergrond betekent hier: een andere afkomst dan "
                       "Nederlands. Het percentage is berekend over wie een bekende afkomst "
                       "heeft; een onbekende afkomst telt nergens als migratieachtergrond."))
    blocks.append(ctx.table(f"Herkomst ({who_of(population)}, {ctx.year})", population,
                            "origin"))
    made = chart_of(ctx, "Herkomst", population, "origin")
    if made:
        blocks.append(made)
    return Section(title, blocks)


def circumstances_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph("Bij de start wordt vastgelegd in welke omstandigheden moeder en "
                              "baby verkeren. Hieronder de omstandigheden die het vaakst "
                              "genoemd zijn.")]
    for text in multi_sentences(ctx, "mothers", "mother_circumstances", "de omstandigheid '{name}'",
                       "moeders", "omstandigheden van de moeder"):
        blocks.append(Paragraph(text))
    for text in multi_sentences(ctx, "mothers", "baby_circumstances", "de omstandigheid '{name}' bij "
                       "de baby", "moeders", "omstandigheden van de baby"):
        blocks.append(Paragraph(text))
    blocks.append(Note(multi_answer_note("moeders", "omstandigheden")))
    for title, item in (("Omstandigheden van de moeder", "mother_circumstances"),
                        ("Omstandigheden van de baby", "baby_circumstances")):
        blocks.append(ctx.table(f"{title} ({ctx.year})", "mothers", item, mentions=True))
        made = chart_of(ctx, title, "mothers", item)
        if made:
            blocks.append(made)
    return Section("Omstandigheden van moeder en baby", blocks)


def second_child_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph(compare_count(
        SECOND, count_value(ctx.fig("mothers.child_order", "second")),
        count_value(ctx.prev("mothers.child_order", "second")), year=ctx.year,
        previous_year=ctx.previous_year))]
    blocks.append(Paragraph(ctx.share_sentence("het aandeel moeders van een tweede kind",
                                               "mothers.child_order", "second")))
    # Rows of the publication (data standard version 2): the number of sites with any
    # second-child mother counts sites, so it is shown even where their own counts are hidden;
    # the range of shares is over the sites published on their own.
    sites_with = ctx.fig(standard.SITES_WITH_SECOND_CHILD)
    if sites_with is not None and sites_with.base:
        sentence = (f"Op {count_noun(sites_with.count, 'locaties')} van de "
                    f"{fmt_int(sites_with.base)} met gegevens zijn moeders van een tweede kind "
                    f"bereikt.")
        low, high = (ctx.fig(standard.SECOND_CHILD_SHARE, c) for c in ("min", "max"))
        if low is not None and high is not None and low.value is not None \
                and high.value is not None and low.base and low.base > 1:
            sentence += (f" Hun aandeel ligt per locatie tussen {fmt_pct(low.value)} en "
                         f"{fmt_pct(high.value)} (over de {fmt_int(low.base)} locaties waarvan "
                         f"het cijfer getoond wordt).")
        blocks.append(Paragraph(sentence))
    pregnant = ctx.share_sentence("het aandeel moeders dat bij de start zwanger was",
                                  "mothers.pregnant_at_start", "yes")
    blocks.append(Paragraph(pregnant))
    blocks.append(ctx.table(f"Welk kind ({ctx.year})", "mothers", "child_order"))
    return Section("Moeders van een tweede kind en zwangere moeders", blocks)


def endings_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence(ENDED, "mothers_ended.total"))]
    ended = total_of(ctx.fig("mothers_ended.total"))
    if ended:
        blocks.append(Paragraph(ctx.share_sentence(
            "het aandeel van deze moeders dat het hele programma van 18 maanden afrondde",
            "mothers_ended.end_reason", "completed")))
        text = ranked_sentence(ctx, "mothers_ended", "end_reason", item_text="de reden",
                       persons="moeders", quote=True)
        if text:
            blocks.append(Paragraph(text))
        blocks.append(ctx.table(f"Redenen van beëindiging ({ctx.year})", "mothers_ended",
                                "end_reason"))
        made = chart_of(ctx, "Redenen van beëindiging", "mothers_ended", "end_reason")
        if made:
            blocks.append(made)
    return Section("Afronding en beëindiging", blocks)

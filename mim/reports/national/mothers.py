"""The mothers' sections: background, circumstances, second child, endings.

Each section says in two to four sentences what matters (the largest groups, the changes
against last year that are large enough to mean something: text.notable_share_change) and
names its bases once; its table carries every category. Each sentence points to the table
rows its numbers come from (document.Ref).
"""

from __future__ import annotations

from mim.figures import standard
from mim.reports.building import (
    DASH,
    count_value,
    share_value,
    total_of,
)
from mim.reports.document import Note, Paragraph, Ref, Section, Table
from mim.reports.national import keyfigures
from mim.reports.national.context import (
    ENDED,
    SECOND,
    Ctx,
    breakdown_section,
    chart_of,
    multi_paragraph,
    ranked_sentence,
    site_values,
    who_of,
)
from mim.reports.national.municipalities import municipalities_blocks
from mim.reports.selectors import WITHOUT_DATA
from mim.reports.text import (
    changes_sentence,
    count_noun,
    count_sentence,
    fmt_int,
    fmt_share_cell,
    migrant_background_sentence,
    multi_answer_note,
    published_share_sentence,
    range_sentence,
    round_half_up,
    share_range_sentence,
)


def mothers_section(ctx: Ctx) -> Section:
    blocks: list = [Paragraph(ctx.count_sentence("MIM-moeders", "mothers.total"),
                              refs=(ctx.key(keyfigures.MOTHERS),))]
    if not ctx.has_data():
        return Section("MIM-moeders", blocks)
    sites = site_values(ctx, "mothers.total")
    if sites and "sites" in ctx.tables:
        blocks.append(Paragraph(range_sentence(sites, subject="het aantal MIM-moeders"),
                                refs=(Ref(ctx.tables["sites"]),)))
    blocks += municipalities_blocks(ctx)
    subsections = [
        origin_section(ctx, "mothers", "Herkomst en migratieachtergrond", "moeders"),
        breakdown_section(ctx, "Leeftijd", "mothers", "age_group", item_text="de leeftijd",
                          persons="moeders", chart=True,
                          share_label="het aandeel moeders van {name}"),
        breakdown_section(ctx, "Opleidingsniveau", "mothers", "education",
                          item_text="het opleidingsniveau", persons="moeders", chart=True,
                          share_label="het aandeel moeders met opleidingsniveau '{name}'"),
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


MIGRANT_ROWS = {"yes": "Met een migratieachtergrond", "no": "Zonder migratieachtergrond"}
KNOWN_ROW = "Afkomst bekend"


def migrant_table(ctx: Ctx, population: str) -> Table:
    """Migrant background with its own base: the persons whose origin is known."""
    table = ctx.table(f"Migratieachtergrond ({who_of(population)}, {ctx.year})", population,
                      "migrant_background")
    table.caption = (f"Migratieachtergrond ({who_of(population)}, {ctx.year}); percentages "
                     f"van wie de afkomst bekend is")
    for row, code in zip(table.rows, ("yes", "no"), strict=True):
        row[0] = MIGRANT_ROWS[code]
    yes = ctx.fig(f"{population}.migrant_background", "yes")
    if yes is not None and yes.base is not None:
        previous = ctx.prev(f"{population}.migrant_background", "yes")
        row = [KNOWN_ROW, fmt_int(yes.base), "100%"]
        if len(table.columns) > 3:
            row.append(fmt_int(previous.base) if previous is not None and previous.base
                       else DASH)
        table.rows.append(row)
    return table


def origin_section(ctx: Ctx, population: str, title: str, persons: str) -> Section:
    total = total_of(ctx.fig(f"{population}.total"))
    origin = ctx.table(f"Herkomst ({who_of(population)}, {ctx.year})", population, "origin")
    migrant = migrant_table(ctx, population)
    total_row, migrant_row = ((keyfigures.MOTHERS, keyfigures.MOTHERS_MIGRANT)
                              if population == "mothers"
                              else (keyfigures.VOLUNTEERS, keyfigures.VOLUNTEERS_MIGRANT))
    refs = (Ref(migrant), Ref(origin), ctx.key(total_row, migrant_row))
    parts = []
    if total is not None:
        parts.append(migrant_background_sentence(
            share_value(ctx.fig(f"{population}.migrant_background", "yes")),
            count_value(ctx.fig(f"{population}.origin", "unknown")), total, persons=persons))
    published = ctx.published_previous()
    if ctx.prev_set() is not None:
        parts.append(ctx.share_sentence_notable(
            f"het aandeel {persons} met een migratieachtergrond",
            f"{population}.migrant_background", "yes"))
    elif published is not None:
        before = (published.pct_migrant_mothers if population == "mothers"
                  else published.pct_migrant_volunteers)
        if before is not None:
            parts.append(published_share_sentence(before, year=ctx.previous_year))
    blocks: list = [Paragraph(" ".join(parts), refs=refs)]
    # The sentence on migrant background already says how many have an unknown origin.
    ranked = ranked_sentence(ctx, population, "origin", item_text="de afkomst", persons=persons,
                             state_unknown=False, top=3)
    countries = ctx.fig(standard.COUNTRIES_OF_BIRTH)
    if population == "mothers" and countries is not None and countries.count \
            and total and total >= 10:
        lead = "ten minste " if not ctx.inputs.countries_complete else ""
        ranked += (f" De moeders zijn geboren in {lead}{fmt_int(countries.count)} verschillende "
                   f"landen (voor zover het geboorteland is geregistreerd).")
    if ranked.strip():
        blocks.append(Paragraph(ranked.strip(), refs=(Ref(origin), ctx.key(
            keyfigures.COUNTRIES))))
    blocks.append(Note("Een migratieachtergrond betekent hier: een andere afkomst dan "
                       "Nederlands. Het percentage is berekend over wie een bekende afkomst "
                       "heeft; een onbekende afkomst telt nergens als migratieachtergrond."))
    blocks += [migrant, origin]
    made = chart_of(ctx, "Herkomst", population, "origin")
    if made:
        blocks.append(made)
    return Section(title, blocks)


def circumstances_section(ctx: Ctx) -> Section:
    mother = ctx.table(f"Omstandigheden van de moeder ({ctx.year})", "mothers",
                       "mother_circumstances", mentions=True)
    baby = ctx.table(f"Omstandigheden van de baby ({ctx.year})", "mothers",
                     "baby_circumstances", mentions=True)
    blocks: list = [Paragraph("Bij de start legt de coördinator vast in welke omstandigheden "
                              "moeder en baby verkeren.")]
    for table, item, lead, label in (
            (mother, "mother_circumstances", "bij de moeder",
             "het aandeel moeders met '{name}'"),
            (baby, "baby_circumstances", "bij de baby",
             "het aandeel moeders met bij de baby '{name}'")):
        made = multi_paragraph(ctx, "mothers", item, table, lead=lead, persons="moeders",
                               mentions="omstandigheden", label_fmt=label)
        if made:
            blocks.append(made)
    blocks.append(Note(multi_answer_note("moeders", "omstandigheden")))
    for table, title, item in ((mother, "Omstandigheden van de moeder", "mother_circumstances"),
                               (baby, "Omstandigheden van de baby", "baby_circumstances")):
        blocks.append(table)
        made = chart_of(ctx, title, "mothers", item)
        if made:
            blocks.append(made)
    return Section("Omstandigheden van moeder en baby", blocks)


SITES_WITH_ROW = "Locaties met moeders van een tweede kind"
LOWEST_ROW = "Laagste aandeel op een locatie"
HIGHEST_ROW = "Hoogste aandeel op een locatie"
SHOWN_ROW = "Locaties waarvan het aandeel getoond wordt"
UNSHOWN_ROW = "Locaties waarvan het aantal niet apart getoond wordt"


def second_child_unshown(ctx: Ctx) -> int:
    """Sites with data whose count of second-child mothers is not shown on its own (merged
    into a group, or hidden): `sites.with_second_child` does not count them, so it is a
    lower bound when there are any (mim.publication.build). Its base counts every site with
    data; the sites shown on their own are found in the publication's site rows."""
    sites_with = ctx.fig(standard.SITES_WITH_SECOND_CHILD)
    if sites_with is None or not sites_with.base:
        return 0
    shown = 0
    for s in ctx.inputs.sites:
        if s.is_group or s.group or s.figures is None:
            continue  # a group, or a site merged into one: no count of its own
        f = s.figures.get(*standard.SECOND_CHILD)
        shown += f is not None and not f.suppressed and f.count is not None
    return max(0, sites_with.base - shown)


def second_child_shares(ctx: Ctx) -> list:
    """The exact share of second-child mothers at every site published on its own."""
    shares = []
    for s in ctx.inputs.sites:
        if s.figures is None or s.status in WITHOUT_DATA or s.is_group or s.group:
            continue
        f = s.figures.get(*standard.SECOND_CHILD)
        if f is not None and f.share is not None:
            shares.append(f.share)
    return shares


def second_child_table(ctx: Ctx) -> Table | None:
    """Second-child mothers over the sites: the number of sites with any, among those whose
    count is shown on its own (from the publication), how many are not shown that way, and
    the range of shares over the sites published on their own, each rounded once from its
    counts."""
    sites_with = ctx.fig(standard.SITES_WITH_SECOND_CHILD)
    if sites_with is None or not sites_with.base:
        return None
    shares = second_child_shares(ctx)
    unshown = second_child_unshown(ctx)
    rows = [[SITES_WITH_ROW, fmt_int(sites_with.count), fmt_int(sites_with.base),
             DASH if unshown else fmt_share_cell(sites_with.count, sites_with.base)]]
    if unshown:
        rows.append([UNSHOWN_ROW, fmt_int(unshown), fmt_int(sites_with.base), DASH])
    if len(shares) > 1:
        rows += [[LOWEST_ROW, DASH, DASH, f"{fmt_int(round_half_up(min(shares)))}%"],
                 [HIGHEST_ROW, DASH, DASH, f"{fmt_int(round_half_up(max(shares)))}%"],
                 [SHOWN_ROW, fmt_int(len(shares)), fmt_int(sites_with.base), DASH]]
    return Table(f"Moeders van een tweede kind per locatie ({ctx.year})",
                 ["", "Locaties", "Van de locaties met gegevens", "%"], rows,
                 notes=["Aandeel: van alle MIM-moeders van de locatie. Het laagste en hoogste "
                        "aandeel zijn van de locaties die apart gepubliceerd worden."]
                 + (["Locaties waarvan het aantal niet apart getoond wordt, tellen in de "
                     "eerste rij niet mee: het aantal locaties met moeders van een tweede "
                     "kind is dus minstens zo groot."] if unshown else []),
                 numeric_columns=[1, 2, 3])


def second_child_section(ctx: Ctx) -> Section:
    child = ctx.table(f"Welk kind ({ctx.year})", "mothers", "child_order")
    pregnant = ctx.table(f"Zwanger bij de start ({ctx.year})", "mothers", "pregnant_at_start")
    sites = second_child_table(ctx)
    # The count alone: last year's count is not in the table (its share is), and the share
    # is what compares across years of different size.
    parts = [count_sentence(SECOND, count_value(ctx.fig(*standard.SECOND_CHILD)),
                            year=ctx.year),
             ctx.share_sentence_notable("het aandeel moeders van een tweede kind",
                                        *standard.SECOND_CHILD)]
    refs: list = [Ref(child, ["tweede kind"])]
    if sites is not None:
        sites_with = ctx.fig(standard.SITES_WITH_SECOND_CHILD)
        shares = second_child_shares(ctx)
        parts.append(share_range_sentence(
            sites_with.count, sites_with.base,
            [round_half_up(x) for x in shares], what=SECOND,
            unshown=second_child_unshown(ctx)))
        refs.append(Ref(sites))
    blocks: list = [Paragraph(" ".join(parts), refs=tuple(refs))]
    blocks.append(Paragraph(ctx.share_sentence_notable(
        "het aandeel moeders met een zwangerschap bij de start", "mothers.pregnant_at_start",
        "yes"),
        refs=(Ref(pregnant),)))
    blocks += [child] + ([sites] if sites is not None else []) + [pregnant]
    return Section("Moeders van een tweede kind en zwangere moeders", blocks)


def endings_section(ctx: Ctx) -> Section:
    blocks: list = []
    ended = total_of(ctx.fig("mothers_ended.total"))
    count = ctx.count_sentence(ENDED, "mothers_ended.total")
    if not ended:
        return Section("Afronding en beëindiging", [Paragraph(count, refs=(
            ctx.key(keyfigures.ENDED),))])
    table = ctx.table(f"Redenen van beëindiging ({ctx.year})", "mothers_ended", "end_reason")
    parts = [count, ranked_sentence(ctx, "mothers_ended", "end_reason", item_text="de reden",
                                    persons="moeders", quote=True, top=3)]
    changes = ctx.notable_changes("mothers_ended", "end_reason",
                                  "het aandeel met als reden '{name}'")
    if changes is not None:
        parts.append(changes_sentence(changes, previous_year=ctx.previous_year,
                                      what="de verdeling naar reden"))
    parts.append(f"De percentages zijn van de {count_noun(ended, ENDED)}.")
    blocks.append(Paragraph(" ".join(p for p in parts if p),
                            refs=(ctx.key(keyfigures.ENDED), Ref(table))))
    blocks.append(table)
    made = chart_of(ctx, "Redenen van beëindiging", "mothers_ended", "end_reason")
    if made:
        blocks.append(made)
    return Section("Afronding en beëindiging", blocks)

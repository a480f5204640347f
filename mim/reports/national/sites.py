"""Sites and organisations: the site table, target group, financing and variants."""

from __future__ import annotations

from collections import defaultdict

from mim.codebook import codebooks
from mim.figures import standard
from mim.figures.standard import HIDDEN_MARK
from mim.organisations.names import sort_key
from mim.reports.building import (
    DASH,
    HIDDEN_NOTE,
    count_cell,
)
from mim.reports.document import BulletList, Paragraph, Ref, Section, Table
from mim.reports.national import keyfigures
from mim.reports.national.context import STATUS_TEXT, Ctx, capitalise
from mim.reports.text import (
    compare_count,
    completeness_sentence,
    count_noun,
    fact_mentions_sentence,
    fmt_int,
    fmt_share,
    list_phrase,
    no_facts_sentence,
    variant_regular_sentence,
    variant_sentence,
    variant_unknown_sentence,
)


def sites_section(ctx: Ctx) -> Section:
    inputs = ctx.inputs
    c = ctx.current.completeness
    previous_expected = ctx.previous_sites()
    blocks: list = [Paragraph(compare_count("locaties", c.expected, previous_expected,
                                            year=ctx.year, previous_year=ctx.previous_year),
                              refs=(ctx.key(keyfigures.SITES),))]
    by_organisation: dict[str, list[str]] = defaultdict(list)
    for s in sorted(inputs.sites, key=lambda s: sort_key(s.name)):
        if not s.is_group:
            by_organisation[s.organisation].append(s.name)
    if by_organisation:
        blocks.append(Paragraph(
            f"De locaties vallen onder {count_noun(len(by_organisation), 'organisaties')}:",
            refs=(ctx.key(keyfigures.ORGANISATIONS),)))
        blocks.append(BulletList([f"{org}: {list_phrase(names)}" for org, names in sorted(
            by_organisation.items(), key=lambda kv: sort_key(kv[0]))]))
    if inputs.previous_sites:
        current = {s.code for s in inputs.sites}
        new = sorted((s.name for s in inputs.sites
                      if s.code not in inputs.previous_sites and not s.is_group), key=sort_key)
        stopped = sorted((name for code, name in inputs.previous_sites.items()
                          if code not in current), key=sort_key)
        blocks.append(Paragraph(
            f"Nieuw in {ctx.year}: {list_phrase(new)}." if new
            else f"Er zijn in {ctx.year} geen nieuwe locaties bijgekomen.", names=new))
        blocks.append(Paragraph(
            f"Gestopt na {ctx.previous_year}: {list_phrase(stopped)}." if stopped
            else f"Geen enkele locatie van {ctx.previous_year} is gestopt.", names=stopped))
    blocks.append(Paragraph(completeness_sentence(c.delivered, c.expected, year=ctx.year),
                            refs=(ctx.key(keyfigures.SITES, keyfigures.DELIVERED),)))
    rows = []
    # A site under 10 mothers is in the table only inside its merged group, which comes last.
    listed = sorted((s for s in inputs.sites if not s.group),
                    key=lambda s: (s.is_group, sort_key(s.name)))
    for s in listed:
        figures = s.figures
        name = f"{s.name} ({list_phrase(sorted(s.members, key=sort_key))})" if s.is_group \
            else s.name
        rows.append([name, STATUS_TEXT[s.status],
                     count_cell(figures.get("mothers.total")) if figures else "–",
                     count_cell(figures.get("volunteers.total")) if figures else "–"])
    if rows:
        notes = ["Voorlopig: uit de lopende registratie; de jaaropgave is nog niet "
                 "goedgekeurd."]
        if any(HIDDEN_MARK in row for row in rows):
            notes.append(HIDDEN_NOTE)
        table = Table(f"Locaties in {ctx.year}", ["Locatie", "Status", "MIM-moeders",
                                                  "Vrijwilligers"],
                      rows, notes=notes, numeric_columns=[2, 3])
        ctx.tables["sites"] = table  # the mothers' range over sites points to it
        blocks.append(table)
    subsections = [target_group_section(ctx), site_fact_section(
        ctx, "Financiering", "financing", "de financiering", "Een locatie kan meer dan één "
        "geldbron hebben."), variants_section(ctx)]
    return Section("Locaties en organisaties", blocks, subsections=subsections)


def target_group_section(ctx: Ctx) -> Section:
    """The sites' own words about their target group (text, not a figure: no number)."""
    facts = [f for f in ctx.inputs.facts if f.target_group]
    if not facts:
        return Section("Doelgroep", [Paragraph(f"Over {ctx.year} zijn er geen gegevens over de "
                                               f"doelgroep.")])
    by_text: dict[str, list[str]] = defaultdict(list)
    for f in facts:
        by_text[f.target_group].append(f.name)
    blocks: list = []
    if len(by_text) == 1:
        (text, names), = by_text.items()
        blocks.append(Paragraph(f"{capitalise(list_phrase(names))} omschrijven hun doelgroep "
                                f"als volgt:" if len(names) > 1 else
                                f"{names[0]} omschrijft de doelgroep als volgt:",
                                names=(*names, capitalise(names[0]))))
        blocks.append(BulletList([text]))
    else:
        blocks.append(Paragraph("De locaties omschrijven hun doelgroep zo:"))
        blocks.append(BulletList([f"{text} ({list_phrase(names)})"
                                  for text, names in sorted(by_text.items(),
                                                            key=lambda kv: -len(kv[1]))]))
    return Section("Doelgroep", blocks)


def fact_rows(ctx: Ctx, fact: str) -> tuple[list[tuple[str, str, int]], int, int, str]:
    """A fact's tidy rows `facts.<fact>`: (code, label, count) per code, the units known, the
    units not known, and the unit's plural noun ("locaties" or "organisaties")."""
    book = codebooks.for_year(ctx.year)
    variable = f"facts.{fact}"
    unit = "organisaties" if standard.fact_unit(variable) == "organisation" else "locaties"
    counts = []
    unknown = 0
    base = 0
    for category in standard.fact_categories(book, fact):
        f = ctx.fig(variable, category)
        k = f.count if f is not None and f.count is not None else 0
        base = f.base if f is not None and f.base is not None else base
        if category == standard.UNKNOWN:
            unknown = k
        else:
            label = book.label("yes_no", category) if fact in standard.YES_NO_FACTS \
                else book.label(fact, category)
            counts.append((category, label, k))
    return counts, base - unknown, unknown, unit


KNOWN = "Waarvan het bekend is"
UNKNOWN = "Niet bekend"


def fact_table(ctx: Ctx, caption: str, counts: list[tuple[str, str, int]], known: int,
               unknown: int, unit: str) -> Table:
    """A fact's rows: each code with its units and their share of the units of which it is
    known, and the two bases its sentences name (known, not known)."""
    rows = [[label, fmt_int(k), (fmt_share(k, known) if k else "0%") if known else DASH]
            for _code, label, k in counts]
    rows += [[KNOWN, fmt_int(known), DASH], [UNKNOWN, fmt_int(unknown), DASH]]
    return Table(caption, ["Categorie", capitalise(unit),
                           f"% van de {fmt_int(known)} waarvan het bekend is" if known
                           else "%"], rows, numeric_columns=[1, 2])


def site_fact_section(ctx: Ctx, title: str, fact: str, what: str, multi_note: str
                      ) -> Section:
    counts, known, unknown, unit = fact_rows(ctx, fact)
    if not known and not unknown:
        return Section(title, [Paragraph(no_facts_sentence(ctx.year, what))])
    table = fact_table(ctx, f"{capitalise(what)} in {ctx.year}", counts, known, unknown, unit)
    ranked = sorted(((label, k) for _code, label, k in counts), key=lambda p: -p[1])
    return Section(title, [Paragraph(fact_mentions_sentence(ranked, known, unknown, unit=unit,
                                                            note=multi_note),
                                     refs=(Ref(table),)), table])


def variants_section(ctx: Ctx) -> Section:
    counts, known, unknown, unit = fact_rows(ctx, "variant")
    if not known and not unknown:
        return Section("Uitvoeringsvariant", [Paragraph(
            no_facts_sentence(ctx.year, "de uitvoeringsvariant"))])
    table = fact_table(ctx, f"Uitvoeringsvariant in {ctx.year}", counts, known, unknown, unit)
    refs = (Ref(table),)
    blocks: list = []
    regular = next((k for code, _label, k in counts if code == "regular"), 0)
    if regular:
        blocks.append(Paragraph(variant_regular_sentence(regular, unit=unit), refs=refs))
    for code, label, k in counts:
        if code == "regular" or not k:
            continue
        names = sorted((f.name for f in ctx.inputs.facts if code in f.variant), key=sort_key)
        blocks.append(Paragraph(variant_sentence(label, k, names, unit=unit), refs=refs,
                                names=names))
    if unknown:
        blocks.append(Paragraph(variant_unknown_sentence(unknown, unit=unit), refs=refs))
    blocks.append(table)
    return Section("Uitvoeringsvariant", blocks)

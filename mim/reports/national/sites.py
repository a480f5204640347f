"""Sites and organisations: the site table, target group, financing and variants."""

from __future__ import annotations

from collections import Counter, defaultdict

from mim.codebook import codebooks
from mim.figures.standard import HIDDEN_MARK
from mim.reports.building import (
    HIDDEN_NOTE,
    count_cell,
)
from mim.reports.document import BulletList, Paragraph, Section, Table
from mim.reports.national import keyfigures
from mim.reports.national.context import STATUS_TEXT, Ctx, capitalise, sort_key
from mim.reports.selectors import SiteFacts
from mim.reports.text import (
    compare_count,
    completeness_sentence,
    count_noun,
    fmt_int,
    fmt_share,
    list_phrase,
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
            else f"Er zijn in {ctx.year} geen nieuwe locaties bijgekomen."))
        blocks.append(Paragraph(
            f"Gestopt na {ctx.previous_year}: {list_phrase(stopped)}." if stopped
            else f"Geen enkele locatie van {ctx.previous_year} is gestopt."))
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


def facts_intro(ctx: Ctx, what: str) -> str:
    n, expected = len(ctx.inputs.facts), len(ctx.inputs.sites)
    if n == expected:
        return f"Alle {count_noun(n, 'locaties')} hebben gegevens over {what} aangeleverd."
    return f"Over {what} zijn er gegevens van {fmt_int(n)} van de {count_noun(expected, 'locaties')}."


def target_group_section(ctx: Ctx) -> Section:
    facts = ctx.inputs.facts
    if not facts:
        return Section("Doelgroep", [Paragraph(f"Over {ctx.year} zijn er geen gegevens over de "
                                               f"doelgroep.")])
    by_text: dict[str, list[str]] = defaultdict(list)
    for f in facts:
        if f.target_group:
            by_text[f.target_group].append(f.name)
    blocks: list = [Paragraph(facts_intro(ctx, "de doelgroep"))]
    if len(by_text) == 1:
        (text, names), = by_text.items()
        who = ("Alle locaties met gegevens omschrijven" if len(names) == len(facts)
               else f"{capitalise(count_noun(len(names), 'locaties'))} omschrijven")
        blocks.append(Paragraph(f"{who} hun doelgroep als volgt:"))
        blocks.append(BulletList([text]))
    elif by_text:
        blocks.append(Paragraph("De locaties omschrijven hun doelgroep zo:"))
        blocks.append(BulletList([f"{text} ({list_phrase(names)})"
                                  for text, names in sorted(by_text.items(),
                                                            key=lambda kv: -len(kv[1]))]))
    return Section("Doelgroep", blocks)


def fact_counts(facts: tuple[SiteFacts, ...], attribute: str) -> Counter:
    counts: Counter = Counter()
    for f in facts:
        counts.update(set(getattr(f, attribute)))
    return counts


def site_fact_section(ctx: Ctx, title: str, attribute: str, what: str, multi_note: str
                       ) -> Section:
    facts = ctx.inputs.facts
    book = codebooks.for_year(ctx.year)
    if not facts:
        return Section(title, [Paragraph(f"Over {ctx.year} zijn er geen gegevens over {what}.")])
    counts = fact_counts(facts, attribute)
    n = len(facts)
    blocks: list = [Paragraph(facts_intro(ctx, what))]
    ranked = [(book.label(attribute, code), k) for code, k in counts.most_common()]
    if ranked:
        parts = [f"{label} ({count_noun(k, 'locaties')}, {fmt_share(k, n)})"
                 for label, k in ranked]
        blocks.append(Paragraph(f"Genoemd: {list_phrase(parts)}. {multi_note}"))
    rows = [[book.label(attribute, code), fmt_int(counts.get(code, 0)),
             fmt_share(counts.get(code, 0), n) if counts.get(code, 0) else "0%"]
            for code in book.codes(attribute)]
    blocks.append(Table(f"{capitalise(what)} in {ctx.year}",
                        ["Categorie", "Locaties", f"% van de {fmt_int(n)} locaties met gegevens"],
                        rows, numeric_columns=[1, 2]))
    return Section(title, blocks)


def variants_section(ctx: Ctx) -> Section:
    facts = ctx.inputs.facts
    book = codebooks.for_year(ctx.year)
    if not facts:
        return Section("Uitvoeringsvariant", [Paragraph(
            f"Over {ctx.year} zijn er geen gegevens over de uitvoeringsvariant.")])
    blocks: list = [Paragraph(facts_intro(ctx, "de uitvoeringsvariant"))]
    regular = [f.name for f in facts if "regular" in f.variant]
    if regular:
        blocks.append(Paragraph(
            f"{capitalise(count_noun(len(regular), 'locaties'))} "
            f"{'voert' if len(regular) == 1 else 'voeren'} het reguliere programma uit."))
    for code in book.codes("variant"):
        if code == "regular":
            continue
        names = [f.name for f in facts if code in f.variant]
        if names:
            blocks.append(Paragraph(
                f"MIM {book.label('variant', code)}: {list_phrase(names)}."))
    return Section("Uitvoeringsvariant", blocks)

"""Which sites the figures come from: the concept note, the completeness note and the section
"Over de cijfers"."""

from __future__ import annotations

from mim.organisations.names import sort_key
from mim.reports.document import Paragraph, Section
from mim.reports.national.context import Ctx, site_names
from mim.reports.selectors import NationalInputs
from mim.reports.text import (
    completeness_sentence,
    count_noun,
    fmt_int,
    list_phrase,
    notable_rule,
)

# The cover's concept note names at most this many sites of a status (the programme's 20-odd
# fit in its box); more it counts, and "Over de cijfers" names them: with 2,000 provisional
# sites the names ran off the cover.
COVER_NAMES = 30


def concept_note(ctx: Ctx) -> str:
    c = ctx.current.completeness
    if c.approved == 0:
        status = (f"nog geen van de {fmt_int(c.expected)} jaaropgaven over {ctx.year} is "
                  f"goedgekeurd.")
    else:
        status = (f"{fmt_int(c.approved)} van de {fmt_int(c.expected)} jaaropgaven over "
                  f"{ctx.year} {'is' if c.approved == 1 else 'zijn'} goedgekeurd.")
    parts = [f"Dit is een conceptversie: {status}"]
    counted = False
    for kind, named, numbered in (
            ("provisional", "Voorlopige cijfers (uit de lopende registratie) van: {}.",
             "Voorlopige cijfers (uit de lopende registratie) van {}."),
            ("submitted", "Ingediend, nog niet goedgekeurd: {}.",
             "Ingediend, nog niet goedgekeurd: {}."),
            ("missing", "Nog geen gegevens van: {}.", "Nog geen gegevens van {}.")):
        names = site_names(ctx.inputs, kind)
        if len(names) > COVER_NAMES:
            parts.append(numbered.format(count_noun(len(names), "locaties")))
            counted = True
        elif names:
            parts.append(named.format(list_phrase(names)))
    not_delivered = site_names(ctx.inputs, "not_delivered")
    if len(not_delivered) > COVER_NAMES:
        parts.append(f"Niet aangeleverd: {count_noun(len(not_delivered), 'locaties')}.")
        counted = True
    elif not_delivered:
        parts.append(f"Niet aangeleverd: {without_data_phrase(ctx.inputs, ctx.year)}.")
    if counted:
        parts.append("De namen staan onder 'Over de cijfers'.")
    return " ".join(parts)


def without_data_phrase(inputs: NationalInputs, year: int) -> str:
    """The sites marked not delivered and why: those that ended in the year together ("A en B
    zijn eind 2014 gestopt"), the others each with the office's reason."""
    marked = [s for s in inputs.sites if s.status == "not_delivered" and not s.is_group]
    stopped = sorted((s.name for s in marked if s.stopped), key=sort_key)
    parts = []
    if stopped:
        parts.append(f"{list_phrase(stopped)} {'is' if len(stopped) == 1 else 'zijn'} "
                     f"eind {year} gestopt")
    for s in sorted((s for s in marked if not s.stopped), key=lambda s: sort_key(s.name)):
        parts.append(f"{s.name}: {s.reason}" if s.reason else s.name)
    return "; ".join(parts)


def completeness_note(ctx: Ctx) -> str:
    """E.g. "De cijfers over 2014 komen van 23 van de 26 locaties; Emmeloord, Steenwijkerland en
    Hengelo zijn eind 2014 gestopt." """
    c = ctx.current.completeness
    sentence = completeness_sentence(c.delivered, c.expected, year=ctx.year)
    why = without_data_phrase(ctx.inputs, ctx.year)
    return f"{sentence.removesuffix('.')}; {why}." if why else sentence


def about_section(ctx: Ctx) -> Section:
    c = ctx.current.completeness
    blocks: list = [Paragraph(completeness_note(ctx))]
    if c.expected:
        if c.approved == 0:
            approved = (f"Van geen enkele locatie is de jaaropgave over {ctx.year} al "
                        f"goedgekeurd; er liggen dus nog geen cijfers vast.")
        elif c.approved == c.expected:
            approved = (f"Van alle {count_noun(c.expected, 'locaties')} is de jaaropgave "
                        f"goedgekeurd; de cijfers liggen vast.")
        elif c.final:
            approved = (f"Van alle {count_noun(c.approved, 'locaties')} die gegevens "
                        f"aanleverden is de jaaropgave goedgekeurd; de cijfers liggen vast.")
        else:
            approved = (f"Van {fmt_int(c.approved)} van de {count_noun(c.expected, 'locaties')}"
                        f" is de jaaropgave goedgekeurd; die cijfers liggen vast.")
        blocks.append(Paragraph(approved))
    provisional = site_names(ctx.inputs, "provisional")
    if provisional:
        blocks.append(Paragraph(
            f"Voorlopig, uit de lopende registratie: {list_phrase(provisional)}. Deze cijfers "
            f"kunnen nog veranderen."))
    submitted = site_names(ctx.inputs, "submitted")
    if submitted:
        blocks.append(Paragraph(f"Ingediend, nog niet goedgekeurd (nog zonder cijfers in dit "
                                f"rapport): {list_phrase(submitted)}."))
    missing = site_names(ctx.inputs, "missing")
    if missing:
        blocks.append(Paragraph(f"Zonder gegevens over {ctx.year}: {list_phrase(missing)}."))
    blocks += [
        Paragraph("Een moeder telt mee in een jaar als zij in dat jaar aan het programma "
                  "deelnam, ook als zij eerder begon. Hetzelfde geldt voor vrijwilligers. "
                  "Percentages zijn afgerond op hele procenten, één keer, uit de aantallen: "
                  "tekst en tabellen geven daarom altijd hetzelfde percentage. Verschillen "
                  "tussen twee percentages staan in procentpunten. Elk percentage zegt waarvan "
                  "het een deel is: van alle MIM-moeders, van de moeders die het programma "
                  "beëindigden, van de vrijwilligers of van de vrijwilligers die stopten; bij "
                  "migratieachtergrond van wie de afkomst bekend is."),
        Paragraph(notable_rule()),
        Paragraph("Om de privacy te beschermen staat in de tabellen een × waar een aantal niet "
                  "getoond wordt: een klein aantal, of een aantal dat een klein aantal uit de "
                  "andere cijfers terug zou laten rekenen. Locaties met minder dan 10 moeders "
                  "staan samen als 'overige locaties'. Een verborgen cijfer wordt nergens in de "
                  "tekst genoemd."),
    ]
    return Section("Over de cijfers", blocks)

"""A municipality's report: its sites together beside the national figures.

For the funder: the municipality that pays for its sites and wants them in one report. Every
figure is a published one: the municipality scope and the national scope as the stored
publication holds them (jointly suppressed and audited, docs/publication.md), so the report
says nothing the funder's dashboard does not. A site with fewer than 10 mothers is published
only inside its merged group ("Overige locaties ..."); here, as in the national site table, it
appears only inside that group, with the group's figures and never with figures of its own.

`build_municipality_report(inputs)` is a pure function of `MunicipalityInputs`
(mim.reports.selectors), as the other builders are.
"""

from __future__ import annotations

from mim.codebook import codebooks
from mim.figures.standard import HIDDEN_MARK
from mim.organisations.names import sort_key
from mim.reports.building import (
    DASH,
    HIDDEN_NOTE,
    PER_VOLUNTEER,
    codes_of,
    count_cell,
    count_value,
    key_figure_rows,
    label_of,
    pct_cell,
    share_value,
    total_of,
    year_table,
)
from mim.reports.document import Note, Paragraph, Ref, Report, Section, Table
from mim.reports.national.context import STATUS_TEXT
from mim.reports.selectors import MunicipalityInputs
from mim.reports.site_report import DELIVERED, KEY_LABELS, SITES
from mim.reports.text import (
    compare_count,
    completeness_sentence,
    fmt_int,
    list_phrase,
    range_sentence,
    ratio_sentence,
    reference_share_sentence,
)

MOTHER_ITEMS = (("Herkomst", "origin"), ("Leeftijd", "age_group"),
                ("Opleidingsniveau", "education"), ("Gezinssamenstelling", "household"),
                ("Inkomen", "income_source"), ("Welk kind", "child_order"),
                ("Omstandigheden van de moeder", "mother_circumstances"),
                ("Omstandigheden van de baby", "baby_circumstances"))
VOLUNTEER_ITEMS = (("Herkomst", "origin"), ("Leeftijd", "age_group"),
                   ("Opleidingsniveau", "education"),
                   ("Zelf MIM-moeder geweest", "former_mim_mother"),
                   ("Werkervaring", "work_experience"))
MULTI = ("mother_circumstances", "baby_circumstances", "work_experience")


def build_municipality_report(inputs: MunicipalityInputs) -> Report:
    c = inputs.figures.completeness
    national = inputs.national.completeness
    concept = not c.final or not national.final
    note = None
    if concept:
        parts = []
        if not c.final:
            parts.append(f"Nog niet alle jaaropgaven van de locaties in {inputs.name} over "
                         f"{inputs.year} zijn goedgekeurd.")
        if not national.final:
            parts.append("De landelijke cijfers zijn nog voorlopig: nog niet alle jaaropgaven "
                         "zijn goedgekeurd.")
        note = "Dit is een conceptversie. " + " ".join(parts)
    key_figures = _key_figures(inputs)
    key = next(b for b in key_figures.blocks if isinstance(b, Table))
    sections = [_introduction(inputs, key), key_figures, _sites(inputs)]
    if inputs.figures.has_data:
        sections += [_population(inputs, "mothers", "MIM-moeders", MOTHER_ITEMS, "moeders",
                                 ended=("mothers_ended", "Redenen van beëindiging")),
                     _population(inputs, "volunteers", "Vrijwilligers", VOLUNTEER_ITEMS,
                                 "vrijwilligers",
                                 ended=("volunteers_stopped", "Redenen om te stoppen"))]
    sections.append(_about(inputs, key))
    return Report(
        title=f"Registratie {inputs.year}: gemeente {inputs.name}",
        subtitle="Moeders Informeren Moeders (MIM): de locaties van de gemeente naast het "
                 "landelijk beeld",
        year=inputs.year, concept=concept, concept_note=note, sections=sections,
        colophon=[f"Gemeente {inputs.name}",
                  "Samengesteld uit de gepubliceerde cijfers van MIM Registratie.",
                  f"Een {HIDDEN_MARK} in een tabel is niet getoond om de privacy te "
                  f"beschermen."])


def _site_rows(inputs: MunicipalityInputs):
    """The municipality's sites on their own, then the merged groups its small sites are in."""
    alone = sorted((r for r in inputs.figures.sites if not r.group and not r.is_group),
                   key=lambda r: sort_key(r.name))
    group_codes = sorted({r.group for r in inputs.figures.sites if r.group})
    groups = [inputs.groups[g] for g in group_codes if g in inputs.groups]
    return alone, groups


def _provisional(inputs: MunicipalityInputs) -> list[str]:
    return sorted((r.name for r in inputs.figures.sites
                   if r.status == "provisional" and not r.is_group), key=sort_key)


def _introduction(inputs: MunicipalityInputs, key: Table) -> Section:
    c = inputs.figures.completeness
    names = sorted((r.name for r in inputs.figures.sites if not r.is_group), key=sort_key)
    blocks: list = [Paragraph(
        f"Dit rapport zet de cijfers over {inputs.year} van de MIM-locaties in de gemeente "
        f"{inputs.name} samen naast de landelijke cijfers van Moeders Informeren Moeders.",
        names=(inputs.name,))]
    if names:
        blocks.append(Paragraph(
            f"In {inputs.year} {'is' if len(names) == 1 else 'zijn'} in {inputs.name} "
            f"{'deze locatie' if len(names) == 1 else 'deze locaties'} actief: "
            f"{list_phrase(names)}.", names=(inputs.name, *names)))
        blocks.append(Paragraph(completeness_sentence(c.delivered, c.expected,
                                                      year=inputs.year),
                                refs=(Ref(key, (SITES, DELIVERED)),)))
    else:
        blocks.append(Paragraph(f"In {inputs.year} was er in {inputs.name} geen MIM-locatie "
                                f"actief.", names=(inputs.name,)))
    provisional = _provisional(inputs)
    if provisional:
        blocks.append(Paragraph(f"Voorlopig, uit de lopende registratie: "
                                f"{list_phrase(provisional)}. Deze cijfers kunnen nog "
                                f"veranderen.", names=tuple(provisional)))
    return Section("Inleiding", blocks)


def _key_figures(inputs: MunicipalityInputs) -> Section:
    own, nl, year = inputs.figures, inputs.national, inputs.year
    previous = inputs.previous if inputs.previous is not None and inputs.previous.has_data \
        else None
    rows = key_figure_rows(own, nl)
    mine, nation = own.completeness, nl.completeness
    rows += [[SITES, fmt_int(mine.expected), fmt_int(nation.expected)],
             [DELIVERED, fmt_int(mine.delivered), fmt_int(nation.delivered)]]
    key = Table(f"Kerncijfers {year}: {inputs.name} en Nederland",
                ["Kerncijfer", inputs.name, "Nederland"], rows, notes=_notes(rows),
                numeric_columns=[1, 2])
    years = year_table(f"{inputs.name} in {year} en {year - 1}", own, previous, year)
    blocks: list = []
    for what, variable in (("MIM-moeders", "mothers.total"),
                           ("vrijwilligers", "volunteers.total")):
        before = count_value(previous.get(variable)) if previous else None
        blocks.append(Paragraph(compare_count(what, count_value(own.get(variable)), before,
                                              year=year, previous_year=year - 1),
                                refs=(Ref(years),)))
    for label, variable in (("het aandeel moeders met een migratieachtergrond",
                             "mothers.migrant_background"),
                            ("het aandeel vrijwilligers met een migratieachtergrond",
                             "volunteers.migrant_background")):
        share = share_value(own.get(variable, "yes"))
        if share is not None:
            blocks.append(Paragraph(reference_share_sentence(
                label, share, share_value(nl.get(variable, "yes")),
                here=f"in {inputs.name}", there="landelijk"),
                refs=(Ref(key, (KEY_LABELS[variable],)),), names=(inputs.name,)))
    ratio = ratio_sentence(total_of(own.get("mothers.total")),
                           total_of(own.get("volunteers.total")),
                           what="moeders", per="vrijwilligers")
    if ratio:
        blocks.append(Paragraph(ratio, refs=(Ref(years, (PER_VOLUNTEER,)),)))
    blocks += [key, years]
    return Section("Kerncijfers", blocks)


def _notes(rows) -> list[str]:
    return [HIDDEN_NOTE] if any(HIDDEN_MARK in row for row in rows) else []


def _sites(inputs: MunicipalityInputs) -> Section:
    alone, groups = _site_rows(inputs)
    blocks: list = []
    values = {r.name: count_value(r.mothers) for r in alone if r.mothers is not None}
    rows = []
    for r in alone:
        rows.append([r.name, inputs.organisations.get(r.code, ""), STATUS_TEXT[r.status],
                     count_cell(r.mothers) if r.mothers else DASH,
                     count_cell(r.volunteers) if r.volunteers else DASH])
    for g in groups:
        rows.append([f"{g.name} ({list_phrase(sorted(g.members, key=sort_key))})", "",
                     STATUS_TEXT[g.status], count_cell(g.mothers) if g.mothers else DASH,
                     count_cell(g.volunteers) if g.volunteers else DASH])
    if rows:
        notes = ["Voorlopig: uit de lopende registratie; de jaaropgave is nog niet "
                 "goedgekeurd."]
        if groups:
            mine = {r.name for r in inputs.figures.sites if r.group}
            outside = sorted({m for g in groups for m in g.members if m not in mine},
                             key=sort_key)
            notes.append("Locaties met minder dan 10 moeders staan alleen samen met andere "
                         "kleine locaties, zoals ze ook landelijk gepubliceerd worden"
                         + (f"; in die groep staan ook locaties buiten {inputs.name} "
                            f"({list_phrase(outside)})." if outside else "."))
        if any(HIDDEN_MARK in row for row in rows):
            notes.append(HIDDEN_NOTE)
        blocks.append(Table(f"Locaties in {inputs.name} in {inputs.year}",
                            ["Locatie", "Organisatie", "Status", "MIM-moeders",
                             "Vrijwilligers"], rows, notes=notes, numeric_columns=[3, 4]))
    if len(values) > 1:  # the sites' mothers, from the rows of the table
        blocks.insert(0, Paragraph(range_sentence(values, subject="het aantal MIM-moeders"),
                                   refs=(Ref(blocks[-1], tuple(values)),)))
    return Section("Locaties", blocks)


def _table(inputs: MunicipalityInputs, caption: str, population: str, item: str) -> Table:
    variable = f"{population}.{item}"
    rows = []
    for code in codes_of(inputs.year, population, item):
        own, nl = inputs.figures.get(variable, code), inputs.national.get(variable, code)
        rows.append([label_of(inputs.year, population, item, code), count_cell(own),
                     pct_cell(own), count_cell(nl), pct_cell(nl)])
    return Table(f"{caption}: {inputs.name} (aantal, %) en Nederland (NL) in {inputs.year}",
                 ["Categorie", "Aantal", "%", "Aantal NL", "% NL"], rows, notes=_notes(rows),
                 numeric_columns=[1, 2, 3, 4])


def _population(inputs: MunicipalityInputs, population: str, title: str, items, persons: str,
                *, ended: tuple[str, str]) -> Section:
    subsections = []
    for caption, item in (*items, (ended[1], "end_reason")):
        pop = ended[0] if item == "end_reason" else population
        blocks: list = [_table(inputs, caption, pop, item)]
        if item in MULTI:
            blocks.append(Note("Per persoon kunnen meerdere antwoorden zijn gegeven; de "
                               "percentages zijn van alle personen en tellen op tot meer "
                               "dan 100%."))
        subsections.append(Section(caption, blocks))
    return Section(title, [Paragraph(
        f"Per onderwerp de verdeling over de locaties in {inputs.name} samen en landelijk. "
        f"Percentages zijn van alle {persons}, ook die van wie het antwoord onbekend is.",
        names=(inputs.name,))],
        subsections=subsections)


def lowercase_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _about(inputs: MunicipalityInputs, key: Table) -> Section:
    c = inputs.national.completeness
    return Section("Over de cijfers", [
        Paragraph(f"De cijfers van {inputs.name} en van Nederland zijn de gepubliceerde "
                  f"cijfers, dezelfde als op de cijferpagina: een {HIDDEN_MARK} is niet "
                  f"getoond om de privacy te beschermen, omdat het aantal klein is of een "
                  f"klein aantal elders terug zou laten rekenen."),
        Paragraph("Landelijk: " + lowercase_first(completeness_sentence(
            c.delivered, c.expected, year=inputs.year)), refs=(Ref(key, (SITES, DELIVERED)),)),
        Note(f"Codeboek versie {codebooks.for_year(inputs.year).version}. {DASH}: geen "
             f"cijfer."),
    ])

"""A site's benchmark report: its own figures beside the national ones.

The site's figures are unsuppressed (the coordinator holds the records, guides/security.md);
the national figures are the published ones, exactly as every role sees them.

There is no organisation column. A coordinator is not given her organisation's figures
(figure_scopes gives her only her own sites and the nation), and for a good reason: she knows
her own site's true figures, so the organisation's published figures minus hers would give the
other sites of the organisation, and an organisation often has only two or three sites, so
that difference can pin down a cell that suppression hid at a neighbouring site
(mim.figures.suppression, "Known limits"). The national column carries the same risk in
theory, but it adds nothing she cannot already see on her dashboard, and it is a sum over
all delivered sites.
"""

from __future__ import annotations

from dataclasses import dataclass

from mim.codebook import codebooks
from mim.figures.selectors import FigureSet
from mim.figures.standard import HIDDEN_MARK
from mim.reports.building import (
    BASES,
    DASH,
    HIDDEN_NOTE,
    KEY_FIGURES,
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
from mim.reports.results_section import results_section
from mim.reports.text import (
    SUPPRESSED,
    compare_count,
    completeness_sentence,
    fmt_int,
    ratio_sentence,
    reference_share_sentence,
    round_half_up,
)

# Rows the sentences point to (document.Ref): the key figures' labels of building.KEY_FIGURES,
# and the national completeness the site is set beside.
KEY_LABELS = {variable: label for label, variable, _category, _pct in KEY_FIGURES}
SITES, DELIVERED = "Locaties (actief)", "Locaties met gegevens"

STATUS_SENTENCE = {
    "approved": "De cijfers van de locatie komen uit de goedgekeurde jaaropgave.",
    "provisional": "De cijfers van de locatie komen uit de lopende registratie: de "
                   "jaaropgave is nog niet goedgekeurd, dus ze kunnen nog veranderen.",
    "missing": "Over dit jaar zijn er nog geen cijfers van de locatie.",
}


@dataclass(frozen=True)
class SiteInputs:
    year: int
    code: str
    name: str
    organisation: str
    own: FigureSet  # unsuppressed
    own_previous: FigureSet | None  # unsuppressed, previous year
    national: FigureSet  # published


def _status(inputs: SiteInputs) -> str:
    c = inputs.own.completeness
    if c.approved:
        return "approved"
    return "provisional" if c.delivered else "missing"


def build_site_report(inputs: SiteInputs) -> Report:
    status = _status(inputs)
    national = inputs.national.completeness
    concept = status != "approved" or national.approved < national.expected
    note = None
    if concept:
        parts = []
        if status != "approved":
            parts.append(f"De jaaropgave van {inputs.name} over {inputs.year} is nog niet "
                         f"goedgekeurd.")
        if national.approved < national.expected:
            parts.append("De landelijke cijfers zijn nog voorlopig: nog niet alle jaaropgaven "
                         "zijn goedgekeurd.")
        note = "Dit is een conceptversie. " + " ".join(parts)
    key_figures = _key_figures(inputs)
    sections = [_introduction(inputs, status), key_figures]
    if inputs.own.has_data:
        sections += [_mothers(inputs), _volunteers(inputs)]
    sections.append(results_section(inputs))
    sections.append(_about(inputs, next(b for b in key_figures.blocks
                                        if isinstance(b, Table))))
    return Report(
        title=f"Registratie {inputs.year}: {inputs.name}",
        subtitle="Moeders Informeren Moeders (MIM): de locatie naast het landelijk beeld",
        year=inputs.year, concept=concept, concept_note=note, sections=sections,
        colophon=[f"Locatie {inputs.name} ({inputs.organisation})",
                  "Vertrouwelijk: dit rapport bevat de niet-afgeschermde cijfers van de "
                  "locatie en is alleen bedoeld voor de locatie zelf."])


def _introduction(inputs: SiteInputs, status: str) -> Section:
    return Section("Inleiding", [
        Paragraph(f"Dit rapport zet de cijfers van {inputs.name} over {inputs.year} naast de "
                  f"landelijke cijfers van Moeders Informeren Moeders.", names=(inputs.name,)),
        Paragraph(STATUS_SENTENCE[status]),
    ])


def _key_figures(inputs: SiteInputs) -> Section:
    own, nl, year = inputs.own, inputs.national, inputs.year
    previous = inputs.own_previous if inputs.own_previous and inputs.own_previous.has_data \
        else None
    rows = key_figure_rows(own, nl)
    c = nl.completeness
    rows += [[SITES, DASH, fmt_int(c.expected)], [DELIVERED, DASH, fmt_int(c.delivered)]]
    key = Table(f"Kerncijfers {year}", ["Kerncijfer", inputs.name, "Nederland"], rows,
                notes=_notes(rows), numeric_columns=[1, 2])
    years = year_table(f"{inputs.name} in {year} en {year - 1}", own, previous, year)
    blocks: list = []
    for what, variable in (("MIM-moeders", "mothers.total"), ("vrijwilligers",
                                                              "volunteers.total")):
        before = count_value(previous.get(variable)) if previous else None
        blocks.append(Paragraph(compare_count(what, count_value(own.get(variable)), before,
                                              year=year, previous_year=year - 1),
                                refs=(Ref(years),)))
    for label, variable in (("het aandeel moeders met een migratieachtergrond",
                             "mothers.migrant_background"),
                            ("het aandeel vrijwilligers met een migratieachtergrond",
                             "volunteers.migrant_background")):
        if own.get(variable, "yes") is not None and share_value(own.get(variable, "yes")):
            blocks.append(Paragraph(reference_share_sentence(
                label, share_value(own.get(variable, "yes")),
                share_value(nl.get(variable, "yes")),
                here=f"bij {inputs.name}", there="landelijk"),
                refs=(Ref(key, (KEY_LABELS[variable],)),), names=(inputs.name,)))
    ratio = ratio_sentence(total_of(own.get("mothers.total")),
                           total_of(own.get("volunteers.total")),
                           what="moeders", per="vrijwilligers")
    if ratio:
        blocks.append(Paragraph(ratio, refs=(Ref(years, (PER_VOLUNTEER,)),)))
    blocks += [key, years]
    return Section("Kerncijfers", blocks)


def _notes(rows) -> list[str]:
    return [HIDDEN_NOTE + " Dit geldt alleen voor de landelijke kolom."] \
        if any(HIDDEN_MARK in row for row in rows) else []


def _table(inputs: SiteInputs, caption: str, population: str, item: str) -> Table:
    variable = f"{population}.{item}"
    rows = []
    for code in codes_of(inputs.year, population, item):
        own, nl = inputs.own.get(variable, code), inputs.national.get(variable, code)
        rows.append([label_of(inputs.year, population, item, code), count_cell(own),
                     pct_cell(own), count_cell(nl), pct_cell(nl)])
    # Short headers leave the category room; the caption says which column is which.
    return Table(f"{caption}: {inputs.name} (aantal, %) en Nederland (NL) in {inputs.year}; "
                 f"percentages van {BASES[population]}",
                 ["Categorie", "Aantal", "%", "Aantal NL", "% NL"], rows, notes=_notes(rows),
                 numeric_columns=[1, 2, 3, 4])


# How a category reads inside "het aandeel ... " per item: the persons it is a share of, and
# the category in the words of its item (a share of volunteers who stopped is not a share of
# "vrijwilligers met geen tijd"). Yes/no items compare their "yes" only.
GAP_LABELS = {
    ("mothers", "origin"): "moeders met herkomst '{name}'",
    ("mothers", "age_group"): "moeders in de leeftijdsgroep {name}",
    ("mothers", "education"): "moeders met opleidingsniveau '{name}'",
    ("mothers", "household"): "moeders in de gezinssituatie '{name}'",
    ("mothers", "income_source"): "moeders met als inkomstenbron '{name}'",
    ("mothers", "child_order"): "moeders bij wie het gaat om: '{name}'",
    ("mothers_ended", "end_reason"): "afgesloten moeders met als reden '{name}'",
    ("volunteers", "origin"): "vrijwilligers met herkomst '{name}'",
    ("volunteers", "age_group"): "vrijwilligers in de leeftijdsgroep {name}",
    ("volunteers", "education"): "vrijwilligers met opleidingsniveau '{name}'",
    ("volunteers", "former_mim_mother"): "vrijwilligers die zelf MIM-moeder zijn geweest",
    ("volunteers_stopped", "end_reason"): "gestopte vrijwilligers met als reden '{name}'",
}
YES_ONLY = {"former_mim_mother", "pregnant_at_start"}


def _largest_gap(inputs: SiteInputs, population: str, item: str,
                 table: Table | None = None) -> Paragraph | None:
    """The category where the site differs most from the nation, in percentage points."""
    variable = f"{population}.{item}"
    template = GAP_LABELS.get((population, item))
    if template is None:
        return None
    best = None
    for code in codes_of(inputs.year, population, item):
        if code == "unknown" or (item in YES_ONLY and code != "yes"):
            continue
        own = share_value(inputs.own.get(variable, code))
        nl = share_value(inputs.national.get(variable, code))
        if own is None or nl is None or own is SUPPRESSED or nl is SUPPRESSED:
            continue
        gap = abs(round_half_up(own) - round_half_up(nl))
        if best is None or gap > best[0]:
            best = (gap, code, own, nl)
    if best is None or best[0] == 0:
        return None
    _, code, own, nl = best
    category = label_of(inputs.year, population, item, code)
    label = "het aandeel " + template.format(name=category)
    sentence = reference_share_sentence(label, own, nl, here=f"bij {inputs.name}",
                                        there="landelijk")
    # The row of the category in the item's table holds both shares.
    return Paragraph(f"Het grootste verschil met het landelijk beeld: {sentence[0].lower()}"
                     f"{sentence[1:]}", names=(inputs.name,),
                     refs=(Ref(table, (category,)),) if table is not None else ())


def _item_sections(inputs: SiteInputs, population: str, items) -> list[Section]:
    out = []
    for title, item in items:
        blocks: list = []
        table = _table(inputs, title, population, item)
        gap = _largest_gap(inputs, population, item, table)
        if gap and item not in ("mother_circumstances", "baby_circumstances",
                                "work_experience"):
            blocks.append(gap)
        blocks.append(table)
        if item in ("mother_circumstances", "baby_circumstances", "work_experience"):
            blocks.append(Note("Per persoon kunnen meerdere antwoorden zijn gegeven; de "
                               "percentages zijn van alle personen en tellen op tot meer "
                               "dan 100%."))
        out.append(Section(title, blocks))
    return out


def _mothers(inputs: SiteInputs) -> Section:
    items = (("Herkomst", "origin"), ("Leeftijd", "age_group"),
             ("Opleidingsniveau", "education"), ("Gezinssamenstelling", "household"),
             ("Inkomen", "income_source"), ("Welk kind", "child_order"),
             ("Omstandigheden van de moeder", "mother_circumstances"),
             ("Omstandigheden van de baby", "baby_circumstances"))
    subsections = _item_sections(inputs, "mothers", items)
    subsections += _item_sections(inputs, "mothers_ended",
                                  (("Redenen van beëindiging", "end_reason"),))
    return Section("MIM-moeders", [Paragraph(
        f"Per onderwerp de verdeling bij {inputs.name} en landelijk. Percentages zijn van "
        f"alle moeders, ook die van wie het antwoord onbekend is; bij de redenen van "
        f"beëindiging van de moeders die het programma in {inputs.year} beëindigden.",
        names=(inputs.name,))],
        subsections=subsections)


def _volunteers(inputs: SiteInputs) -> Section:
    items = (("Herkomst", "origin"), ("Leeftijd", "age_group"),
             ("Opleidingsniveau", "education"), ("Zelf MIM-moeder geweest", "former_mim_mother"),
             ("Werkervaring", "work_experience"))
    subsections = _item_sections(inputs, "volunteers", items)
    subsections += _item_sections(inputs, "volunteers_stopped",
                                  (("Redenen om te stoppen", "end_reason"),))
    return Section("Vrijwilligers", [Paragraph(
        f"Per onderwerp de verdeling bij {inputs.name} en landelijk. Percentages zijn van alle "
        f"vrijwilligers; bij de redenen om te stoppen van de vrijwilligers die in "
        f"{inputs.year} stopten.", names=(inputs.name,))],
        subsections=subsections)


def _about(inputs: SiteInputs, key: Table) -> Section:
    c = inputs.national.completeness
    return Section("Over de cijfers", [
        Paragraph(f"De cijfers van {inputs.name} zijn niet afgeschermd: de locatie kent ze al "
                  f"uit de eigen registratie. Deel dit rapport daarom niet buiten de locatie.",
                  names=(inputs.name,)),
        Paragraph(f"De landelijke cijfers zijn zoals ze gepubliceerd worden: een × staat voor "
                  f"een cijfer dat niet getoond wordt om de privacy te beschermen. "
                  f"{completeness_sentence(c.delivered, c.expected, year=inputs.year)}",
                  refs=(Ref(key, (SITES, DELIVERED)),)),
        Paragraph("De cijfers van de eigen organisatie staan niet in dit rapport: met de eigen "
                  "cijfers ernaast zouden die de cijfers van andere locaties van de organisatie "
                  "kunnen verraden."),
        Note(f"Codeboek versie {codebooks.for_year(inputs.year).version}. {DASH}: geen cijfer."),
    ])

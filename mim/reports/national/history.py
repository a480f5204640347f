"""The five-year overview."""

from __future__ import annotations

from mim.reports.charts import LineChart, Series
from mim.reports.document import Chart, Note, Paragraph, Section, Table
from mim.reports.national.context import Ctx
from mim.reports.text import (
    fmt_int,
    fmt_pct,
    list_phrase,
)


def five_years_section(ctx: Ctx) -> Section:
    rows_in = ctx.inputs.history
    years = [r.year for r in rows_in]
    if not rows_in:
        return Section("MIM over vijf jaar", [Paragraph("Er zijn geen cijfers over eerdere "
                                                        "jaren.")])

    def cell(value, pct=False):
        if value is None:
            return "–"
        return fmt_pct(value) if pct else fmt_int(value)

    def share(exact, shipped):
        # A computed year is rounded here, once, from its exact share; a shipped one was
        # rounded by its report and is shown as published.
        return cell(exact if exact is not None else shipped, True)

    table_rows = [
        ["Locaties (actief)"] + [cell(r.sites) for r in rows_in],
        ["Locaties met gegevens"] + [cell(r.sites_with_data) for r in rows_in],
        ["MIM-moeders"] + [cell(r.mothers) for r in rows_in],
        ["% moeders met migratieachtergrond"] + [
            share(r.share_migrant_mothers, r.pct_migrant_mothers) for r in rows_in],
        ["Vrijwilligers"] + [cell(r.volunteers) for r in rows_in],
        ["% vrijwilligers met migratieachtergrond"] + [
            share(r.share_migrant_volunteers, r.pct_migrant_volunteers) for r in rows_in],
        ["Bron"] + [r.source_label for r in rows_in],
    ]
    notes = [f"{r.year}: {r.display_note}" for r in rows_in if r.display_note]
    notes.append("–: geen cijfer. Bron: 'rapport' is het eerder gepubliceerde "
                 "registratierapport van dat jaar, 'berekend' komt uit de jaaropgaven in MIM "
                 "Registratie. Een berekend jaar vervangt het gepubliceerde cijfer alleen als "
                 "minstens zoveel locaties gegevens hebben als in het rapport.")
    computed = [str(r.year) for r in rows_in if r.source == "computed"]
    published = [str(r.year) for r in rows_in if r.source.startswith("registratie-")]
    parts = []
    if published:
        parts.append(f"de cijfers over {list_phrase(published)} komen uit de eerder "
                     f"gepubliceerde registratierapporten")
    if computed:
        parts.append(f"die over {list_phrase(computed)} zijn berekend uit de jaaropgaven")
    lead = f"De belangrijkste cijfers van {years[0]} tot en met {years[-1]} naast elkaar"
    blocks: list = [
        Paragraph(f"{lead}; {list_phrase(parts)}." if parts else f"{lead}."),
        Table(f"MIM over vijf registratiejaren ({years[0]}–{years[-1]})",
              ["Registratiejaar", *[str(y) for y in years]], table_rows, notes=notes,
              numeric_columns=list(range(1, len(years) + 1)))]
    missing = [str(r.year) for r in rows_in if r.missing]
    if missing:
        blocks.append(Note(f"Voor {list_phrase(missing)} zijn geen cijfers beschikbaar; "
                           f"de lijn in de figuur is daar onderbroken."))
    series = [Series("MIM-moeders", [r.mothers for r in rows_in]),
              Series("Vrijwilligers", [r.volunteers for r in rows_in])]
    if any(v is not None for s in series for v in s.values):
        blocks.append(Chart(
            LineChart("MIM-moeders en vrijwilligers per jaar", years, series,
                      value_label="Aantal"),
            alt_text=f"Lijndiagram van het aantal MIM-moeders en vrijwilligers per jaar, "
                     f"{years[0]} tot en met {years[-1]}. De cijfers staan ook in de tabel "
                     f"erboven.",
            title="MIM-moeders en vrijwilligers per jaar"))
    sites = [Series("Locaties (actief)", [r.sites for r in rows_in]),
             Series("Locaties met gegevens", [r.sites_with_data for r in rows_in])]
    if any(v is not None for s in sites for v in s.values):
        blocks.append(Chart(
            LineChart("Locaties per jaar", years, sites, value_label="Aantal locaties"),
            alt_text=f"Lijndiagram van het aantal actieve locaties en het aantal locaties met "
                     f"gegevens per jaar, {years[0]} tot en met {years[-1]}. De cijfers staan "
                     f"ook in de tabel erboven.",
            title="Locaties per jaar"))
    return Section("MIM over vijf jaar", blocks)

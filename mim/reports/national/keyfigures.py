"""The key-figures table: the year's main numbers beside last year's, which the summary and the
sections' sentences point to (mim.reports.document.Ref)."""

from __future__ import annotations

from mim.reports.building import DASH, count_cell, pct_cell, ratio_cell, total_of
from mim.reports.document import Table
from mim.reports.national.coordinators import per_coordinator_cell
from mim.reports.text import MIN_PERSONS, fmt_int, fmt_pct

SITES = "Locaties (actief)"
DELIVERED = "Locaties met gegevens"
ORGANISATIONS = "Organisaties"
COORDINATORS = "Coördinatoren"
COORDINATORS_DELIVERED = "Coördinatoren op locaties met gegevens"
VOLUNTEERS_PER_COORDINATOR = "Vrijwilligers per coördinator (locaties met gegevens)"
MOTHERS = "MIM-moeders"
VOLUNTEERS = "Vrijwilligers"
MOTHERS_PER_VOLUNTEER = "MIM-moeders per vrijwilliger"
MOTHERS_KNOWN = "MIM-moeders van wie de afkomst bekend is"
MOTHERS_MIGRANT = "MIM-moeders met een migratieachtergrond (% van bekende afkomst)"
VOLUNTEERS_KNOWN = "Vrijwilligers van wie de afkomst bekend is"
VOLUNTEERS_MIGRANT = "Vrijwilligers met een migratieachtergrond (% van bekende afkomst)"
ENDED = "Moeders die het programma beëindigden"
STOPPED = "Vrijwilligers die stopten"
FORMER = "Vrijwilligers die zelf MIM-moeder zijn geweest (%)"
COUNTRIES = "Geboortelanden van de MIM-moeders"


def coordinators(ctx, *, previous: bool = False, variable: str = "coordinators.total"
                 ) -> int | None:
    """Coordinators from the publication's rows, each person once (mim.figures.coordination);
    `coordinators.delivered` for those at sites that delivered, the base of volunteers per
    coordinator."""
    found = ctx.prev(variable) if previous else ctx.fig(variable)
    return found.count if found is not None and found.count else None


def countries(ctx) -> str:
    """How many countries of birth, as the origin section states it (or a dash)."""
    from mim.figures import standard

    found = ctx.fig(standard.COUNTRIES_OF_BIRTH)
    total = total_of(ctx.fig("mothers.total"))
    if found is None or not found.count or not total or total < MIN_PERSONS:
        return DASH
    return fmt_int(found.count)


def key_figures_table(ctx) -> Table:
    inputs, c = ctx.inputs, ctx.current.completeness
    history = ctx.previous.history if ctx.previous is not None else None

    def number(value):
        return DASH if value is None else fmt_int(value) if isinstance(value, int) else value

    def previous_count(variable):
        value = ctx.prev_total(variable)
        return value if isinstance(value, int) else None

    def previous_pct(variable, shipped):
        found = ctx.prev(variable, "yes")
        if found is not None:
            return pct_cell(found)
        if history is not None and history.source != "computed" and shipped is not None:
            return fmt_pct(shipped)
        return DASH

    def known(figure):
        return DASH if figure is None or figure.base is None else fmt_int(figure.base)

    mothers, volunteers = total_of(ctx.fig("mothers.total")), total_of(ctx.fig("volunteers.total"))
    before_mothers = previous_count("mothers.total")
    before_volunteers = previous_count("volunteers.total")
    staff = coordinators(ctx)
    before_staff = coordinators(ctx, previous=True)
    delivering = coordinators(ctx, variable="coordinators.delivered")
    before_delivering = coordinators(ctx, previous=True, variable="coordinators.delivered")
    organisations = len({s.organisation for s in inputs.sites if not s.is_group})
    previous_delivered = ctx.prev("sites.delivered")
    if previous_delivered is not None:
        previous_delivered = previous_delivered.count
    elif history is not None:
        previous_delivered = history.sites_with_data
    rows = [
        [SITES, number(c.expected), number(ctx.previous_sites())],
        [DELIVERED, number(c.delivered), number(previous_delivered)],
        [ORGANISATIONS, number(organisations or None), DASH],
        [COORDINATORS, number(staff), number(before_staff)],
        [COORDINATORS_DELIVERED, number(delivering), number(before_delivering)],
        # The section's own cell, from the row `ratios.volunteers_per_coordinator`.
        [VOLUNTEERS_PER_COORDINATOR, per_coordinator_cell(ctx),
         per_coordinator_cell(ctx, previous=True)],
        [MOTHERS, count_cell(ctx.fig("mothers.total")), number(before_mothers)],
        [VOLUNTEERS, count_cell(ctx.fig("volunteers.total")), number(before_volunteers)],
        [MOTHERS_PER_VOLUNTEER, ratio_cell(mothers, volunteers),
         ratio_cell(before_mothers, before_volunteers)],
        [MOTHERS_KNOWN, known(ctx.fig("mothers.migrant_background", "yes")),
         known(ctx.prev("mothers.migrant_background", "yes"))],
        [MOTHERS_MIGRANT, pct_cell(ctx.fig("mothers.migrant_background", "yes")),
         previous_pct("mothers.migrant_background",
                      history.pct_migrant_mothers if history else None)],
        [VOLUNTEERS_KNOWN, known(ctx.fig("volunteers.migrant_background", "yes")),
         known(ctx.prev("volunteers.migrant_background", "yes"))],
        [VOLUNTEERS_MIGRANT, pct_cell(ctx.fig("volunteers.migrant_background", "yes")),
         previous_pct("volunteers.migrant_background",
                      history.pct_migrant_volunteers if history else None)],
        [ENDED, count_cell(ctx.fig("mothers_ended.total")),
         number(previous_count("mothers_ended.total"))],
        [STOPPED, count_cell(ctx.fig("volunteers_stopped.total")),
         number(previous_count("volunteers_stopped.total"))],
        [FORMER, pct_cell(ctx.fig("volunteers.former_mim_mother", "yes")),
         pct_cell(ctx.prev("volunteers.former_mim_mother", "yes"))],
        [COUNTRIES, countries(ctx), DASH],
    ]
    notes = [f"{DASH}: geen cijfer. Een gemiddelde staat er alleen als beide aantallen minstens "
             f"{MIN_PERSONS} zijn; vrijwilligers per coördinator is over de coördinatoren op "
             f"locaties met gegevens. Coördinatoren: ieder één keer geteld, ook wie alleen op "
             f"locaties zonder gegevens werkt."]
    return Table(f"Kerncijfers {ctx.year} en {ctx.previous_year}",
                 ["Kerncijfer", str(ctx.year), str(ctx.previous_year)], rows, notes=notes,
                 numeric_columns=[1, 2])

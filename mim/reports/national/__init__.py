"""The national report of a year: published figures → the document model (mim.reports.document).

`build_national_report(inputs)` is a pure function of `NationalInputs` (mim.reports.selectors):
it reads no database, so what a report says follows from the published figures alone. Every
sentence with a number comes from mim.reports.text, in the project's own words; the sections
follow the national reports of earlier years (spec/system.md, "The national report").

Site-level statements (largest and smallest site, second-child mothers per site) use each
site's figures in their published form only: a hidden site figure is never stated, and a
sentence over sites says when some sites' figures are not shown.
"""

from __future__ import annotations

from mim.reports.building import paragraphs
from mim.reports.document import Report, Section
from mim.reports.national.completeness import about_section, concept_note
from mim.reports.national.context import Ctx, site_names
from mim.reports.national.coordinators import coordinators_section
from mim.reports.national.history import five_years_section
from mim.reports.national.mothers import endings_section, mothers_section
from mim.reports.national.office import office_sections, outlook_section
from mim.reports.national.opening import introduction_section, summary_section
from mim.reports.national.sites import sites_section
from mim.reports.national.volunteers import volunteers_section
from mim.reports.results_section import results_section
from mim.reports.selectors import NationalInputs


def build_national_report(inputs: NationalInputs) -> Report:
    ctx = Ctx(inputs)
    c = inputs.current.completeness
    # Final once every expected site is approved or marked not delivered by the office.
    concept = not c.final
    chapters = {
        "summary": summary_section(ctx),
        "sites": sites_section(ctx),
        "coordinators": coordinators_section(ctx),
        "mothers": mothers_section(ctx),
        "endings": endings_section(ctx),
        "volunteers": volunteers_section(ctx),
        "history": five_years_section(ctx),
    }
    office_sections(inputs, chapters)  # the office's words where they belong
    sections = [introduction_section(ctx), chapters["summary"], chapters["sites"],
                chapters["coordinators"], chapters["mothers"], chapters["endings"],
                chapters["volunteers"]]
    sections.append(results_section(inputs))
    support = paragraphs(inputs.national_support)
    if support:
        sections.append(Section("Landelijke ondersteuning", list(support)))
    outlook = outlook_section(inputs)
    if outlook:
        sections.append(outlook)
    sections += [chapters["history"], about_section(ctx)]
    return Report(
        title=f"Registratie {inputs.year}",
        subtitle="Moeders Informeren Moeders (MIM): landelijk registratierapport",
        year=inputs.year, concept=concept,
        concept_note=concept_note(ctx) if concept else None,
        sections=sections,
        colophon=[
            "Landelijk programmabureau Moeders Informeren Moeders",
            "Samengesteld uit de jaaropgaven van de MIM-locaties met MIM Registratie.",
            "Een × in een tabel is niet getoond om de privacy te beschermen.",
        ])


def provisional_names(inputs: NationalInputs) -> list[str]:
    return site_names(inputs, "provisional")

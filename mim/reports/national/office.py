"""The programme office's words in the national report: each text where the earlier reports
had editorial text, as paragraphs after what the report generates itself (plain text, never
markup; mim.reports.building.paragraphs)."""

from __future__ import annotations

from mim.reports.building import paragraphs
from mim.reports.document import Section
from mim.reports.selectors import NationalInputs


def with_office_text(section: Section, text: str) -> Section:
    """The section with the office's paragraphs after its own blocks."""
    section.blocks.extend(paragraphs(text))
    return section


def office_sections(inputs: NationalInputs, sections: dict[str, Section]) -> None:
    """Put each of the office's texts into the chapter it belongs to (`sections` by the keys
    of models.SECTION_TEXTS, plus "summary")."""
    for key, text in (inputs.section_texts or {}).items():
        if key in sections and key != "summary":
            with_office_text(sections[key], text)
    if "summary" in sections:
        with_office_text(sections["summary"], inputs.summary)
    quality = paragraphs(inputs.quality)
    if quality and "sites" in sections:
        sections["sites"].subsections.append(
            Section("Kwaliteit van het programma", list(quality)))


def outlook_section(inputs: NationalInputs) -> Section | None:
    text = paragraphs(inputs.outlook)
    return Section("Vooruitblik", list(text)) if text else None

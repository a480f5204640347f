"""Render a Report to an accessible PDF (tagged, PDF/UA-1) with Typst.

The layout lives in ``typst/report.typ``; this module only turns the Report into JSON and hands
it over through ``sys.inputs``. Because the template reads the text as JSON strings, which Typst
always sets literally, user-written text can never inject markup, and no escaping rules have to
be kept in sync with Typst's syntax. Everything happens in memory: no temporary files.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import unicodedata

import typst

from mim.reports import charts
from mim.reports.document import (
    BulletList,
    Chart,
    Note,
    Paragraph,
    Report,
    Table,
    concept_text,
    format_date,
    iter_sections,
    labels,
)

TEMPLATE = charts.FONT_DIR.parent / "typst" / "report.typ"
# PDF/UA-1 makes Typst refuse to compile a document that misses what accessibility needs
# (title, language, alt texts, table headers) instead of silently producing a weaker file.
# PDF/A-2a (archival, accessible level) is compatible with it and suits a yearly publication.
PDF_STANDARDS = ["a-2a", "ua-1"]
REGIONS = {"nl": "NL", "en": "GB"}
REPLACEMENT = "\ufffd"

logger = logging.getLogger(__name__)


@functools.cache
def _fonts() -> typst.Fonts:
    # Only the shipped font (plus Typst's embedded fallbacks): the PDF must not change with
    # whatever fonts the server happens to have. Scanned once per process.
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                       font_paths=[str(charts.FONT_DIR)])


def render_pdf(report: Report) -> bytes:
    payload = json.dumps(_printable(report_data(report)), ensure_ascii=False)
    compiler = typst.Compiler(TEMPLATE, root=TEMPLATE.parent, font_paths=_fonts(),
                              ignore_system_fonts=True, sys_inputs={"report": payload})
    # A fixed timestamp (the report's own date) keeps the PDF reproducible byte for byte.
    stamp = datetime.datetime.combine(report.generated, datetime.time(), tzinfo=datetime.UTC)
    pdf, warnings = compiler.compile_with_warnings(
        format="pdf", pdf_standards=PDF_STANDARDS, timestamp=stamp
    )
    for warning in warnings:
        logger.warning("typst: %s", warning.message)
    return pdf


# Characters every style of the shipped font draws and that are not private-use: ASCII,
# Latin-1 and the usual punctuation, dashes and signs. Text made only of these passes
# _printable unchanged without reading the fonts (tests/reports check that the font covers them).
_SAFE = frozenset("\n\t" + "".join(map(chr, [*range(0x20, 0x7F), *range(0xA0, 0x100),
                                              *range(0x2010, 0x2028), 0x20AC, 0x2212,
                                              0x2264, 0x2265])))


@functools.cache
def _covered() -> frozenset[int]:
    """Code points some style of the shipped font can draw.

    Typst falls back to a sibling style for a glyph one style lacks (Arabic exists in the
    regular and bold faces, not in the oblique one), so any face having it is enough.
    """
    from fontTools.ttLib import TTFont

    maps = [set(TTFont(path, lazy=True).getBestCmap()) for path in charts.FONT_FILES.values()]
    return frozenset(set.union(*maps))


def _printable(value):
    """Replace characters the PDF cannot show (e.g. CJK, private-use characters) by U+FFFD.

    PDF/UA-1 and PDF/A-2a make Typst refuse such text outright, and one unprintable character
    in an editorial text should not block the whole report.
    """
    if isinstance(value, dict):
        # SVG charts carry no text of their own (glyphs are outlines), so they are left alone.
        return {k: v if k == "svg" else _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    if not isinstance(value, str):
        return value
    if _SAFE.issuperset(value):
        return value  # the common case, without reading the fonts' character maps
    covered = _covered()
    chars = []
    for char in value:
        category = unicodedata.category(char)
        if char in "\n\t" or (ord(char) in covered and category != "Co"):
            chars.append(char)  # private-use code points are refused by PDF/A even if drawn
        elif category != "Cf":  # invisible format characters (e.g. bidi marks): just drop
            chars.append(REPLACEMENT)
    cleaned = "".join(chars)
    if cleaned != value:
        # The count only: report text may include editorial prose, which has no place in logs.
        replaced = sum(1 for a, b in zip(value, cleaned, strict=False) if a != b)
        logger.warning("replaced %d character(s) the report font cannot show", max(replaced, 1))
    return cleaned


def report_data(report: Report) -> dict:
    """The JSON document the Typst template reads."""
    sections = [
        {"level": level, "title": section.title, "blocks": [_block(b) for b in section.blocks]}
        for level, section in iter_sections(report)
    ]
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "author": "Moeders Informeren Moeders",
        "keywords": ["MIM", "registratie", str(report.year)],
        "lang": report.lang,
        "region": REGIONS[report.lang],
        "concept": report.concept,
        "concept_note": concept_text(report),
        "colophon": list(report.colophon),
        "generated": format_date(report),
        "labels": {k: v for k, v in labels(report).items() if isinstance(v, str)},
        "sections": sections,
    }


def _block(block) -> dict:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, BulletList):
        return {"type": "list", "items": list(block.items)}
    if isinstance(block, Note):
        return {"type": "note", "text": block.text}
    if isinstance(block, Chart):
        return _chart(block)
    if isinstance(block, Table):
        return {
            "type": "table",
            "caption": block.caption,
            "columns": list(block.columns),
            "rows": [list(row) for row in block.rows],
            "notes": list(block.notes),
            "numeric": list(block.numeric_columns),
        }
    raise TypeError(f"unknown block type: {type(block).__name__}")


def _chart(block: Chart) -> dict:
    return {
        "type": "chart",
        # The caption is set as text under the image, so the image itself carries no title.
        "svg": charts.to_svg(block.spec, include_title=not block.caption),
        "alt": block.alt_text,
        "caption": block.caption,
    }

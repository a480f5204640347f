"""Render a Report to one self-contained, accessible HTML page (Django templates).

Everything the page needs is inside it: the CSS, the charts as inline SVG, and the shipped font
as a small WOFF subset in a data URI, so the file can be saved, mailed or printed as it is.
All report text goes through Django's autoescaping; the only markup marked safe is the SVG
produced by ``charts.to_svg``, from which the text comments matplotlib adds are removed.
"""

from __future__ import annotations

import base64
import functools
import io
import re

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from mim.reports import charts
from mim.reports.document import (
    BulletList,
    Chart,
    Note,
    Paragraph,
    Report,
    Section,
    Table,
    concept_text,
    format_date,
    labels,
)

# Characters put into the embedded font: Latin text in Dutch and in the languages of most
# countries of origin, plus typographic punctuation. Anything else falls back to the next font
# in the CSS font stack, glyph by glyph.
FONT_UNICODE_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x0218, 0x021B),
    (0x2010, 0x2027),
    (0x2030, 0x2030),
    (0x2039, 0x203A),
    (0x20AC, 0x20AC),
    (0x2122, 0x2122),
    (0x2212, 0x2212),
)
# (bold, italic) variants the page uses: body text, headings and captions, notes.
HTML_FONTS = ((False, False), (True, False), (False, True))


def render_html(report: Report) -> str:
    counters = {"table": 0, "figure": 0}
    context = {
        "report": report,
        "labels": labels(report),
        "concept_note": concept_text(report),
        "generated": format_date(report),
        "sections": [
            _section(s, s.level, f"s{i}", counters) for i, s in enumerate(report.sections, 1)
        ],
        "font_css": font_face_css(),
    }
    return render_to_string("reports/report.html", context)


def _section(section: Section, level: int, anchor: str, counters: dict) -> dict:
    return {
        "id": anchor,
        "title": section.title,
        "level": level,
        # The report title is the page's <h1>, so a chapter is an <h2>.
        "tag": f"h{level + 1}",
        "blocks": [_block(b, anchor, counters) for b in section.blocks],
        "subsections": [
            _section(sub, level + 1, f"{anchor}-{i}", counters)
            for i, sub in enumerate(section.subsections, 1)
        ],
    }


def _block(block, anchor: str, counters: dict) -> dict:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, BulletList):
        return {"type": "list", "items": block.items}
    if isinstance(block, Note):
        return {"type": "note", "text": block.text}
    if isinstance(block, Table):
        counters["table"] += 1
        number = counters["table"]
        return {
            "type": "table",
            "id": f"tabel-{number}",
            "number": number,
            "caption": block.caption,
            "columns": [
                {"text": c, "numeric": i in block.numeric_columns}
                for i, c in enumerate(block.columns)
            ],
            "rows": [
                [
                    {
                        "text": cell,
                        "numeric": i in block.numeric_columns,
                        "header": block.row_headers and i == 0,
                    }
                    for i, cell in enumerate(row)
                ]
                for row in block.rows
            ],
            "notes": block.notes,
        }
    if isinstance(block, Chart):
        counters["figure"] += 1
        number = counters["figure"]
        element_id = f"figuur-{number}"
        return {
            "type": "chart",
            "id": element_id,
            "number": number,
            "caption": block.caption,
            "svg": inline_svg(block, element_id),
        }
    raise TypeError(f"unknown block type: {type(block).__name__}")


def inline_svg(block: Chart, element_id: str) -> str:
    """The chart as an accessible SVG element with ids unique within the page."""
    svg = charts.to_svg(block.spec, include_title=not block.caption, id_prefix=f"{element_id}-")
    svg = svg[svg.index("<svg") :]  # XML declaration and DOCTYPE are not allowed inline
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    # matplotlib repeats every text as a comment; drop them: smaller, and no caller text left.
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    title_id = f"{element_id}-alt"
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-labelledby="{title_id}" class="chart-image" ', 1
    )
    head_end = svg.index(">") + 1
    title = f'<title id="{title_id}">{escape(block.alt_text)}</title>'
    return mark_safe(svg[:head_end] + title + svg[head_end:])  # noqa: S308 - built above


@functools.cache
def font_face_css() -> str:
    """@font-face rules embedding a subset of the shipped font (about 20 kB per style)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    unicodes = [c for lo, hi in FONT_UNICODE_RANGES for c in range(lo, hi + 1)]
    unicode_range = ", ".join(f"U+{lo:04X}-{hi:04X}" for lo, hi in FONT_UNICODE_RANGES)
    rules = []
    for key in HTML_FONTS:
        options = subset.Options()
        options.flavor = "woff"
        options.drop_tables += ["FFTM"]  # FontForge timestamp: not needed, not subsettable
        options.hinting = False  # browsers hardly use TrueType hints; halves the size
        # Keep copyright, names and the license text (name IDs 0-6, 13, 14), as the license asks.
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        # recalcTimestamp=False keeps the font's own date, so the output is reproducible.
        font = TTFont(charts.FONT_FILES[key], recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.flavor = "woff"
        font.save(buffer)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        weight = "700" if key[0] else "400"
        font_style = "italic" if key[1] else "normal"
        rules.append(
            "@font-face{font-family:'MIM DejaVu Sans';"
            f"font-weight:{weight};font-style:{font_style};font-display:swap;"
            f"unicode-range:{unicode_range};"
            f"src:url(data:font/woff;base64,{data}) format('woff');}}"
        )
    return mark_safe("\n".join(rules))  # noqa: S308 - generated from our own font files

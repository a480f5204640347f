"""Render a Report to an editable Word document (python-docx).

The DOCX is for people who want to edit or reuse the text; the PDF is the publication. It has
to work in Word and in LibreOffice (which many municipalities and care organisations use):

* the table of contents is written out: a TOC field whose result already holds every section
  title, so LibreOffice (which shows a field's stored result) and Word before an update both
  show the entries; Word adds the page numbers when it updates the field on opening;
* the header's own tab stops replace the template's (a centre tab would catch the CONCEPT
  mark halfway across the page);
* table columns are as wide as their content needs, measured with the shipped font, so the
  longest word of a column always fits and is never broken ("gezondheidspr/oblemen"); the
  layout is fixed, so no program re-spreads the columns evenly.
"""

from __future__ import annotations

import datetime
import functools
import io

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

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

ACCENT = RGBColor(0x00, 0x72, 0xB2)
MUTED = RGBColor(0x59, 0x59, 0x59)
CONCEPT_RED = RGBColor(0xB0, 0x00, 0x20)
HEADER_FILL = "E8F1F8"
TEXT_WIDTH = Cm(16)  # A4 minus 2 x 2.5 cm
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}
HEADING_SIZES = {1: 17, 2: 13, 3: 11, 4: 10, 5: 10}


def render_docx(report: Report) -> bytes:
    doc = docx.Document()
    _setup_page(doc)
    _setup_styles(doc, LANGUAGE_TAGS[report.lang])
    _set_properties(doc, report)
    _header_footer(doc, report)
    _title_page(doc, report)
    _table_of_contents(doc, report)
    counters = {"table": 0, "figure": 0}
    for level, section in iter_sections(report):
        doc.add_heading(section.title, level=level)
        for block in section.blocks:
            _add_block(doc, block, report, counters)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.4)
    # The title page gets its own (nearly empty) header and no page number.
    section.different_first_page_header_footer = True


def _use_report_font(fonts) -> None:
    """Point a w:rFonts element at the report font, dropping the template's theme fonts.

    Theme attributes (asciiTheme=minorHAnsi, i.e. Calibri) win over explicit names in Word, so
    they have to go. Word substitutes a similar font where DejaVu Sans is not installed.
    """
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), charts.FONT_FAMILY)


def _set_font(style, size: float | None = None, color: RGBColor | None = None) -> None:
    _use_report_font(style.element.get_or_add_rPr().get_or_add_rFonts())
    if size:
        style.font.size = Pt(size)
    if color is not None:
        style.font.color.rgb = color


def _setup_styles(doc, language: str) -> None:
    styles = doc.styles
    for fonts in styles.element.iterfind(f"{qn('w:docDefaults')}//{qn('w:rFonts')}"):
        _use_report_font(fonts)
    _set_font(styles["Normal"], 10)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    # Language for spelling and for screen readers: Dutch, not the template's en-US.
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), language)
    rpr = styles["Normal"].element.get_or_add_rPr()
    if rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        rpr.append(lang)
    for level, size in HEADING_SIZES.items():
        style = styles[f"Heading {level}"]
        _set_font(style, size, ACCENT)
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_after = Pt(6)
    styles["Heading 1"].paragraph_format.page_break_before = True
    _set_font(styles["Title"], 28, ACCENT)
    _set_font(styles["Subtitle"], 15, RGBColor(0x1A, 0x1A, 0x1A))
    styles["Subtitle"].font.italic = False
    _set_font(styles["Caption"], 8.5, RGBColor(0x1A, 0x1A, 0x1A))
    styles["Caption"].font.italic = False
    _set_font(styles["TOC Heading"], 17, ACCENT)
    for name in ("Header", "Footer"):
        _set_font(styles[name], 8, MUTED)


def _set_properties(doc, report: Report) -> None:
    props = doc.core_properties
    props.title = report.title
    props.subject = report.subtitle
    props.author = "Moeders Informeren Moeders"
    props.keywords = f"MIM, registratie, {report.year}"
    props.language = LANGUAGE_TAGS[report.lang]
    props.comments = ""
    stamp = datetime.datetime.combine(report.generated, datetime.time())
    props.created = props.modified = stamp
    props.last_modified_by = "MIM Registratie"
    props.revision = 1


def _header_footer(doc, report: Report) -> None:
    text = labels(report)
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    _only_right_tab(doc.styles["Header"])
    _only_right_tab(doc.styles["Footer"])
    header.add_run(report.title)
    if report.concept:
        header.add_run("\t")
        _concept_run(header, text["concept"])
        first = section.first_page_header.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _concept_run(first, text["concept"])
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{text['page']} ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(f" {text['of']} ")
    _add_field(footer, "NUMPAGES", "1")


def _only_right_tab(style) -> None:
    """One right tab at the text's edge instead of the template's centre and right tabs (the
    template's right tab sits at 16.5 cm, past our 16 cm text width, so a tab after the title
    stopped at the centre: the CONCEPT mark mid-header)."""
    ppr = style.element.get_or_add_pPr()
    for tabs in ppr.findall(qn("w:tabs")):
        ppr.remove(tabs)
    style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def _concept_run(paragraph, word: str) -> None:
    run = paragraph.add_run(word)
    run.bold = True
    run.font.color.rgb = CONCEPT_RED


def _title_page(doc, report: Report) -> None:
    text = labels(report)
    doc.add_paragraph(report.title, style="Title")
    doc.add_paragraph(report.subtitle, style="Subtitle")
    if report.concept:
        banner = doc.add_paragraph()
        _border(banner, "B00020")
        _concept_run(banner, text["concept"])
        banner.add_run().add_break()
        banner.add_run(concept_text(report))
    for line in report.colophon:
        para = doc.add_paragraph(line)
        para.runs[0].font.color.rgb = MUTED
    para = doc.add_paragraph(f"{text['generated']} {format_date(report)}")
    para.runs[0].font.color.rgb = MUTED
    # No page break here: the TOC heading (based on Heading 1) already starts a new page.


TOC_LEVELS = 3


def _table_of_contents(doc, report: Report) -> None:
    doc.add_paragraph(labels(report)["toc"], style="TOC Heading")
    entries = [(level, section.title) for level, section in iter_sections(report)
               if level <= TOC_LEVELS]
    styles = _toc_styles(doc)

    def fld_char(run, kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    # One field over several paragraphs, as Word writes a TOC itself: begin, instruction and
    # separator in the first entry's paragraph, the end in the last one's. The entries between
    # are the field's stored result, which LibreOffice shows as it is.
    for index, (level, title) in enumerate(entries or [(1, "")]):
        paragraph = doc.add_paragraph(style=styles[level])
        if index == 0:
            fld_char(paragraph.add_run(), "begin")
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            # \o "1-3": heading levels; \h: clickable entries; \z \u: usual Word defaults.
            instr.text = f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u '
            paragraph.add_run()._r.append(instr)
            fld_char(paragraph.add_run(), "separate")
        paragraph.add_run(title)
        if index == len(entries or [1]) - 1:
            fld_char(paragraph.add_run(), "end")
    # Ask Word to refresh the fields (page numbers in the contents, page count) on opening.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    _insert_setting(doc.settings.element, update)


def _toc_styles(doc) -> dict:
    """The paragraph styles "TOC 1".."TOC 3" (Word's built-in names, so Word's own update
    keeps them), indented per level."""
    from docx.enum.style import WD_STYLE_TYPE

    out = {}
    for level in range(1, TOC_LEVELS + 1):
        name = f"TOC {level}"
        try:
            style = doc.styles[name]
        except KeyError:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(2 if level > 1 else 4)
        style.font.bold = level == 1
        out[level] = style
    return out


# w:settings is a strict sequence; w:updateFields must precede these (ECMA-376 CT_Settings), and
# Word rejects a file with elements out of order.
_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")


def _insert_setting(settings, element) -> None:
    for child in settings:
        if child.tag in {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}:
            child.addprevious(element)
            return
    settings.append(element)


def _add_block(doc, block, report: Report, counters: dict) -> None:
    text = labels(report)
    if isinstance(block, Paragraph):
        doc.add_paragraph(block.text)
    elif isinstance(block, BulletList):
        for item in block.items:
            doc.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Note):
        _note(doc, block.text)
    elif isinstance(block, Table):
        counters["table"] += 1
        _caption(doc, text["table"], counters["table"], block.caption, keep_with_next=True)
        _table(doc, block)
        for line in block.notes:
            _note(doc, line)
    elif isinstance(block, Chart):
        counters["figure"] += 1
        _chart(doc, block)
        _caption(doc, text["figure"], counters["figure"], block.caption)
    else:
        raise TypeError(f"unknown block type: {type(block).__name__}")


def _note(doc, text: str) -> None:
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.italic = True
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED


def _caption(doc, kind: str, number: int, caption: str, keep_with_next: bool = False) -> None:
    para = doc.add_paragraph(style="Caption")
    para.paragraph_format.keep_with_next = keep_with_next
    lead = para.add_run(f"{kind} ")
    lead.bold = True
    # A SEQ field lets Word number and list tables and figures itself.
    _add_field(para, f"SEQ {kind} \\* ARABIC", str(number), bold=True)
    para.add_run(".").bold = True
    para.add_run(f" {caption}")


def _table(doc, block: Table) -> None:
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    widths = column_widths(block)
    _fix_widths(table, widths)
    for row_index, values in enumerate([block.columns, *block.rows]):
        row = table.rows[row_index]
        _no_split(row)
        for col, value in enumerate(values):
            cell = row.cells[col]
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            run = para.add_run(value)
            if col in block.numeric_columns:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if row_index == 0:
                run.bold = True
                _shade(cell, HEADER_FILL)
    _repeat_header(table.rows[0])
    # Word 2010+ alt text for the table, read by screen readers.
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), block.caption)
    table._tbl.tblPr.append(caption)


TABLE_SIZE = 10  # points: table text is Normal text
# Left plus right cell margin (Word's default 0.19 cm each side) and a little slack for the
# rounding of glyph widths in whichever font the reader's program substitutes.
CELL_PADDING = Cm(0.38 + 0.12)


@functools.cache
def _advances(bold: bool) -> tuple[dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(charts.FONT_FILES[bold, False], lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm


def text_width(text: str, *, bold: bool = False, size: float = TABLE_SIZE) -> int:
    """The width of `text` in EMU when set in the shipped font."""
    widths, per_em = _advances(bold)
    fallback = widths.get(ord("M"), per_em)
    units = sum(widths.get(ord(c), fallback) for c in text)
    return int(Pt(size * units / per_em))


def column_widths(block: Table, total: int = TEXT_WIDTH) -> list[int]:
    """Column widths (EMU) from the content: never below a column's longest word, so no
    word is broken; the room left over goes to the columns whose lines would wrap, in
    proportion to what they lack, and what remains after that to the first column."""
    rows = [(True, block.columns)] + [(False, row) for row in block.rows]
    least, most = [], []
    for col in range(len(block.columns)):
        words = [text_width(w, bold=head) for head, row in rows for w in row[col].split()]
        lines = [text_width(row[col], bold=head) for head, row in rows]
        least.append(max(words or [0]) + CELL_PADDING)
        most.append(max(lines or [0]) + CELL_PADDING)
    if sum(most) <= total:
        widths = list(most)
        widths[0] += total - sum(most)
        return widths
    if sum(least) >= total:
        # Even the longest words do not fit side by side: shrink evenly (rare: many columns).
        return [int(w * total / sum(least)) for w in least]
    room = total - sum(least)
    lacking = [m - n for m, n in zip(most, least, strict=True)]
    return [n + int(room * lack / sum(lacking)) for n, lack in zip(least, lacking, strict=True)]


def _fix_widths(table, widths: list[int]) -> None:
    """Fixed layout with the given widths on the grid and on every cell (Word reads the cells,
    LibreOffice the grid), and autofit off, so neither program spreads the columns evenly."""
    table.autofit = False  # w:tblLayout fixed, in its place in the sequence of w:tblPr
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU -> twentieths of a point
    for column, value in zip(table.columns, widths, strict=True):
        column.width = value
    for row in table.rows:
        for cell, value in zip(row.cells, widths, strict=True):
            cell.width = value


def _chart(doc, block: Chart) -> None:
    png = charts.to_png(block.spec, include_title=not block.caption)
    para = doc.add_paragraph()
    para.paragraph_format.keep_with_next = True
    shape = para.add_run().add_picture(io.BytesIO(png), width=TEXT_WIDTH)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", block.alt_text)
    doc_pr.set("title", block.caption)


def _add_field(paragraph, instruction: str, placeholder: str, *, dirty: bool = False,
               bold: bool = False) -> None:
    """A complex field: begin, instruction, separator, placeholder result, end."""

    def fld_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if dirty and kind == "begin":
            element.set(qn("w:dirty"), "true")
        return element

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run(placeholder).bold = bold or None
    paragraph.add_run()._r.append(fld_char("end"))


def _repeat_header(row) -> None:
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _no_split(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _border(paragraph, color: str) -> None:
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")
        edge.set(qn("w:space"), "6")
        edge.set(qn("w:color"), color)
        borders.append(edge)
    paragraph._p.get_or_add_pPr().append(borders)

"""Rendering of reports to PDF, HTML and DOCX, and the charts in them. No database needed."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from collections import Counter

import docx
import pytest
from docx.oxml.ns import qn

from mim.reports.charts import BarChart, LineChart, Series, format_number, to_png, to_svg
from mim.reports.document import (
    BulletList,
    Chart,
    Note,
    Paragraph,
    Report,
    Section,
    Table,
)
from mim.reports.render_docx import render_docx
from mim.reports.render_html import render_html
from mim.reports.render_pdf import render_pdf

HOSTILE = r"Letterlijk: #set text(red) ] * $ \ _x_ <b>vet</b> & @ref"
HOSTILE_LABEL = "</svg><script>alert(1)</script> -->"


def origin_chart(first_label: str = "Nederland") -> BarChart:
    return BarChart(
        "Herkomst MIM-moeders",
        [first_label, "Marokko", "Turkije", "Overig"],
        [Series("2014", [31.0, 18.0, 12.5, 38.5]), Series("2013", [33.0, 17.0, 13.0, 37.0])],
        value_label="Percentage van de moeders",
        decimals=1,
        unit="%",
    )


def trend_chart() -> LineChart:
    return LineChart(
        "MIM-moeders per jaar",
        [2006, 2007, 2008, 2009, 2010],
        [Series("Moeders", [650, 709, 703, None, 812])],
        value_label="Aantal moeders",
    )


def sample_report() -> Report:
    return Report(
        title="Registratie 2014",
        subtitle="Moeders Informeren Moeders (MIM)",
        year=2014,
        concept=True,
        concept_note="Ter controle door de coördinatoren.",
        colophon=["Samengesteld uit de jaarregistraties van de locaties"],
        generated=datetime.date(2015, 8, 1),
        sections=[
            Section("Inleiding", [
                Paragraph("Dit zijn de cijfers van alle locaties waar MIM in 2014 liep."),
                Paragraph(HOSTILE),
                BulletList(["Eén brug tussen professionele en informele steun"]),
            ]),
            Section("MIM-moeders", [
                Table(
                    "Moeders per leeftijdsgroep",
                    ["Leeftijd", "2013", "2014"],
                    [["Jonger dan 20", "<5", "12"], ["20 jaar en ouder", "801", "829"],
                     ["Totaal", "804", "841"]],
                    notes=["Aantallen onder 5 zijn afgeschermd."],
                    numeric_columns=[1, 2],
                ),
                Chart(origin_chart(), "Staafdiagram van de herkomst van de MIM-moeders."),
                Note("Gegevens van 18 van 19 locaties."),
            ], subsections=[Section("Leeftijd", [Paragraph("De meeste moeders zijn 25-34.")])]),
            Section("Vijf jaar MIM", [
                Chart(trend_chart(), "Lijndiagram van het aantal moeders; 2009 ontbreekt."),
            ]),
        ],
    )


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(sample_report())


def extract_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; cannot read the PDF text")
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own PDF on stdin
        [pdftotext, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return extract_text(pdf)


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(sample_report())


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(sample_report())))


# PDF


def test_it_renders_a_pdf_with_headings_table_values_and_the_concept_mark(pdf, pdf_text):
    assert pdf.startswith(b"%PDF-")
    for expected in ("Registratie 2014", "Inhoud", "Inleiding", "MIM-moeders", "Leeftijd",
                     "Vijf jaar MIM", "Jonger dan 20", "<5", "841", "CONCEPT",
                     "Ter controle door de coördinatoren.", "Gegevens van 18 van 19 locaties.",
                     "Tabel 1.", "Figuur 2.", "1 augustus 2015"):
        assert expected in pdf_text, expected
    assert re.search(r"pagina 3 van \d+", pdf_text)


def test_it_tags_the_pdf_as_pdf_ua_with_title_and_language(pdf):
    assert b"/StructTreeRoot" in pdf
    assert b"/MarkInfo<</Marked true" in pdf
    assert b"/Lang(nl-NL)" in pdf
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf
    assert b"/Alt(Staafdiagram van de herkomst" in pdf


def test_it_sets_user_text_literally_in_the_pdf(pdf_text):
    assert HOSTILE in pdf_text


def test_it_replaces_characters_the_pdf_font_cannot_show(caplog):
    report = sample_report()
    report.sections[0].blocks.append(Paragraph("Naam: 中文 \ue000 bel\x07 Türkçe şğı"))
    text = extract_text(render_pdf(report))
    assert "Naam: \ufffd\ufffd \ufffd bel Türkçe şğı" in text
    assert "cannot show" in caplog.text


def test_it_renders_the_same_pdf_twice(pdf):
    assert render_pdf(sample_report()) == pdf


def test_it_shows_no_concept_mark_on_a_final_report():
    report = sample_report()
    report.concept = False
    text = extract_text(render_pdf(report))
    assert "CONCEPT" not in text and "Inleiding" in text
    assert 'class="concept-banner"' not in render_html(report)
    header = docx.Document(io.BytesIO(render_docx(report))).sections[0].header
    assert "CONCEPT" not in header.paragraphs[0].text


def test_it_leaves_no_files_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    render_pdf(sample_report())
    assert list(tmp_path.iterdir()) == []


# HTML


def test_it_renders_html_in_dutch_with_a_table_of_contents(html):
    assert '<html lang="nl">' in html
    assert '<a href="#s2">MIM-moeders</a>' in html
    assert '<a href="#s2-1">Leeftijd</a>' in html
    assert '<h3 id="s2-1-kop">Leeftijd</h3>' in html
    assert 'class="concept-banner"' in html and "Ter controle door de coördinatoren." in html
    assert "@media print" in html and "@font-face" in html


def test_it_renders_accessible_tables_in_html(html):
    assert ("<caption id=\"tabel-1-titel\"><strong>Tabel 1.</strong> Moeders per leeftijdsgroep"
            "</caption>") in html
    assert '<th scope="col" class="num">2014</th>' in html
    assert '<th scope="row">Jonger dan 20</th><td class="num">&lt;5</td>' in html


def test_it_inlines_charts_as_labelled_svg_images(html):
    assert html.count('<svg role="img"') == 2
    assert '<title id="figuur-1-alt">Staafdiagram van de herkomst' in html
    assert "<figcaption><strong>Figuur 1.</strong> Herkomst MIM-moeders</figcaption>" in html
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_it_keeps_element_ids_unique_in_html(html):
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []


def test_it_escapes_user_text_in_html():
    report = sample_report()
    report.sections[0].blocks.append(Paragraph("<script>alert(1)</script>"))
    report.sections[1].blocks.append(Chart(origin_chart(HOSTILE_LABEL), "Herkomst <b>"))
    page = render_html(report)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert ">Herkomst &lt;b&gt;</title>" in page


# DOCX


def test_it_renders_a_docx_with_headings_and_table_cells(word):
    headings = [(p.style.name, p.text) for p in word.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Inleiding"), ("Heading 1", "MIM-moeders"),
                        ("Heading 2", "Leeftijd"), ("Heading 1", "Vijf jaar MIM")]
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Leeftijd", "2013", "2014"]
    assert [c.text for c in table.rows[1].cells] == ["Jonger dan 20", "<5", "12"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert any(p.text == HOSTILE for p in word.paragraphs)


def test_it_lays_out_the_docx_on_a4_with_toc_header_and_page_numbers(word):
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    body = word.element.body.xml
    assert 'TOC \\o "1-3"' in body
    assert "Registratie 2014" in section.header.paragraphs[0].text
    assert "CONCEPT" in section.header.paragraphs[0].text
    assert " PAGE " in section.footer._element.xml
    assert word.core_properties.title == "Registratie 2014"


def test_it_gives_docx_charts_their_alt_text(word):
    descriptions = [pr.get("descr") for pr in word.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descriptions == ["Staafdiagram van de herkomst van de MIM-moeders.",
                            "Lijndiagram van het aantal moeders; 2009 ontbreekt."]


# Charts and the document model


def test_it_draws_charts_deterministically():
    from mim.reports import charts

    for spec in (origin_chart(), trend_chart()):
        svg, png = to_svg(spec), to_png(spec, dpi=50)
        charts._svg.cache_clear()  # drawn anew, not the drawing kept for the same spec
        charts._png.cache_clear()
        assert to_svg(spec) == svg
        assert to_png(spec, dpi=50) == png
    assert "<dc:date>" not in to_svg(trend_chart())


def test_it_marks_missing_years_in_a_line_chart():
    svg = to_svg(trend_chart())
    assert "geen gegevens" in svg  # matplotlib keeps each text as a comment next to its glyphs
    assert "<!-- 812 -->" in svg and "<!-- 2009 -->" in svg


def test_it_formats_numbers_the_dutch_way():
    assert format_number(1234.5, 1) == "1.234,5"
    assert format_number(68.95, 1) == "69,0"
    assert format_number(2.25, 1) == "2,3"  # halves round up, as in the tables
    assert format_number(-1234567.0, 0) == "-1.234.567"
    assert format_number(841) == "841"
    assert "<!-- 38,5% -->" in to_svg(origin_chart())


def test_it_rejects_incomplete_report_parts():
    with pytest.raises(ValueError, match="alt text"):
        Chart(trend_chart(), " ")
    with pytest.raises(ValueError, match="row 1"):
        Table("Kapot", ["a", "b"], [["1"]])
    with pytest.raises(ValueError, match="wrong length"):
        LineChart("Kapot", [2013, 2014], [Series("x", [1.0])])
    with pytest.raises(ValueError, match="skips a heading level"):
        Report("T", "S", 2014, sections=[Section("Diep", level=2)])

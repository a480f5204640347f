"""The DOCX as LibreOffice lays it out (many municipalities and care organisations use it):
the table of contents written out, the CONCEPT mark at the right of the header, and no word of
a table broken over two lines. Converted with LibreOffice headless; skipped where it is not
installed (CI installs it)."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest

from mim.reports.document import Paragraph, Report, Section, Table
from mim.reports.render_docx import TEXT_WIDTH, column_widths, render_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
LONG_HEADERS = ["Omstandigheid", "Aantal", "% 2025", "% vermeldingen", "% 2024"]
LONG_ROWS = [
    ["gezondheidsproblemen (fysiek of psychisch)", "82", "9%", "5%", "9%"],
    ["taal / onzeker in Nederland", "318", "37%", "20%", "37%"],
    ["ongedocumenteerd", "12", "1%", "1%", "1%"],
]


def report() -> Report:
    return Report(
        title="Registratie 2025", subtitle="Moeders Informeren Moeders (MIM)", year=2025,
        concept=True, generated=datetime.date(2026, 3, 1),
        sections=[
            Section("Inleiding", [Paragraph("De cijfers van alle locaties.")]),
            Section("MIM-moeders", [
                Table("Omstandigheden van de moeder (2025)", LONG_HEADERS, LONG_ROWS,
                      numeric_columns=[1, 2, 3, 4]),
                Table("Vijf jaar", ["Registratiejaar", "2021", "2022", "2023", "2024", "2025"],
                      [["% vrijwilligers met migratieachtergrond", "39%", "46%", "41%", "39%",
                        "37%"]], numeric_columns=[1, 2, 3, 4, 5]),
            ], subsections=[Section("Leeftijd", [Paragraph("De meeste moeders zijn 25-34.")])]),
            Section("Over de cijfers", [Paragraph("Afgeschermde cijfers.")]),
        ])


def test_it_fits_every_column_to_its_longest_word():
    from mim.reports.render_docx import CELL_PADDING, text_width

    block = Table("t", LONG_HEADERS, LONG_ROWS, numeric_columns=[1, 2, 3, 4])
    widths = column_widths(block)
    assert sum(widths) <= TEXT_WIDTH
    for col, width in enumerate(widths):
        words = [w for row in [LONG_HEADERS, *LONG_ROWS] for w in row[col].split()]
        assert width >= max(text_width(w, bold=True) for w in words) + CELL_PADDING - 1


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    if SOFFICE is None or PDFTOTEXT is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    folder = tmp_path_factory.mktemp("docx")
    source = folder / "rapport.docx"
    source.write_bytes(render_docx(report()))
    # A profile of its own: a LibreOffice already running for the user would take the job.
    subprocess.run(  # noqa: S603 - fixed arguments
        [SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=240)
    return folder / "rapport.pdf"


def pdf_pages(pdf) -> list[str]:
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout
    return text.split("\f")


def test_it_writes_out_the_table_of_contents_for_libreoffice(converted):
    pages = pdf_pages(converted)
    contents = next(p for p in pages if "Inhoud" in p)
    for title in ("Inleiding", "MIM-moeders", "Leeftijd", "Over de cijfers"):
        assert title in contents
    assert "Veld bijwerken" not in "".join(pages)


def test_it_puts_the_concept_mark_at_the_right_of_the_header(converted):
    words = subprocess.run([PDFTOTEXT, "-bbox", "-f", "2", "-l", "2", str(converted), "-"],  # noqa: S603
                           capture_output=True, check=True, text=True).stdout
    import re

    found = re.search(r'<page width="([\d.]+)".*?<word xMin="([\d.]+)" yMin="([\d.]+)" '
                      r'xMax="([\d.]+)" yMax="[\d.]+">CONCEPT</word>', words, re.S)
    assert found, "no CONCEPT on page 2"
    page_width, x_max, y_min = float(found[1]), float(found[4]), float(found[3])
    # At the right margin (2.5 cm = 71 pt), not halfway across the page; in the header.
    assert page_width - 71 - 15 < x_max <= page_width - 71 + 5
    assert y_min < 80
    title = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">Registratie</word>', words)
    assert title and abs(float(title[1]) - y_min) < 3  # on the title's line


def test_it_breaks_no_word_of_a_table(converted):
    text = "".join(pdf_pages(converted))
    tokens = set(text.split())
    for row in [LONG_HEADERS, *LONG_ROWS]:
        for word in " ".join(row).split():
            assert word in tokens, f"{word!r} is broken over two lines"

"""The national report from demo data: the published figures of `mim figures`, the concept
mark, nothing hidden stated, site-level statements from published site figures only, and the
same headings in PDF, HTML and DOCX."""

import csv
import io
import re
import shutil
import subprocess

import docx
import pytest
from django.core.management import call_command
from django.db import transaction

from mim.cli import main
from mim.publication.selectors import server_figures
from mim.reports.building import label_of
from mim.reports.document import Paragraph, Table, iter_sections
from mim.reports.national import build_national_report
from mim.reports.render_docx import render_docx
from mim.reports.render_html import render_html
from mim.reports.render_pdf import render_pdf
from mim.reports.selectors import ServerFigures, national_inputs
from mim.reports.text import fmt_int, fmt_share, round_half_up
from tests.reports.numbers import problems

YEAR = 2025
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        # the demo's day fixed, so that 2025 stays the year under review on any day
        call_command("demo", "--seed", "3", "--today", "2026-06-01", verbosity=0)
        inputs = national_inputs(YEAR, ServerFigures())
        report = build_national_report(inputs)
        yield {"inputs": inputs, "report": report, "pdf": render_pdf(report)}
        transaction.set_rollback(True)


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())  # one line: sentences wrap in the PDF


def published_csv(capsys) -> list[dict]:
    from unittest import mock

    # The console script closes the connections when a command ends; on PostgreSQL that would
    # end the module's transaction with the demo data.
    with mock.patch("django.core.management.base.connections.close_all"):
        main(["mim", "figures", "--year", str(YEAR)])
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def paragraphs(report) -> str:
    return "\n".join(b.text for _, s in iter_sections(report) for b in s.blocks
                     if isinstance(b, Paragraph))


def chapter_text(report, title: str) -> str:
    def walk(section):
        yield from (b.text for b in section.blocks if isinstance(b, Paragraph))
        for sub in section.subsections:
            yield from walk(sub)

    section = next(s for s in report.sections if s.title == title)
    return "\n".join(walk(section))


@pytest.mark.django_db
def test_it_uses_exactly_the_figures_of_mim_figures(demo, capsys):
    rows = published_csv(capsys)
    figures = demo["inputs"].current.figures
    assert [f.as_row() for f in figures] == [
        {k: (int(v) if k in ("year", "count", "base") and v else v) for k, v in r.items()}
        for r in rows]
    assert figures == server_figures(YEAR, "national", "NL").figures


@pytest.mark.django_db
def test_it_shows_the_published_figures_in_the_pdf_text(demo, capsys):
    rows = {(r["variable"], r["category"]): r for r in published_csv(capsys)}
    text = pdf_text(demo["pdf"])
    mothers = int(rows[("mothers.total", "all")]["count"])
    assert f"In {YEAR} waren er {fmt_int(mothers)} MIM-moeders" in text
    migrant = rows[("mothers.migrant_background", "yes")]
    # rounded once, from the counts (not the CSV's one-decimal percent rounded again)
    share = fmt_share(int(migrant["count"]), int(migrant["base"]))
    assert f"heeft {share} een migratieachtergrond" in text
    for code in ("dutch", "europe_other"):
        row = rows[("mothers.origin", code)]
        label = label_of(YEAR, "mothers", "origin", code)
        assert f"{label} ({fmt_share(int(row['count']), int(row['base']))})" in text
    delivered = rows[("sites.delivered", "all")]["count"]
    active = rows[("sites.active", "all")]["count"]
    assert f"De cijfers over {YEAR} komen van {delivered} van de {active} locaties." in text


@pytest.mark.django_db
def test_it_marks_the_report_concept_and_names_the_provisional_sites(demo):
    report = demo["report"]
    text = pdf_text(demo["pdf"])
    assert report.concept is True
    assert "CONCEPT" in text
    provisional = [s.name for s in demo["inputs"].sites
                   if s.status == "provisional" and not s.is_group]
    assert provisional
    assert all(name in report.concept_note for name in provisional)
    assert "Voorlopige cijfers" in report.concept_note


@pytest.mark.django_db
def test_it_never_states_a_hidden_figure(demo):
    inputs = demo["inputs"]
    # Person cells; the results rows (results.*) have their section's own test
    # (tests/results/test_report.py).
    hidden = [f for f in inputs.current.figures if f.suppressed
              and not f.variable.startswith("results.")]
    assert hidden, "the demo year should have some hidden national cells"
    chapter = {"mothers": "MIM-moeders", "mothers_ended": "Afronding en beëindiging",
               "volunteers": "Vrijwilligers", "volunteers_stopped": "Vrijwilligers"}
    tables = [b for _, s in iter_sections(demo["report"]) for b in s.blocks
              if isinstance(b, Table)]
    for f in hidden:
        population, item = f.variable.split(".", 1)
        label = label_of(YEAR, population, item, f.category)
        prose = chapter_text(demo["report"], chapter[population])
        # never in a sentence with a number or share next to it
        assert not re.search(rf"'?{re.escape(label)}'? \((elk )?\d", prose), label
        caption = {"volunteers_stopped": "Redenen om te stoppen"}.get(population)
        if caption:
            table = next(t for t in tables if t.caption.startswith(caption))
            row = next(r for r in table.rows if r[0] == label)
            assert row[1:3] == ["×", "–"]


@pytest.mark.django_db
def test_it_names_sites_with_published_site_figures_only(demo):
    inputs = demo["inputs"]
    prose = paragraphs(demo["report"])
    sentence = next(line for line in prose.splitlines()
                    if line.startswith("Het aantal MIM-moeders per locatie"))
    for site in inputs.sites:
        figure = site.figures.get("mothers.total") if site.figures else None
        if f"({site.name})" in sentence:
            assert figure is not None and not figure.suppressed
            assert f"{fmt_int(figure.count)} ({site.name})" in sentence
    # Second-child mothers: the number of sites whose own count is shown and not 0 (merged or
    # hidden sites are said to be there, not counted); the range of shares is over the sites
    # published on their own.
    current = inputs.current
    with_any = current.get("sites.with_second_child")
    own = [s.figures.get("mothers.child_order", "second") for s in inputs.sites
           if s.figures and not s.is_group and not s.group and s.status != "missing"]
    assert with_any.count == sum(1 for f in own if not f.suppressed and f.count)
    unshown = with_any.base - sum(1 for f in own if not f.suppressed)
    if unshown == with_any.base:  # the demo's 2025: every site's count is hidden or merged
        second = next(line for line in prose.splitlines()
                      if "moeders van een tweede kind apart getoond" in line)
        assert (f"Van geen van de {with_any.base} locaties met gegevens wordt het aantal "
                f"moeders van een tweede kind apart getoond.") in second
    else:
        second = next(line for line in prose.splitlines()
                      if "Moeders van een tweede kind zijn bereikt op" in line)
        where = (f"ten minste {with_any.count} van de {with_any.base} locaties" if unshown
                 else f"alle {with_any.base} locaties" if with_any.count == with_any.base
                 else f"{with_any.count} van de {with_any.base} locaties")
        assert f"zijn bereikt op {where} met gegevens" in second
    alone = [s.figures.get("mothers.child_order", "second") for s in inputs.sites
             if s.figures and not s.is_group and not s.group]
    shares = [f.percent for f in alone if f.percent is not None]
    low, high = current.get("mothers.second_child_share", "min"), \
        current.get("mothers.second_child_share", "max")
    exact = [f.share for f in alone if f.share is not None]
    if len(shares) > 1:
        assert (low.value, high.value, low.base) == (min(shares), max(shares), len(shares))
        # The text rounds each site's share once, from its counts.
        assert (f"tussen {round_half_up(min(exact))}% en {round_half_up(max(exact))}% (over "
                f"de {len(exact)} locaties") in second
    else:
        # With fewer than two sites showing their count there is no range to give, and the
        # text gives none (a range over one site would be that site's hidden-elsewhere share).
        assert low.base == len(shares) and "tussen" not in second


@pytest.mark.django_db
def test_it_states_only_numbers_of_its_own_table_rows(demo):
    report = demo["report"]
    assert problems(report, set(range(YEAR - 10, YEAR + 2))) == []
    coordinators = next(s for _, s in iter_sections(report) if s.title == "Coördinatoren")
    assert any(b.refs for b in coordinators.blocks if isinstance(b, Paragraph))


@pytest.mark.django_db
def test_it_states_only_numbers_of_their_rows_in_the_demos_site_reports(demo):
    from mim.organisations.models import Site
    from mim.reports.assemble import site_report

    source = ServerFigures()
    found = [f"{code}: {p}" for code in Site.objects.order_by("code").values_list("code",
                                                                                 flat=True)
             for p in problems(site_report(YEAR, code, source=source),
                               set(range(YEAR - 10, YEAR + 2)))]
    assert found == []


@pytest.mark.django_db
def test_it_gives_html_and_docx_the_same_headings_as_the_pdf(demo):
    report = demo["report"]
    titles = [s.title for _, s in iter_sections(report)]
    html = render_html(report)
    html_titles = [re.sub(r"<[^>]+>", "", t).strip()
                   for t in re.findall(r"<h[2-6][^>]*>(.*?)</h[2-6]>", html, re.S)]
    for title in titles:
        assert title.replace("'", "&#x27;") in html_titles or title in html_titles
    document = docx.Document(io.BytesIO(render_docx(report)))
    docx_titles = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [t for t in docx_titles if t in titles] == titles
    text = pdf_text(demo["pdf"])
    for title in titles:
        assert title in text


@pytest.mark.django_db
def test_it_writes_every_format_from_the_command(demo, tmp_path):
    for fmt in ("pdf", "html", "docx"):
        target = tmp_path / f"r.{fmt}"
        call_command("report", "--year", str(YEAR), "--format", fmt, "-o", str(target))
        assert target.stat().st_size > 1000
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_it_covers_every_section_of_the_national_report(demo):
    titles = [s.title for _, s in iter_sections(demo["report"])]
    for expected in ("Inleiding", "Samenvatting", "Locaties en organisaties", "Doelgroep",
                     "Financiering", "Uitvoeringsvariant", "Coördinatoren",
                     "Ervaring en opleiding", "MIM-moeders", "Herkomst en migratieachtergrond",
                     "Leeftijd", "Opleidingsniveau", "Gezinssamenstelling", "Inkomen",
                     "Omstandigheden van moeder en baby",
                     "Moeders van een tweede kind en zwangere moeders",
                     "Afronding en beëindiging", "Vrijwilligers", "Werkervaring", "Verloop",
                     "Vergoeding, overeenkomst en VOG", "Groepsactiviteiten",
                     "MIM over vijf jaar", "Over de cijfers"):
        assert expected in titles
    prose = paragraphs(demo["report"])
    assert "Gestopt na 2024: Best." in prose
    assert "procentpunt" in prose and "De percentages zijn van alle" in prose  # both bases


@pytest.mark.django_db
def test_it_shows_the_2009_gap_with_its_note():
    from mim.reports.selectors import ServerFigures as Source

    report = build_national_report(national_inputs(2011, Source()))
    table = next(b for _, s in iter_sections(report) for b in s.blocks
                 if isinstance(b, Table) and b.caption.startswith("MIM over vijf"))
    assert table.columns[1:] == ["2007", "2008", "2009", "2010", "2011"]
    mothers = next(r for r in table.rows if r[0] == "MIM-moeders")
    assert mothers[3] == "–" and mothers[2] == "703"
    assert any(n.startswith("2009: ") for n in table.notes)

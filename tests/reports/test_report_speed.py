"""What keeps `mim report` fast (issue 9, docs/performance.md "National report"): a report
reads stored publications and recounts nothing, starts without the heavy libraries, and draws
a chart only when its figures changed; the output stays the same byte for byte."""

import subprocess
import sys
import unicodedata
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mim.figures.tidy import Figure
from mim.publication.models import Publication, PublishedScope
from mim.publication.selectors import StoredFigureSet, _figure, read_scope
from mim.reports import charts, output, render_pdf
from mim.reports.assemble import national_report
from mim.reports.charts import BarChart, Series
from mim.reports.document import Chart, iter_sections
from mim.reports.models import ChartDrawing

YEAR = 2025


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--seed", "3", "--today", "2026-06-01", verbosity=0)
        national_report(YEAR)  # builds and stores the publications the report reads
        yield
        transaction.set_rollback(True)


def _charts(report) -> list[Chart]:
    return [b for _, s in iter_sections(report) for b in s.blocks if isinstance(b, Chart)]


@pytest.mark.django_db
def test_it_reads_stored_publications_and_recounts_nothing(demo):
    publications = Publication.objects.count()
    with CaptureQueriesContext(connection) as queries:
        national_report(YEAR)
    sql = [q["sql"] for q in queries.captured_queries]
    assert Publication.objects.count() == publications  # nothing built again
    assert not [s for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    # No record is read (figures, results or countries of birth counted again), no kept
    # site figure is recounted: only stored publications, sites, returns and texts.
    assert not [s for s in sql if "registry_" in s or "keptsitefigures" in s]
    # Every site and every municipality of a year in one query each, not one per scope.
    reads = [s for s in sql if "publication_publishedscope" in s]
    sites = PublishedScope.objects.filter(scope="site", publication__year=YEAR).count()
    assert sites > 10 and len(reads) < sites


@pytest.mark.django_db
def test_it_keeps_the_chart_drawings_and_draws_none_the_second_time(demo):
    report = national_report(YEAR)
    charts._svg.cache_clear()
    first = output.render(report, "pdf")
    drawn = charts._svg.cache_info().misses
    assert drawn == len(_charts(report))
    assert ChartDrawing.objects.count() == drawn
    charts._svg.cache_clear()  # as a new process: nothing drawn in memory
    again = output.render(report, "pdf")
    assert charts._svg.cache_info().misses == 0
    assert again == first
    # The page reads the same drawings (its own ids added), and draws none either.
    output.render(report, "html")
    assert charts._svg.cache_info().misses == 0


@pytest.mark.django_db
def test_it_draws_a_chart_again_when_its_figures_change(demo):
    spec = BarChart("Herkomst", ["a", "b"], [Series("2025", [1, 2])])
    changed = BarChart("Herkomst", ["a", "b"], [Series("2025", [1, 3])])
    as_float = BarChart("Herkomst", ["a", "b"], [Series("2025", [1.0, 2])])
    keys = {charts.drawing_key(charts.spec_key(s), True) for s in (spec, changed, as_float)}
    assert len(keys) == 3  # 1 and 1.0 may be drawn differently: never the same name
    assert charts.drawing_key(charts.spec_key(spec), True) != charts.drawing_key(
        charts.spec_key(spec), False)
    drawings = {}
    with charts.kept(drawings):
        svg = charts.to_svg(spec)
    assert list(drawings) == [charts.drawing_key(charts.spec_key(spec), True)]
    charts._svg.cache_clear()
    assert drawings[next(iter(drawings))] == svg == charts.to_svg(spec)


@pytest.mark.django_db
def test_it_reads_a_stored_row_as_the_figure_it_was(demo):
    stored = PublishedScope.objects.filter(publication__year=YEAR, scope="national").first()
    rows = stored.payload["figures"]
    assert rows
    for row in rows:
        named = dict(zip(("variable", "category", "count", "base", "percent", "value",
                          "suppressed", "provisional"), row, strict=True))
        expected = Figure.from_row({"year": YEAR, "scope": "national", "scope_code": "NL",
                                    **named})
        assert _figure(YEAR, "national", "NL", row) == expected


def test_it_passes_text_of_the_safe_characters_without_reading_the_fonts():
    covered = render_pdf._covered()
    for char in render_pdf._SAFE - set("\n\t"):
        assert ord(char) in covered and unicodedata.category(char) != "Co", hex(ord(char))
    assert render_pdf._printable("Coördinatoren × – 12,5%") == "Coördinatoren × – 12,5%"
    assert render_pdf._printable("中") == render_pdf.REPLACEMENT


def test_it_starts_a_report_without_the_heavy_libraries():
    # A new process, as `mim report` is: Django and the report's modules, nothing drawn.
    code = ("import django, sys; django.setup()\n"
            "import mim.reports.assemble, mim.reports.output, mim.reports.render_pdf\n"
            "import mim.reports.management.commands.report\n"
            "heavy = {'matplotlib', 'scipy', 'numpy', 'highspy', 'docx', 'openpyxl'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.django_db
def test_it_reads_a_stored_scope_as_the_figures_it_stores(demo):
    stored = read_scope(YEAR, "national", "NL")
    assert isinstance(stored, StoredFigureSet)
    payload = (PublishedScope.objects.filter(publication__year=YEAR, scope="national")
               .order_by("-publication__number").first().payload)
    expected = tuple(_figure(YEAR, "national", "NL", row) for row in payload["figures"])
    assert stored.get("mothers.total") == next(f for f in expected
                                               if f.variable == "mothers.total")
    assert "figures" not in vars(stored)  # one row asked for, one row made
    assert stored.has_data
    assert stored.figures == expected
    index = {(f.variable, f.category): f for f in expected}
    assert all(stored.get(*key) == f for key, f in index.items())
    assert stored.get("no.such", "row") is None
    narrowed = replace(stored, sites=stored.sites[:1])
    assert narrowed.figures == expected and narrowed.get("mothers.total") == index[
        ("mothers.total", "all")]

"""Charts in the national report wherever the seeds had one, each beside its table (never
instead of it), hidden cells never drawn as a value, and each chart drawn once."""

import pytest
from django.core.management import call_command
from django.db import transaction

from mim.figures.standard import HIDDEN_MARK
from mim.reports import charts
from mim.reports.assemble import national_report
from mim.reports.charts import BarChart, LineChart
from mim.reports.document import Chart, Table, iter_sections
from mim.reports.render_html import render_html
from mim.reports.render_pdf import render_pdf

YEAR = 2025
# (section, chart caption) the seeds had a chart for.
EXPECTED = [
    ("Herkomst en migratieachtergrond", "Herkomst: percentage van alle MIM-moeders"),
    ("Leeftijd", "Leeftijd: percentage van alle MIM-moeders"),
    ("Opleidingsniveau", "Opleidingsniveau: percentage van alle MIM-moeders"),
    ("Gezinssamenstelling", "Gezinssamenstelling: percentage van alle MIM-moeders"),
    ("Inkomen", "Inkomen: percentage van alle MIM-moeders"),
    ("Omstandigheden van moeder en baby",
     "Omstandigheden van de moeder: percentage van alle MIM-moeders"),
    ("Omstandigheden van moeder en baby",
     "Omstandigheden van de baby: percentage van alle MIM-moeders"),
    # Each chart names its base: the endings are shares of the mothers who ended.
    ("Afronding en beëindiging",
     "Redenen van beëindiging: percentage van de moeders die het programma beëindigden"),
    ("Herkomst en migratieachtergrond", "Herkomst: percentage van alle vrijwilligers"),
    ("Leeftijd", "Leeftijd: percentage van alle vrijwilligers"),
    ("Opleidingsniveau", "Opleidingsniveau: percentage van alle vrijwilligers"),
    ("Verloop", "Redenen om te stoppen: percentage van de vrijwilligers die stopten"),
    ("Hoe lang moeders in het programma blijven",
     "Moeders nog in het programma na 0 tot 24 maanden (Nederland)"),
    ("MIM over vijf jaar", "MIM-moeders en vrijwilligers per jaar"),
    ("MIM over vijf jaar", "Locaties per jaar"),
]


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--seed", "3", "--today", "2026-06-01", verbosity=0)
        yield national_report(YEAR)
        transaction.set_rollback(True)


def charts_by_section(report) -> list[tuple[str, Chart, list]]:
    return [(section.title, block, section.blocks) for _, section in iter_sections(report)
            for block in section.blocks if isinstance(block, Chart)]


@pytest.mark.django_db
def test_it_draws_a_chart_beside_each_table_the_seeds_had_one_for(report):
    found = [(title, chart.caption) for title, chart, _ in charts_by_section(report)]
    assert found == EXPECTED
    for _title, chart, blocks in charts_by_section(report):
        before = blocks[:blocks.index(chart)]
        # Beside, never instead of, the table: a table comes first in the same section.
        assert any(isinstance(b, Table) for b in before), chart.caption
        assert "De cijfers staan ook in de tabel erboven" in chart.alt_text


@pytest.mark.django_db
def test_it_never_draws_a_hidden_cell_as_a_value(report):
    for _title, chart, blocks in charts_by_section(report):
        spec = chart.spec
        if not isinstance(spec, BarChart):
            continue
        table = [b for b in blocks[:blocks.index(chart)] if isinstance(b, Table)][-1]
        shares = {row[0]: row[2] for row in table.rows}
        current = [s for s in spec.series if s.name == str(YEAR)]
        if not current:  # a series with nothing to draw is left out: every share hidden
            assert all(shares[c] in ("–", HIDDEN_MARK) for c in spec.categories)
        for series in current:
            for category, value, label in zip(spec.categories, series.values, series.labels,
                                              strict=True):
                if shares.get(category) in ("–", HIDDEN_MARK):
                    assert value is None and label in ("", HIDDEN_MARK), (chart.caption,
                                                                          category)
                else:
                    assert label == shares[category], (chart.caption, category)


@pytest.mark.django_db
def test_it_draws_each_chart_once_for_all_formats(report):
    charts._svg.cache_clear()
    render_pdf(report)
    drawn = charts._svg.cache_info()
    assert drawn.misses == len(charts_by_section(report))
    render_html(report)
    again = charts._svg.cache_info()
    assert again.misses == drawn.misses and again.hits >= drawn.misses
    assert any(isinstance(c.spec, LineChart) for _, c, _b in charts_by_section(report))

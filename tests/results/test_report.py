"""The reports' "Resultaten" section (mim.reports.results_section) from published results."""

import pytest

from mim.reports.assemble import national_report, site_report
from mim.reports.document import iter_sections
from mim.reports.render_html import render_html
from tests.results.conftest import YEAR

pytestmark = pytest.mark.django_db


def _section(report, title="Resultaten"):
    return next(s for _level, s in iter_sections(report) if s.title == title)


def _text(section) -> str:
    parts = []
    for _level, s in iter_sections_of(section):
        parts += [getattr(b, "text", "") for b in s.blocks]
    return " ".join(parts)


def iter_sections_of(section, level=1):
    yield level, section
    for sub in section.subsections:
        yield from iter_sections_of(sub, level + 1)


def test_it_states_the_national_results_and_what_they_cannot_show(year):
    report = national_report(YEAR)
    text = _text(_section(report))
    # 24 of the 55 left within six months, nobody censored before: 31/55 = 56%.
    assert "na 6 maanden 56%" in text
    assert "geen vergelijkingsgroep" in text and "geen effect van het programma" in text
    assert "die in 2023, 2024 en 2025 begonnen, gevolgd tot en met 31 december 2025" in text
    html = render_html(report)
    assert "Resultaten" in html and "Wat de cijfers wel en niet laten zien" in html


def test_it_shows_a_site_beside_the_nation_and_a_small_site_only_through_its_group(year):
    big = _text(_section(site_report(YEAR, "big")))
    assert "moeders (Locatie" in big and "Nederland" in render_html(site_report(YEAR, "big"))
    small = _section(site_report(YEAR, "hidden"))
    words = _text(small)
    assert "worden niet apart getoond" in words
    # What is stated is the nation's, never the small site's own curve.
    assert "(Nederland)" in words


def test_it_renders_the_section_with_its_chart_in_every_format(year):
    from mim.reports.document import Chart
    from mim.reports.output import render

    report = national_report(YEAR)
    section = _section(report, "Hoe lang moeders in het programma blijven")
    assert any(isinstance(b, Chart) for b in section.blocks)
    for fmt in ("pdf", "docx", "html"):
        assert render(report, fmt)


def test_it_never_states_a_hidden_result():
    from decimal import Decimal
    from types import SimpleNamespace

    from mim.figures.selectors import Completeness, FigureSet
    from mim.figures.tidy import Figure
    from mim.reports.results_section import results_section

    def row(variable, category="all", value=None, hidden=False, base=40):
        figure = Figure.statistic(year=YEAR, scope="national", scope_code="NL",
                                  variable=variable, category=category, value=value, base=base)
        return figure.hidden() if hidden else figure

    figures = (row("results.mothers.retention_6m", value=Decimal("57.5"), hidden=True),
               row("results.mothers.retention_12m", value=Decimal("41.0")),
               row("results.mothers.retention_18m"),  # not known yet
               row("results.mothers.median_months", value=Decimal("9.3")),
               row("results.visits.monthly_share", value=Decimal("3.0"), hidden=True))
    current = FigureSet(YEAR, "national", "NL", "Nederland", figures, frozenset(),
                        Completeness(1, 1, 1), "2010")
    section = results_section(SimpleNamespace(year=YEAR, current=current))
    words = _text(section)
    assert "na 6 maanden niet getoond, na 12 maanden 41% en na 18 maanden nog niet bekend" \
        in words
    assert "58%" not in words and "57" not in words
    assert "elke volle maand van de koppeling bezocht werd, is niet getoond" in words
    assert "9,3 maanden" in words

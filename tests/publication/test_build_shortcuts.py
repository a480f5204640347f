"""The shortcuts that make a year's publication linear in its sites give what the plain way
gives: provisional marks per scope worked out once, figure sets without their figures when
only their label and completeness are stored, stored rows without `as_row`'s dict."""

import random
from dataclasses import replace
from decimal import Decimal

import pytest

from mim.figures import engine
from mim.figures.tidy import Figure
from mim.publication import build as builder
from mim.publication.inputs import YearFigures
from mim.publication.selectors import _FIELDS, _row
from tests.factories import MunicipalityFactory, OrganisationFactory, SiteFactory
from tests.figures.conftest import YEAR, random_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    rng = random.Random(12)
    organisations = [OrganisationFactory() for _ in range(3)]
    municipalities = [MunicipalityFactory() for _ in range(4)]
    sites = [SiteFactory(first_year=2010, organisation=organisations[i % 3],
                         municipality=municipalities[rng.randrange(4)]) for i in range(12)]
    for i, site in enumerate(sites):
        # Every third site small: merged into its organisation's or the national group.
        n = rng.randint(3, 8) if i % 3 == 0 else rng.randint(15, 60)
        random_records(rng, [site], n, max(1, n // 3))
    return YearFigures(YEAR)


def _every_scope(data, units):
    figures = []
    for (scope, code), members in data.scope_keys().items():
        figures += data._aggregate(scope, code, members)
    for code in data.site_figures:  # also the small sites, published on no scope of their own
        figures += data.site_figures[code]
    for group in units.groups.values():
        figures += engine.add_up(YEAR, "site", group.code,
                                 [data.site_figures[c] for c in group.members])
    return figures


def test_it_marks_every_figure_provisional_as_asking_per_figure_did(data):
    units = builder.plan_units(data)
    assert units.groups, "the year should have merged small sites"
    figures = _every_scope(data, units)
    rng = random.Random(3)
    codes = sorted(data.site_figures)
    for provisional in (frozenset(), frozenset(codes), frozenset(rng.sample(codes, 4)),
                        frozenset(rng.sample(codes, 1))):
        data.provisional = provisional
        # Asked per figure, the slow way: any site behind the figure's scope counts from live
        # records.
        expected = [replace(f, provisional=any(
            c in provisional for c in builder._sites_behind(f.scope, f.scope_code, data, units)))
            for f in figures]
        flags = builder._provisional_flags(data, units)
        assert builder._marked(figures, flags, data, units) == expected
        assert any(f.provisional for f in expected) == bool(provisional)


def test_it_gives_a_figure_set_without_figures_the_same_label_and_completeness(data):
    keys = [*data.scope_keys().items(), *((("site", s.code), [s]) for s in data.sites)]
    for (scope, code), members in keys:
        full = data.figure_set(scope, code)
        light = data.figure_set(scope, code, members=members, with_figures=False)
        assert light.figures == () and full.figures
        assert replace(light, figures=full.figures) == full


@pytest.mark.parametrize("figure", [
    Figure.of(year=YEAR, scope="site", scope_code="A", variable="mothers.origin",
              category="dutch", count=7, base=30),
    Figure.of(year=YEAR, scope="site", scope_code="A", variable="mothers.origin",
              category="dutch", count=7, base=30).hidden(),
    replace(Figure.of(year=YEAR, scope="national", scope_code="NL", variable="mothers.total",
                      category="all", count=0, base=None), provisional=True),
    Figure.statistic(year=YEAR, scope="national", scope_code="NL", variable="x.median",
                     category="all", value=Decimal("12.50"), base=40),
    Figure.statistic(year=YEAR, scope="national", scope_code="NL", variable="x.ratio",
                     category="all", value=Decimal("3E+1"), base=None),
])
def test_it_stores_a_row_as_as_row_writes_it(figure):
    row = figure.as_row()
    assert _row(figure) == [row[name] for name in _FIELDS]

"""Results rows on the road out (mim.publication.results): a small site's results are never
published on its own, and no published row breaks the rule, nor leaves a hidden one the
difference of published ones."""

import pytest

from mim.figures import standard
from mim.publication import build as builder
from mim.publication.inputs import YearFigures
from mim.publication.selectors import read_scope
from mim.results.variables import is_results
from tests.results.conftest import YEAR

pytestmark = pytest.mark.django_db


def _results(figures):
    # The self-assessment's rows have their own rule and tests (tests/results/test_assessment.py).
    return [f for f in figures if is_results(f.variable)
            and not f.variable.startswith("results.assessment.")]


def test_it_never_publishes_a_small_sites_results_on_its_own(year):
    data = YearFigures(YEAR)
    units = builder.plan_units(data)
    assert "hidden" in units.group_of and "small-shared" in units.group_of
    built = builder.build(YEAR, data)
    scopes = {(f.scope, f.scope_code) for f in _results(built.figures)}
    assert ("site", "hidden") not in scopes and ("site", "small-shared") not in scopes
    # Its cohorts hold 15 mothers, but its municipality is the site alone: hidden there too.
    municipality = year["hidden"].municipality.name
    rows = [f for f in _results(built.figures) if f.scope_code == municipality]
    assert rows and all(f.value is None for f in rows if f.base != 0)
    # Its results are in its group's, beside the others of the group.
    group = units.group_of["hidden"]
    shown = [f for f in _results(built.figures) if f.scope_code == group
             and f.variable == "results.mothers.retention_6m" and f.category == "all"]
    assert shown and shown[0].base == sum(
        r.figure.base for code in units.groups[group].members
        for r in data.results.rows("site", code, [code])
        if (r.figure.variable, r.figure.category) == ("results.mothers.retention_6m", "all"))
    # And what the stored publication says of the site itself: nothing.
    stored = read_scope(YEAR, "site", "hidden")
    assert stored.merged_into and not _results(stored.figures)


def test_it_publishes_no_row_against_the_rule_and_no_hidden_difference(year):
    data = YearFigures(YEAR)
    built = builder.build(YEAR, data)
    published = {(f.scope, f.scope_code, f.variable, f.category): f
                 for f in _results(built.figures)}
    assert published
    raw = {}
    members = {("site", c): [c] for c in data.site_figures}
    members.update({k: [s.code for s in v] for k, v in data.scope_keys().items()})
    members.update({("site", g.code): g.members for g in built.units.groups.values()})
    for key, codes in members.items():
        for r in data.results.rows(*key, codes):
            raw[(*key, r.figure.variable, r.figure.category)] = r
    for key, f in published.items():
        r = raw[key]
        if f.suppressed:
            continue
        # The rule: a base of 0 or at least 10; every count behind a shown value 0 or ≥ 5.
        assert f.base == 0 or f.base >= standard.MIN_POPULATION, key
        assert all(c == 0 or c >= standard.MIN_CELL for c in r.cells), key
        assert f.value == r.figure.value
    # No partition leaves exactly one hidden term with persons in it (value or base).
    partitions = built.partitions + [(("site", g.code), [("site", c) for c in g.members])
                                     for g in built.units.groups.values()]
    some_hidden = 0
    for parent, children in partitions:
        terms = [tuple(parent), *(tuple(c) for c in children)]
        for variable, category in {(k[2], k[3]) for k in published}:
            unknown = 0
            for term in terms:
                r = raw.get((*term, variable, category))
                if r is None or not r.figure.base:
                    continue
                f = published.get((*term, variable, category))
                if f is None or f.suppressed:
                    unknown += 1
            some_hidden += unknown
            assert unknown != 1, (parent, variable, category)
    assert some_hidden  # the data has hidden terms: the check above was put to work


def test_it_shows_results_where_the_persons_are_enough(year):
    national = read_scope(YEAR, "national", "NL")
    row = national.get("results.mothers.retention_3m")
    assert row is not None and not row.suppressed and row.base == 55
    # 12 of the 55 left within three months (nobody was censored before): 43/55.
    assert str(row.value) == "78.2"
    assert national.get("results.volunteers.median_months") is not None

"""The figures engine against an independent count, at every scope, and its query budget."""

import datetime as dt
import random

import pytest

from mim.codebook import codebooks
from mim.figures import engine, standard
from mim.publication.inputs import figures_for
from mim.publication.selectors import published_figures
from tests.factories import MotherFactory, SiteFactory, VolunteerFactory, answer, volunteer_answer
from tests.figures.conftest import YEAR, oracle, random_records, scopes_of

D = dt.date


def figure_map(figures):
    return {(f.scope, f.scope_code, f.variable, f.category): (f.count, f.base) for f in figures}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_counts_like_the_counting_rules_at_every_scope(three_sites, seed):
    records = random_records(random.Random(seed), three_sites, 120, 60)
    expected = oracle(YEAR, *records, scope_of=scopes_of)
    scopes = {s for site in three_sites for s in scopes_of(site)}
    computed = {}
    for scope, code in scopes:
        computed.update(figure_map(figures_for(YEAR, scope, code).figures))
    for key, value in expected.items():
        assert computed[key] == value, key
    # ... and nothing but the standard's figures, those of sites, coordinators, facts aside
    assert {k for k in computed if standard.is_protected(k[2])} == set(expected)


def test_it_sums_sites_into_aggregates(three_sites):
    random_records(random.Random(7), three_sites, 80, 40)
    national = figure_map(figures_for(YEAR, "national", "NL").figures)
    sites = [figure_map(figures_for(YEAR, "site", s.code).figures) for s in three_sites]
    for (_scope, _code, variable, category), (count, base) in national.items():
        if not standard.is_protected(variable):
            continue  # sites, coordinators and facts are not sums of the sites' rows
        assert count == sum(s[("site", x.code, variable, category)][0]
                            for s, x in zip(sites, three_sites, strict=True))
        assert base == sum(s[("site", x.code, variable, category)][1]
                           for s, x in zip(sites, three_sites, strict=True))


def test_it_reads_the_boundaries_of_the_year_exactly(db):
    site = SiteFactory(first_year=2010)
    cases = [  # start, end, reached in 2024, ended in 2024
        (D(2024, 12, 31), None, True, False),
        (D(2025, 1, 1), None, False, False),
        (D(2020, 5, 1), D(2024, 1, 1), True, True),
        (D(2020, 5, 1), D(2023, 12, 31), False, False),
        (D(2024, 12, 31), D(2024, 12, 31), True, True),
        (D(2023, 6, 1), D(2025, 1, 1), True, False),
    ]
    for start, end, *_ in cases:
        MotherFactory(site=site, start_date=start, end_date=end,
                      end_reason="moved" if end else "")
        VolunteerFactory(site=site, start_date=start, end_date=end,
                         end_reason="moved" if end else "")
    got = figures_for(2024, "site", site.code)
    reached = sum(1 for c in cases if c[2])
    ended = sum(1 for c in cases if c[3])
    assert got.get("mothers.total").count == reached
    assert got.get("mothers_ended.total").count == ended
    assert got.get("mothers_ended.end_reason", "moved").count == ended
    assert got.get("volunteers.total").count == reached
    assert got.get("volunteers_stopped.total").count == ended


def test_it_bands_ages_at_the_edges(db):
    site = SiteFactory(first_year=2010)
    for birth_year in (2005, 2004, 1985, 1984, None):  # ages 19, 20, 39, 40, unknown
        MotherFactory(site=site, birth_year=birth_year)
    ages = {f.category: f.count for f in figures_for(2024, "site", site.code)
            .variable("mothers.age_group")}
    assert ages == {"under_20": 1, "20_24": 1, "25_29": 0, "30_34": 0, "35_39": 1,
                    "40_plus": 1, "unknown": 1}


def test_it_bases_migrant_background_on_known_origin(db):
    site = SiteFactory(first_year=2010)
    for origin in ("dutch", "turkish", "moroccan", "unknown", "unknown"):
        MotherFactory(site=site, origin=origin)
    got = figures_for(2024, "site", site.code)
    yes = got.get("mothers.migrant_background", "yes")
    assert (yes.count, yes.base, str(yes.percent)) == (2, 3, "66.7")
    assert got.get("mothers.origin", "unknown").base == 5


def test_it_counts_persons_for_multi_answers(db):
    site = SiteFactory(first_year=2010)
    one, two = MotherFactory(site=site), MotherFactory(site=site)
    answer(one, "mother_circumstances", "poor_social_network")
    answer(one, "mother_circumstances", "undocumented")
    answer(two, "mother_circumstances", "poor_social_network")
    volunteer_answer(VolunteerFactory(site=site), "care")
    got = figures_for(2024, "site", site.code)
    assert got.get("mothers.mother_circumstances", "poor_social_network").count == 2
    assert got.get("mothers.mother_circumstances", "undocumented").base == 2
    assert got.get("volunteers.work_experience", "care").count == 1


def test_it_counts_a_person_once_where_several_codes_fold_into_one_category(db):
    # 2008 had one "other" for what later became several categories
    site = SiteFactory(first_year=2004)
    one, two = (MotherFactory(site=site, start_date=D(2009, 1, 1)) for _ in range(2))
    for code in ("insecure_parenting", "other", "undocumented", "single_parenthood"):
        answer(one, "mother_circumstances", code)
    got = figures_for(2009, "site", site.code)
    other = got.get("mothers.mother_circumstances", "other")
    assert (other.count, other.base) == (1, 2)
    assert got.get("mothers.mother_circumstances", "single_parenthood").count == 1


def test_it_gives_every_category_at_zero_for_a_site_without_records_in_the_year(db, world):
    site = SiteFactory(first_year=2004)
    MotherFactory(site=site, start_date=D(2008, 3, 1), end_date=D(2008, 9, 1))
    got = figures_for(2019, "site", site.code)
    persons = [f for f in got.figures if standard.is_protected(f.variable)]
    assert {(f.variable, f.category) for f in persons} == set(engine.template(2019))
    assert all(f.count == 0 for f in persons) and not got.has_data
    published = published_figures(world.office, 2019, "site", world.site_a.code)
    assert {(f.variable, f.category) for f in published.figures
            if standard.is_protected(f.variable)} == set(engine.template(2019))


@pytest.mark.parametrize("year", [2008, 2024])
def test_it_lists_every_category_of_the_years_codebook(db, year):
    site = SiteFactory(first_year=2004)
    MotherFactory(site=site, start_date=D(year, 3, 1), income_source="own_income")
    figures = figures_for(year, "national", "NL").figures
    keys = {(f.variable, f.category) for f in figures}
    assert set(engine.template(year)) <= keys
    book = codebooks.for_year(year)
    assert {c for v, c in keys if v == "mothers.income_source"} == set(
        book.codes("income_source"))
    assert {c for v, c in keys if v == "mothers.origin"} == {*book.codes("origin"), "unknown"}
    assert all(f.count == 0 for f in figures if f.variable == "volunteers.origin")


def test_it_carries_an_older_code_over_by_the_crosswalk(db):
    site = SiteFactory(first_year=2004)
    MotherFactory(site=site, start_date=D(2009, 6, 1), income_source="benefit")  # 2008 code
    got = figures_for(2010, "site", site.code)
    assert got.get("mothers.income_source", "unknown").count == 1  # benefit was split
    assert got.get("mothers.income_source", "benefit") is None


def _records(sites, per_site):
    for site in sites:
        for _ in range(per_site):
            mother = MotherFactory(site=site)
            answer(mother, "baby_circumstances", "incubator")
            VolunteerFactory(site=site, end_date=D(2024, 5, 1), end_reason="moved")


def test_it_uses_the_same_number_of_queries_for_more_sites_and_rows(
        db, django_assert_num_queries):
    small = [SiteFactory(first_year=2010) for _ in range(2)]
    _records(small, 3)
    with django_assert_num_queries(4):
        engine.site_figures(2024, small)
    # Counting (the sites' records changed) and then reading what was kept (mim.publication.kept):
    # the same two numbers of queries for two sites and for six.
    with django_assert_num_queries(16):
        figures_for(2024, "national", "NL")
    with django_assert_num_queries(8):
        figures_for(2024, "national", "NL")
    large = [SiteFactory(first_year=2010) for _ in range(4)]
    _records(large, 10)
    with django_assert_num_queries(4):
        figures = engine.site_figures(2024, [*small, *large])
    assert len({f.scope_code for f in figures}) == 6
    with django_assert_num_queries(16):
        figures_for(2024, "national", "NL")
    with django_assert_num_queries(8):
        figures_for(2024, "national", "NL")

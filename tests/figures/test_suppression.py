"""The small-cell rule, applied where figures leave the coordinator role."""

import ast
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mim.figures.suppression import (
    MULTI_ANSWER_ITEMS,
    display_count,
    recoverable_cells,
    suppress,
)
from mim.figures.tidy import Figure

YEAR = 2024
NATIONAL = ("national", "NL")
ORIGINS = ("dutch", "turkish", "moroccan", "surinamese", "antillean", "europe_other", "africa",
           "asia", "middle_east", "americas", "unknown")
CIRCUMSTANCES = ("poor_social_network", "insecure_parenting", "single_parenthood", "other")
EDUCATION = ("lbo_or_lower", "mbo", "hbo", "unknown")


# --- builders ---------------------------------------------------------------------------------


def fig(scope_key, variable, category, count, base):
    scope, code = scope_key
    return Figure.of(year=YEAR, scope=scope, scope_code=code, variable=variable,
                     category=category, count=count, base=base)


def total(scope_key, population, count):
    return fig(scope_key, f"{population}.total", "all", count, count)


def row(scope_key, variable, counts, base=None):
    """Figures of one variable; `counts` maps category to count, base defaults to their sum."""
    base = sum(counts.values()) if base is None else base
    return [fig(scope_key, variable, category, n, base) for category, n in counts.items()]


def population(scope_key, variable, counts):
    """A population total plus one single-answer breakdown of it."""
    return [total(scope_key, variable.split(".")[0], sum(counts.values())),
            *row(scope_key, variable, counts)]


def by_key(figures):
    return {(f.scope, f.scope_code, f.variable, f.category): f for f in figures}


def cell(figures, scope_key, variable, category="all"):
    return by_key(figures)[(*scope_key, variable, category)]


def hidden_categories(figures, scope_key, variable):
    return [f.category for f in figures
            if ((f.scope, f.scope_code), f.variable) == (scope_key, variable) and f.suppressed]


SITE_A, SITE_B, SITE_C = ("site", "A"), ("site", "B"), ("site", "C")


# --- rule 2: small counts ---------------------------------------------------------------------


def test_it_hides_counts_of_one_to_four_and_publishes_zero():
    figures = population(SITE_A, "mothers.education",
                         {"lbo_or_lower": 3, "mbo": 20, "hbo": 30, "unknown": 0})
    out = suppress(figures)
    assert cell(out, SITE_A, "mothers.education", "lbo_or_lower").count is None
    assert cell(out, SITE_A, "mothers.education", "lbo_or_lower").percent is None
    assert cell(out, SITE_A, "mothers.education", "unknown").count == 0
    assert cell(out, SITE_A, "mothers.total").count == 53


def test_it_hides_sensitive_cells_whose_complement_is_small():
    origin = {"dutch": 0, "turkish": 48, "moroccan": 0, "unknown": 2}
    out = suppress(population(SITE_A, "mothers.origin", origin))
    # 48 of 50: the complement 2 says "all but two", so 48 goes as well.
    assert set(hidden_categories(out, SITE_A, "mothers.origin")) >= {"turkish", "unknown"}


def test_it_does_not_apply_the_complement_rule_to_other_items():
    figures = [total(SITE_A, "volunteers", 40),
               *row(SITE_A, "volunteers.work_experience", {"care": 38, "other": 12}, base=40)]
    assert suppress(figures) == figures


def test_it_hides_a_multi_answer_cell_whose_complement_is_small():
    figures = [total(SITE_A, "mothers", 40),
               *row(SITE_A, "mothers.mother_circumstances",
                    {"poor_social_network": 37, "other": 12}, base=40)]
    out = suppress(figures)
    assert hidden_categories(out, SITE_A, "mothers.mother_circumstances") == [
        "poor_social_network"]


# --- rule 1: small populations ----------------------------------------------------------------


def test_it_hides_the_breakdown_of_a_population_under_ten_but_keeps_a_total_of_five_to_nine():
    out = suppress(population(SITE_A, "mothers.education",
                              {"lbo_or_lower": 0, "mbo": 7, "hbo": 0, "unknown": 0}))
    assert cell(out, SITE_A, "mothers.total").count == 7
    assert set(hidden_categories(out, SITE_A, "mothers.education")) == set(EDUCATION)
    assert all(f.base == 7 for f in out)


def test_it_hides_a_total_of_one_to_four_and_every_base_of_that_population():
    figures = [*population(SITE_A, "mothers.education", {"mbo": 3, "unknown": 0}),
               *population(SITE_A, "volunteers.education", {"mbo": 12, "hbo": 0})]
    out = suppress(figures)
    mothers = [f for f in out if f.population == "mothers"]
    assert all(f.suppressed and f.count is None and f.base is None for f in mothers)
    assert cell(out, SITE_A, "volunteers.education", "mbo").count == 12


def test_it_publishes_an_empty_population():
    out = suppress(population(SITE_A, "mothers_ended.end_reason", {"completed": 0, "moved": 0}))
    assert not any(f.suppressed for f in out)


def test_it_leaves_counts_of_sites_alone():
    sites = fig(NATIONAL, "sites.active", "all", 3, 3)
    assert suppress([sites]) == [sites]


# --- rule 3: secondary suppression within a variable ------------------------------------------


def test_it_hides_the_smallest_published_non_zero_cell_next_to_a_single_hidden_one():
    out = suppress(population(SITE_A, "mothers.education",
                              {"lbo_or_lower": 30, "mbo": 2, "hbo": 12, "unknown": 0}))
    assert hidden_categories(out, SITE_A, "mothers.education") == ["mbo", "hbo"]


def test_it_breaks_ties_by_input_order():
    out = suppress(population(SITE_A, "mothers.education",
                              {"lbo_or_lower": 12, "mbo": 2, "hbo": 12, "unknown": 20}))
    assert hidden_categories(out, SITE_A, "mothers.education") == ["lbo_or_lower", "mbo"]


def test_it_hides_one_more_cell_when_the_hidden_cells_add_up_to_less_than_five():
    out = suppress(population(SITE_A, "mothers.education",
                              {"lbo_or_lower": 1, "mbo": 2, "hbo": 12, "unknown": 20}))
    assert hidden_categories(out, SITE_A, "mothers.education") == ["lbo_or_lower", "mbo", "hbo"]


def test_it_hides_a_zero_when_no_non_zero_cell_is_left():
    # 2 of 12 in a sensitive item: 2 goes (small) and 10 (complement 2). Both are hidden now,
    # so the zeros stay; the hidden sum is 12.
    out = suppress(population(SITE_A, "mothers.household",
                              {"cohabiting": 10, "single": 2, "with_parents": 0, "unknown": 0}))
    assert hidden_categories(out, SITE_A, "mothers.household") == ["cohabiting", "single"]
    # A single hidden cell next to zeros only: a zero has to go with it.
    figures = population(SITE_A, "mothers.education",
                         {"lbo_or_lower": 12, "mbo": 0, "hbo": 0, "unknown": 0})
    figures[1] = figures[1].hidden()
    out = suppress(figures)
    assert hidden_categories(out, SITE_A, "mothers.education") == ["lbo_or_lower", "mbo"]


def test_it_adds_no_secondary_cells_within_a_multi_answer_item():
    figures = [total(SITE_A, "mothers", 40),
               *row(SITE_A, "mothers.mother_circumstances",
                    {"poor_social_network": 3, "insecure_parenting": 12, "other": 20}, base=40)]
    out = suppress(figures)
    assert hidden_categories(out, SITE_A, "mothers.mother_circumstances") == [
        "poor_social_network"]


def test_it_keeps_migrant_background_in_step_with_origin():
    origin = {"dutch": 20, "turkish": 3, "moroccan": 12, "unknown": 5}
    figures = [*population(SITE_A, "mothers.origin", origin),
               *row(SITE_A, "mothers.migrant_background", {"yes": 15, "no": 20})]
    out = suppress(figures)
    assert recoverable_cells(out) == []
    hidden = set(hidden_categories(out, SITE_A, "mothers.origin"))
    assert {"turkish", "moroccan"} <= hidden  # yes = turkish + moroccan would give 3 away
    assert ("dutch" in hidden) == cell(out, SITE_A, "mothers.migrant_background", "no").suppressed


def test_it_hides_the_migrant_background_breakdown_when_few_origins_are_known():
    origin = {"dutch": 6, "turkish": 0, "unknown": 30}
    figures = [*population(SITE_A, "mothers.origin", origin),
               *row(SITE_A, "mothers.migrant_background", {"yes": 0, "no": 6})]
    out = suppress(figures)
    assert set(hidden_categories(out, SITE_A, "mothers.migrant_background")) == {"yes", "no"}
    assert cell(out, SITE_A, "mothers.origin", "dutch").suppressed  # it is migrant "no"
    assert recoverable_cells(out) == []


# --- rule 4: across scopes --------------------------------------------------------------------


def national_and_sites(variable, per_site):
    """Figures of each site and of their national sum, plus `children_of`."""
    figures, sums = [], defaultdict(int)
    for code, counts in per_site.items():
        figures += population(("site", code), variable, counts)
        for category, n in counts.items():
            sums[category] += n
    figures = population(NATIONAL, variable, dict(sums)) + figures
    return figures, {NATIONAL: [("site", code) for code in per_site]}


def test_it_hides_a_sibling_cell_when_one_child_cell_is_hidden():
    figures, children_of = national_and_sites("mothers.education", {
        "A": {"lbo_or_lower": 3, "mbo": 20, "hbo": 10, "unknown": 0},
        "B": {"lbo_or_lower": 8, "mbo": 20, "hbo": 10, "unknown": 0},
        "C": {"lbo_or_lower": 6, "mbo": 20, "hbo": 10, "unknown": 0},
    })
    out = suppress(figures, children_of=children_of)
    assert cell(out, NATIONAL, "mothers.education", "lbo_or_lower").count == 17
    lbo = [cell(out, site, "mothers.education", "lbo_or_lower") for site in (SITE_A, SITE_B,
                                                                                SITE_C)]
    assert [f.suppressed for f in lbo] == [True, False, True]  # 6 is the smallest sibling
    assert recoverable_cells(out, children_of) == []


def test_it_hides_a_sibling_total_and_its_bases_when_one_child_total_is_hidden():
    figures, children_of = national_and_sites("mothers.education", {
        "A": {"lbo_or_lower": 3, "mbo": 0, "hbo": 0, "unknown": 0},
        "B": {"lbo_or_lower": 10, "mbo": 20, "hbo": 10, "unknown": 0},
        "C": {"lbo_or_lower": 6, "mbo": 20, "hbo": 10, "unknown": 0},
    })
    out = suppress(figures, children_of=children_of)
    assert cell(out, SITE_A, "mothers.total").suppressed
    assert cell(out, SITE_C, "mothers.total").suppressed  # 36 < 40
    assert not cell(out, SITE_B, "mothers.total").suppressed
    site_c = [f for f in out if (f.scope, f.scope_code) == SITE_C]
    assert all(f.base is None and f.percent is None for f in site_c)
    assert all(f.count is None for f in site_c if f.suppressed)
    assert recoverable_cells(out, children_of) == []


def test_it_hides_the_parent_when_its_only_child_is_hidden():
    organisation = ("organisation", "O")
    figures = [*population(organisation, "mothers.education", {"mbo": 12, "hbo": 20}),
               *population(SITE_A, "mothers.education", {"mbo": 12, "hbo": 20})]
    figures[-2] = figures[-2].hidden()  # site A's mbo, hidden upstream
    out = suppress(figures, children_of={organisation: [SITE_A]})
    assert hidden_categories(out, organisation, "mothers.education") == ["mbo", "hbo"]
    assert recoverable_cells(out, {organisation: [SITE_A]}) == []


def test_it_protects_a_listed_child_without_figures():
    figures, children_of = national_and_sites("mothers.education", {
        "A": {"lbo_or_lower": 10, "mbo": 20}, "B": {"lbo_or_lower": 12, "mbo": 20},
        "C": {"lbo_or_lower": 3, "mbo": 7}})
    figures = [f for f in figures if f.scope_code != "C"]  # C is only inside the national sum
    out = suppress(figures, children_of=children_of)
    published = by_key(out)
    for f in out:
        if f.scope == "national" and not f.suppressed:
            siblings = [published[(*site, f.variable, f.category)] for site in (SITE_A, SITE_B)]
            assert any(s.suppressed for s in siblings), f  # else national - A - B = C


def test_it_does_not_let_a_child_without_figures_cover_a_hidden_sibling():
    figures, children_of = national_and_sites("mothers.education", {
        "A": {"lbo_or_lower": 3, "mbo": 20}, "B": {"lbo_or_lower": 12, "mbo": 20}})
    children_of[NATIONAL].append(("site", "inactive"))
    out = suppress(figures, children_of=children_of)
    assert cell(out, SITE_B, "mothers.education", "lbo_or_lower").suppressed


# --- guarantees -------------------------------------------------------------------------------


def test_it_never_unhides_a_cell_hidden_on_input():
    figures = population(SITE_A, "mothers.education",
                         {"lbo_or_lower": 30, "mbo": 20, "hbo": 12, "unknown": 0})
    figures[2] = figures[2].hidden()
    out = suppress(figures)
    assert cell(out, SITE_A, "mothers.education", "mbo").suppressed
    assert hidden_categories(out, SITE_A, "mothers.education") == ["mbo", "hbo"]


def test_it_does_not_change_its_input():
    figures = population(SITE_A, "mothers.education", {"mbo": 2, "hbo": 20})
    before = list(figures)
    children_of = {NATIONAL: [SITE_A]}
    suppress(figures, children_of=children_of)
    assert figures == before and children_of == {NATIONAL: [SITE_A]}


def test_it_keeps_years_apart():
    figures = population(SITE_A, "mothers.education", {"mbo": 20, "hbo": 20})
    other_year = [Figure.of(year=YEAR - 1, scope="site", scope_code="A", variable=f.variable,
                            category=f.category, count=3 if f.category == "mbo" else f.count,
                            base=f.base)
                  for f in figures]
    out = suppress(figures + other_year)
    assert not any(f.suppressed for f in out if f.year == YEAR)


def test_it_shows_every_hidden_count_with_one_neutral_mark():
    shown = fig(SITE_A, "mothers.education", "mbo", 12, 40)
    assert display_count(shown) == "12"
    assert display_count(shown.hidden()) == "×"
    assert display_count(fig(SITE_A, "mothers.education", "mbo", 55, 90).hidden()) == "×"
    assert display_count(fig(SITE_A, "mothers.education", "mbo", 0, 40)) == "0"


def test_it_finds_recoverable_cells_within_a_variable_and_across_scopes():
    figures, children_of = national_and_sites("mothers.education", {
        "A": {"mbo": 3, "hbo": 20}, "B": {"mbo": 10, "hbo": 20}})
    leaky = [f.hidden() if (f.scope_code, f.category) == ("A", "mbo") else f for f in figures]
    found = recoverable_cells(leaky, children_of)
    assert [(f.scope_code, f.category) for f in found] == [("A", "mbo")]
    leaky_total = [f.hidden() if (f.scope_code, f.category) == ("B", "all") else f
                   for f in figures]
    assert [(f.scope_code, f.variable) for f in recoverable_cells(leaky_total)] == [
        ("B", "mothers.total")]


# --- properties -------------------------------------------------------------------------------

small_or_any = st.one_of(st.integers(0, 4), st.integers(0, 25))


@st.composite
def regions(draw):
    """Sites with mothers (origin, migrant background, circumstances) and volunteers."""
    sites = {}
    for number in range(draw(st.integers(2, 5))):
        origin = dict(zip(ORIGINS, draw(st.lists(small_or_any, min_size=11, max_size=11)),
                          strict=True))
        mothers = sum(origin.values())
        circumstances = {c: draw(st.integers(0, mothers)) for c in CIRCUMSTANCES}
        education = dict(zip(EDUCATION, draw(st.lists(small_or_any, min_size=4, max_size=4)),
                             strict=True))
        sites[f"S{number}"] = (origin, circumstances, education)
    grouped = draw(st.booleans())
    return sites, grouped


def scope_figures(scope_key, origin, circumstances, education, active_sites):
    mothers, volunteers = sum(origin.values()), sum(education.values())
    known = mothers - origin["unknown"]
    foreign = known - origin["dutch"]
    return [
        total(scope_key, "mothers", mothers),
        *row(scope_key, "mothers.origin", origin),
        *row(scope_key, "mothers.migrant_background", {"yes": foreign, "no": origin["dutch"]},
             base=known),
        *row(scope_key, "mothers.mother_circumstances", circumstances, base=mothers),
        total(scope_key, "volunteers", volunteers),
        *row(scope_key, "volunteers.education", education),
        fig(scope_key, "sites.active", "all", active_sites, active_sites),
    ]


def add_up(parts):
    return tuple({k: sum(p[i][k] for p in parts) for k in parts[0][i]} for i in range(3))


def build(sites, grouped):
    """National, optionally two organisations, and the sites, with `children_of`."""
    site_keys = {code: ("site", code) for code in sites}
    groups = {NATIONAL: list(site_keys.values())}
    if grouped:
        codes = list(sites)
        halves = {("organisation", "O1"): codes[: len(codes) // 2],
                  ("organisation", "O2"): codes[len(codes) // 2:]}
        groups = {NATIONAL: list(halves), **{org: [site_keys[c] for c in members]
                                             for org, members in halves.items()}}
    data = {key: sites[key[1]] for key in site_keys.values()}
    for parent in reversed(list(groups)):  # organisations first, then national over them
        data[parent] = add_up([data[child] for child in groups[parent]])
    figures = []
    for key, (origin, circumstances, education) in data.items():
        n_sites = 1 if key[0] == "site" else len(sites)
        figures += scope_figures(key, origin, circumstances, education, n_sites)
    return figures, groups


def rows_of(figures):
    rows = defaultdict(list)
    for f in figures:
        if f.population != "sites" and f.item != "total":
            rows[(f.scope, f.scope_code, f.variable)].append(f)
    return rows


property_settings = settings(max_examples=200, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@property_settings
@given(regions())
def test_it_publishes_no_small_numbers_and_nothing_recoverable(region):
    figures, children_of = build(*region)
    out = suppress(figures, children_of=children_of)
    original = by_key(figures)

    for f in out:
        assert f.suppressed == (f.count is None)
        assert f.suppressed <= (f.percent is None)
        if f.base is None:
            assert f.percent is None
        if f.population == "sites":
            assert f == original[(f.scope, f.scope_code, f.variable, f.category)]
            continue
        assert not (f.count is not None and 0 < f.count < 5)
        if f.count is not None:  # published values are the true ones
            assert f.count == original[(f.scope, f.scope_code, f.variable, f.category)].count
        population_total = original[(f.scope, f.scope_code, f"{f.population}.total", "all")].count
        if f.item != "total" and 0 < population_total < 10:
            assert f.suppressed

    hidden_totals = {(f.scope, f.scope_code, f.population) for f in out
                     if f.item == "total" and f.suppressed}
    for f in out:
        if (f.scope, f.scope_code, f.population) in hidden_totals:
            assert f.base is None and f.percent is None  # the base is the hidden total

    assert recoverable_cells(out, children_of) == []
    assert_hidden_sums_are_not_small(out, figures, children_of)


def assert_hidden_sums_are_not_small(out, figures, children_of):
    original = by_key(figures)
    for (scope, code, variable), cells in rows_of(out).items():
        if variable.split(".")[1] in MULTI_ANSWER_ITEMS or cells[0].base is None:
            continue
        hidden = sum(original[(scope, code, variable, f.category)].count
                     for f in cells if f.suppressed)
        assert not 0 < hidden < 5, (scope, code, variable)
    published = by_key(out)
    for parent, children in children_of.items():
        for key, f in published.items():
            if key[:2] != parent or f.suppressed or f.population == "sites":
                continue
            hidden = sum(original[(*child, *key[2:])].count for child in children
                         if published[(*child, *key[2:])].suppressed)
            assert not 0 < hidden < 5, key


@property_settings
@given(regions())
def test_it_is_idempotent_and_deterministic(region):
    figures, children_of = build(*region)
    once = suppress(figures, children_of=children_of)
    assert suppress(figures, children_of=children_of) == once
    assert suppress(once, children_of=children_of) == once
    assert suppress(iter(figures), children_of=children_of) == once


@property_settings
@given(regions(), st.data())
def test_it_never_unhides_and_stays_safe_with_hidden_input(region, data):
    figures, children_of = build(*region)
    chosen = data.draw(st.sets(st.integers(0, len(figures) - 1), max_size=5))
    pre_hidden = [f.hidden() if i in chosen and f.population != "sites" else f
                  for i, f in enumerate(figures)]
    out = suppress(pre_hidden, children_of=children_of)
    for before, after in zip(pre_hidden, out, strict=True):
        assert before.suppressed <= after.suppressed
    assert recoverable_cells(out, children_of) == []
    assert suppress(out, children_of=children_of) == out


def _strings_outside_docstrings(tree):
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_it_writes_no_mark_that_claims_a_hidden_value_anywhere():
    """Data standard, "Hidden cells": "<5" (or "minder dan 5") on a hidden cell claims a value
    it may not have; no template and no string a module writes may say it (docstrings and
    comments may explain why)."""
    mim = Path(__file__).resolve().parents[2] / "mim"
    claims = ("<5", "&lt;5", "&lt; 5", "minder dan 5", "less than 5", "fewer than 5")
    found = []
    for path in sorted(mim.rglob("*")):
        if path.suffix in (".html", ".typ", ".txt"):
            text = path.read_text(encoding="utf-8")
            found += [(str(path.relative_to(mim)), c) for c in claims if c in text]
        elif path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [(str(path.relative_to(mim)), c) for s in _strings_outside_docstrings(tree)
                      for c in claims if c in s]
    assert found == []


def test_it_would_see_a_claimed_value_in_a_module():
    tree = ast.parse('"""Never "<5"."""\nMARK = "minder dan 5"\n')
    assert _strings_outside_docstrings(tree) == ["minder dan 5"]

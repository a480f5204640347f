"""The checks as pure functions: add-up, balances, carry-over and jumps (robust z-score)."""

import pytest

from mim.figures import standard
from mim.returns import checks
from tests.returns.conftest import YEAR, fig


def complete_figures(mothers=20, ended=5, volunteers=10, stopped=2):
    """A consistent figure set: everyone in the first category (origin dutch, so no migrant
    background), no multi-answer codes."""
    totals = {"mothers": mothers, "mothers_ended": ended, "volunteers": volunteers,
              "volunteers_stopped": stopped}
    figures = []
    for name, spec in standard.variables(YEAR).items():
        n = totals[spec.population]
        first = "no" if spec.item == "migrant_background" else spec.categories[0]
        figures += [fig(name, c, n if c == first and not spec.multi else 0, n)
                    for c in spec.categories]
    return figures


def replace(figures, variable, category, count):
    return [fig(f.variable, f.category, count, f.base)
            if (f.variable, f.category) == (variable, category) else f for f in figures]


def test_it_accepts_consistent_figures():
    assert checks.check_add_up(YEAR, complete_figures()) == []


def test_it_refuses_a_breakdown_that_does_not_add_up_naming_the_item():
    figures = replace(complete_figures(), "mothers.education", "mbo", 3)
    findings = checks.check_add_up(YEAR, figures)
    assert [f.severity for f in findings] == ["error"]
    assert "Opleidingsniveau (moeders)" in findings[0].message
    assert "tellen op tot 23" in findings[0].message and "totaal is 20" in findings[0].message


def test_it_refuses_a_multi_answer_count_above_its_base():
    figures = replace(complete_figures(), "mothers.mother_circumstances", "other", 21)
    findings = checks.check_add_up(YEAR, figures)
    assert [f.key for f in findings] == ["over_base:mothers.mother_circumstances:other"]
    assert "Omstandigheden moeder (moeders)" in findings[0].message


def test_it_lets_multi_answer_counts_exceed_the_total_together():
    figures = replace(complete_figures(), "mothers.mother_circumstances", "other", 20)
    figures = replace(figures, "mothers.mother_circumstances", "single_parenthood", 20)
    assert checks.check_add_up(YEAR, figures) == []


def test_it_checks_migrant_background_against_origin():
    figures = replace(complete_figures(), "mothers.migrant_background", "no", 19)
    keys = {f.key for f in checks.check_add_up(YEAR, figures)}
    assert keys == {"add_up:mothers.migrant_background",
                    "migrant_dutch:mothers.migrant_background"}


def test_it_reports_missing_variables():
    figures = [f for f in complete_figures() if f.variable != "volunteers.education"]
    findings = checks.check_complete(YEAR, figures)
    assert [f.key for f in findings] == ["complete:volunteers.education"]


BALANCED = {"mothers": {"start_of_year": 8, "new": 12, "end_of_year": 15},
            "volunteers": {"start_of_year": 7, "new": 3, "end_of_year": 8}}


def test_it_accepts_balances_that_hold():
    assert checks.check_balances(YEAR, complete_figures(), BALANCED) == []


def test_it_refuses_a_balance_that_does_not_hold():
    balances = {**BALANCED, "volunteers": {"start_of_year": 7, "new": 3, "end_of_year": 9}}
    findings = checks.check_balances(YEAR, complete_figures(), balances)
    assert [(f.key, f.severity) for f in findings] == [("balance:volunteers", "error")]
    assert findings[0].message == ("Vrijwilligers: begin 7 + nieuw 3 - vertrokken 2 = 8, "
                                   "maar de eindstand is 9.")


def test_it_refuses_start_plus_new_that_is_not_the_total():
    balances = {**BALANCED, "mothers": {"start_of_year": 9, "new": 12, "end_of_year": 16}}
    keys = [f.key for f in checks.check_balances(YEAR, complete_figures(), balances)]
    assert keys == ["balance_total:mothers"]


def test_it_warns_when_balances_are_missing():
    findings = checks.check_balances(YEAR, complete_figures(), {})
    assert {(f.key, f.severity) for f in findings} == {("balance_missing:mothers", "warning"),
                                                      ("balance_missing:volunteers", "warning")}


def test_it_warns_when_the_start_is_not_last_years_end():
    previous = {"volunteers": {"end_of_year": 6}, "mothers": {"end_of_year": 8}}
    findings = checks.check_carry_over(BALANCED, previous)
    assert [(f.key, f.severity) for f in findings] == [("carry_over:volunteers", "warning")]


@pytest.mark.parametrize(("value", "previous", "expected"), [
    (50, [20, 21], None),  # fewer than 3 earlier years: no judgement
    (50, [], None),
    # median 20, MAD 1 -> scale 1.4826: (23 - 20) / 1.4826 = 2.02
    (23, [19, 20, 21, 20, 22], pytest.approx(3 / 1.4826)),
    # MAD 0 (most years equal): mean absolute deviation instead, 1.2533 * 4/5
    (30, [20, 20, 20, 20, 24], pytest.approx(10 / (1.2533 * 0.8))),
    # a flat history: the scale never falls below one person
    (23, [20, 20, 20], 3.0),
    (24, [20, 20, 20], 4.0),
])
def test_it_computes_a_robust_score(value, previous, expected):
    assert checks.robust_score(value, previous) == expected


def test_it_flags_a_jump_against_the_sites_history_and_asks_for_an_explanation():
    history = {2020: {"mothers.total": 20}, 2021: {"mothers.total": 21},
               2022: {"mothers.total": 19}, 2023: {"mothers.total": 22}}
    findings = checks.check_jumps(YEAR, complete_figures(mothers=40), history)
    assert [(f.key, f.severity) for f in findings] == [("jump:mothers.total", "warning")]
    assert "Totaal (moeders): 40 wijkt sterk af" in findings[0].message
    assert "mediaan 20,5 over 4 jaar" in findings[0].message


def test_it_does_not_flag_an_ordinary_year():
    history = {2020: {"mothers.total": 18}, 2021: {"mothers.total": 22},
               2022: {"mothers.total": 19}, 2023: {"mothers.total": 21}}
    assert checks.check_jumps(YEAR, complete_figures(mothers=23), history) == []


def test_it_does_not_flag_with_too_little_history():
    history = {2022: {"mothers.total": 2}, 2023: {"mothers.total": 2}}
    assert checks.check_jumps(YEAR, complete_figures(mothers=40), history) == []


def test_it_tolerates_a_small_change_after_a_flat_history_but_not_a_large_one():
    history = {y: {"volunteers.total": 10} for y in (2020, 2021, 2022)}
    assert checks.check_jumps(YEAR, complete_figures(volunteers=13), history) == []
    flagged = checks.check_jumps(YEAR, complete_figures(volunteers=14), history)
    assert [f.key for f in flagged] == ["jump:volunteers.total"]


def test_it_uses_only_the_last_five_earlier_years():
    history = {y: {"mothers.total": 100} for y in range(2010, 2015)}
    history |= {y: {"mothers.total": 20 + y % 2} for y in range(2018, 2023)}
    assert checks.check_jumps(YEAR, complete_figures(mothers=21), history) == []


def test_it_puts_errors_before_warnings():
    findings = checks.run_checks(year=YEAR, figures=replace(complete_figures(),
                                                            "mothers.education", "mbo", 1),
                                 balances={}, history={}, previous_balances=None,
                                 facts={"coordinators": [{"label": "a"}]})
    assert findings[0].severity == "error" and findings[-1].severity == "warning"


def test_it_refuses_a_return_without_facts_but_not_without_a_coordinator_line():
    # Coordinators are people of the organisation (issue 10): a site's return no longer needs
    # a line of its own for her.
    assert [f.key for f in checks.check_facts(None)] == ["facts"]
    assert checks.check_facts({"coordinators": []}) == []

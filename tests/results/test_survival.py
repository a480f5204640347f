"""The Kaplan-Meier estimator of mim.results.survival against a hand computation and against
lifelines' KaplanMeierFitter."""

import numpy as np
import pytest

from mim.results import survival

# Eight mothers: (days in the programme, ended?) — three of them still in (censored).
EIGHT = [(30, True), (60, False), (90, True), (90, True), (120, False), (200, True),
         (300, False), (400, True)]


def _curve():
    days, ended = zip(*EIGHT, strict=True)
    return survival.from_durations(days, ended)


def test_it_matches_a_hand_computed_curve_with_censoring():
    curve = _curve()
    # By hand: day 30, 8 at risk, 1 ends: 7/8; day 90, 6 at risk (one censored at 60), 2 end:
    # 7/8 * 4/6; day 200, 3 at risk, 1 ends: * 2/3; day 400, 1 at risk, 1 ends: 0.
    assert curve.survival[29] == 1.0
    assert curve.survival[30] == pytest.approx(7 / 8)
    assert curve.survival[90] == pytest.approx(7 / 8 * 4 / 6)
    assert curve.survival[200] == pytest.approx(7 / 8 * 4 / 6 * 2 / 3)
    assert curve.survival[400] == 0.0
    assert curve.n == 8


def test_it_reads_the_shares_at_6_12_and_18_months_and_the_median():
    curve = _curve()
    # 6 months = at least 181 days: read after day 180, past 90 and before 200.
    assert curve.share_at(6) == pytest.approx(7 / 8 * 4 / 6)
    assert curve.share_at(12) == pytest.approx(7 / 8 * 4 / 6 * 2 / 3)
    assert curve.share_at(18) == 0.0
    # The first day S <= 0.5 is day 200: 200 / (365.25 / 12) = 6.57 months.
    assert curve.median_days == 200
    assert curve.median_months == pytest.approx(200 / 30.4375)
    assert (curve.left_by(6), curve.at_risk_after(6)) == (3, 3)
    assert (curve.left_by(12), curve.at_risk_after(12)) == (4, 1)


def test_it_gives_no_share_past_the_last_observation_of_a_censored_curve():
    curve = survival.from_durations([10, 20, 400], [True, False, False])
    assert curve.share_at(6) == pytest.approx(2 / 3)
    assert curve.share_at(18) is None  # everybody still observed was censored before
    assert curve.median_days is None  # never reached 0.5


def test_it_agrees_with_lifelines_on_random_data():
    from lifelines import KaplanMeierFitter

    rng = np.random.default_rng(13)
    days = rng.integers(0, 800, 500)
    ended = rng.random(500) < 0.6
    ours = survival.from_durations(days, ended)
    fitter = KaplanMeierFitter().fit(days, ended)
    for months in (3, 6, 12, 18, 24):
        day = ours.day_of(months)
        theirs = float(fitter.survival_function_at_times([day]).iloc[0])
        assert ours.share_at(months) == pytest.approx(theirs, abs=1e-12)
    assert ours.median_days == fitter.median_survival_time_


def test_it_gives_the_same_curves_in_a_batch():
    rng = np.random.default_rng(7)
    ended = rng.integers(0, 3, (4, 300))
    censored = rng.integers(0, 2, (4, 300))
    n, curves, ended_by, total_by = survival.batch(ended, censored)
    for g in range(4):
        one = survival.from_histograms(ended[g], censored[g])
        assert n[g] == one.n
        assert np.allclose(curves[g], one.survival)
        assert one.left_by(6) == ended_by[g, one.day_of(6)]
        assert one.at_risk_after(6) == n[g] - total_by[g, one.day_of(6)]


def test_it_counts_a_mother_who_ends_as_her_18_months_run_out_as_having_stayed_them():
    # 31 January 2024 to 31 July 2025: 18 calendar months of 547 days; and the shortest 546.
    curve = survival.from_durations([547, 546, 545, 400], [True, True, True, True])
    assert survival.shortest(18) == 546
    assert curve.share_at(18) == pytest.approx(2 / 4)  # 547 and 546 stayed 18 months

"""Submission freezes the figures (from the figures engine), balances, facts and the codebook
version: later changes to the records or facts do not change what was delivered."""

import datetime as dt

from mim.audit.services import audited_write
from mim.figures import engine
from mim.organisations.models import SiteYear
from mim.returns import selectors, services
from mim.returns.models import Status
from tests.factories import MotherFactory
from tests.returns.conftest import YEAR


def _frozen(annual_return):
    return {(f.variable, f.category): (f.count, f.base)
            for f in selectors.frozen_figures(annual_return)}


def test_it_freezes_the_engines_figures_at_submission(world, submitted):
    live = engine.site_figures(YEAR, sites=[world.site_a])
    assert _frozen(submitted) == {(f.variable, f.category): (f.count, f.base) for f in live}
    assert _frozen(submitted)[("mothers.total", "all")] == (12, 12)
    assert submitted.codebook_version == "2010"
    assert submitted.submitted_by == world.coordinator_a and submitted.submitted_at


def test_it_keeps_the_frozen_figures_when_records_change_afterwards(world, submitted):
    before = _frozen(submitted)
    MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 5, 1))
    with audited_write():
        world.site_a.mothers.filter(origin="turkish").update(origin="moroccan")
    submitted.refresh_from_db()
    assert _frozen(submitted) == before
    assert selectors.current_figures(submitted) == selectors.frozen_figures(submitted)
    live = {f.variable: f.count for f in engine.site_figures(YEAR, sites=[world.site_a])
            if f.category == "all"}
    assert live["mothers.total"] == 13  # the records moved on; the return did not


def test_it_freezes_the_balances_and_a_snapshot_of_the_facts(world, submitted):
    assert submitted.balances["mothers"] == {"start_of_year": 6, "new": 6, "end_of_year": 9}
    assert submitted.balances["volunteers"] == {"start_of_year": 4, "new": 2, "end_of_year": 5}
    assert submitted.facts_snapshot["coordinators"] == [{"ref": "site-a-1",
                                                         "hours_per_week": "16.0"}]
    assert submitted.facts_snapshot["vog_required"] == "yes"  # the organisation's policy
    SiteYear.objects.filter(site=world.site_a, year=YEAR).update(variant=["home_start"])
    submitted.refresh_from_db()
    assert selectors.return_facts(submitted)["variant"] == ["regular"]


def test_it_gives_approved_figures_to_the_national_figures(world, submitted):
    assert selectors.approved_site_figures(YEAR) == {}
    services.return_approve(annual_return=submitted, user=world.office,
                            expected_version=submitted.version)
    figures = selectors.approved_site_figures(YEAR)["site-a"]
    assert {(f.variable, f.category): (f.count, f.base) for f in figures} == _frozen(submitted)
    assert selectors.return_statuses(YEAR) == {"site-a": Status.APPROVED}


def test_it_refreezes_on_resubmission_after_reopening(world, submitted):
    r = services.return_reopen(annual_return=submitted, user=world.office,
                               expected_version=submitted.version, reason="Nieuwe moeder")
    MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 5, 1))
    assert selectors.current_figures(r)[0].count == 13  # a draft shows the live records
    r = services.return_submit(annual_return=r, user=world.coordinator_a,
                               expected_version=r.version, explanations={})
    assert _frozen(r)[("mothers.total", "all")] == (13, 13)

"""The shipped national series joined with computed years, and comparisons across versions."""

import filecmp
from pathlib import Path

from mim.figures.comparison import to_version
from mim.figures.history import HISTORY_CSV, history
from mim.publication.inputs import figures_for
from mim.publication.selectors import published_national
from tests.factories import MotherFactory, SiteFactory
from tests.seedlike import approve


def test_it_ships_the_national_history_unchanged():
    spec = Path("/work/shared/spec/national-history.csv")
    if spec.exists():
        assert filecmp.cmp(spec, HISTORY_CSV, shallow=False)


def test_it_shows_2009_as_missing_and_keeps_the_2014_note(db):
    rows = {r.year: r for r in history(2014, span=6, national=published_national)}
    assert rows[2009].missing and "no published figures" in rows[2009].note
    assert rows[2014].mothers == 841 and "not specified" in rows[2014].note
    assert "niet vermeld" in rows[2014].display_note


def test_it_keeps_the_shipped_year_until_a_computed_one_is_as_complete(db):
    # 2012 was published with 15 sites delivering: one site's records do not replace it.
    site = SiteFactory(first_year=2004)
    MotherFactory.create_batch(12, site=site, start_date="2012-03-01", origin="turkish")
    rows = {r.year: r for r in history(2012, span=2, national=published_national)}
    assert rows[2012].source == "registratie-2014" and rows[2012].mothers == 813
    assert rows[2012].computed_sites == 1 and "van 1 locatie," in rows[2012].display_note
    assert rows[2011].source == "registratie-2014" and rows[2011].mothers == 842
    sites = [site]
    for _ in range(14):
        sites.append(SiteFactory(first_year=2004))
        MotherFactory.create_batch(10, site=sites[-1], start_date="2012-03-01",
                                   origin="turkish")
    # 15 sites, but from live records only: back-dated records are not a settled year.
    rows = {r.year: r for r in history(2012, span=2, national=published_national)}
    assert rows[2012].source == "registratie-2014" and rows[2012].computed_sites == 15
    for s in sites:
        approve(s, 2012)
    rows = {r.year: r for r in history(2012, span=2, national=published_national)}
    assert rows[2012].source == "computed" and rows[2012].mothers == 152
    assert rows[2012].sites_with_data == 15 and rows[2012].source_label == "berekend"


def test_it_collapses_current_codes_onto_2008_and_marks_what_cannot_be_compared(db):
    site = SiteFactory(first_year=2010)
    for income in ("one_benefit", "two_benefits", "income_and_benefit", "own_income"):
        MotherFactory(site=site, income_source=income)
    mapped = to_version(figures_for(2024, "site", site.code).figures, "2008")
    income = {f.category: f.count for f in mapped.figures
              if f.variable == "mothers.income_source"}
    assert income["benefit"] == 2 and income["own_income"] == 1
    assert ("mothers.income_source", "income_and_benefit") in mapped.not_comparable
    assert ("mothers.origin", "unknown") in mapped.not_comparable
    # several current circumstances became 2008's "other": persons would count twice
    assert ("mothers.mother_circumstances", "other") in mapped.not_comparable

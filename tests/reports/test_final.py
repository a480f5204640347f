"""The national report is final once every active site is approved or marked not delivered, and
its completeness note names the sites without data and why (data standard version 2)."""

import datetime as dt

import pytest

from mim.organisations.models import Site
from mim.organisations.services import site_end
from mim.reports.national import build_national_report
from mim.reports.selectors import ServerFigures, national_inputs
from mim.returns import selectors, services
from mim.returns.models import AnnualReturn, ReturnFigure, Status
from tests.factories import user_with_role
from tests.seedlike import YEAR, build_year

STOPPED = ("Emmeloord", "Steenwijkerland", "Hengelo")


def _approve(site) -> None:
    """An approved return holding the site's live figures, as a submission would freeze them."""
    annual_return = AnnualReturn.objects.create(
        site=site, year=YEAR, status=Status.APPROVED,
        submitted_at=dt.datetime(YEAR + 1, 2, 1, tzinfo=dt.UTC),
        approved_at=dt.datetime(YEAR + 1, 3, 1, tzinfo=dt.UTC))
    ReturnFigure.objects.bulk_create(
        ReturnFigure(annual_return=annual_return, variable=f.variable, category=f.category,
                     count=f.count, base=f.base)
        for f in selectors.live_site_figures(site, YEAR) if f.population != "sites")


def _text(report) -> str:
    from mim.reports.document import Paragraph, iter_sections

    return "\n".join(b.text for _, s in iter_sections(report) for b in s.blocks
                     if isinstance(b, Paragraph))


@pytest.fixture
def year_2014(db):
    from mim.accounts.models import Role

    sites = build_year()
    office = user_with_role(Role.PROGRAMME_OFFICE, "office")
    for site in sites:
        if site.name not in STOPPED:
            _approve(site)
    return sites, office


def test_it_stays_a_concept_while_three_active_sites_delivered_nothing(year_2014):
    report = build_national_report(national_inputs(YEAR, ServerFigures()))
    assert report.concept
    assert "Nog geen gegevens van: Emmeloord, Hengelo en Steenwijkerland." in report.concept_note


def test_it_is_final_once_the_three_are_marked_not_delivered_and_names_them(year_2014):
    _sites, office = year_2014
    for site in Site.objects.filter(name__in=STOPPED):
        site_end(site=site, last_year=YEAR, user=office)
        services.return_not_delivered(site=site, year=YEAR, user=office,
                                      reason="gestopt eind 2014")
    inputs = national_inputs(YEAR, ServerFigures())
    report = build_national_report(inputs)
    assert not report.concept and report.concept_note is None
    assert ("De cijfers over 2014 komen van 23 van de 26 locaties; Emmeloord, Hengelo en "
            "Steenwijkerland zijn eind 2014 gestopt.") in _text(report)
    national = ServerFigures().national(YEAR)
    assert national.get("sites.not_delivered").count == 3
    assert national.get("sites.delivered").count == 23


def test_it_names_a_submitted_but_unapproved_site_in_the_concept(year_2014):
    _sites, office = year_2014
    hengelo = Site.objects.get(name="Hengelo")
    hengelo.keeps_records = False
    hengelo.save()
    AnnualReturn.objects.create(site=hengelo, year=YEAR, status=Status.SUBMITTED,
                                source="aggregate",
                                submitted_at=dt.datetime(YEAR + 1, 2, 1, tzinfo=dt.UTC))
    report = build_national_report(national_inputs(YEAR, ServerFigures()))
    assert report.concept
    assert "Ingediend, nog niet goedgekeurd: Hengelo." in report.concept_note
    assert "Nog geen gegevens van: Emmeloord en Steenwijkerland." in report.concept_note


def test_it_counts_many_provisional_sites_on_the_cover_and_names_them_under_about(
        db, monkeypatch):
    from mim.reports.national import completeness

    monkeypatch.setattr(completeness, "COVER_NAMES", 5)  # the 2014-like year has 26 sites
    build_year()  # nothing approved: every site with records is provisional
    inputs = national_inputs(YEAR, ServerFigures())
    report = build_national_report(inputs)
    provisional = [s.name for s in inputs.sites if s.status == "provisional" and not s.is_group]
    assert len(provisional) > completeness.COVER_NAMES
    note = report.concept_note
    assert (f"Voorlopige cijfers (uit de lopende registratie) van {len(provisional)} locaties."
            in note)
    assert "De namen staan onder 'Over de cijfers'." in note
    assert not [name for name in provisional if name in note]
    # The few without data are still named on the cover.
    assert "Nog geen gegevens van: Emmeloord, Hengelo en Steenwijkerland." in note
    about = _text(report).split("Voorlopig, uit de lopende registratie: ", 1)[1]
    assert all(name in about.split(". Deze cijfers")[0] for name in provisional)


def test_it_orders_site_names_by_the_numbers_in_them():
    from mim.organisations.names import sort_key

    names = ["Zuid 10", "Zuid 2", "'s-Hertogenbosch", "Amsterdam", "Zuid", "Zuid 2²"]
    assert sorted(names, key=sort_key) == ["Amsterdam", "'s-Hertogenbosch", "Zuid", "Zuid 2",
                                           "Zuid 2²", "Zuid 10"]

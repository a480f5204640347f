"""A final 2008-like year: the shipped 2004-2007 series intact, text and tables agree.

Done when of issue 10: a 2014-like year with every delivering site approved and three sites
marked not delivered gives a final report with no wrong sentence; the same for a 2008-like year
with the shipped 2004-2007 series intact; the number-consistency check (tests/reports/numbers.py)
passes for random data.
"""


import pytest
from django.db import transaction

from mim.figures.history import shipped
from mim.reports.document import Paragraph, Table, iter_sections
from mim.reports.national import build_national_report
from mim.reports.selectors import ServerFigures, national_inputs
from mim.reports.text import fmt_int
from tests.reports.numbers import problems
from tests.seedlike import SITES_2008, YEAR_2008, approve, build_2008

STOPPED = ("Emmeloord", "Steenwijkerland", "Hengelo")


def report_years(report) -> set[int]:
    return set(range(report.year - 15, report.year + 2))


def prose(report) -> str:
    return "\n".join(b.text for _, s in iter_sections(report) for b in s.blocks
                     if isinstance(b, Paragraph))


def table(report, caption: str) -> Table:
    return next(b for _, s in iter_sections(report) for b in s.blocks
                if isinstance(b, Table) and b.caption.startswith(caption))


def row(t: Table, label: str) -> list[str]:
    return next(r for r in t.rows if r[0] == label)


@pytest.fixture(scope="module")
def final_2008(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for site in build_2008():
            approve(site, YEAR_2008)
        inputs = national_inputs(YEAR_2008, ServerFigures())
        yield inputs, build_national_report(inputs)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_gives_a_final_2008_like_report_with_the_shipped_2004_2007_intact(final_2008):
    inputs, report = final_2008
    assert not report.concept
    assert problems(report, report_years(report)) == []
    t = table(report, "MIM over vijf registratiejaren")
    assert t.columns[1:] == ["2004", "2005", "2006", "2007", "2008"]
    published = shipped()
    assert row(t, "MIM-moeders")[1:5] == [fmt_int(published[y].mothers)
                                         for y in (2004, 2005, 2006, 2007)]
    assert row(t, "Vrijwilligers")[1:5] == [fmt_int(published[y].volunteers)
                                           for y in (2004, 2005, 2006, 2007)]
    assert row(t, "Bron")[1:] == ["rapport 2008"] * 4 + ["berekend"]
    assert row(t, "MIM-moeders")[5] == fmt_int(sum(n for *_, n in SITES_2008))
    # 2007 holds a few back-dated records: their notes say the published row stays.
    assert any(n.startswith("2007: ") and "gepubliceerde cijfers" in n for n in t.notes)
    # Last year is the published 2007, never the back-dated records.
    key = table(report, "Kerncijfers 2008")
    assert row(key, "MIM-moeders")[2] == "692"




@pytest.mark.django_db
def test_it_states_only_numbers_of_their_rows_in_the_2008_site_and_municipality_reports(
        final_2008):
    from mim.organisations.models import Site
    from mim.reports.assemble import municipality_report, site_report

    source = ServerFigures()
    sites = Site.objects.order_by("name")
    reports = [site_report(YEAR_2008, site.code, source=source) for site in sites]
    reports += [municipality_report(YEAR_2008, name, source=source)
                for name in sorted({site.municipality.name for site in sites})]
    assert [f"{r.title}: {p}" for r in reports for p in problems(r, report_years(r))] == []

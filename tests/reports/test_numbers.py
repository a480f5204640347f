"""Text and tables agree, and the report's sentences are right, for seed-like and random years.

Done when of issue 10: a 2014-like year with every delivering site approved and three sites
marked not delivered gives a final report with no wrong sentence; the same for a 2008-like year
with the shipped 2004-2007 series intact; the number-consistency check (tests/reports/numbers.py)
passes for random data.
"""

import datetime as dt
import random
import re

import pytest

from mim.organisations.models import Municipality, Organisation, Site
from mim.registry.models import Mother, Volunteer
from mim.reports.document import Paragraph, Table, iter_sections
from mim.reports.national import build_national_report
from mim.reports.selectors import ServerFigures, national_inputs
from tests.reports.numbers import problems
from tests.seedlike import coordinators_and_facts

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


# --- random years ------------------------------------------------------------------------------


def random_years(seed: int) -> int:
    """Two consecutive years of random sites and records; returns the later year."""
    from mim.codebook import codebooks

    rng = random.Random(seed)
    year = rng.choice((2012, 2016, 2019, 2024))
    book = codebooks.for_year(year)
    org = Organisation.objects.create(name=f"Organisatie {seed}")
    mothers, volunteers, sites = [], [], []
    for i in range(rng.randint(4, 12)):
        site = Site.objects.create(code=f"r{seed}-{i}", name=f"Locatie {seed}-{i}",
                                   first_year=year - 1, organisation=org,
                                   municipality=Municipality.objects.get_or_create(
                                       name=f"Gemeente {i % 3}")[0])
        sites.append(site)
        skew = rng.random()
        for y in (year - 1, year):
            for j in range(rng.choice((0, 3, 8, 15, 40, 90))):
                start = dt.date(y, rng.randint(1, 12), rng.randint(1, 28))
                end = start + dt.timedelta(days=rng.randint(20, 400)) if rng.random() < .4 \
                    else None
                if end and end.year > year:
                    end = None
                origins = book.codes("origin")
                mothers.append(Mother(
                    site=site, ref=f"M{y}-{j}", start_date=start, end_date=end,
                    end_reason=rng.choice(book.codes("mother_end_reason")[:-1]) if end else "",
                    birth_year=y - rng.randint(17, 42),
                    origin=origins[0] if rng.random() < skew else rng.choice(origins),
                    education=rng.choice(book.codes("education")),
                    household=rng.choice(book.codes("household")),
                    income_source=rng.choice(book.codes("income_source")),
                    child_order=rng.choice(book.codes("child_order")),
                    pregnant_at_start=rng.choice(book.codes("yes_no"))))
            for j in range(rng.choice((0, 4, 12, 30))):
                start = dt.date(y, rng.randint(1, 12), rng.randint(1, 28))
                end = dt.date(year, 12, 28) if rng.random() < .3 else None
                volunteers.append(Volunteer(
                    site=site, ref=f"V{y}-{j}", start_date=start, end_date=end,
                    end_reason=rng.choice(book.codes("volunteer_end_reason")[:-1]) if end
                    else "", birth_year=y - rng.randint(25, 70),
                    origin=rng.choice(book.codes("origin")),
                    education=rng.choice(book.codes("education")),
                    former_mim_mother=rng.choice(book.codes("yes_no"))))
    Mother.objects.bulk_create(mothers)
    Volunteer.objects.bulk_create(volunteers)
    for y in (year - 1, year):  # coordinators, facts and policies, some unknown
        coordinators_and_facts(sites, y, random.Random(f"{seed}-{y}"))
    return year


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6, 7, 8])
def test_it_states_only_numbers_of_its_own_table_rows_for_random_years(seed):
    year = random_years(seed)
    report = build_national_report(national_inputs(year, ServerFigures()))
    assert problems(report, report_years(report)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6, 7, 8])
def test_it_states_only_numbers_of_its_rows_in_site_and_municipality_reports(seed):
    from mim.reports.assemble import municipality_report, site_report

    year = random_years(seed)
    source = ServerFigures()
    sites = Site.objects.filter(code__startswith=f"r{seed}-").order_by("code")
    reports = [site_report(year, site.code, source=source) for site in sites]
    reports += [municipality_report(year, name, source=source) for name in
                sorted({site.municipality.name for site in sites})]
    found = [f"{report.title}: {p}" for report in reports
             for p in problems(report, report_years(report))]
    assert found == []
    assert all(b.refs for report in reports for _, s in iter_sections(report)
               if s.title == "Kerncijfers" for b in s.blocks
               if isinstance(b, Paragraph) and any(c.isdigit() for c in b.text))
    # The check can fail here too: a count that is in none of its rows is caught.
    report, paragraph = next((r, b) for r in reports for _, s in iter_sections(r)
                             for b in s.blocks if isinstance(b, Paragraph)
                             and re.search(r"waren er \d", b.text))
    paragraph.text = re.sub(r"waren er \d[\d.]*", "waren er 9.999", paragraph.text)
    assert any("'9.999' is in none of its rows" in p
               for p in problems(report, report_years(report)))


def test_it_catches_a_sentence_whose_number_is_not_in_its_rows():
    from mim.reports.document import Ref, Report, Section

    t = Table("Herkomst", ["Categorie", "Aantal", "% 2014", "% 2013"],
              [["Nederlands", "88", "10%", "17%"], ["Turks", "×", "–", "8%"]])

    every_row = (Ref(t),)

    def check(text, refs=every_row):
        report = Report("R", "", 2014, sections=[Section("MIM-moeders", [
            Paragraph(text, refs=refs), t])])
        return problems(report, {2013, 2014})

    assert check("Nederlands (10%), gedaald met 7 procentpunten; 1 groep niet getoond.") == []
    assert check("Nederlands (11%).")  # the share rounded twice
    assert check("Nederlands: 89 moeders.")
    assert check("Gedaald met 6 procentpunten.")
    assert check("Nederlands: 88 moeders.", refs=())  # no source row named


def test_it_rounds_a_share_once_from_its_counts():
    from mim.figures.tidy import Figure
    from mim.reports.building import pct_cell
    from mim.reports.text import fmt_share

    f = Figure.of(year=2014, scope="national", scope_code="NL", variable="mothers.origin",
                  category="turkish", count=88, base=841)
    assert str(f.percent) == "10.5"  # the tidy table's one decimal, for exports
    assert pct_cell(f) == fmt_share(88, 841) == "10%"  # not 10,46 -> 10,5 -> 11

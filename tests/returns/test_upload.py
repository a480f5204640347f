"""Aggregate figures for a site that keeps no records here: a tidy CSV, validated whole."""

import pytest

from mim.returns import selectors, services
from mim.returns.models import Status
from mim.returns.upload import parse_aggregate, template_csv
from tests.returns.conftest import YEAR, fill_facts
from tests.returns.test_checks import complete_figures

HEADER = "year,scope,scope_code,variable,category,count,base\n"


def good_csv(code="site-a", **totals) -> str:
    balances = {"mothers": {"start_of_year": 8, "new": 12, "end_of_year": 15},
                "volunteers": {"start_of_year": 7, "new": 3, "end_of_year": 8}}
    return template_csv(year=YEAR, site_code=code, figures=complete_figures(**totals),
                        balances=balances)


def parse(text: str, code="site-a"):
    return parse_aggregate(filename="cijfers.csv", content=text.encode(), year=YEAR,
                           site_code=code)


def edit(text: str, row: int, column: str, value: str) -> str:
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def test_it_reads_a_complete_file():
    parsed = parse(good_csv())
    assert parsed.errors == []
    assert len(parsed.figures) == len(complete_figures())
    assert parsed.balances["volunteers"] == {"start_of_year": 7, "new": 3, "end_of_year": 8}


@pytest.mark.parametrize(("row", "column", "value", "message"), [
    (2, "year", "2023", "cijfers.csv row 2, column year: het jaar moet 2024 zijn."),
    (3, "scope", "national", "cijfers.csv row 3, column scope: de scope moet 'site' zijn."),
    (4, "scope_code", "site-b", "cijfers.csv row 4, column scope_code: de locatiecode moet "
                                "site-a zijn."),
    (5, "variable", "mothers.shoe_size", "cijfers.csv row 5, column variable: "
                                         "'mothers.shoe_size' is geen variabele"),
    (5, "category", "martian", "cijfers.csv row 5, column category: 'martian' is geen "
                               "categorie van mothers.origin"),
    (6, "count", "-1", "cijfers.csv row 6, column count: geen geheel getal van 0 of meer."),
    (6, "count", "2.5", "cijfers.csv row 6, column count: geen geheel getal"),
    (6, "base", "", "cijfers.csv row 6, column base: geen geheel getal"),
    (3, "count", "99", "cijfers.csv row 3, column count: het aantal (99) is groter dan de basis "
                       "(20)."),
    (7, "base", "21", "cijfers.csv row 7, column base: de basis verschilt van die op regel 3"),
])
def test_it_reports_each_wrong_cell_with_its_row_and_column(row, column, value, message):
    parsed = parse(edit(good_csv(), row, column, value))
    assert parsed.figures == []
    assert any(e.startswith(message) for e in parsed.errors), parsed.errors


def test_it_reports_a_breakdown_that_does_not_add_up_at_its_first_row():
    text = good_csv()
    lines = text.splitlines()
    row = next(n for n, line in enumerate(lines, start=1) if ",mothers.education,mbo," in line)
    parsed = parse(edit(text, row, "count", "3"))
    first = next(n for n, line in enumerate(lines, start=1) if ",mothers.education," in line)
    assert parsed.errors == [f"cijfers.csv row {first}, column count: Opleidingsniveau "
                             "(moeders): de categorieën tellen op tot 23, het totaal is 20."]


def test_it_reports_a_broken_balance_at_the_balance_rows():
    text = good_csv()
    row = next(n for n, line in enumerate(text.splitlines(), start=1)
               if ",volunteers.balance,end_of_year," in line)
    parsed = parse(edit(text, row, "count", "9"))
    assert len(parsed.errors) == 1
    assert "column count: Vrijwilligers: begin 7 + nieuw 3 - vertrokken 2 = 8" in \
        parsed.errors[0]


def test_it_reports_a_duplicate_row_and_a_missing_variable():
    lines = good_csv().splitlines()
    text = "\n".join([*lines, lines[1]]) + "\n"
    parsed = parse(text)
    assert parsed.errors == [f"cijfers.csv row {len(lines) + 1}, column category: "
                             "mothers.total all staat al op regel 2."]
    text = "\n".join(line for line in lines if ",volunteers.education," not in line)
    assert parse(text).errors == ["cijfers.csv: volunteers.education ontbreekt "
                                  "(opleidingsniveau (vrijwilligers))."]


def test_it_counts_a_left_out_category_as_zero():
    lines = [line for line in good_csv().splitlines() if ",mothers.education,hbo," not in line]
    parsed = parse("\n".join(lines))
    assert parsed.errors == []
    hbo = next(f for f in parsed.figures if (f.variable, f.category) == ("mothers.education",
                                                                         "hbo"))
    assert (hbo.count, hbo.base) == (0, 20)


def test_it_refuses_a_wrong_header_binary_content_and_suppressed_rows():
    assert parse("jaar,count\n").errors[0].startswith("cijfers.csv row 1, column year:")
    assert "geen CSV in UTF-8" in parse_aggregate(filename="x.csv", content=b"\xff\xfe\x00",
                                                  year=YEAR, site_code="site-a").errors[0]
    text = good_csv().replace("base\n", "base,suppressed\n", 1)
    text = text.replace(",20,20\n", ",20,20,true\n", 1)
    assert "column suppressed: een afgeschermd cijfer" in parse(text).errors[0]


@pytest.fixture
def aggregate_return(world, return_year):
    world.site_a.keeps_records = False
    world.site_a.save()
    fill_facts(world.site_a)
    return services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)


def test_it_saves_all_or_nothing(world, aggregate_return):
    r = aggregate_return
    warnings = services.return_aggregate_upload(annual_return=r, user=world.coordinator_a,
                                                expected_version=r.version,
                                                filename="cijfers.csv",
                                                content=good_csv().encode())
    assert warnings == []
    r.refresh_from_db()
    before = selectors.frozen_figures(r)
    assert len(before) == len(complete_figures())
    bad = edit(good_csv(mothers=30), 6, "count", "x")
    with pytest.raises(services.ReturnRefused) as excinfo:
        services.return_aggregate_upload(annual_return=r, user=world.coordinator_a,
                                         expected_version=r.version, filename="cijfers.csv",
                                         content=bad.encode())
    assert excinfo.value.errors
    r.refresh_from_db()
    assert selectors.frozen_figures(r) == before


def test_it_submits_an_aggregate_return_with_its_uploaded_figures(world, aggregate_return):
    r = aggregate_return
    services.return_aggregate_upload(annual_return=r, user=world.coordinator_a,
                                     expected_version=r.version, filename="cijfers.csv",
                                     content=good_csv().encode())
    r.refresh_from_db()
    r = services.return_submit(annual_return=r, user=world.coordinator_a,
                               expected_version=r.version, explanations={})
    assert r.status == Status.SUBMITTED
    assert r.balances["mothers"]["end_of_year"] == 15
    assert {f.count for f in selectors.frozen_figures(r) if f.variable == "mothers.total"} == {20}


def test_it_refuses_an_upload_for_a_records_return(world, ready):
    with pytest.raises(services.ReturnRefused, match="bron"):
        services.return_aggregate_upload(annual_return=ready, user=world.coordinator_a,
                                         expected_version=ready.version, filename="c.csv",
                                         content=good_csv().encode())


def test_it_refuses_records_as_source_for_a_site_without_records(world, aggregate_return):
    with pytest.raises(services.ReturnRefused, match="registreert niet"):
        services.return_source_set(annual_return=aggregate_return, user=world.coordinator_a,
                                   expected_version=aggregate_return.version, source="records")

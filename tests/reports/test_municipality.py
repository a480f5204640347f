"""The municipality report: its sites together beside the national figures, all as published;
small sites only inside their merged group; the funder's download; the largest municipality in
the national report."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from mim.audit.models import AuditEntry, Event
from mim.cli import main
from mim.organisations.models import Site
from mim.publication.selectors import read_scope
from mim.reports.assemble import municipality_report, national_report
from mim.reports.building import count_cell, pct_cell
from mim.reports.document import Paragraph, Table, iter_sections
from mim.reports.render_html import render_html
from tests.conftest import PERSONAS
from tests.factories import MotherFactory
from tests.reports.numbers import problems

YEAR = 2025


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--seed", "3", "--today", "2026-06-01", verbosity=0)
        yield
        transaction.set_rollback(True)


def tables(report) -> list[Table]:
    return [b for _, s in iter_sections(report) for b in s.blocks if isinstance(b, Table)]


def municipality_of_most_sites() -> str:
    counts: dict[str, int] = {}
    for name in Site.objects.values_list("municipality__name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get)


@pytest.mark.django_db
def test_it_puts_the_published_municipality_beside_the_published_nation(demo):
    name = municipality_of_most_sites()
    report = municipality_report(YEAR, name)
    published = read_scope(YEAR, "municipality", name)
    nation = read_scope(YEAR, "national", "NL")
    key = next(t for t in tables(report) if t.caption.startswith("Kerncijfers"))
    assert key.columns == ["Kerncijfer", name, "Nederland"]
    by_label = {row[0]: row for row in key.rows}
    assert by_label["MIM-moeders"][1:] == [count_cell(published.get("mothers.total")),
                                           count_cell(nation.get("mothers.total"))]
    assert by_label["Moeders met een migratieachtergrond (%)"][1:] == [
        pct_cell(published.get("mothers.migrant_background", "yes")),
        pct_cell(nation.get("mothers.migrant_background", "yes"))]
    origin = next(t for t in tables(report) if t.caption.startswith("Herkomst")
                  and "MIM" not in t.caption)
    dutch = next(row for row in origin.rows if row[0] == "Nederlands")
    assert dutch[1] == count_cell(published.get("mothers.origin", "dutch"))
    assert dutch[3] == count_cell(nation.get("mothers.origin", "dutch"))
    sites = next(t for t in tables(report) if t.caption.startswith("Locaties in"))
    own = [r for r in published.sites if not r.group]
    assert len(own) > 1
    for r in own:
        row = next(row for row in sites.rows if row[0] == r.name)
        assert row[3] == count_cell(r.mothers)


@pytest.mark.django_db
def test_it_states_only_numbers_of_its_rows_for_every_municipality_of_the_demo(demo):
    names = sorted(set(Site.objects.values_list("municipality__name", flat=True)))
    years = set(range(YEAR - 15, YEAR + 2))
    found = [f"{name}: {p}" for name in names
             for p in problems(municipality_report(YEAR, name), years)]
    assert found == []


@pytest.mark.django_db
def test_it_shows_a_small_site_only_inside_its_merged_group(demo):
    nation = read_scope(YEAR, "national", "NL")
    small = next(r for r in nation.sites if r.group)
    group = next(r for r in nation.sites if r.code == small.group)
    name = Site.objects.get(code=small.code).municipality.name
    report = municipality_report(YEAR, name)
    sites = next(t for t in tables(report) if t.caption.startswith("Locaties in"))
    rows_naming = [row for row in sites.rows if small.name in row[0]]
    assert len(rows_naming) == 1
    assert rows_naming[0][0].startswith(group.name)
    assert rows_naming[0][3] == count_cell(group.mothers)
    # Its own figure never appears: no row is the small site alone.
    assert all(row[0] != small.name for row in sites.rows)
    prose = "\n".join(b.text for _, s in iter_sections(report) for b in s.blocks
                      if isinstance(b, Paragraph))
    assert "per locatie varieert" not in prose or small.name not in prose.split(
        "per locatie varieert")[1].split("\n")[0]


@pytest.mark.django_db
def test_it_names_the_largest_municipality_in_the_national_report(demo):
    report = national_report(YEAR)
    totals = {}
    for name in set(Site.objects.values_list("municipality__name", flat=True)):
        figure = read_scope(YEAR, "municipality", name).get("mothers.total")
        if not figure.suppressed:
            totals[name] = figure.count
    largest = max(totals, key=totals.get)
    prose = "\n".join(b.text for _, s in iter_sections(report) for b in s.blocks
                      if isinstance(b, Paragraph))
    sentence = next(line for line in prose.splitlines() if "met haar locaties samen" in line)
    sites = Site.objects.filter(municipality__name=largest).count()
    assert f"{largest} met haar locaties samen de meeste MIM-moeders: {totals[largest]}, " \
           f"op {sites} locaties." in sentence


@pytest.mark.django_db
def test_it_writes_the_municipality_report_from_the_command(demo, tmp_path, capsys):
    target = tmp_path / "gemeente.html"
    name = municipality_of_most_sites()
    call_command("report", "--year", str(YEAR), "--municipality", name, "--format", "html",
                 "-o", str(target))
    assert f"gemeente {name}" in target.read_text()
    from unittest import mock

    with mock.patch("django.core.management.base.connections.close_all"), \
            pytest.raises(SystemExit) as exit_:
        main(["mim", "report", "--year", str(YEAR), "--municipality", "Nergenshuizen",
              "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert exit_.value.code == 1
    assert "unknown municipality" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


@pytest.fixture
def records(world):
    for i in range(12):
        MotherFactory(site=world.site_a, origin="turkish" if i < 6 else "dutch")
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_gives_the_municipality_report_to_those_who_see_the_municipality(records, login,
                                                                           persona):
    name = records.site_a.municipality.name
    url = reverse("reports:municipality", args=[name, YEAR, "html"])
    response = login(records.persona(persona)).get(url)
    if persona in ("funder", "office", "operator"):
        assert response.status_code == 200
        assert f"gemeente {name}" in response.content.decode()
        entry = AuditEntry.objects.get(object_type="report")
        assert (entry.event, entry.object_ref, entry.detail) == (
            Event.EXPORT, f"{YEAR}:municipality:{name}", "format=html")
    else:
        # The coordinator of a site in it never gets her own municipality (its figures minus
        # hers would give the sibling sites away); a visitor goes to the login page.
        assert response.status_code in (302, 404)
        assert not AuditEntry.objects.filter(object_type="report").exists()


def test_it_offers_the_funder_the_report_on_her_figures_page(records, login):
    name = records.site_a.municipality.name
    client = login(records.funder)
    page = client.get(reverse("figures:view"), {"scope": f"municipality:{name}",
                                                "jaar": YEAR}).content.decode()
    url = reverse("reports:municipality", args=[name, YEAR, "pdf"])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    national_page = client.get(reverse("figures:view"), {"scope": "national:NL",
                                                         "jaar": YEAR}).content.decode()
    assert "/rapporten/gemeente/" not in national_page


def test_it_renders_the_municipality_report_as_accessible_html(records):
    report = municipality_report(YEAR, records.site_a.municipality.name)
    html = render_html(report)
    assert '<table' in html and 'scope="col"' in html

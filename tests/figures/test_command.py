"""`mim figures`: columns, formats and exit codes, through the console script's entry point."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from mim.audit.models import AuditEntry, Event
from mim.cli import main
from mim.figures.tidy import COLUMNS
from tests.factories import MotherFactory


def run(capsys, *args):
    try:
        main(["mim", "figures", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def records(world):
    for i in range(12):
        MotherFactory(site=world.site_a, origin="turkish" if i < 2 else "dutch")
    return world


def test_it_prints_tidy_csv_of_the_national_figures_by_default(records, capsys):
    code, out, _ = run(capsys, "--year", "2024")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == COLUMNS
    assert {r["scope"] for r in rows} == {"national"}
    turkish = next(r for r in rows if r["variable"] == "mothers.origin"
                   and r["category"] == "turkish")
    assert turkish["suppressed"] == "true" and turkish["count"] == ""


def test_it_prints_unsuppressed_figures_for_the_operator(records, capsys):
    code, out, _ = run(capsys, "--year", "2024", "--scope", "site:site-a", "--unsuppressed",
                       "--format", "json")
    assert code == 0
    turkish = next(r for r in json.loads(out) if r["variable"] == "mothers.origin"
                   and r["category"] == "turkish")
    assert (turkish["count"], turkish["base"], turkish["suppressed"]) == (2, 12, False)


def test_it_logs_the_export_in_the_access_log(records, tmp_path):
    # call_command, not the console script: that closes the database connection at its end,
    # which the test's own transaction on PostgreSQL does not survive
    call_command("figures", "--year", "2024", "--scope", "site:site-a", "--unsuppressed",
                 "--format", "json", "-o", str(tmp_path / "f.json"))
    entry = AuditEntry.objects.get(object_type="figures")
    assert (entry.event, entry.client, entry.object_ref, entry.detail) == (
        Event.EXPORT, "cli", "2024:site:site-a", "format=json unsuppressed")


def test_it_writes_xlsx_with_inert_text(world, capsys, tmp_path):
    world.site_a.organisation.name = "=HYPERLINK(\"http://x\")"
    world.site_a.organisation.save()
    target = tmp_path / "f.xlsx"
    code, _, _ = run(capsys, "--year", "2024", "--scope",
                     f"organisation:{world.site_a.organisation.name}", "--format", "xlsx",
                     "-o", str(target))
    assert code == 0
    sheet = load_workbook(target).active
    assert tuple(c.value for c in sheet[1]) == COLUMNS
    assert sheet["C2"].value.startswith("'=") and sheet["C2"].data_type == "s"


@pytest.mark.parametrize(("args", "expected"), [
    (["--year", "2024", "--scope", "site:nope"], 1),
    (["--year", "2024", "--scope", "organisation:Nope"], 1),
    (["--year", "1990"], 1),
    (["--year", "2024", "--scope", "regio:x"], 2),
    (["--year", "2024", "--format", "xlsx"], 2),
    (["--year", "2024", "--format", "pdf"], 2),
    (["--year", "2024", "-o", "/no/such/folder/f.csv"], 2),
    ([], 2),
])
def test_it_exits_with_the_documented_status(world, capsys, args, expected):
    code, _, err = run(capsys, *args)
    assert code == expected
    assert err.strip()

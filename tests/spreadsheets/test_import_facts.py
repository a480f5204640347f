"""`mim import-facts`: facts and coordinators files, all or nothing, errors as the data
standard says (`<file> row <n>, column <code>: ...`)."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from mim.organisations.models import (
    Coordinator,
    CoordinatorAssignment,
    OrganisationYear,
    SiteYear,
)
from mim.spreadsheets.facts import facts_import
from mim.spreadsheets.reading import Upload
from tests.factories import OrganisationFactory, SiteFactory

YEAR = 2024

HEADER = ("site;organisation;year;target_group;financing;variant;reimbursement;"
          "group_activities;volunteer_agreement;vog_required\n")
FACTS = HEADER + """;Zorg Noord;2024;;;;reiskosten;;ja;nee
noord-1;;2024;Eerste kind;municipal_subsidy;regular;;meeting_groups;;
"""
COORDINATORS = """coordinator_ref,year,organisation,site,hours_per_week,experience,training
anna,2024,Zorg Noord,noord-1,"2,5",youth_health_care;maternity_care,nursing
anna,2024,Zorg Noord,noord-2,4,,
bea,2024,Zorg Noord,noord-2,12,education,
"""


@pytest.fixture
def north(db):
    org = OrganisationFactory(name="Zorg Noord")
    return [SiteFactory(organisation=org, code=f"noord-{n}", first_year=2010) for n in (1, 2)]


def files(facts=FACTS, coordinators=COORDINATORS):
    return [Upload("facts.csv", facts.encode()), Upload("coordinators.csv",
                                                         coordinators.encode())]


def test_it_imports_facts_and_coordinators_as_people(north, tmp_path, capsys):
    for upload in files():
        (tmp_path / upload.name).write_bytes(upload.data)
    call_command("import-facts", "--year", str(YEAR), str(tmp_path / "facts.csv"),
                 str(tmp_path / "coordinators.csv"))
    assert "2 coördinatoren op 3 locaties" in capsys.readouterr().out
    anna = Coordinator.objects.get(ref="anna")
    assert anna.experience == ["youth_health_care", "maternity_care"]
    assert sorted(CoordinatorAssignment.objects.filter(coordinator=anna)
                  .values_list("site__code", "hours_per_week")) == [
        ("noord-1", Decimal("2.5")), ("noord-2", Decimal("4.0"))]
    policy = OrganisationYear.objects.get(organisation__name="Zorg Noord", year=YEAR)
    assert (policy.reimbursement, policy.volunteer_agreement, policy.vog_required) == (
        ["travel_costs"], "yes", "no")
    facts = SiteYear.objects.get(site__code="noord-1", year=YEAR)
    assert (facts.financing, facts.variant, facts.target_group) == (
        ["municipal_subsidy"], ["regular"], "Eerste kind")


def test_it_lists_every_error_and_writes_nothing(north):
    bad_facts = FACTS + "nergens;;2024;;gold;;;;;\n;Zorg Noord;2023;;;;;;misschien;\n"
    bad_coordinators = COORDINATORS + ",2024,Zorg Noord,noord-1,60,astrology,\n"
    result = facts_import(year=YEAR, uploads=files(bad_facts, bad_coordinators))
    lines = [str(p) for p in result.problems]
    assert "facts.csv row 4, column site: onbekende locatie 'nergens'" in lines
    assert any(line.startswith("facts.csv row 5, column year: ") for line in lines)
    assert any(line.startswith("facts.csv row 5, column volunteer_agreement: ")
               for line in lines)
    assert "coordinators.csv row 5, column coordinator_ref: vul een code in" in lines
    assert any(line.startswith("coordinators.csv row 5, column hours_per_week: ")
               for line in lines)
    assert any(line.startswith("coordinators.csv row 5, column experience: ")
               for line in lines)
    assert not result.written
    assert not Coordinator.objects.exists() and not OrganisationYear.objects.exists()
    assert not SiteYear.objects.exists() and not CoordinatorAssignment.objects.exists()


def test_it_exits_with_1_on_errors_and_writes_nothing(north, tmp_path, capsys):
    path = tmp_path / "coordinators.csv"
    path.write_text(COORDINATORS.replace("noord-2,12", "noord-9,12"), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import-facts", "--year", str(YEAR), str(path))
    assert error.value.returncode == 1
    assert "coordinators.csv row 4, column site: onbekende locatie 'noord-9'" in \
        capsys.readouterr().err
    assert not Coordinator.objects.exists()


def test_it_previews_without_writing(north):
    result = facts_import(year=YEAR, uploads=files(), dry_run=True)
    assert result.ok and not result.written
    assert (result.coordinators, result.assignments, result.organisations) == (2, 3, 1)
    assert not Coordinator.objects.exists()


def test_it_says_field_by_field_what_a_dry_run_would_change(north, tmp_path, capsys):
    """The command's dry run says what the office's preview says: what stands now and what it
    becomes; then, imported, the same files change nothing."""
    for upload in files():
        (tmp_path / upload.name).write_bytes(upload.data)
    paths = [str(tmp_path / "facts.csv"), str(tmp_path / "coordinators.csv")]
    call_command("import-facts", "--year", str(YEAR), "--dry-run", *paths)
    out = capsys.readouterr().out
    site = north[0].name
    assert "Wat er verandert bij importeren:" in out
    assert f"  {site} · financiering: – → gemeentelijke subsidie" in out
    assert "  Zorg Noord · VOG verplicht: – → nee" in out
    assert f"  {site} · coördinatoren: – → anna (2,5 uur per week)" in out
    assert out.rstrip().endswith("Proefimport: er is niets opgeslagen.")
    assert not Coordinator.objects.exists()
    call_command("import-facts", "--year", str(YEAR), *paths)
    capsys.readouterr()
    call_command("import-facts", "--year", str(YEAR), "--dry-run", *paths)
    out = capsys.readouterr().out
    assert "Het bestand verandert niets aan wat er voor dit jaar al staat." in out
    assert "→" not in out


def test_it_refuses_a_site_of_another_organisation_and_differing_policies(north):
    SiteFactory(organisation=OrganisationFactory(name="Zorg Zuid"), code="zuid")
    facts = FACTS + "noord-2;;2024;;;;;;nee;\n"
    coordinators = COORDINATORS + "anna,2024,Zorg Noord,zuid,3,,\n"
    lines = [str(p) for p in facts_import(year=YEAR, uploads=files(facts, coordinators))
             .problems]
    assert "coordinators.csv row 5, column site: zuid hoort niet bij Zorg Noord" in lines
    assert any(line.startswith("facts.csv row 4, column volunteer_agreement: het beleid van "
                               "Zorg Noord staat al anders in rij 2") for line in lines)


def test_it_leaves_an_empty_cell_as_stored_and_reads_unknown_and_none_in_words(north):
    """An empty cell says nothing: the stored answer stays, and a site with nothing stored is
    "niet bekend", never "geen" (a blank counted as an answer is a wrong number). "niet bekend"
    and "geen" are said in words; an organisation's row gives its sites what it fills in."""
    from mim.organisations import services

    services.site_year_save(site=north[0], year=YEAR, target_group="Eerste kind",
                            financing=["municipal_subsidy"], variant=["regular"],
                            group_activities=["meeting_groups"])
    services.site_year_save(site=north[1], year=YEAR, target_group="Jonge moeders",
                            financing=["jgz_budget"], variant=None, group_activities=[])
    services.organisation_year_save(organisation=north[0].organisation, year=YEAR,
                                    reimbursement=["travel_costs"], volunteer_agreement="yes",
                                    vog_required="no")
    facts = HEADER + (";Zorg Noord;2024;;;;;;Niet bekend;ja\n"  # two policies only
                      "noord-1;;2024;;niet bekend;;;geen;;\n")
    result = facts_import(year=YEAR, uploads=[Upload("facts.csv", facts.encode())])
    assert result.ok, [str(p) for p in result.problems]
    one = SiteYear.objects.get(site=north[0], year=YEAR)
    assert (one.target_group, one.financing, one.variant, one.group_activities) == (
        "Eerste kind", None, ["regular"], [])
    two = SiteYear.objects.get(site=north[1], year=YEAR)
    assert (two.target_group, two.financing, two.variant, two.group_activities) == (
        "Jonge moeders", ["jgz_budget"], None, [])
    policy = OrganisationYear.objects.get(organisation=north[0].organisation, year=YEAR)
    assert (policy.reimbursement, policy.volunteer_agreement, policy.vog_required) == (
        ["travel_costs"], "unknown", "yes")
    # a site with nothing stored: what the organisation's row fills in, the rest not known
    fresh = SiteFactory(organisation=north[0].organisation, code="noord-3", first_year=2010)
    facts = HEADER + ";Zorg Noord;2024;;other;;;;;\nnoord-3;;2024;;;home_start;;;;\n"
    assert facts_import(year=YEAR, uploads=[Upload("facts.csv", facts.encode())]).ok
    three = SiteYear.objects.get(site=fresh, year=YEAR)
    assert (three.target_group, three.financing, three.variant, three.group_activities) == (
        "", ["other"], ["home_start"], None)
    assert SiteYear.objects.get(site=north[1], year=YEAR).financing == ["other"]


def test_it_keeps_a_coordinators_stored_lists_when_her_rows_leave_them_empty(north):
    """Experience and training are the person's: rows that leave them empty (a new year's hours,
    say) keep what is stored, where they wrote "none" before."""
    assert facts_import(year=YEAR, uploads=files()).ok
    anna = Coordinator.objects.get(ref="anna")
    assert (anna.experience, anna.training) == (["youth_health_care", "maternity_care"],
                                                ["nursing"])
    hours_only = ("coordinator_ref,year,organisation,site,hours_per_week,experience,training\n"
                  "anna,2024,Zorg Noord,noord-1,3,,\n")
    assert facts_import(year=YEAR, uploads=[Upload("coordinators.csv", hours_only.encode())]).ok
    anna.refresh_from_db()
    assert (anna.experience, anna.training) == (["youth_health_care", "maternity_care"],
                                                ["nursing"])
    assert CoordinatorAssignment.objects.get(coordinator=anna, site=north[0]).hours_per_week \
        == Decimal("3")


def test_it_counts_every_site_an_organisations_row_reaches(north):
    """An organisation's row gives its facts to each of its sites: the summary counts the
    sites, not the rows (it said one)."""
    facts = HEADER + ";Zorg Noord;2024;;other;;;;;\n"
    result = facts_import(year=YEAR, uploads=[Upload("facts.csv", facts.encode())],
                          dry_run=True)
    assert result.ok and result.sites == 2

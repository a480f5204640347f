import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from mim.codebook import codebooks, crosswalk

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "data-standard.md"

# The codebook table of the data standard, item by item (the contract).
EXPECTED = {
    "origin": "dutch turkish moroccan surinamese antillean europe_other africa asia middle_east "
              "americas unknown",
    "age_group": "under_20 20_24 25_29 30_34 35_39 40_plus unknown",
    "education": "lbo_or_lower mbo hbo unknown",
    "household": "cohabiting single with_parents with_others unknown",
    "income_source": "partner_income joint_income income_and_benefit two_benefits own_income "
                     "one_benefit unknown",
    "child_order": "first second third_or_later unknown",
    "mother_circumstances": "poor_social_network insecure_parenting language_or_culture "
                            "single_parenthood postnatal_depression health_problems "
                            "relationship_problems undocumented other",
    "baby_circumstances": "incubator multiple_birth excessive_crying disability sleep_problems "
                          "feeding_problems other",
    "mother_end_reason": "completed sufficient_progress no_longer_needed no_time moved found_job "
                         "started_education no_match referred unreachable other unknown",
    "volunteer_end_reason": "no_time own_problems found_job moved started_education "
                            "agreements_not_kept other_volunteer_work illness pregnancy "
                            "expectations_not_met other unknown",
    "work_experience": "care education administrative commercial volunteer_work other",
    "financing": "jgz_custom_funds municipal_subsidy jgz_budget other",
    "variant": "regular home_start boekenpret",
    "reimbursement": "travel_costs fixed_per_mother_month fixed_per_visit phone_costs "
                     "childcare_costs gift none",
    "group_activities": "meeting_groups mother_baby_groups social_media other",
}


def test_it_holds_every_item_and_code_of_the_data_standard(capsys):
    call_command("codebook", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    items = {item["item"]: [c["code"] for c in item["codes"]] for item in data["items"]}
    for item, codes in EXPECTED.items():
        assert items[item] == codes.split(), item
    assert items["yes_no"] == ["yes", "no", "unknown"]


@pytest.mark.skipif(not SPEC.exists(), reason="shared spec not beside the repository")
def test_it_agrees_with_every_code_written_in_the_spec_table():
    table = SPEC.read_text(encoding="utf-8").split("## Codebook (current)")[1].split("##")[0]
    spec_codes = set(re.findall(r"`([a-z0-9_]+)`", table))
    ours = {code for book in codebooks.CODEBOOKS for item in book.items.values()
            for code in [item.name, *item.code_list]}
    site_facts = {"coordinator_hours", "volunteer_agreement", "vog_required", "target_group"}
    ours |= {"yes", "no", "ja", "nee", "end_reason"} | site_facts
    assert spec_codes - ours == set()


def test_it_labels_every_code_in_dutch_and_english():
    for item in codebooks.CURRENT.items.values():
        for code in item.codes:
            assert code.nl and code.en, (item.name, code.code)


@pytest.mark.parametrize(("year", "version"), [(2004, "2008"), (2009, "2008"), (2010, "2010"),
                                               (2025, "2010")])
def test_it_picks_the_version_in_force_for_the_year(year, version):
    assert codebooks.for_year(year).version == version


@pytest.mark.parametrize("year", [1999, 2003, 3000])
def test_it_refuses_an_unknown_year_with_exit_1(year):
    with pytest.raises(CommandError) as excinfo:
        call_command("codebook", "--year", str(year))
    assert excinfo.value.returncode == 1
    assert str(year) in str(excinfo.value)


def test_it_uses_the_2008_income_and_circumstance_lists_for_2008():
    book = codebooks.for_year(2008)
    assert book.codes("income_source") == ["own_income", "joint_income", "benefit",
                                           "partner_income", "unknown"]
    assert book.codes("mother_circumstances") == ["poor_social_network", "single_parenthood",
                                                  "other"]
    assert "sleep_problems" not in book.codes("baby_circumstances")
    assert "unknown" not in book.codes("origin")


@pytest.mark.parametrize(("raw", "code"), [("Dutch", "dutch"), ("NEDERLANDS", "dutch"),
                                           (" turks ", "turkish"), ("", "unknown"),
                                           (None, "unknown"), ("HBO/WO", "hbo")])
def test_it_parses_codes_and_labels_case_insensitively(raw, code):
    item = "education" if raw == "HBO/WO" else "origin"
    assert codebooks.CURRENT.parse(item, raw) == code


@pytest.mark.parametrize(("raw", "code"), [("ja", "yes"), ("Nee", "no"), ("YES", "yes")])
def test_it_accepts_ja_and_nee(raw, code):
    assert codebooks.CURRENT.parse("yes_no", raw) == code


def test_it_parses_multi_answers_separated_by_semicolons():
    book = codebooks.CURRENT
    assert book.parse_multi("baby_circumstances", "huilbaby; Couveuse") == {
        "excessive_crying", "incubator"}
    assert book.parse_multi("baby_circumstances", "") == frozenset()


def test_it_names_the_allowed_values_by_their_labels_in_the_interface_language():
    with pytest.raises(codebooks.InvalidValue,
                       match=r"toegestaan: LBO of lager, MBO, HBO/WO, onbekend\)"):
        codebooks.CURRENT.parse("education", "PhD")
    with translation.override("en"), pytest.raises(
            codebooks.InvalidValue,
            match=r"not a valid value.*allowed: lower vocational or less, .*, unknown\)"):
        codebooks.CURRENT.parse("education", "PhD")


def test_it_maps_old_codes_and_says_where_it_cannot():
    assert crosswalk.to_current("income_source", "own_income") == ("own_income", "unchanged")
    code, note = crosswalk.to_current("income_source", "benefit")
    assert code is None and "split" in note
    assert crosswalk.to_2008("income_source", "two_benefits")[0] == "benefit"
    assert crosswalk.to_2008("income_source", "income_and_benefit")[0] is None
    assert crosswalk.to_2008("mother_circumstances", "postnatal_depression")[0] == "other"


@pytest.mark.parametrize(("age", "group"), [(None, "unknown"), (19, "under_20"),
                                            (20, "20_24"), (24, "20_24"), (39, "35_39"),
                                            (40, "40_plus"), (67, "40_plus")])
def test_it_bands_ages_at_the_boundaries(age, group):
    assert codebooks.age_group(age) == group

"""Nothing is answered for her (issue 11): every coded field of the intake starts empty,
the country of birth comes from one list for form and file, and records that look like a
skipped form of before are listed for review."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from mim.organisations.services import organisation_year_save
from mim.registry.models import Mother, Volunteer
from mim.spreadsheets.reading import Upload
from mim.spreadsheets.services import records_export, records_import
from tests.factories import MotherFactory, VolunteerFactory

from .conftest import mother_form, volunteer_form

MOTHER_CODED = ("origin", "education", "household", "income_source", "child_order",
                "pregnant_at_start")
VOLUNTEER_CODED = ("origin", "education", "former_mim_mother", "agreement_signed")


def _url(name, site="site-a", **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": site, **kwargs})


def _selected(form, name):
    return [value for value, _label in form.fields[name].choices
            if str(form[name].value() or "") == str(value)]


@pytest.mark.parametrize(("kind", "coded"), [("mother", MOTHER_CODED),
                                             ("volunteer", VOLUNTEER_CODED)])
def test_it_opens_every_coded_field_on_kies(coordinator, kind, coded):
    response = coordinator.get(_url(f"{kind}_create"))
    form = response.context["form"]
    html = response.content.decode()
    for name in coded:
        assert form.fields[name].choices[0] == ("", "— kies —"), name
        assert _selected(form, name) == [""], name
        assert not form.fields[name].required
    assert html.count('<option value="" selected>— kies —</option>') >= len(coded)


def test_it_stores_unknown_for_every_question_left_empty(world, coordinator):
    response = coordinator.post(_url("mother_create"),
                                {"ref": "M0200", "start_date": "2025-03-03"})
    assert response.status_code == 302
    mother = Mother.objects.get(ref="M0200")
    assert [getattr(mother, name) for name in MOTHER_CODED] == ["unknown"] * 6
    assert mother.country_of_birth == ""
    response = coordinator.post(_url("volunteer_create"),
                                {"ref": "V0200", "start_date": "2025-03-03"})
    volunteer = Volunteer.objects.get(ref="V0200")
    assert [getattr(volunteer, name) for name in VOLUNTEER_CODED] == ["unknown"] * 4


def test_it_stores_unknown_when_she_chooses_onbekend_and_the_answer_when_she_gives_one(
        coordinator):
    coordinator.post(_url("mother_create"), mother_form(origin="unknown", household="single"))
    mother = Mother.objects.get(ref="M0100")
    assert (mother.origin, mother.household) == ("unknown", "single")


def test_it_requires_the_reference_and_the_start_date_only(coordinator):
    response = coordinator.post(_url("mother_create"), {"origin": "dutch"})
    assert set(response.context["form"].errors) == {"ref", "start_date"}
    assert not Mother.objects.exists()


def test_it_shows_what_is_stored_when_editing_unknown_included(world, coordinator):
    mother = MotherFactory(site=world.site_a, origin="unknown", household="single")
    form = coordinator.get(_url("mother_edit", pk=mother.pk)).context["form"]
    assert _selected(form, "origin") == ["unknown"]
    assert _selected(form, "household") == ["single"]


def test_it_offers_the_countries_by_their_dutch_name(coordinator):
    html = coordinator.get(_url("mother_create")).content.decode()
    assert '<option value="TR">Turkije</option>' in html
    assert '<option value="MA">Marokko</option>' in html


def test_it_offers_the_countries_in_english_in_the_english_interface(coordinator):
    coordinator.cookies["django_language"] = "en"
    html = coordinator.get(_url("mother_create"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="TR">' in html and ">Morocco</option>" in html


def test_it_refuses_a_country_that_is_not_in_the_list(coordinator):
    response = coordinator.post(_url("mother_create"), mother_form(country_of_birth="TU"))
    assert "country_of_birth" in response.context["form"].errors
    assert not Mother.objects.exists()


def test_it_keeps_a_wrong_stored_country_visible_and_refuses_to_save_it(world, coordinator):
    mother = MotherFactory(site=world.site_a, ref="M0001", country_of_birth="TU",
                           start_date=dt.date(2025, 1, 6))
    form = coordinator.get(_url("mother_edit", pk=mother.pk)).context["form"]
    assert _selected(form, "country_of_birth") == ["TU"]
    response = coordinator.post(_url("mother_edit", pk=mother.pk), mother_form(
        ref="M0001", start_date="2025-01-06", version=mother.version, country_of_birth="TU"))
    assert response.context["form"].errors["country_of_birth"] == ["Kies een land uit de lijst."]
    mother.refresh_from_db()
    assert mother.version == 1


def test_it_names_the_reference_of_a_double_in_plain_dutch(world, coordinator):
    MotherFactory(site=world.site_a, ref="M0123")
    response = coordinator.post(_url("mother_create"), mother_form(ref="M0123"))
    assert response.context["form"].errors["ref"] == [
        "Er is al een moeder met referentie M0123 op deze locatie."]
    VolunteerFactory(site=world.site_a, ref="V0123")
    response = coordinator.post(_url("volunteer_create"), volunteer_form(ref="V0123"))
    assert response.context["form"].errors["ref"] == [
        "Er is al een vrijwilliger met referentie V0123 op deze locatie."]


def test_it_reimports_its_own_export_of_what_the_web_form_stored(world, coordinator):
    # Every kind of answer the form can give: a country, unknowns, circumstances.
    coordinator.post(_url("mother_create"), mother_form(country_of_birth="TR"))
    coordinator.post(_url("mother_create"), {"ref": "M0200", "start_date": "2025-03-03"})
    coordinator.post(_url("volunteer_create"), volunteer_form())
    assert Mother.objects.count() == 2 and Volunteer.objects.count() == 1
    out = io.BytesIO()
    records_export(site=world.site_a, out=out)
    result = records_import(site=world.site_a, uploads=[Upload("export.xlsx", out.getvalue())])
    assert result.ok, [str(p) for p in result.problems]
    assert {label: (n.created, n.updated) for label, n in result.counts.items()} == {
        "mothers": (0, 0), "volunteers": (0, 0), "matches": (0, 0), "visits": (0, 0),
        "assessments": (0, 0)}
    assert Mother.objects.get(ref="M0100").country_of_birth == "TR"


# Records that look defaulted -------------------------------------------------------------

def _defaulted_mother(site, ref, **changes):
    values = {"origin": "dutch", "education": "lbo_or_lower", "household": "cohabiting",
              "income_source": "partner_income", "child_order": "first",
              "pregnant_at_start": "yes", **changes}
    return MotherFactory(site=site, ref=ref, **values)


def test_it_lists_the_records_whose_answers_all_are_the_first_choice(world, coordinator):
    _defaulted_mother(world.site_a, "M-DEFAULT")
    _defaulted_mother(world.site_a, "M-REAL", household="single")
    _defaulted_mother(world.site_a, "M-2008", start_date=dt.date(2008, 5, 1))  # 2008's first
    _defaulted_mother(world.site_a, "M-2008-OWN", start_date=dt.date(2008, 5, 1),
                      income_source="own_income")
    _defaulted_mother(world.site_b, "M-ELSEWHERE")
    VolunteerFactory(site=world.site_a, ref="V-DEFAULT", origin="dutch",
                     education="lbo_or_lower", former_mim_mother="yes", agreement_signed="yes")
    VolunteerFactory(site=world.site_a, ref="V-REAL", origin="dutch",
                     education="lbo_or_lower", former_mim_mother="no", agreement_signed="yes")
    page = coordinator.get(_url("mother_list"), {"status": "defaulted"})
    assert [m.ref for m in page.context["page"]] == ["M-2008-OWN", "M-DEFAULT"]
    assert "Kijk de antwoorden na" in page.content.decode()
    page = coordinator.get(_url("volunteer_list"), {"status": "defaulted"})
    assert [v.ref for v in page.context["page"]] == ["V-DEFAULT"]
    home = coordinator.get("/").content.decode()
    assert "?status=defaulted" in home


def test_it_takes_a_record_off_the_list_once_she_saved_it_through_the_empty_form(
        world, coordinator):
    mother = _defaulted_mother(world.site_a, "M0001", start_date=dt.date(2025, 1, 6))
    form = coordinator.get(_url("mother_edit", pk=mother.pk)).context["form"]
    assert _selected(form, "origin") == ["dutch"]  # shown as stored, for her to check
    # She confirms every answer as it is: it was right after all.
    response = coordinator.post(_url("mother_edit", pk=mother.pk), mother_form(
        ref="M0001", start_date="2025-01-06", version=mother.version, birth_year="",
        origin="dutch", education="lbo_or_lower", household="cohabiting",
        income_source="partner_income", child_order="first", pregnant_at_start="yes"))
    assert response.status_code == 302
    page = coordinator.get(_url("mother_list"), {"status": "defaulted"})
    assert not page.context["page"].object_list
    # Registered through the empty form with the first choices, she chose them herself.
    coordinator.post(_url("mother_create"), mother_form(
        ref="M0300", origin="dutch", education="lbo_or_lower", household="cohabiting",
        income_source="partner_income", child_order="first", pregnant_at_start="yes"))
    assert Mother.objects.filter(ref="M0300").exists()
    assert not coordinator.get(_url("mother_list"), {"status": "defaulted"}).context[
        "page"].object_list


def test_it_lists_a_country_typed_before_the_list_existed(world, coordinator):
    MotherFactory(site=world.site_a, ref="M-TU", origin="turkish", country_of_birth="TU")
    MotherFactory(site=world.site_a, ref="M-TR", origin="turkish", country_of_birth="TR")
    page = coordinator.get(_url("mother_list"), {"status": "defaulted"})
    assert [m.ref for m in page.context["page"]] == ["M-TU"]


def test_it_shows_no_review_card_when_nothing_looks_defaulted(world, coordinator):
    MotherFactory(site=world.site_a, origin="unknown")
    assert "?status=defaulted" not in coordinator.get("/").content.decode()


def test_it_prints_the_records_to_review_per_site(world, capsys):
    _defaulted_mother(world.site_a, "M-DEFAULT")
    _defaulted_mother(world.site_b, "M-B")
    call_command("defaulted-records", "--site", "site-a")
    out = capsys.readouterr().out
    assert "site-a mothers: 1 to review: M-DEFAULT" in out and "M-B" not in out
    assert out.strip().endswith("1 record(s) to review")


# Contradictory choices -------------------------------------------------------------------

def test_it_refuses_geen_vergoeding_beside_another_reimbursement(world):
    with pytest.raises(ValidationError) as error:
        organisation_year_save(organisation=world.site_a.organisation, year=2025,
                               reimbursement=["travel_costs", "none"])
    assert error.value.message_dict == {
        "reimbursement": ["'geen vergoeding' kan niet samen met een andere keuze."]}
    assert organisation_year_save(organisation=world.site_a.organisation, year=2025,
                                  reimbursement=["none"]).reimbursement == ["none"]

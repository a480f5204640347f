import datetime as dt

from django.urls import reverse

from mim.registry.models import Mother, MotherContact
from tests.factories import MatchFactory, MotherFactory, VisitFactory, answer

from .conftest import mother_form


def _url(name, **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": "site-a", **kwargs})


def test_it_registers_a_mother_with_circumstances_and_contact_details_apart(world, coordinator):
    response = coordinator.post(_url("mother_create"), mother_form())
    mother = Mother.objects.get(ref="M0100")
    assert response.status_code == 302
    assert mother.country_of_birth == "MA"
    answers = set(mother.answers.values_list("item", "code"))
    assert answers == {("mother_circumstances", "language_or_culture"),
                       ("mother_circumstances", "poor_social_network"),
                       ("baby_circumstances", "excessive_crying")}
    contact = MotherContact.objects.get(mother=mother)
    assert (contact.name, contact.postcode, contact.email) == (
        "Amina Testmoeder", "1234 AB", "amina@example.org")


def test_it_groups_the_circumstances_as_checkboxes_under_a_legend(coordinator):
    html = coordinator.get(_url("mother_create")).content.decode()
    assert "<legend>Omstandigheden moeder</legend>" in html
    assert "<legend>Omstandigheden baby</legend>" in html
    assert 'value="excessive_crying"' in html and ">huilbaby</label>" in html


def test_it_validates_against_the_codebook_of_the_start_year(coordinator):
    # `benefit` existed in 2008 only; a 2025 intake cannot use it
    response = coordinator.post(_url("mother_create"), mother_form(income_source="benefit"))
    assert response.status_code == 200
    assert not Mother.objects.exists()


def test_it_gives_cross_field_errors_a_place_on_the_form(coordinator):
    response = coordinator.post(_url("mother_create"), mother_form(birth_year="2019"))
    form = response.context["form"]
    assert "birth_year" in form.errors


def test_it_edits_contact_details_on_the_same_page_but_stores_them_apart(world, coordinator,
                                                                         mother):
    url = _url("mother_edit", pk=mother.pk)
    response = coordinator.post(url, mother_form(ref="M0001", start_date="2025-01-06",
                                                 version=mother.version, phone="010-1234567",
                                                 mother_circumstances=[]))
    assert response.status_code == 302
    assert MotherContact.objects.get(mother=mother).phone == "010-1234567"
    assert not mother.answers.filter(item="mother_circumstances").exists()


def test_it_shows_the_18_month_clock(world, coordinator):
    mother = MotherFactory(site=world.site_a, start_date=dt.date(2024, 3, 20))
    html = coordinator.get(_url("mother_detail", pk=mother.pk)).content.decode()
    assert "Maand 14 van 18." in html
    assert "Loopt af op 20 september 2025." in html


def test_it_lists_mothers_with_search_and_filters(world, coordinator, volunteer):
    matched = MotherFactory(site=world.site_a, ref="M-MATCHED", start_date=dt.date(2025, 1, 6))
    MatchFactory(mother=matched, volunteer=volunteer, start_date=dt.date(2025, 1, 10))
    unmatched = MotherFactory(site=world.site_a, ref="M-ALONE", start_date=dt.date(2025, 4, 1))
    MotherContact.objects.create(mother=unmatched, name="Sara Jansen")
    old = MotherFactory(site=world.site_a, ref="M-OLD", start_date=dt.date(2023, 11, 1))
    MatchFactory(mother=old, volunteer=volunteer, start_date=dt.date(2023, 11, 10))
    VisitFactory(mother=old, date=dt.date(2025, 6, 1))
    ended = MotherFactory(site=world.site_a, ref="M-ENDED", end_date=dt.date(2025, 2, 1),
                          end_reason="moved")
    MotherFactory(site=world.site_b, ref="M-ELSEWHERE")

    def refs(**params):
        return [m.ref for m in coordinator.get(_url("mother_list"), params).context["page"]]

    assert refs(status="all") == ["M-ALONE", "M-ENDED", "M-MATCHED", "M-OLD"]
    assert refs() == refs(status="active")  # the running ones first
    assert refs(q="jansen") == ["M-ALONE"]
    assert refs(status="active") == ["M-ALONE", "M-MATCHED", "M-OLD"]
    assert refs(status="ended") == [ended.ref]
    assert refs(status="unmatched") == ["M-ALONE"]
    assert refs(status="past_clock") == ["M-OLD"]
    # matched since January, never visited
    assert refs(status="overdue") == ["M-MATCHED"]
    row = coordinator.get(_url("mother_list"), {"q": "M-OLD"}).context["page"][0]
    assert (row.volunteer_ref, row.last_visit) == ("V0001", dt.date(2025, 6, 1))


def test_it_proposes_completed_for_mothers_past_18_months_and_closes_after_confirmation(
        world, coordinator, volunteer):
    due = MotherFactory(site=world.site_a, ref="M-DUE", start_date=dt.date(2023, 11, 1))
    match = MatchFactory(mother=due, volunteer=volunteer, start_date=dt.date(2023, 11, 10))
    MotherFactory(site=world.site_a, ref="M-NOT-YET", start_date=dt.date(2024, 12, 1))
    listing = coordinator.get(_url("mothers_to_close"))
    assert [m.ref for m in listing.context["page"]] == ["M-DUE"]
    confirm = coordinator.get(_url("mother_complete", pk=due.pk))
    assert "programma afgerond (18 maanden)" in confirm.content.decode()
    assert confirm.context["form"].initial["end_date"] == dt.date(2025, 5, 1)
    response = coordinator.post(_url("mother_complete", pk=due.pk), {
        "end_date": "2025-05-01", "version": due.version})
    assert response.status_code == 302
    due.refresh_from_db()
    match.refresh_from_db()
    assert (due.end_date, due.end_reason) == (dt.date(2025, 5, 1), "completed")
    assert match.end_date == dt.date(2025, 5, 1)
    assert not coordinator.get(_url("mothers_to_close")).context["page"].object_list


def test_it_ends_a_mother_with_a_reason(world, coordinator, mother):
    html = coordinator.get(_url("mother_end", pk=mother.pk)).content.decode()
    assert "doorverwezen naar professionele hulp" in html
    response = coordinator.post(_url("mother_end", pk=mother.pk), {
        "end_date": "2025-06-10", "end_reason": "referred", "version": mother.version})
    assert response.status_code == 302
    mother.refresh_from_db()
    assert mother.end_reason == "referred"


def test_it_refuses_an_end_date_in_the_future(world, coordinator, mother):
    response = coordinator.post(_url("mother_end", pk=mother.pk), {
        "end_date": "2025-07-10", "end_reason": "moved", "version": mother.version})
    assert response.status_code == 200
    mother.refresh_from_db()
    assert mother.end_date is None


def test_it_shows_labels_not_codes_on_the_detail_page(world, coordinator, mother):
    answer(mother, "baby_circumstances", "incubator")
    html = coordinator.get(_url("mother_detail", pk=mother.pk)).content.decode()
    assert "couveuse" in html and "samenwonend of gehuwd" in html

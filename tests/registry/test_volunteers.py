import datetime as dt

from django.urls import reverse

from mim.registry.models import Volunteer, VolunteerContact
from tests.factories import MatchFactory, VolunteerFactory, volunteer_answer

from .conftest import volunteer_form


def _url(name, **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": "site-a", **kwargs})


def test_it_registers_a_volunteer_with_work_experience_and_contact_details(world, coordinator):
    response = coordinator.post(_url("volunteer_create"), volunteer_form())
    volunteer = Volunteer.objects.get(ref="V0100")
    assert response.status_code == 302
    assert response["Location"] == _url("volunteer_detail", pk=volunteer.pk)
    assert volunteer.site == world.site_a and volunteer.origin == "moroccan"
    assert set(volunteer.answers.values_list("code", flat=True)) == {"care", "volunteer_work"}
    assert volunteer.contact.name == "Fatima Vrijwilliger"
    assert volunteer.version == 1


def test_it_offers_the_codebooks_choices_with_dutch_labels_and_checkboxes(coordinator):
    html = coordinator.get(_url("volunteer_create")).content.decode()
    assert '<option value="moroccan">Marokkaans</option>' in html
    assert 'type="checkbox" name="work_experience" value="care"' in html
    assert "<legend>Werkervaring</legend>" in html
    assert "<legend>Contactgegevens</legend>" in html


def test_it_shows_errors_in_a_summary_and_keeps_the_input(coordinator):
    response = coordinator.post(_url("volunteer_create"),
                                volunteer_form(birth_year="2020", origin="martian"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Fatima Vrijwilliger"' in html
    assert not Volunteer.objects.exists()


def test_it_refuses_a_ref_that_the_site_already_uses(world, coordinator, volunteer):
    response = coordinator.post(_url("volunteer_create"), volunteer_form(ref="V0001"))
    assert response.status_code == 200
    assert Volunteer.objects.filter(ref="V0001").count() == 1


def test_it_edits_a_volunteer_and_her_work_experience(world, coordinator, volunteer):
    volunteer_answer(volunteer, "commercial")
    url = _url("volunteer_edit", pk=volunteer.pk)
    form = coordinator.get(url).context["form"]
    assert form.initial["work_experience"] == ["commercial"]
    response = coordinator.post(url, volunteer_form(ref="V0001", version=volunteer.version,
                                                    work_experience=["education"]))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.version == 2
    assert list(volunteer.answers.values_list("code", flat=True)) == ["education"]
    assert VolunteerContact.objects.get(volunteer=volunteer).phone == "06-87654321"


def test_it_flags_a_missing_or_old_vog_for_renewal(world, coordinator):
    fresh = VolunteerFactory(site=world.site_a, ref="V-FRESH", vog_date=dt.date(2023, 1, 10))
    old = VolunteerFactory(site=world.site_a, ref="V-OLD", vog_date=dt.date(2022, 6, 16))
    missing = VolunteerFactory(site=world.site_a, ref="V-NONE", vog_date=None)
    VolunteerFactory(site=world.site_a, ref="V-GONE", vog_date=None,
                     end_date=dt.date(2025, 1, 1), end_reason="moved")
    page = coordinator.get(_url("volunteer_list"), {"status": "vog_due"}).context["page"]
    assert [v.ref for v in page] == [missing.ref, old.ref]
    html = coordinator.get(_url("volunteer_detail", pk=old.pk)).content.decode()
    assert "Ouder dan drie jaar" in html
    html = coordinator.get(_url("volunteer_detail", pk=fresh.pk)).content.decode()
    assert "Vernieuwen vóór 10 januari 2026" in html


def test_it_searches_by_ref_and_name_and_filters_active_and_stopped(world, coordinator):
    a = VolunteerFactory(site=world.site_a, ref="V-ANNA")
    VolunteerContact.objects.create(volunteer=a, name="Anna de Boer")
    b = VolunteerFactory(site=world.site_a, ref="V-B", end_date=dt.date(2025, 1, 1),
                         end_reason="moved")
    VolunteerFactory(site=world.site_b, ref="V-ANNA-ELSEWHERE")

    def refs(**params):
        return [v.ref for v in coordinator.get(_url("volunteer_list"), params).context["page"]]

    assert refs(q="boer") == ["V-ANNA"]
    assert refs(q="v-an") == ["V-ANNA"]
    assert refs(status="active") == ["V-ANNA"]
    assert refs(status="stopped") == [b.ref]
    assert refs(status="all") == ["V-ANNA", "V-B"]
    assert refs() == ["V-ANNA"]


def test_it_ends_a_volunteer_with_a_reason_and_ends_her_matches(world, coordinator, volunteer):
    match = MatchFactory(volunteer=volunteer, mother__site=world.site_a,
                         start_date=dt.date(2025, 2, 1))
    response = coordinator.post(_url("volunteer_end", pk=volunteer.pk), {
        "end_date": "2025-06-01", "end_reason": "moved", "version": volunteer.version})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    match.refresh_from_db()
    assert (volunteer.end_date, volunteer.end_reason) == (dt.date(2025, 6, 1), "moved")
    assert match.end_date == dt.date(2025, 6, 1)


def test_it_refuses_an_end_before_a_running_match_began(world, coordinator, volunteer):
    MatchFactory(volunteer=volunteer, mother__site=world.site_a, start_date=dt.date(2025, 5, 1))
    response = coordinator.post(_url("volunteer_end", pk=volunteer.pk), {
        "end_date": "2025-04-01", "end_reason": "moved", "version": volunteer.version})
    assert response.status_code == 200
    assert "koppeling" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.end_date is None


def test_it_shows_each_volunteers_current_load(world, coordinator, volunteer):
    MatchFactory.create_batch(2, volunteer=volunteer, mother__site=world.site_a)
    MatchFactory(volunteer=volunteer, mother__site=world.site_a, end_date=dt.date(2025, 1, 1))
    page = coordinator.get(_url("volunteer_list")).context["page"]
    assert [(v.ref, v.load) for v in page] == [("V0001", 2)]

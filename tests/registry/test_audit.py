"""The access log (security guide E1, E2): every view, change and export of a record."""

import datetime as dt

import pytest
from django.urls import reverse

from mim.audit.models import AuditEntry
from mim.audit.services import audit_record
from mim.registry.models import Mother
from tests.factories import MatchFactory

from .conftest import mother_form, volunteer_form


def _url(name, **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": "site-a", **kwargs})


def test_it_logs_one_entry_with_who_when_where_and_for_whom_when_a_record_is_opened(
        world, coordinator, mother):
    coordinator.get(_url("mother_detail", pk=mother.pk), REMOTE_ADDR="192.0.2.7")
    (entry,) = AuditEntry.objects.exclude(event="login")  # the login itself is logged too
    assert (entry.event, entry.user, entry.username, entry.client, entry.on_behalf_of,
            entry.site_id, entry.object_type, entry.object_ref) == (
        "view", world.coordinator_a, "coord_a", "192.0.2.7", "site-a", world.site_a.pk,
        "mother", "M0001")
    assert entry.at.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("name", ["mother_edit", "volunteer_edit"])
def test_it_logs_the_display_of_an_edit_form(world, coordinator, mother, volunteer, name):
    pk = mother.pk if name == "mother_edit" else volunteer.pk
    coordinator.get(_url(name, pk=pk))
    assert AuditEntry.objects.filter(event="view", detail="edit form").count() == 1


def test_it_logs_changes_with_field_names_and_never_values(world, coordinator, mother):
    coordinator.post(_url("mother_edit", pk=mother.pk), mother_form(
        ref="M0001", start_date="2025-01-06", version=mother.version))
    entry = AuditEntry.objects.get(event="update")
    assert "origin" in entry.detail and "contact.phone" in entry.detail
    assert "moroccan" not in entry.detail and "06-12345678" not in entry.detail


def test_it_keeps_every_personal_value_out_of_the_log_through_a_whole_flow(world, coordinator):
    coordinator.post(_url("volunteer_create"), volunteer_form())
    coordinator.post(_url("mother_create"), mother_form())
    mother = Mother.objects.get(ref="M0100")
    volunteer = mother.site.volunteers.get()
    coordinator.post(_url("mother_match", pk=mother.pk), {"volunteer": volunteer.pk,
                                                          "start_date": "2025-03-10"})
    coordinator.post(_url("visit_create", pk=mother.pk), {"date": "2025-04-01",
                                                          "note": "Huilbaby, moeder uitgeput"})
    coordinator.get(_url("mother_export", pk=mother.pk))
    coordinator.post(_url("mother_end", pk=mother.pk), {"end_date": "2025-06-01",
                                                        "end_reason": "moved",
                                                        "version": Mother.objects.get().version})
    forbidden = ["moroccan", "Marokkaans", "Amina", "Dorpsstraat", "1234 AB", "06-1234",
                 "amina@", "Huilbaby", "uitgeput", "language_or_culture", "1996", "Fatima",
                 "joint_income", "excessive_crying", "moved"]
    text = " ".join(" ".join(str(v) for v in row) for row in AuditEntry.objects.values_list())
    assert [word for word in forbidden if word in text] == []
    events = list(AuditEntry.objects.order_by("id").values_list("event", "object_ref"))
    assert ("export", "M0100") in events and ("create", "V0100") in events


def test_it_lets_the_coordinator_read_her_sites_log_filtered_by_ref(world, coordinator, mother):
    for _ in range(3):
        audit_record(event="view", user=world.coordinator_a, obj=mother)
    audit_record(event="view", user=world.coordinator_a, site=world.site_a,
                 object_type="mother", object_ref="M0999")
    audit_record(event="view", user=world.coordinator_b, site=world.site_b,
                 object_type="mother", object_ref="M0001")
    response = coordinator.get(_url("audit_log"))
    assert response.context["page"].paginator.count == 4
    response = coordinator.get(_url("audit_log"), {"ref": "m0001"})
    assert [e.object_ref for e in response.context["page"]] == ["M0001"] * 3
    assert "coord_b" not in response.content.decode()


def test_it_paginates_the_log(world, coordinator, mother):
    for _ in range(55):
        audit_record(event="view", user=world.coordinator_a, obj=mother)
    first = coordinator.get(_url("audit_log"))
    assert len(first.context["page"]) == 50
    assert len(coordinator.get(_url("audit_log"), {"pagina": 2}).context["page"]) == 5


def test_it_logs_the_matches_that_ending_a_person_closes(world, coordinator, mother, volunteer):
    MatchFactory(mother=mother, volunteer=volunteer, start_date=dt.date(2025, 1, 10))
    coordinator.post(_url("volunteer_end", pk=volunteer.pk), {
        "end_date": "2025-06-01", "end_reason": "moved", "version": volunteer.version})
    assert AuditEntry.objects.filter(object_type="mother", object_ref="M0001",
                                     detail="fields: match.end_date").exists()



# --- found in review: the log about one person must find every page and file that showed her --


def test_it_logs_an_erased_volunteer_on_each_mother_whose_record_the_erasure_changes(world,
                                                                                    login):
    import datetime as dt

    from mim.registry.models import Visit
    from mim.registry.selectors import audit_about
    from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory

    mother = MotherFactory(site=world.site_a, ref="M0001", start_date=dt.date(2024, 3, 1))
    volunteer = VolunteerFactory(site=world.site_a, ref="V0001")
    MatchFactory(mother=mother, volunteer=volunteer, site=world.site_a,
                 start_date=dt.date(2024, 3, 15))
    VisitFactory(mother=mother, volunteer=volunteer, date=dt.date(2024, 4, 1))
    client = login(world.coordinator_a)
    url = reverse("registry:volunteer_erase", kwargs={"site_code": "site-a", "pk": volunteer.pk})
    assert client.post(url).status_code == 302
    assert Visit.objects.get(mother=mother).volunteer_id is None
    assert sorted(e.detail for e in audit_about(mother)) == [
        "fields: matches (the volunteer erased)", "fields: visits.volunteer (the volunteer erased)"]


def test_it_logs_an_erased_mother_on_her_volunteer(world, login):
    import datetime as dt

    from mim.registry.selectors import audit_about
    from tests.factories import MatchFactory, MotherFactory, VolunteerFactory

    mother = MotherFactory(site=world.site_a, ref="M0001", start_date=dt.date(2024, 3, 1))
    volunteer = VolunteerFactory(site=world.site_a, ref="V0001")
    MatchFactory(mother=mother, volunteer=volunteer, site=world.site_a,
                 start_date=dt.date(2024, 3, 15))
    client = login(world.coordinator_a)
    url = reverse("registry:mother_erase", kwargs={"site_code": "site-a", "pk": mother.pk})
    assert client.post(url).status_code == 302
    assert [e.detail for e in audit_about(volunteer)] == ["fields: matches (the mother erased)"]


def test_it_finds_every_list_file_and_api_page_that_showed_a_person_in_her_own_log(
        world, login):
    """Sixty mothers with long refs: a list's own entry names only as many as fit, so each
    record a list, an xlsx, the site's export or an API page showed gets an entry of its own,
    and her subject-access report and the log filtered by her ref find them all."""
    import datetime as dt
    import json

    from mim.api.services import api_token_create
    from tests.factories import MotherFactory

    mothers = [MotherFactory(site=world.site_a, ref=f"AMSTERDAM-NOORD-2024-{n:04d}",
                             start_date=dt.date(2024, 3, 1)) for n in range(60)]
    last = mothers[-1]
    client = login(world.coordinator_a)
    lists = reverse("registry:mother_list", kwargs={"site_code": "site-a"})
    assert client.get(lists, {"formaat": "xlsx", "status": "all"}).status_code == 200
    assert client.get(reverse("spreadsheets:export", kwargs={"code": "site-a"})
                      ).status_code == 200
    _token, raw = api_token_create(user=world.coordinator_a, name="t")
    assert client.get("/api/v1/sites/site-a/mothers",
                      HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    for number in (1, 2):  # fifty a page: she is on one of them
        assert client.get(lists, {"status": "all", "pagina": number}).status_code == 200
    report = json.loads(client.get(reverse("registry:mother_export", kwargs={
        "site_code": "site-a", "pk": last.pk})).content)
    details = [e["detail"] for e in report["audit"]]
    assert details[:3] == ["shown: list all: xlsx", "shown: records export",
                           "shown: records via API, page 1"]
    assert details[3] in ("shown: list all, page 1", "shown: list all, page 2")
    page = client.get(reverse("registry:audit_log", kwargs={"site_code": "site-a"}),
                      {"ref": last.ref}).context["page"]
    assert {e.event for e in page} >= {"export", "view"}


def test_it_logs_an_imported_match_on_the_mother_and_the_volunteer(world):
    import datetime as dt

    from mim.registry.selectors import audit_about
    from mim.spreadsheets.services import Upload, records_import
    from tests.factories import MotherFactory, VolunteerFactory

    mother = MotherFactory(site=world.site_a, ref="M0001", start_date=dt.date(2024, 3, 1))
    volunteer = VolunteerFactory(site=world.site_a, ref="V0001", start_date=dt.date(2022, 1, 10))
    csv = b"mother_ref,volunteer_ref,start_date,end_date\nM0001,V0001,2024-03-15,\n"
    result = records_import(site=world.site_a, uploads=[Upload("matches.csv", csv)],
                            user=world.coordinator_a)
    assert result.ok and result.written, [str(p) for p in result.problems]
    assert [e.detail for e in audit_about(mother)] == ["import: match"]
    assert [e.detail for e in audit_about(volunteer)] == ["import: match"]

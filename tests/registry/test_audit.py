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


"""Subject access, erasure and retention (GDPR Art. 15, 17, 5(1)(e))."""

import datetime as dt
import io
import json
import os
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from mim.audit.models import AuditEntry
from mim.registry.models import (
    Match,
    Mother,
    MotherAnswer,
    MotherContact,
    Visit,
    Volunteer,
    VolunteerAnswer,
    VolunteerContact,
)
from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory, answer


def _url(name, **kwargs):
    return reverse(f"registry:{name}", kwargs={"site_code": "site-a", **kwargs})


@pytest.fixture
def full_mother(mother, volunteer):
    MotherContact.objects.create(mother=mother, name="=HYPERLINK(\"http://x\")", phone="06-1")
    answer(mother, "mother_circumstances", "undocumented")
    MatchFactory(mother=mother, volunteer=volunteer, start_date=dt.date(2025, 1, 10))
    VisitFactory(mother=mother, volunteer=volunteer, date=dt.date(2025, 2, 1), note="een notitie")
    return mother


def test_it_exports_everything_held_about_a_mother_as_json(world, coordinator, full_mother):
    coordinator.get(_url("mother_detail", pk=full_mother.pk))
    response = coordinator.get(_url("mother_export", pk=full_mother.pk), {"formaat": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="inzage-site-a-M0001.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["record"]["origin"] == {"code": "dutch", "label": "Nederlands"}
    assert data["contact"]["phone"] == "06-1"
    assert data["answers"]["mother_circumstances"] == ["undocumented"]
    assert data["matches"][0]["volunteer"] == "V0001"
    assert data["visits"][0] == {"date": "2025-02-01", "note": "een notitie", "volunteer": "V0001"}
    assert [e["event"] for e in data["audit"]] == ["view"]
    assert AuditEntry.objects.filter(event="export", object_ref="M0001",
                                     detail="subject access: json").count() == 1


def test_it_exports_an_xlsx_whose_cells_cannot_act_as_formulas(world, coordinator, full_mother):
    response = coordinator.get(_url("mother_export", pk=full_mother.pk), {"formaat": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["record", "contact", "answers", "matches", "visits", "assessments",
                               "audit"]
    values = [cell.value for row in book["contact"].iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows()
               for cell in row)


def test_it_exports_a_volunteer_too(world, coordinator, volunteer):
    response = coordinator.get(_url("volunteer_export", pk=volunteer.pk))
    assert json.loads(response.content)["record"]["vog_date"] == "2024-02-01"


def test_it_erases_a_mother_with_everything_about_her_and_logs_only_the_ref(
        world, coordinator, full_mother, volunteer):
    other = MotherFactory(site=world.site_a)
    answer(other, "baby_circumstances", "incubator")
    assert coordinator.get(_url("mother_erase", pk=full_mother.pk)).status_code == 200
    response = coordinator.post(_url("mother_erase", pk=full_mother.pk))
    assert response["Location"] == _url("mother_list")
    assert list(Mother.objects.all()) == [other]
    assert not MotherContact.objects.exists()
    assert list(MotherAnswer.objects.values_list("mother", flat=True)) == [other.pk]
    assert not Match.objects.exists() and not Visit.objects.exists()
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
    entry = AuditEntry.objects.get(event="erase")
    assert (entry.object_type, entry.object_ref, entry.detail, entry.on_behalf_of) == (
        "mother", "M0001", "", "site-a")


def test_it_erases_a_volunteer_and_leaves_the_mothers_visits_without_her(
        world, coordinator, full_mother, volunteer):
    VolunteerContact.objects.create(volunteer=volunteer, name="Vera")
    VolunteerAnswer.objects.create(volunteer=volunteer, item="work_experience", code="care")
    coordinator.post(_url("volunteer_erase", pk=volunteer.pk))
    assert not Volunteer.objects.exists() and not VolunteerContact.objects.exists()
    assert not VolunteerAnswer.objects.exists() and not Match.objects.exists()
    assert Visit.objects.get().volunteer is None


def _ended(model, site, ref, end_date):
    factory = MotherFactory if model is Mother else VolunteerFactory
    person = factory(site=site, ref=ref, start_date=dt.date(2020, 1, 6), end_date=end_date,
                     end_reason="moved")
    contact = MotherContact if model is Mother else VolunteerContact
    contact.objects.create(**{model._meta.model_name: person}, name="Naam", phone="06-1")
    return person


def test_it_erases_contact_details_after_the_retention_period(world, capsys):
    _ended(Mother, world.site_a, "M-OLD", dt.date(2023, 6, 16))
    keep = _ended(Mother, world.site_a, "M-RECENT", dt.date(2023, 6, 17))
    _ended(Volunteer, world.site_b, "V-OLD", dt.date(2022, 1, 1))
    running = MotherFactory(site=world.site_a, start_date=dt.date(2020, 1, 6))
    MotherContact.objects.create(mother=running, name="Loopt nog")

    call_command("retention", "--dry-run")
    assert "mothers: 1 would erase" in capsys.readouterr().out
    assert MotherContact.objects.count() == 3 and not AuditEntry.objects.exists()

    call_command("retention")
    out = capsys.readouterr().out
    assert "mothers: 1 erased" in out and "volunteers: 1 erased" in out
    assert set(MotherContact.objects.values_list("mother", flat=True)) == {keep.pk, running.pk}
    assert not VolunteerContact.objects.exists()
    assert Mother.objects.filter(ref="M-OLD").exists()  # the statistics stay
    entries = set(AuditEntry.objects.values_list("event", "object_type", "object_ref",
                                                 "on_behalf_of", "client"))
    assert entries == {("erase", "mother", "M-OLD", "site-a", "cli"),
                       ("erase", "volunteer", "V-OLD", "site-b", "cli")}

    call_command("retention")  # idempotent
    assert "mothers: 0 erased" in capsys.readouterr().out
    assert AuditEntry.objects.count() == 2


def test_it_takes_the_retention_period_from_the_command_line(world, capsys):
    _ended(Mother, world.site_a, "M-RECENT", dt.date(2025, 1, 1))
    call_command("retention", "--months", "3")
    assert "mothers: 1 erased" in capsys.readouterr().out


def test_it_takes_the_default_period_from_the_settings(world, settings, capsys):
    settings.MIM_CONTACT_RETENTION_MONTHS = 6
    _ended(Mother, world.site_a, "M-RECENT", dt.date(2024, 12, 1))
    call_command("retention")
    assert "mothers: 1 erased" in capsys.readouterr().out


def test_it_erases_visit_notes_with_the_contact_details(world, capsys):
    from mim.registry.models import Visit

    old = _ended(Mother, world.site_a, "M-OLD", dt.date(2023, 6, 16))
    recent = _ended(Mother, world.site_a, "M-RECENT", dt.date(2023, 6, 17))
    Visit.objects.create(mother=old, date=dt.date(2023, 5, 1), note="Oma was er ook")
    Visit.objects.create(mother=recent, date=dt.date(2023, 5, 1), note="Gaat goed")
    call_command("retention")
    assert "visit notes: 1 erased" in capsys.readouterr().out
    assert list(Visit.objects.order_by("mother__ref").values_list("note", flat=True)) == [
        "", "Gaat goed"]
    assert Visit.objects.count() == 2  # the visits themselves stay (they are counted)
    call_command("retention")
    assert "visit notes: 0 erased" in capsys.readouterr().out


def test_it_clears_unconfirmed_uploads_past_their_lifetime(db, settings, tmp_path, capsys):
    settings.MIM_UPLOAD_DIR = tmp_path
    stale, fresh = tmp_path / ("a" * 32), tmp_path / ("b" * 32)
    for folder in (stale, fresh):
        folder.mkdir()
        (folder / "mothers.csv").write_text("mother_ref,start_date\n")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    call_command("retention", "--dry-run")
    assert "unconfirmed uploads: 1 would erase" in capsys.readouterr().out
    assert stale.exists()
    call_command("retention")
    assert "unconfirmed uploads: 1 erased" in capsys.readouterr().out
    assert not stale.exists() and fresh.exists()

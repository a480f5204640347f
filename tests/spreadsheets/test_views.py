"""The spreadsheet pages: coordinators of the site only; upload → preview → confirm."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from mim.audit.models import AuditEntry
from mim.audit.services import audited_write
from mim.registry.models import Match, Mother
from mim.spreadsheets import uploads as pending
from mim.spreadsheets.views import MAX_REQUEST_BYTES
from tests.conftest import PERSONAS
from tests.factories import MotherFactory, VolunteerFactory, user_with_role
from tests.spreadsheets.conftest import csv_upload, match_row, mother_row

SITE_URLS = {"site", "export", "template"}
POST_URLS = {"upload", "confirm"}


def test_it_covers_every_spreadsheet_url_in_the_matrix():
    names = {pattern.name for include in get_resolver().url_patterns
             if getattr(include, "namespace", None) == "spreadsheets"
             for pattern in include.url_patterns}
    assert names == {"index"} | SITE_URLS | POST_URLS


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(SITE_URLS | POST_URLS))
def test_it_opens_a_sites_spreadsheets_to_its_coordinators_only(world, login, persona, name):
    client = login(world.persona(persona))
    url = reverse(f"spreadsheets:{name}", args=["site-a"])
    response = client.post(url, {}) if name in POST_URLS else client.get(url)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    elif persona == "coordinator_a":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_sends_a_coordinator_from_the_menu_to_her_site(world, login, persona):
    response = login(world.persona(persona)).get(reverse("spreadsheets:index"))
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona.startswith("coordinator"):
        code = "site-a" if persona == "coordinator_a" else "site-b"
        assert response["Location"] == reverse("spreadsheets:site", args=[code])
    else:
        assert response.status_code == 404


def test_it_lets_a_coordinator_of_several_sites_choose(world, login):
    from mim.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=world.coordinator_a, role="coordinator",
                                  site=world.site_b)
    html = login(world.coordinator_a).get(reverse("spreadsheets:index")).content.decode()
    assert "Locatie A" in html and "Locatie B" in html


def _upload(client, *files, site="site-a"):
    return client.post(reverse("spreadsheets:upload", args=[site]), {"files": list(files)})


def _file(upload):
    return SimpleUploadedFile(upload.name, upload.data)


def test_it_previews_without_writing_and_writes_on_confirmation(world, login):
    client = login(world.coordinator_a)
    MotherFactory(site=world.site_a, ref="M1", household="with_parents")
    response = _upload(client, _file(csv_upload("mothers", [mother_row("M1"),
                                                            mother_row("M2")])))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Controle: dit gaat er veranderen" in html
    assert '<th scope="row">mothers.csv</th><td class="num">1</td><td class="num">1</td>' in html
    assert "<caption>" in html
    assert Mother.objects.filter(site=world.site_a).count() == 1
    token = response.context["token"]
    response = client.post(reverse("spreadsheets:confirm", args=["site-a"]), {"token": token})
    assert response.status_code == 302
    assert Mother.objects.filter(site=world.site_a).count() == 2
    assert AuditEntry.objects.filter(event="import", username="coord_a").exists()
    assert pending.load(token=token, user=world.coordinator_a, site=world.site_a) is None
    html = client.get(response["Location"]).content.decode()
    assert "Ingelezen. mothers.csv: 1 nieuw, 1 gewijzigd." in html


def test_it_shows_every_error_in_an_alert_and_keeps_nothing(world, login, settings):
    client = login(world.coordinator_a)
    response = _upload(client, _file(csv_upload("mothers", [mother_row("M1", origin="x"),
                                                            mother_row("M2", birth_year="19")])))
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Het bestand is niet ingelezen: 2 fouten" in html
    assert "mothers.csv row 2, column origin: &#x27;x&#x27; is geen geldige waarde" in html
    assert "mothers.csv row 3, column birth_year: &#x27;19&#x27; is geen jaartal" in html
    assert response.context["token"] is None
    assert not (settings.MIM_UPLOAD_DIR).exists() or not any(settings.MIM_UPLOAD_DIR.iterdir())
    assert not Mother.objects.exists()


def test_it_refuses_a_hostile_file_with_a_clear_message(world, login):
    client = login(world.coordinator_a)
    png = SimpleUploadedFile("mothers.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    html = _upload(client, png).content.decode()
    assert "mothers.xlsx: dit is geen Excel-werkmap (.xlsx)" in html
    assert 'role="alert"' in html


def test_it_refuses_an_oversized_upload_before_reading_it(world, login):
    client = login(world.coordinator_a)
    response = client.post(reverse("spreadsheets:upload", args=["site-a"]), data=b"",
                           content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH=str(MAX_REQUEST_BYTES + 1))
    assert response.status_code == 413
    assert "De upload is te groot" in response.content.decode()


def test_it_keeps_the_csrf_check_on_uploads(world):
    from tests.conftest import FullyLoggedInClient

    client = FullyLoggedInClient(enforce_csrf_checks=True)
    client.force_login(world.coordinator_a)
    response = _upload(client, _file(csv_upload("mothers", [mother_row("M1")])))
    assert response.status_code == 403


def test_it_binds_the_upload_to_its_user_and_site(world, login):
    colleague = user_with_role("coordinator", "colleague", site=world.site_a)
    client = login(world.coordinator_a)
    token = _upload(client, _file(csv_upload("mothers", [mother_row("M1")]))).context["token"]
    response = login(colleague).post(reverse("spreadsheets:confirm", args=["site-a"]),
                                     {"token": token}, follow=True)
    assert "verlopen of niet (meer) beschikbaar" in response.content.decode()
    assert not Mother.objects.exists()
    for forged in ("../../etc/passwd", "x" * 43, ""):
        assert pending.load(token=forged, user=world.coordinator_a, site=world.site_a) is None


def test_it_cancels_a_pending_upload(world, login):
    client = login(world.coordinator_a)
    token = _upload(client, _file(csv_upload("mothers", [mother_row("M1")]))).context["token"]
    client.post(reverse("spreadsheets:confirm", args=["site-a"]), {"token": token,
                                                                   "cancel": ""})
    assert pending.load(token=token, user=world.coordinator_a, site=world.site_a) is None
    assert not Mother.objects.exists()


def test_it_validates_again_on_confirmation(world, login):
    client = login(world.coordinator_a)
    MotherFactory(site=world.site_a, ref="M1")
    VolunteerFactory(site=world.site_a, ref="V1")
    token = _upload(client, _file(csv_upload("matches", [match_row("M1", "V1")]))).context["token"]
    assert token
    with audited_write():  # someone removes her in between
        Mother.objects.filter(ref="M1").delete()
    response = client.post(reverse("spreadsheets:confirm", args=["site-a"]), {"token": token})
    assert response.status_code == 200
    assert "M1 staat niet in mothers" in response.content.decode()
    assert not Match.objects.exists()


def test_it_downloads_the_sites_records_and_logs_it(world, login):
    MotherFactory(site=world.site_a, ref="A1")
    MotherFactory(site=world.site_b, ref="B1")
    response = login(world.coordinator_a).get(reverse("spreadsheets:export", args=["site-a"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    refs = [row[0] for row in load_workbook(io.BytesIO(response.content))["mothers"].iter_rows(
        min_row=2, values_only=True)]
    assert refs == ["A1"]
    entry = AuditEntry.objects.get(event="export", object_type="records")
    assert (entry.username, entry.site) == ("coord_a", world.site_a)


def test_it_downloads_the_template(world, login):
    response = login(world.coordinator_a).get(reverse("spreadsheets:template", args=["site-a"]))
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "mothers"


def test_it_labels_the_upload_field_and_links_the_downloads(world, login):
    html = login(world.coordinator_a).get(reverse("spreadsheets:site",
                                                  args=["site-a"])).content.decode()
    assert '<label for="id_files">' in html and 'id="id_files"' in html
    assert reverse("spreadsheets:export", args=["site-a"]) in html
    assert reverse("spreadsheets:template", args=["site-a"]) in html

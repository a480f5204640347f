"""The mother's self-assessment: entered on her page and in the visit sheet, in the wording of
its version, seen by her site's coordinator only, and reminded when a measurement is due."""

import dataclasses
import datetime as dt
import json

import pytest
from django.urls import reverse

from mim.audit.models import AuditEntry
from mim.codebook import assessment
from mim.registry import selectors
from mim.registry.models import SelfAssessment
from tests.conftest import PERSONAS
from tests.factories import MatchFactory, MotherFactory

from .conftest import TODAY


def _url(mother, moment="intake", site_code="site-a"):
    return reverse("registry:mother_assessment", kwargs={
        "site_code": site_code, "pk": mother.pk, "moment": moment})


ANSWERS = {"confidence": "2", "independence": "3", "self_care": "", "support": "4",
           "finding_help": "1"}


def test_it_starts_every_answer_empty(world, coordinator, mother):
    response = coordinator.get(_url(mother))
    assert response.status_code == 200
    form = response.context["form"]
    html = response.content.decode()
    for aim in assessment.AIMS:
        assert form[aim].value() in (None, "")
        field_html = str(form[aim])
        assert "selected" not in field_html.replace('value="" selected', "")
        assert "— kies —" in field_html
    assert "Ik voel me zeker als moeder." in html


def test_it_records_an_intake_in_the_current_version_and_logs_no_answer(world, coordinator,
                                                                        mother):
    response = coordinator.post(_url(mother), {"date": "2025-01-06", **ANSWERS})
    assert response.status_code == 302
    stored = SelfAssessment.objects.get(mother=mother)
    assert (stored.moment, stored.version, stored.confidence, stored.self_care,
            stored.finding_help) == ("intake", "1", 2, None, 1)
    entry = AuditEntry.objects.filter(object_ref="M0001", event="update").latest("at")
    assert "assessment.intake.confidence" in entry.detail
    assert "assessment.intake.self_care" not in entry.detail  # left empty: not stored
    for value in ("2", "3", "4", "1"):
        assert f"={value}" not in entry.detail and f": {value}" not in entry.detail
    page = coordinator.get(reverse("registry:mother_detail",
                                   kwargs={"site_code": "site-a", "pk": mother.pk}))
    assert "2 – niet mee eens" in page.content.decode()


def test_it_refuses_an_empty_assessment_and_a_date_in_the_future_with_dutch_messages(
        world, coordinator, mother):
    empty = coordinator.post(_url(mother), {"date": "2025-01-06"})
    assert "Vul minstens één vraag in." in empty.content.decode()
    future = coordinator.post(_url(mother), {"date": "2025-07-01", "confidence": "3"})
    assert "Deze datum ligt in de toekomst." in future.content.decode()
    wrong = coordinator.post(_url(mother), {"date": "2025-02-01", "confidence": "7"})
    assert wrong.status_code == 200
    assert not SelfAssessment.objects.exists()


def test_it_keeps_the_wording_an_answer_was_given_in(world, coordinator, mother, monkeypatch):
    coordinator.post(_url(mother), {"date": "2025-01-06", **ANSWERS})
    first = assessment.VERSIONS[0]
    reworded = dataclasses.replace(
        first, version="2", first_day=dt.date(2025, 3, 1),
        questions=tuple(dataclasses.replace(q, nl="Nieuw: " + q.nl) for q in first.questions))
    monkeypatch.setattr(assessment, "VERSIONS", (first, reworded))
    # The old intake keeps the wording of version 1, on her page and in its correction form.
    page = coordinator.get(reverse("registry:mother_detail",
                                   kwargs={"site_code": "site-a", "pk": mother.pk}))
    html = page.content.decode()
    assert "Ik voel me zeker als moeder." in html and "Nieuw: Ik voel me zeker" not in html
    correction = coordinator.get(_url(mother)).content.decode()
    assert "Nieuw:" not in correction and "versie 1" in correction
    response = coordinator.post(_url(mother), {
        "date": "2025-01-06", "revision": "1", **ANSWERS, "confidence": "3"})
    assert response.status_code == 302
    assert SelfAssessment.objects.get(moment="intake").version == "1"
    # A new moment is asked, and stored, in the version of its date.
    assert "Nieuw: Ik voel me zeker als moeder." in coordinator.get(
        _url(mother, "9-maanden")).content.decode()
    assert assessment.for_date(dt.date(2025, 6, 1)).version == "2"
    assert assessment.for_date(dt.date(2025, 1, 6)).version == "1"


def test_it_refuses_a_second_save_from_an_old_form(world, coordinator, mother):
    coordinator.post(_url(mother), {"date": "2025-01-06", **ANSWERS})
    coordinator.post(_url(mother), {"date": "2025-01-06", "revision": "1", "confidence": "5"})
    stale = coordinator.post(_url(mother), {"date": "2025-01-06", "revision": "1",
                                            "confidence": "1"})
    assert "Iemand anders heeft deze zelfevaluatie intussen" in stale.content.decode()
    assert SelfAssessment.objects.get().confidence == 5


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "coordinator_a"])
def test_it_lets_nobody_but_the_sites_coordinator_open_her_assessment(world, login, persona,
                                                                      mother):
    SelfAssessment.objects.create(mother=mother, moment="intake", date=dt.date(2025, 1, 6),
                                  version="1", confidence=2)
    client = login(world.persona(persona))
    for moment in ("intake", "einde"):
        response = client.get(_url(mother, moment))
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            assert persona == "anonymous" and "inloggen" in response["Location"]
        posted = client.post(_url(mother, moment), {"date": "2025-01-06", "confidence": "5"})
        assert posted.status_code in (302, 403, 404)
    assert SelfAssessment.objects.get().confidence == 2
    # Nor through a site she holds: the URL of another site's mother is not found.
    if persona == "coordinator_b":
        assert client.get(_url(mother, site_code="site-b")).status_code == 404


def test_it_shows_no_answers_in_the_api_or_the_record_export(world, coordinator, mother, login):
    SelfAssessment.objects.create(mother=mother, moment="intake", date=dt.date(2025, 1, 6),
                                  version="1", confidence=2, support=4)
    # Her site's record export (its coordinator's alone) carries them by ref, never a name;
    # the office cannot fetch it.
    from io import BytesIO

    from openpyxl import load_workbook

    export = reverse("spreadsheets:export", kwargs={"code": "site-a"})
    for other in (world.office, world.coordinator_b):
        assert login(other).get(export).status_code in (403, 404)
    response = login(world.coordinator_a).get(export)
    book = load_workbook(BytesIO(response.content))
    rows = list(book["assessments"].values)
    assert rows[1][:3] == ("M0001", "intake", dt.datetime(2025, 1, 6))
    assert not any(c and "Testmoeder" in str(c) for row in rows for c in row)
    # The API gives the office and another site nothing of her, and her own coordinator
    # the statistical fields of the data standard, without her answers.
    from django.test import Client

    from tests.api.test_api import bearer

    api = Client()
    for other in (world.office, world.coordinator_b):
        assert api.get("/api/v1/sites/site-a/mothers", **bearer(other)).status_code == 404
    own = api.get("/api/v1/sites/site-a/mothers", **bearer(world.coordinator_a))
    assert own.status_code == 200 and "assessment" not in own.content.decode()
    assert "confidence" not in own.content.decode()
    # Her own subject access export does hold them: they are about her.
    data = json.loads(login(world.coordinator_a).get(
        reverse("registry:mother_export", kwargs={"site_code": "site-a", "pk": mother.pk}))
        .content)
    assert data["assessments"][0]["confidence"] == 2


def test_it_reminds_of_the_9_month_measurement_from_8_to_10_months(world, coordinator):
    def started(months_ago, **extra):
        return MotherFactory(site=world.site_a,
                             start_date=selectors.add_months(TODAY, -months_ago), **extra)

    early, due_8, due_10, late = started(7), started(8), started(10), started(11)
    measured = started(9)
    SelfAssessment.objects.create(mother=measured, moment="month9", date=TODAY, version="1",
                                  confidence=3)
    (board,) = selectors.dashboards([world.site_a], on=TODAY)
    assert board.month9_due == 2
    listed = {m.pk for m in selectors.mother_list(world.site_a, status="month9_due", on=TODAY)}
    assert listed == {due_8.pk, due_10.pk}
    assert early.pk not in listed and late.pk not in listed
    html = coordinator.get(reverse("home")).content.decode()
    assert "moeders met een 9-maandenmeting te doen" in html


def test_it_reminds_of_the_end_measurement_when_she_ends_or_passes_18_months(world):
    past = MotherFactory(site=world.site_a, start_date=selectors.add_months(TODAY, -19))
    MotherFactory(site=world.site_a, start_date=selectors.add_months(TODAY, -17))  # not yet
    ended = MotherFactory(site=world.site_a, start_date=dt.date(2024, 9, 1),
                          end_date=dt.date(2025, 5, 1), end_reason="moved")
    MotherFactory(site=world.site_a, start_date=dt.date(2023, 1, 1),
                  end_date=dt.date(2024, 1, 1), end_reason="moved")  # ended long ago
    done = MotherFactory(site=world.site_a, start_date=dt.date(2024, 1, 1),
                         end_date=dt.date(2025, 6, 1), end_reason="completed")
    SelfAssessment.objects.create(mother=done, moment="end", date=dt.date(2025, 6, 1),
                                  version="1", confidence=4)
    listed = {m.pk for m in selectors.mother_list(world.site_a, status="end_due", on=TODAY)}
    assert listed == {past.pk, ended.pk}
    (board,) = selectors.dashboards([world.site_a], on=TODAY)
    assert board.end_due == 2


def test_it_takes_the_due_measurement_in_the_visit_sheet_with_the_visits(world, coordinator):
    due = MotherFactory(site=world.site_a, ref="M-DUE",
                        start_date=selectors.add_months(dt.date(2025, 6, 1), -9))
    not_due = MotherFactory(site=world.site_a, ref="M-NOT", start_date=dt.date(2025, 3, 3))
    for m in (due, not_due):
        MatchFactory(mother=m, start_date=m.start_date + dt.timedelta(days=7))
    url = reverse("registry:visit_sheet", kwargs={"site_code": "site-a"})
    response = coordinator.get(url + "?maand=2025-06")
    rows = {row.mother.ref: row for row in response.context["rows"]}
    assert rows["M-DUE"].due == "month9" and rows["M-NOT"].due == ""
    form = response.context["form"]
    assert f"a{due.pk}_confidence" in form.fields and f"a{not_due.pk}_date" not in form.fields
    assert all(form[f"a{due.pk}_{aim}"].value() in (None, "") for aim in assessment.AIMS)
    # A wrong visit date refuses the whole save: no assessment either.
    bad = coordinator.post(url, {"maand": "2025-06", f"m{due.pk}_1": "2025-05-01",
                                 f"a{due.pk}_date": "2025-06-10", f"a{due.pk}_confidence": "4"})
    assert bad.status_code == 200 and not SelfAssessment.objects.exists()
    # An answer without a date says so, on the date.
    undated = coordinator.post(url, {"maand": "2025-06", f"a{due.pk}_confidence": "4"})
    assert "Vul de datum van de zelfevaluatie in." in undated.content.decode()
    good = coordinator.post(url, {"maand": "2025-06", f"m{due.pk}_1": "2025-06-10",
                                  f"a{due.pk}_date": "2025-06-10",
                                  f"a{due.pk}_confidence": "4", f"a{due.pk}_support": "5"})
    assert good.status_code == 302
    stored = SelfAssessment.objects.get()
    assert (stored.mother_id, stored.moment, stored.confidence, stored.support,
            stored.self_care) == (due.pk, "month9", 4, 5, None)
    assert due.visits.count() == 1
    again = coordinator.get(url + "?maand=2025-06").context["rows"]
    assert {row.mother.ref: row.due for row in again}["M-DUE"] == ""

"""The workflow: each transition allowed for the right role and status only, with clear
messages, optimistic locking, and a log of every step."""

import pytest

from mim.audit.models import AuditEntry
from mim.returns import services
from mim.returns.models import EventKind, ReturnEvent, Status
from tests.returns.conftest import YEAR


def test_it_starts_a_draft_from_records_for_a_site_that_keeps_them(world, ready):
    assert ready.status == Status.DRAFT and ready.source == "records"
    assert ready.events.get().kind == EventKind.STARTED
    again = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    assert again.pk == ready.pk


def test_it_starts_an_aggregate_return_for_a_site_without_records(world, return_year):
    world.site_a.keeps_records = False
    world.site_a.save()
    annual_return = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    assert annual_return.source == "aggregate"


@pytest.mark.parametrize("persona", ["coordinator_b", "organisation_viewer", "funder", "office",
                                     "operator"])
def test_it_lets_only_the_sites_coordinator_start_and_submit(world, ready, persona):
    user = world.persona(persona)
    with pytest.raises(services.ReturnRefused, match="coördinator van de locatie"):
        services.return_start(site=world.site_a, year=YEAR - 1, user=user)
    with pytest.raises(services.ReturnRefused):
        services.return_submit(annual_return=ready, user=user, expected_version=ready.version,
                               explanations={})


@pytest.mark.parametrize("persona", ["coordinator_a", "coordinator_b", "organisation_viewer",
                                     "funder", "operator"])
def test_it_lets_only_the_programme_office_query_approve_and_reopen(world, submitted, persona):
    user = world.persona(persona)
    v = submitted.version
    for action in (lambda: services.return_approve(annual_return=submitted, user=user,
                                                   expected_version=v),
                   lambda: services.return_query(annual_return=submitted, user=user,
                                                 expected_version=v, question="?"),
                   lambda: services.return_reopen(annual_return=submitted, user=user,
                                                  expected_version=v, reason="r")):
        with pytest.raises(services.ReturnRefused, match="programmabureau"):
            action()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_it_runs_the_whole_workflow_and_logs_every_step(world, submitted):
    office, coordinator = world.office, world.coordinator_a
    r = services.return_query(annual_return=submitted, user=office,
                              expected_version=submitted.version, question="Klopt dit?")
    assert r.status == Status.QUERIED and r.messages.filter(is_open=True).count() == 1
    r = services.return_answer(annual_return=r, user=coordinator, expected_version=r.version,
                               text="Ja, er kwam een tweede coördinator bij.")
    assert r.status == Status.SUBMITTED and not r.messages.filter(is_open=True).exists()
    r = services.return_approve(annual_return=r, user=office, expected_version=r.version)
    assert r.status == Status.APPROVED and r.approved_by == office and r.approved_at
    r = services.return_reopen(annual_return=r, user=office, expected_version=r.version,
                               reason="Correctie van de herkomst")
    assert r.status == Status.DRAFT and r.approved_at is None and r.submitted_at is None
    steps = list(ReturnEvent.objects.filter(annual_return=r)
                 .values_list("kind", "from_status", "to_status"))
    assert steps == [("started", "", "draft"), ("submitted", "draft", "submitted"),
                     ("queried", "submitted", "queried"), ("answered", "queried", "submitted"),
                     ("approved", "submitted", "approved"), ("reopened", "approved", "draft")]
    assert r.events.last().reason == "Correctie van de herkomst"
    assert r.events.last().user == office
    logged = AuditEntry.objects.filter(object_type="annualreturn", object_ref=str(r.pk))
    assert logged.count() == 6
    assert all("Correctie" not in e.detail for e in logged)  # free text stays out of the log


@pytest.mark.parametrize(("status", "action"), [
    ("draft", "approve"), ("draft", "query"), ("draft", "reopen"), ("draft", "answer"),
    ("submitted", "submit"), ("submitted", "answer"), ("approved", "approve"),
    ("approved", "query"), ("approved", "submit"),
])
def test_it_refuses_a_wrong_transition_with_a_dutch_message(world, ready, status, action):
    r = ready
    if status != "draft":
        r = services.return_submit(annual_return=r, user=world.coordinator_a,
                                   expected_version=r.version, explanations={})
    if status == "approved":
        r = services.return_approve(annual_return=r, user=world.office,
                                    expected_version=r.version)
    calls = {
        "approve": lambda: services.return_approve(annual_return=r, user=world.office,
                                                   expected_version=r.version),
        "query": lambda: services.return_query(annual_return=r, user=world.office,
                                               expected_version=r.version, question="?"),
        "reopen": lambda: services.return_reopen(annual_return=r, user=world.office,
                                                 expected_version=r.version, reason="r"),
        "answer": lambda: services.return_answer(annual_return=r, user=world.coordinator_a,
                                                 expected_version=r.version, text="a"),
        "submit": lambda: services.return_submit(annual_return=r, user=world.coordinator_a,
                                                 expected_version=r.version, explanations={}),
    }
    with pytest.raises(services.ReturnRefused, match="kan niet: de jaaropgave is") as excinfo:
        calls[action]()
    assert excinfo.value.message.endswith(f"{r.get_status_display()}.")


def test_it_refuses_a_reopen_without_a_reason(world, submitted):
    with pytest.raises(services.ReturnRefused, match="reden"):
        services.return_reopen(annual_return=submitted, user=world.office,
                               expected_version=submitted.version, reason="  ")


def test_it_refuses_a_step_based_on_an_old_version(world, submitted):
    seen = submitted.version
    services.return_query(annual_return=submitted, user=world.office, expected_version=seen,
                          question="Eerste vraag")
    with pytest.raises(services.StaleReturn, match="intussen gewijzigd"):
        services.return_approve(annual_return=submitted, user=world.office,
                                expected_version=seen)
    submitted.refresh_from_db()
    assert submitted.status == Status.QUERIED


def test_it_tells_the_second_of_two_people_acting_at_once_through_the_web(world, submitted,
                                                                          client):
    client.force_login(world.office)
    url = f"/jaaropgave/beoordelen/site-a/{YEAR}/"
    client.post(url + "goedkeuren/", {"version": submitted.version})
    response = client.post(url + "heropenen/", {"version": submitted.version, "text": "fout"},
                           follow=True)
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED


def test_it_blocks_submission_on_errors_and_names_them(world, ready):
    world.site_a.years.all().delete()  # no facts for the year
    with pytest.raises(services.ReturnRefused, match="fouten") as excinfo:
        services.return_submit(annual_return=ready, user=world.coordinator_a,
                               expected_version=ready.version, explanations={})
    assert [f.key for f in excinfo.value.findings] == ["facts"]
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT and not ready.figures.exists()


def test_it_asks_an_explanation_for_each_warning_before_submission(world, ready):
    from tests.returns.conftest import approved_return

    for year in (2020, 2021, 2022, 2023):
        approved_return(world.site_a, year, {"mothers.total": 60 + year % 2})
    with pytest.raises(services.ReturnRefused, match="toe") as excinfo:
        services.return_submit(annual_return=ready, user=world.coordinator_a,
                               expected_version=ready.version, explanations={})
    assert [f.key for f in excinfo.value.findings] == ["jump:mothers.total"]
    r = services.return_submit(annual_return=ready, user=world.coordinator_a,
                               expected_version=ready.version,
                               explanations={"jump:mothers.total": "Een wijk ging over."})
    assert r.status == Status.SUBMITTED
    explanation = r.explanations.get()
    assert explanation.key == "jump:mothers.total" and explanation.text == "Een wijk ging over."

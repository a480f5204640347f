"""The returns pages as people use them: facts form, submission, upload, answers, the
overview (with constant queries), deadlines."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mim.figures.suppression import suppress
from mim.organisations.models import CoordinatorAssignment, OrganisationYear, SiteYear
from mim.publication.selectors import published_figures, published_site_figures
from mim.returns import selectors, services
from mim.returns.models import AnnualReturn, ReturnYear, Status
from tests.factories import MotherFactory, SiteFactory
from tests.returns.conftest import YEAR, fill_records
from tests.returns.test_upload import edit, good_csv


def facts_data(version, **extra):
    data = {"version": version, "target_group": "Eerste kind", "financing": ["jgz_budget"],
            "variant": ["regular", "boekenpret"], "reimbursement": ["none"],
            "volunteer_agreement": "yes", "vog_required": "no",
            "group_activities": ["meeting_groups"],
            "coord-TOTAL_FORMS": "2", "coord-INITIAL_FORMS": "0",
            "coord-0-name": "Anna", "coord-0-hours_per_week": "12",
            "coord-1-name": "Bea", "coord-1-hours_per_week": "8,5"}
    data.update(extra)
    return data


@pytest.fixture
def draft(world, return_year):
    fill_records(world.site_a)
    return services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)


def test_it_starts_a_return_from_the_page(world, return_year, login):
    client = login(world.coordinator_a)
    url = reverse("returns:site", args=["site-a", YEAR])
    assert "Jaaropgave starten" in client.get(url).content.decode()
    response = client.post(reverse("returns:start", args=["site-a", YEAR]), follow=True)
    assert "De jaaropgave is gestart." in response.content.decode()
    assert AnnualReturn.objects.get(site=world.site_a, year=YEAR).status == Status.DRAFT


def test_it_shows_the_facts_form_with_codebook_labels_in_dutch(world, draft, login):
    html = login(world.coordinator_a).get(reverse("returns:facts", args=["site-a", YEAR])
                                          ).content.decode()
    for label in ("maatwerkgelden JGZ", "met Home-Start", "vast bedrag per bezoek",
                  "moeder-babygroepen", "Regel toevoegen", "Uren per week"):
        assert label in html


def test_it_saves_the_facts_with_coordinator_lines(world, draft, login):
    client = login(world.coordinator_a)
    response = client.post(reverse("returns:facts", args=["site-a", YEAR]),
                           facts_data(draft.version))
    assert response.status_code == 302
    facts = SiteYear.objects.get(site=world.site_a, year=YEAR)
    assert facts.variant == ["regular", "boekenpret"]
    policy = OrganisationYear.objects.get(organisation=world.site_a.organisation, year=YEAR)
    assert policy.vog_required == "no" and policy.reimbursement == ["none"]
    lines = (CoordinatorAssignment.objects.filter(site=world.site_a, year=YEAR)
             .order_by("coordinator__name"))
    assert [(c.coordinator.name, str(c.hours_per_week)) for c in lines] == [("Anna", "12.0"),
                                                                            ("Bea", "8.5")]
    assert {c.coordinator.organisation for c in lines} == {world.site_a.organisation}
    draft.refresh_from_db()
    assert draft.version == 2 and draft.events.last().kind == "facts"


def test_it_removes_a_coordinator_line(world, draft, login):
    client = login(world.coordinator_a)
    url = reverse("returns:facts", args=["site-a", YEAR])
    client.post(url, facts_data(draft.version))
    anna = CoordinatorAssignment.objects.get(coordinator__name="Anna").coordinator
    client.post(url, facts_data(draft.version + 1, **{"coord-0-coordinator": str(anna.pk),
                                                      "coord-0-name": "",
                                                      "coord-1-DELETE": "on"}))
    assert list(CoordinatorAssignment.objects.filter(site=world.site_a).values_list(
        "coordinator__name", flat=True)) == ["Anna"]


def test_it_adds_a_line_without_saving(world, draft, login):
    response = login(world.coordinator_a).post(
        reverse("returns:facts", args=["site-a", YEAR]),
        facts_data(draft.version, add_line="1"))
    assert response.status_code == 200
    assert 'name="coord-2-name"' in response.content.decode()
    assert not SiteYear.objects.filter(site=world.site_a, year=YEAR).exists()


def test_it_refuses_facts_with_wrong_values(world, draft, login):
    data = facts_data(draft.version, **{"financing": ["gold"], "coord-0-hours_per_week": "60"})
    response = login(world.coordinator_a).post(reverse("returns:facts", args=["site-a", YEAR]),
                                               data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Controleer de gemarkeerde velden." in html
    assert not SiteYear.objects.filter(site=world.site_a, year=YEAR).exists()


def test_it_refuses_no_reimbursement_beside_another_as_a_field_error(world, draft, login):
    data = facts_data(draft.version, reimbursement=["none", "travel_costs"])
    response = login(world.coordinator_a).post(reverse("returns:facts", args=["site-a", YEAR]),
                                               data)
    assert response.status_code == 200
    assert "kan niet samen met een andere keuze" in response.content.decode()
    assert not SiteYear.objects.filter(site=world.site_a, year=YEAR).exists()


def test_it_submits_from_the_page_after_the_checks(world, draft, login):
    client = login(world.coordinator_a)
    client.post(reverse("returns:facts", args=["site-a", YEAR]), facts_data(draft.version))
    page = client.get(reverse("returns:site", args=["site-a", YEAR])).content.decode()
    assert "Alle controles zijn in orde." in page
    url = reverse("returns:submit", args=["site-a", YEAR])
    # First the summary to confirm: nothing is written yet.
    summary = client.post(url, {"version": draft.version + 1})
    html = summary.content.decode()
    assert summary.status_code == 200 and "Bevestigen en indienen" in html
    assert "<dt>Moeders</dt><dd>12</dd>" in html
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.version == 2
    fingerprint = summary.context["summary"]["fingerprint"]
    response = client.post(url, {"version": draft.version, "confirm": "1",
                                 "fingerprint": fingerprint}, follow=True)
    assert "De jaaropgave is ingediend." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_it_submits_nothing_when_the_figures_moved_after_the_summary(world, draft, login):
    client = login(world.coordinator_a)
    client.post(reverse("returns:facts", args=["site-a", YEAR]), facts_data(draft.version))
    url = reverse("returns:submit", args=["site-a", YEAR])
    summary = client.post(url, {"version": 2}).context["summary"]
    MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 5, 1))  # a record added since
    response = client.post(url, {"version": 2, "confirm": "1",
                                 "fingerprint": summary["fingerprint"]}, follow=True)
    assert "veranderd sinds u de samenvatting zag" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not draft.figures.exists()
    # A confirmation without the summary's fingerprint submits nothing either.
    client.post(url, {"version": 2, "confirm": "1"})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_shows_the_errors_that_block_submission(world, draft, login):
    client = login(world.coordinator_a)
    page = client.get(reverse("returns:site", args=["site-a", YEAR])).content.decode()
    assert "De locatiegegevens van dit jaar zijn nog niet ingevuld." in page
    response = client.post(reverse("returns:submit", args=["site-a", YEAR]),
                           {"version": draft.version})
    assert response.status_code == 400
    assert "Indienen kan niet: los eerst de fouten op." in response.content.decode()


def test_it_uploads_aggregate_figures_and_shows_row_errors(world, return_year, login):
    world.site_a.keeps_records = False
    world.site_a.save()
    r = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    client = login(world.coordinator_a)
    url = reverse("returns:aggregate", args=["site-a", YEAR])
    template = client.get(reverse("returns:aggregate_template", args=["site-a", YEAR]))
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode().startswith("year,scope,scope_code,variable,category")
    bad = SimpleUploadedFile("cijfers.csv", edit(good_csv(), 4, "count", "-3").encode())
    response = client.post(url, {"version": r.version, "file": bad})
    assert response.status_code == 400
    assert "cijfers.csv row 4, column count: geen geheel getal van 0 of meer." in \
        response.content.decode()
    good = SimpleUploadedFile("cijfers.csv", good_csv().encode())
    response = client.post(url, {"version": r.version, "file": good})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.figures.count() > 100


def test_it_lets_the_coordinator_answer_a_question(world, submitted, login):
    services.return_query(annual_return=submitted, user=world.office,
                          expected_version=submitted.version, question="Waarom zo veel?")
    client = login(world.coordinator_a)
    page = client.get(reverse("returns:site", args=["site-a", YEAR])).content.decode()
    assert "Waarom zo veel?" in page and "Antwoord versturen" in page
    response = client.post(reverse("returns:answer", args=["site-a", YEAR]),
                           {"version": submitted.version + 1, "text": "Nieuwe wijk."},
                           follow=True)
    assert "Uw antwoord is verstuurd." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_it_lets_the_office_query_approve_and_reopen_from_the_page(world, submitted, login):
    client = login(world.office)
    base = f"/jaaropgave/beoordelen/site-a/{YEAR}/"
    client.post(base + "vraag/", {"version": 2, "text": "Klopt het aantal?",
                                  "subject": "figures"})
    assert submitted.messages.get().subject == "figures"
    response = client.post(base + "goedkeuren/", {"version": 3}, follow=True)
    assert "Goedkeuren kan niet: er staat nog een vraag open." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.QUERIED
    services.return_answer(annual_return=submitted, user=world.coordinator_a,
                           expected_version=3, text="Ja.")
    client.post(base + "goedkeuren/", {"version": 4})
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    response = client.post(base + "heropenen/", {"version": 5, "text": ""}, follow=True)
    assert "Geef een reden voor het heropenen." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    client.post(base + "heropenen/", {"version": 5, "text": "Correctie"})
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT


def test_it_shows_a_wrong_transition_as_a_message_not_an_error(world, ready, login):
    response = login(world.office).post(f"/jaaropgave/beoordelen/site-a/{YEAR}/goedkeuren/",
                                        {"version": ready.version}, follow=True)
    assert response.status_code == 200
    assert "Goedkeuren kan niet: de jaaropgave is concept." in response.content.decode()


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("returns:list"), {"jaar": YEAR})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_shows_the_overview_in_a_constant_number_of_queries(world, submitted, login):
    client = login(world.office)
    few = _overview_queries(client)
    for n in range(6):
        site = SiteFactory(code=f"extra-{n}")
        AnnualReturn.objects.create(site=site, year=YEAR)
    assert _overview_queries(client) == few


def test_it_sets_a_deadline_per_year(world, login):
    client = login(world.office)
    response = client.post(reverse("returns:deadlines"), {"year": 2025,
                                                          "deadline": "2026-04-01"})
    assert response.status_code == 302
    assert ReturnYear.objects.get(year=2025).deadline == dt.date(2026, 4, 1)
    response = client.post(reverse("returns:deadlines"), {"year": 2025,
                                                          "deadline": "2025-06-01"})
    assert "De uiterste datum moet na het einde van het jaar liggen." in \
        response.content.decode()


def test_it_shows_steps_and_messages_whose_author_is_gone(world, submitted, login):
    services.return_query(annual_return=submitted, user=world.office,
                          expected_version=submitted.version, question="Wie?")
    submitted.events.update(user=None)
    submitted.messages.update(author=None)
    for user, name in ((world.office, "returns:review"), (world.coordinator_a, "returns:site")):
        response = login(user).get(reverse(name, args=["site-a", YEAR]))
        assert response.status_code == 200
        assert "Wie?" in response.content.decode()


def test_it_hides_on_the_review_page_every_cell_the_published_figures_hide(world, return_year):
    # Site B's single Moroccan mother is protected in the national figures by hiding site A's
    # six: the national count minus A's would give her away. Suppressed on its own, A's
    # return would show those six.
    for site, moroccan in ((world.site_a, 6), (world.site_b, 1)):
        for n in range(12):
            MotherFactory(site=site, start_date=dt.date(YEAR, 2, 1),
                          origin="moroccan" if n < moroccan else "dutch")
    annual_return = services.return_start(site=world.site_a, year=YEAR,
                                          user=world.coordinator_a)
    key = ("mothers.origin", "moroccan")
    published = published_figures(world.office, YEAR, "site", "site-a")
    alone = suppress(selectors.current_figures(annual_return))
    # The self-assessment's results are published with the year but are no return figures.
    hidden = {(f.variable, f.category) for f in published.figures if f.suppressed
              and not f.variable.startswith("results.")}
    assert key in hidden
    assert key not in {(f.variable, f.category) for f in alone if f.suppressed}
    shown = published_site_figures(world.office, YEAR, "site-a",
                                   selectors.current_figures(annual_return))
    assert hidden <= {(f.variable, f.category) for f in shown if f.suppressed}


def test_it_shows_the_office_what_a_finding_is_about_without_its_numbers(world, submitted,
                                                                          login):
    submitted.explanations.create(
        key="carry_over:mothers", text="Twee moeders zijn later ingeschreven.",
        message="Moeders: de beginstand (3) wijkt af van de eindstand in de goedgekeurde "
                "jaaropgave van vorig jaar (7).")
    html = login(world.office).get(reverse("returns:review", args=["site-a", YEAR])
                                   ).content.decode()
    assert "de beginstand wijkt af van de eindstand" in html
    assert "Twee moeders zijn later ingeschreven." in html
    assert "(3)" not in html and "(7)" not in html
    own = login(world.coordinator_a).get(reverse("returns:site", args=["site-a", YEAR])
                                         ).content.decode()
    assert "de beginstand (3) wijkt af" in own


def test_it_refuses_a_deadline_year_no_codebook_knows(world, login):
    response = login(world.office).post(reverse("returns:deadlines"),
                                        {"year": "4176648", "deadline": "2025-03-01"})
    assert response.status_code == 200
    assert "Kies een jaar tot en met" in response.content.decode()

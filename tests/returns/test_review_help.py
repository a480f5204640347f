"""Returns that help review (issue 11, item 5): last year's published figures beside this
year's with the change, a query that reopens the part it asks about, no approval while a
question is open, and a summary to confirm before submitting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from mim.audit.models import AuditEntry
from mim.figures.suppression import HIDDEN_MARK
from mim.publication.selectors import published_figures, published_site_comparison
from mim.returns import selectors, services
from mim.returns.models import EventKind, Status, Subject
from tests.factories import MotherFactory
from tests.returns.conftest import YEAR, fill_facts
from tests.returns.test_upload import good_csv

# --- approval while a question is open -------------------------------------------------------


def test_it_refuses_approval_while_a_question_is_open(world, submitted):
    r = services.return_query(annual_return=submitted, user=world.office,
                              expected_version=submitted.version, question="Klopt dit?")
    with pytest.raises(services.ReturnRefused, match="er staat nog een vraag open"):
        services.return_approve(annual_return=r, user=world.office, expected_version=r.version)
    # The operator on the server is held to the same rule.
    with pytest.raises(services.ReturnRefused, match="er staat nog een vraag open"):
        services.return_approve(annual_return=r, user=None, operator=True,
                                expected_version=r.version)
    r.refresh_from_db()
    assert r.status == Status.QUERIED and r.approved_at is None
    assert r.messages.get(kind="question").is_open
    assert not r.events.filter(kind=EventKind.APPROVED).exists()
    r = services.return_answer(annual_return=r, user=world.coordinator_a,
                               expected_version=r.version, text="Ja.")
    r = services.return_approve(annual_return=r, user=world.office, expected_version=r.version)
    assert r.status == Status.APPROVED


def test_it_puts_the_approve_form_below_the_figures_and_hides_it_while_a_question_is_open(
        world, submitted, login):
    client = login(world.office)
    url = reverse("returns:review", args=["site-a", YEAR])
    html = client.get(url).content.decode()
    assert html.index('id="h-figures"') < html.index("/goedkeuren/")
    services.return_query(annual_return=submitted, user=world.office,
                          expected_version=submitted.version, question="?",
                          subject=Subject.FACTS)
    html = client.get(url).content.decode()
    assert "/goedkeuren/" not in html
    assert "Er staat nog een vraag open." in html
    assert "Vraag over locatiegegevens en coördinatoren" in html


# --- a query reopens what it asks about ------------------------------------------------------

FACTS = {"target_group": "Tweede kind", "financing": ["municipal_subsidy"],
         "variant": ["regular"], "reimbursement": ["travel_costs"], "group_activities": [],
         "volunteer_agreement": "yes", "vog_required": "yes", "coordinator_background": "MBO"}


def test_it_reopens_the_facts_for_the_coordinator_while_a_question_about_them_is_open(
        world, submitted):
    r = services.return_query(annual_return=submitted, user=world.office,
                              expected_version=submitted.version, subject=Subject.FACTS,
                              question="Er werkt toch ook een tweede coördinator?")
    r = services.return_facts_save(annual_return=r, user=world.coordinator_a,
                                   expected_version=r.version, facts=FACTS,
                                   coordinators=[("", "Anna", Decimal("16")),
                                                 ("", "Bea", Decimal("8"))])
    assert r.status == Status.QUERIED
    # The office reviews the corrected facts: the frozen snapshot is replaced.
    # (coordinators are people with a pseudonymous ref: the snapshot holds no names)
    assert sorted(Decimal(c["hours_per_week"]) for c in r.facts_snapshot["coordinators"]) == [
        Decimal("8"), Decimal("16")]
    assert selectors.return_facts(r)["target_group"] == "Tweede kind"
    assert r.events.last().kind == EventKind.CORRECTED
    assert AuditEntry.objects.filter(object_type="annualreturn", object_ref=str(r.pk),
                                     detail__contains="corrected").count() == 1
    r = services.return_answer(annual_return=r, user=world.coordinator_a,
                               expected_version=r.version, text="Bea is erbij gekomen.")
    # Answered: the facts are frozen again.
    with pytest.raises(services.ReturnRefused, match="kan niet: de jaaropgave is ingediend"):
        services.return_facts_save(annual_return=r, user=world.coordinator_a,
                                   expected_version=r.version, facts=FACTS,
                                   coordinators=[("", "Anna", Decimal("16"))])


def test_it_keeps_the_facts_closed_when_the_question_is_about_something_else(world, submitted):
    r = services.return_query(annual_return=submitted, user=world.office,
                              expected_version=submitted.version, subject=Subject.FIGURES,
                              question="Waarom zo veel moeders?")
    before = r.facts_snapshot
    with pytest.raises(services.ReturnRefused, match="gaat niet over dit deel"):
        services.return_facts_save(annual_return=r, user=world.coordinator_a,
                                   expected_version=r.version, facts=FACTS,
                                   coordinators=[("", "Anna", Decimal("16"))])
    r.refresh_from_db()
    assert r.facts_snapshot == before
    assert world.site_a.years.get(year=YEAR).target_group == "Eerste kind"


def test_it_refuses_a_question_about_an_unknown_part(world, submitted):
    with pytest.raises(services.ReturnRefused, match="Kies waar de vraag over gaat"):
        services.return_query(annual_return=submitted, user=world.office,
                              expected_version=submitted.version, question="?",
                              subject="records")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_it_freezes_the_corrected_figures_anew_after_a_question_about_them(world, submitted):
    total = {f.variable: f.count for f in selectors.frozen_figures(submitted)}["mothers.total"]
    with pytest.raises(services.ReturnRefused, match="kan niet: de jaaropgave is ingediend"):
        services.return_figures_refresh(annual_return=submitted, user=world.coordinator_a,
                                        expected_version=submitted.version, explanations={})
    r = services.return_query(annual_return=submitted, user=world.office,
                              expected_version=submitted.version, subject=Subject.FIGURES,
                              question="Mist er geen moeder?")
    MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 4, 1))  # the one she forgot
    r = services.return_figures_refresh(annual_return=r, user=world.coordinator_a,
                                        expected_version=r.version, explanations={})
    frozen = {f.variable: f.count for f in selectors.frozen_figures(r)}
    assert frozen["mothers.total"] == total + 1
    assert r.balances["mothers"]["new"] == selectors.record_balances(world.site_a,
                                                                    YEAR)["mothers"]["new"]
    assert r.status == Status.QUERIED and r.events.last().kind == EventKind.CORRECTED


def test_it_shows_the_coordinator_the_part_she_may_correct(world, submitted, login):
    r = services.return_query(annual_return=submitted, user=world.office,
                              expected_version=submitted.version, subject=Subject.FACTS,
                              question="Hoeveel uren?")
    client = login(world.coordinator_a)
    html = client.get(reverse("returns:site", args=["site-a", YEAR])).content.decode()
    assert "Locatiegegevens en coördinatoren aanpassen" in html
    assert "Cijfers opnieuw vastleggen" not in html
    facts_url = reverse("returns:facts", args=["site-a", YEAR])
    assert client.get(facts_url).status_code == 200
    services.return_answer(annual_return=r, user=world.coordinator_a,
                           expected_version=r.version, text="16.")
    response = client.get(facts_url)
    assert response.status_code == 302  # answered: frozen again, back to the return


# --- submitting shows a summary first --------------------------------------------------------


def test_it_writes_nothing_before_the_summary_is_confirmed(world, ready):
    summary = services.submit_preview(annual_return=ready, user=world.coordinator_a,
                                      explanations={})
    assert summary["totals"]["mothers.total"] == 12 and summary["errors"] == []
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT and ready.version == 1 and not ready.figures.exists()
    with pytest.raises(services.StaleReturn, match="veranderd sinds u de samenvatting"):
        services.return_submit(annual_return=ready, user=world.coordinator_a,
                               expected_version=ready.version, explanations={},
                               confirmed="0000000000000000")
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT and not ready.figures.exists()
    done = services.return_submit(annual_return=ready, user=world.coordinator_a,
                                  expected_version=ready.version, explanations={},
                                  confirmed=summary["fingerprint"])
    assert done.status == Status.SUBMITTED


def test_it_refuses_the_summary_as_submission_would(world, ready):
    world.site_a.years.all().delete()
    with pytest.raises(services.ReturnRefused, match="los eerst de fouten op"):
        services.submit_preview(annual_return=ready, user=world.coordinator_a, explanations={})
    with pytest.raises(services.ReturnRefused, match="coördinator van de locatie"):
        services.submit_preview(annual_return=ready, user=world.office, explanations={})


# --- last year beside this year --------------------------------------------------------------


def _mothers(site, year, origins: dict[str, int]):
    """Mothers counted in `year` only (started and ended in it), by origin."""
    for origin, n in origins.items():
        for _ in range(n):
            MotherFactory(site=site, origin=origin, start_date=dt.date(year, 2, 1),
                          end_date=dt.date(year, 11, 1), end_reason="moved")


def _rows(response) -> dict[tuple[str, str], dict]:
    """The review's figure rows by (variable label, category label)."""
    return {(v["name"], row["category"]): row for section in response.context["figures"]
            for v in section["variables"] for row in v["rows"]}


def test_it_shows_last_years_published_figures_beside_with_the_change(world, return_year,
                                                                      login):
    _mothers(world.site_a, YEAR - 1, {"dutch": 10, "turkish": 6})
    _mothers(world.site_a, YEAR, {"dutch": 13, "turkish": 7})
    r = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    compared, previous = published_site_comparison(world.office, YEAR, "site-a",
                                                   selectors.current_figures(r))
    assert previous.available and previous.year == YEAR - 1 and not previous.group
    by_key = {(c.figure.variable, c.figure.category): c for c in compared}
    total = by_key[("mothers.total", "all")]
    assert (total.figure.count, total.previous.count, total.change) == (20, 16, 4)
    dutch = by_key[("mothers.origin", "dutch")]
    if not dutch.figure.suppressed and not dutch.previous.suppressed:
        assert dutch.change == 3
        assert dutch.point_change == dutch.figure.percent - dutch.previous.percent
    response = login(world.office).get(reverse("returns:review", args=["site-a", YEAR]))
    html = response.content.decode()
    assert f"Aantal {YEAR - 1}" in html and "Verschil" in html
    assert f"({YEAR - 1}: 16, verschil +4)" in html


def test_it_compares_with_last_years_group_when_the_site_was_published_only_inside_one(
        world, return_year, login):
    _mothers(world.site_a, YEAR - 1, {"dutch": 4})
    _mothers(world.site_b, YEAR - 1, {"dutch": 7})
    _mothers(world.site_a, YEAR, {"dutch": 12})
    r = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    compared, previous = published_site_comparison(world.office, YEAR, "site-a",
                                                   selectors.current_figures(r))
    assert previous.group == "Overige locaties"
    total = next(c for c in compared if c.figure.variable == "mothers.total")
    # The group of two is hidden: its 11 less site-a's own 4 would give site-b's 7 to site-a's
    # coordinator (tests/publication/test_attacks.py, the merged group's coordinator).
    assert total.previous.suppressed and total.change is None
    assert all(c.change is None and c.point_change is None for c in compared)
    html = login(world.office).get(reverse("returns:review", args=["site-a", YEAR])
                                   ).content.decode()
    assert "alleen samen met andere locaties gepubliceerd (Overige locaties)" in html


def test_it_says_so_when_the_site_has_no_last_year(world, return_year, login):
    world.site_a.first_year = YEAR
    world.site_a.save()
    _mothers(world.site_a, YEAR, {"dutch": 12})
    services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    response = login(world.office).get(reverse("returns:review", args=["site-a", YEAR]))
    assert f"Van {YEAR - 1} zijn geen gepubliceerde cijfers" in response.content.decode()
    assert response.context["compare"] is None


# --- attack: the change never reveals a hidden cell -----------------------------------------


def test_attack_the_change_column_never_reveals_a_hidden_cell(world, return_year, login):
    """An office user reads the review. Were a change shown next to a hidden cell, last
    year's published count plus the change would give this year's hidden count away (and
    this year's count minus the change last year's hidden one)."""
    _mothers(world.site_a, YEAR - 1, {"dutch": 10, "turkish": 6, "moroccan": 6,
                                      "surinamese": 1})
    _mothers(world.site_a, YEAR, {"dutch": 10, "turkish": 2, "moroccan": 6, "surinamese": 6})
    for year in (YEAR - 1, YEAR):  # a neighbour, so the nation is not site A alone
        _mothers(world.site_b, year, {"dutch": 12})
    r = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    compared, previous = published_site_comparison(world.office, YEAR, "site-a",
                                                   selectors.current_figures(r))
    assert previous.available and not previous.group
    last_year = {(f.variable, f.category): f
                 for f in published_figures(world.office, YEAR - 1, "site", "site-a").figures}
    hidden_now = [c for c in compared if c.figure.suppressed]
    hidden_then = [c for c in compared if c.previous is not None and c.previous.suppressed]
    # The attack needs both: hidden now but counted last year, and the other way round.
    assert any(c.previous is not None and c.previous.count is not None for c in hidden_now)
    assert any(c.figure.count is not None for c in hidden_then)
    for c in hidden_now + hidden_then:
        assert c.change is None and c.point_change is None
    for c in hidden_now:
        assert c.figure.count is None  # this year's hidden cell carries no count at all
    changed = [c for c in compared if c.change is not None]
    assert changed  # shown on both sides: the change is there
    for c in changed:  # a difference of two published numbers, nothing more
        shown = last_year[(c.figure.variable, c.figure.category)]
        assert not shown.suppressed and c.change == c.figure.count - shown.count
    rows = _rows(login(world.office).get(reverse("returns:review", args=["site-a", YEAR])))
    moroccan = rows[("mothers.origin", "Marokkaans")]
    assert (moroccan["count"], moroccan["previous"]) == (HIDDEN_MARK, "6")
    assert moroccan["change"] == moroccan["point_change"] == ""
    surinamese = rows[("mothers.origin", "Surinaams")]
    assert (surinamese["count"], surinamese["previous"]) == ("6", HIDDEN_MARK)
    assert surinamese["change"] == surinamese["point_change"] == ""
    assert rows[("mothers.origin", "Nederlands")]["change"] == "0"
    assert all(row["change"] == "" for row in rows.values()
               if HIDDEN_MARK in (row["count"], row["previous"]))


def test_it_takes_new_aggregate_figures_only_while_a_question_about_the_figures_is_open(
        world, return_year):
    world.site_a.keeps_records = False
    world.site_a.save()
    fill_facts(world.site_a)
    r = services.return_start(site=world.site_a, year=YEAR, user=world.coordinator_a)
    services.return_aggregate_upload(annual_return=r, user=world.coordinator_a,
                                     expected_version=r.version, filename="cijfers.csv",
                                     content=good_csv().encode())
    r.refresh_from_db()
    r = services.return_submit(annual_return=r, user=world.coordinator_a,
                               expected_version=r.version, explanations={})
    r = services.return_query(annual_return=r, user=world.office, expected_version=r.version,
                              subject=Subject.GENERAL, question="Alles goed?")
    with pytest.raises(services.ReturnRefused, match="gaat niet over dit deel"):
        services.return_aggregate_upload(annual_return=r, user=world.coordinator_a,
                                         expected_version=r.version, filename="cijfers.csv",
                                         content=good_csv().encode())
    r = services.return_answer(annual_return=r, user=world.coordinator_a,
                               expected_version=r.version, text="Ja.")
    r = services.return_query(annual_return=r, user=world.office, expected_version=r.version,
                              subject=Subject.FIGURES, question="Klopt het bestand?")
    services.return_aggregate_upload(annual_return=r, user=world.coordinator_a,
                                     expected_version=r.version, filename="cijfers-2.csv",
                                     content=good_csv().encode())
    r.refresh_from_db()
    assert r.status == Status.QUERIED
    assert r.events.last().kind == EventKind.CORRECTED and r.events.last().reason == \
        "cijfers-2.csv"

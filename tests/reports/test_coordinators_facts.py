"""The report renders the rows `coordinators.*` and `facts.*`; it counts nothing. "Niet
bekend" is never read as "0 van"."""

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from mim.figures.tidy import Figure
from mim.organisations.services import coordinator_save, site_coordinators_set
from mim.reports.document import Paragraph, iter_sections
from mim.reports.national import build_national_report
from mim.reports.selectors import ServerFigures, national_inputs
from mim.reports.text import known_fact_sentence
from tests.factories import MotherFactory, OrganisationFactory, SiteFactory, VolunteerFactory
from tests.reports.numbers import problems
from tests.reports.test_builder import YEAR, figure_set, inputs


def row(variable, category, count, base):
    return Figure.of(year=YEAR, scope="national", scope_code="NL", variable=variable,
                     category=category, count=count, base=base)


def stat(variable, category, value, base):
    return Figure.statistic(year=YEAR, scope="national", scope_code="NL", variable=variable,
                            category=category, value=value, base=base)


def section_text(report, title) -> str:
    return "\n".join(b.text for _, s in iter_sections(report) if s.title == title
                     for b in s.blocks if isinstance(b, Paragraph))


def with_rows(rows, previous_rows=()):
    current = figure_set(YEAR, {"mothers.total": 800, "volunteers.total": 385})
    current = replace(current, figures=current.figures + tuple(rows))
    previous = None
    if previous_rows:
        previous = figure_set(YEAR - 1, {"mothers.total": 700, "volunteers.total": 300})
        previous = replace(previous, figures=previous.figures + tuple(previous_rows))
    return build_national_report(inputs(current, previous))


COORDINATOR_ROWS = [
    row("coordinators.total", "all", 18, 18), row("coordinators.delivered", "all", 14, 14),
    row("coordinators.works_solo", "yes", 11, 14), row("coordinators.works_solo", "no", 3, 14),
    stat("coordinators.hours_per_week", "min", 3, 14),
    stat("coordinators.hours_per_week", "median", 16, 14),
    stat("coordinators.hours_per_week", "max", 28, 14),
    stat("ratios.volunteers_per_coordinator", "all", Decimal("27.5"), 14),
]


def test_it_states_the_coordinator_rows_as_they_are():
    text = section_text(with_rows(COORDINATOR_ROWS), "Coördinatoren")
    assert "18 coördinatoren" in text
    assert "Van hen werken er 14 op locaties die gegevens" in text
    assert "minimaal 3 en maximaal 28 uur" in text and "16 uur of minder" in text
    assert "11 coördinatoren zijn de enige coördinator op elke locatie" in text
    assert "3 coördinatoren werken op ten minste één locatie samen" in text
    assert "gemiddeld 27,5 vrijwilligers per coördinator" in text
    assert "locaties die gegevens aanleverden" in text  # the ratio says over which sites
    assert "werkt één coördinator alleen" not in text  # the old split per site is gone


def test_it_compares_coordinators_with_last_year_only_on_the_same_basis():
    text = section_text(with_rows(COORDINATOR_ROWS), "Coördinatoren")
    assert f"{YEAR - 1}" not in text.split(".")[0]  # no row of last year: no comparison
    text = section_text(with_rows(COORDINATOR_ROWS, [row("coordinators.total", "all", 21, 21)]),
                        "Coördinatoren")
    assert f"3 minder dan in {YEAR - 1}" in text
    assert f"{YEAR - 1} is op dezelfde manier geteld" in text


def test_it_never_reads_not_known_as_zero_of():
    facts = [row("facts.vog_required", "yes", 0, 19), row("facts.vog_required", "no", 0, 19),
             row("facts.vog_required", "unknown", 19, 19)]
    text = section_text(with_rows(facts), "Vergoeding, overeenkomst en VOG")
    assert "0 van" not in text
    assert "Van 19 organisaties met gegevens is niet bekend of zij vrijwilligers een VOG " \
           "vragen." in text
    one = known_fact_sentence(0, 0, 1, unit="locaties", does=("vraagt", "vragen"),
                              what="een VOG", question="een VOG vragen")
    assert one == "Van de ene locatie met gegevens is dit niet bekend."


def test_it_counts_organisations_for_policies_and_names_the_unknown_apart():
    facts = [row("facts.volunteer_agreement", "yes", 6, 9),
             row("facts.volunteer_agreement", "no", 0, 9),
             row("facts.volunteer_agreement", "unknown", 3, 9)]
    text = section_text(with_rows(facts), "Vergoeding, overeenkomst en VOG")
    assert "Alle 6 organisaties waarvan het bekend is, werken met een " \
           "vrijwilligersovereenkomst." in text
    assert "Van 3 organisaties is dit niet bekend." in text
    facts[1] = row("facts.volunteer_agreement", "no", 2, 11)
    text = section_text(with_rows(facts), "Vergoeding, overeenkomst en VOG")
    assert "6 van de 8 organisaties waarvan het bekend is, werken met" in text


@pytest.mark.django_db
def test_it_puts_the_published_rows_in_the_report():
    year = 2024
    org = OrganisationFactory(name="Zorg Noord")
    sites = [SiteFactory(organisation=org, code=f"n{n}", first_year=2010) for n in range(13)]
    for site in sites:
        for _ in range(10):
            MotherFactory(site=site, start_date=dt.date(year, 3, 1))
        VolunteerFactory(site=site, start_date=dt.date(year, 1, 5))
    quiet = SiteFactory(organisation=org, code="stil", first_year=2010)  # delivers nothing
    anna = coordinator_save(organisation=org, ref="anna")
    for site in sites:
        site_coordinators_set(site=site, year=year, lines=[(anna, Decimal(2))])
    others = [coordinator_save(organisation=org, ref=f"c{n}") for n in range(11)]
    for n, person in enumerate(others):
        site_coordinators_set(site=sites[n], year=year,
                              lines=[(anna, Decimal(2)), (person, Decimal(5 + n))])
    site_coordinators_set(site=quiet, year=year,
                          lines=[(coordinator_save(organisation=org, ref="dora"), Decimal(4))])
    source = ServerFigures()
    report = build_national_report(national_inputs(year, source))
    national = source.national(year)
    text = section_text(report, "Coördinatoren")
    total = national.get("coordinators.total").count
    delivered = national.get("coordinators.delivered").count
    assert (total, delivered) == (13, 12)  # Anna once, eleven colleagues, Dora
    assert f"{total} coördinatoren" in text
    assert f"werken er {delivered} op locaties die gegevens" in text
    hours = {c: national.get("coordinators.hours_per_week", c).value for c in ("min", "max")}
    assert hours == {"min": Decimal(5), "max": Decimal(26)}  # Anna: 13 sites x 2 hours
    assert re.search(r"minimaal 5 en maximaal 26 uur", text)


FACT_ROWS = [
    row("coordinators.experience", "youth_health_care", 9, 14),
    row("coordinators.experience", "maternity_care", 4, 14),
    row("coordinators.experience", "unknown", 2, 14),
    row("coordinators.training", "nursing", 14, 14),
    row("facts.financing", "jgz_custom_funds", 15, 23), row("facts.financing", "unknown", 4, 23),
    row("facts.variant", "regular", 17, 23), row("facts.variant", "home_start", 2, 23),
    row("facts.variant", "unknown", 4, 23),
    row("facts.reimbursement", "travel_costs", 6, 9), row("facts.reimbursement", "unknown", 3, 9),
    row("facts.volunteer_agreement", "yes", 6, 9), row("facts.volunteer_agreement", "no", 0, 9),
    row("facts.volunteer_agreement", "unknown", 3, 9),
    row("facts.vog_required", "yes", 0, 9), row("facts.vog_required", "no", 0, 9),
    row("facts.vog_required", "unknown", 9, 9),
    row("facts.group_activities", "meeting_groups", 8, 23),
    row("facts.group_activities", "unknown", 5, 23),
]
CHECKED = ("Coördinatoren", "Ervaring en opleiding", "Financiering", "Uitvoeringsvariant",
           "Vergoeding, overeenkomst en VOG", "Groepsactiviteiten")


def checked_paragraphs(report) -> list[tuple[str, Paragraph]]:
    return [(s.title, b) for _, s in iter_sections(report) if s.title in CHECKED
            for b in s.blocks if isinstance(b, Paragraph) and re.search(r"\d", b.text)]


def test_it_checks_every_number_of_the_coordinator_and_fact_sections_against_their_rows():
    report = with_rows(COORDINATOR_ROWS + FACT_ROWS, [row("coordinators.total", "all", 21, 21)])
    paragraphs = checked_paragraphs(report)
    assert {title for title, _ in paragraphs} == set(CHECKED)
    assert all(p.refs for _, p in paragraphs)  # none relies on an exemption
    assert problems(report, {YEAR - 1, YEAR}) == []


@pytest.mark.parametrize(("right", "wrong"), [
    ("gemiddeld 27,5 vrijwilligers", "gemiddeld 28,5 vrijwilligers"),
    ("waren er 18 coördinatoren", "waren er 17 coördinatoren"),
    ("3 minder dan in", "5 minder dan in"),
    ("maximaal 28 uur", "maximaal 29 uur"),
    ("werken er 14 op locaties", "werken er 15 op locaties"),
    ("gegevens van 12 van de 14", "gegevens van 13 van de 14"),
    ("(15 locaties, 79%)", "(15 locaties, 65%)"),  # a share of all 23, not of the 19 known
    ("Van 3 organisaties is dit niet bekend", "Van 2 organisaties is dit niet bekend"),
    ("17 locaties voeren", "23 locaties voeren"),
])
def test_it_catches_a_coordinator_or_fact_sentence_with_a_wrong_number(right, wrong):
    report = with_rows(COORDINATOR_ROWS + FACT_ROWS, [row("coordinators.total", "all", 21, 21)])
    changed = [p for _, p in checked_paragraphs(report) if right in p.text]
    assert changed, right
    for p in changed:
        p.text = p.text.replace(right, wrong)
    found = problems(report, {YEAR - 1, YEAR})
    assert found and all(wrong.split()[0].strip("(") in f or any(
        n in f for n in re.findall(r"\d+(?:,\d+)?%?", wrong)) for f in found)


def test_it_gives_volunteers_per_coordinator_by_one_rule_in_section_key_figures_and_summary():
    def said(rows):
        report = with_rows(rows)
        key = next(b for _, s in iter_sections(report) for b in s.blocks
                   if getattr(b, "caption", "").startswith("Kerncijfers"))
        cell = next(r[1] for r in key.rows if r[0].startswith("Vrijwilligers per coördinator"))
        return (cell, "per coördinator" in section_text(report, "Coördinatoren"),
                "per coördinator" in section_text(report, "Samenvatting"))

    assert said(COORDINATOR_ROWS) == ("27,5", True, True)
    few = [row("coordinators.total", "all", 4, 4), row("coordinators.delivered", "all", 4, 4),
           stat("ratios.volunteers_per_coordinator", "all", Decimal("96.3"), 4)]
    assert said(few) == ("–", False, False)  # no mean over fewer than 10 coordinators

"""Random records for the figures tests, and an independent count of them in plain Python."""

import datetime as dt
import random
from collections import Counter, defaultdict

import pytest

from mim.codebook import codebooks
from mim.registry.models import Mother, MotherAnswer, Volunteer, VolunteerAnswer
from tests.factories import MunicipalityFactory, OrganisationFactory, SiteFactory

YEAR = 2024
ORIGINS = codebooks.for_year(YEAR).codes("origin")


def _date_near_boundaries(rng: random.Random, year: int) -> dt.date:
    """Mostly dates on or next to 1 January and 31 December of the year and its neighbours."""
    anchors = [dt.date(y, m, d) for y in (year - 1, year, year + 1) for m, d in ((1, 1), (12, 31))]
    if rng.random() < .7:
        return rng.choice(anchors) + dt.timedelta(days=rng.choice((-1, 0, 0, 1)))
    return dt.date(year - 2, 1, 1) + dt.timedelta(days=rng.randint(0, 4 * 365))


def _birth_year(rng, year):
    if rng.random() < .1:
        return None
    return year - rng.choice((17, 19, 20, 21, 24, 25, 29, 30, 34, 35, 39, 40, 41, 55))


def random_records(rng: random.Random, sites, n_mothers: int, n_volunteers: int,
                   year: int = YEAR):
    book = codebooks.for_year(year)
    mothers, volunteers, m_answers, v_answers = [], [], [], []
    for n in range(n_mothers):
        start = _date_near_boundaries(rng, year)
        end = _date_near_boundaries(rng, year) if rng.random() < .6 else None
        if end is not None and end < start:
            start, end = end, start
        reason = rng.choice([*book.codes("mother_end_reason"), ""]) if end else ""
        reason = "" if reason == "unknown" else reason
        mothers.append(Mother(
            site=rng.choice(sites), ref=f"M{n}", start_date=start, end_date=end,
            end_reason=reason, birth_year=_birth_year(rng, year), origin=rng.choice(ORIGINS),
            education=rng.choice(book.codes("education")),
            household=rng.choice(book.codes("household")),
            income_source=rng.choice(book.codes("income_source")),
            child_order=rng.choice(book.codes("child_order")),
            pregnant_at_start=rng.choice(book.codes("yes_no"))))
    for n in range(n_volunteers):
        start = _date_near_boundaries(rng, year)
        end = _date_near_boundaries(rng, year) if rng.random() < .5 else None
        if end is not None and end < start:
            start, end = end, start
        reason = rng.choice(book.codes("volunteer_end_reason")) if end else ""
        reason = "" if reason == "unknown" else reason
        volunteers.append(Volunteer(
            site=rng.choice(sites), ref=f"V{n}", start_date=start, end_date=end,
            end_reason=reason, birth_year=_birth_year(rng, year), origin=rng.choice(ORIGINS),
            education=rng.choice(book.codes("education")),
            former_mim_mother=rng.choice(book.codes("yes_no"))))
    Mother.objects.bulk_create(mothers)
    Volunteer.objects.bulk_create(volunteers)
    for m in mothers:
        for item in ("mother_circumstances", "baby_circumstances"):
            for code in rng.sample(book.codes(item), k=rng.randint(0, 3)):
                m_answers.append(MotherAnswer(mother=m, item=item, code=code))
    for v in volunteers:
        for code in rng.sample(book.codes("work_experience"), k=rng.randint(0, 2)):
            v_answers.append(VolunteerAnswer(volunteer=v, item="work_experience", code=code))
    MotherAnswer.objects.bulk_create(m_answers)
    VolunteerAnswer.objects.bulk_create(v_answers)
    return mothers, volunteers, m_answers, v_answers


def oracle(year, mothers, volunteers, m_answers, v_answers, scope_of):
    """(scope, code, variable, category) -> (count, base), counted person by person.

    Written from the data standard alone: it shares no code with the engine but the codebook's
    code lists and age_group banding. `scope_of(site)` lists the scope keys a site counts in.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    book = codebooks.for_year(year)
    answers = defaultdict(set)
    for a in m_answers:
        answers[("m", a.mother.pk)].add((a.item, a.code))
    for a in v_answers:
        answers[("v", a.volunteer.pk)].add((a.item, a.code))
    counts = Counter()
    populations = defaultdict(Counter)

    def add(site, population, item, category):
        for scope in scope_of(site):
            counts[(*scope, f"{population}.{item}", category)] += 1

    for kind, people, pop, ended_pop, items in (
            ("m", mothers, "mothers", "mothers_ended",
             ("origin", "education", "household", "income_source", "child_order",
              "pregnant_at_start")),
            ("v", volunteers, "volunteers", "volunteers_stopped",
             ("origin", "education", "former_mim_mother"))):
        for p in people:
            if not (p.start_date <= last and (p.end_date is None or p.end_date >= first)):
                continue
            for scope in scope_of(p.site):
                populations[scope][pop] += 1
                if p.origin != "unknown":
                    populations[scope][pop + ".known"] += 1
            add(p.site, pop, "total", "all")
            for item in items:
                add(p.site, pop, item, getattr(p, item))
            age = None if p.birth_year is None else year - p.birth_year
            add(p.site, pop, "age_group", codebooks.age_group(age))
            if p.origin != "unknown":
                add(p.site, pop, "migrant_background", "no" if p.origin == "dutch" else "yes")
            for item, code in answers[(kind, p.pk)]:
                add(p.site, pop, item, code)
            if p.end_date is not None and first <= p.end_date <= last:
                for scope in scope_of(p.site):
                    populations[scope][ended_pop] += 1
                add(p.site, ended_pop, "total", "all")
                add(p.site, ended_pop, "end_reason", p.end_reason or "unknown")
    expected = {}
    scopes = {s for p in (*mothers, *volunteers) for s in scope_of(p.site)}
    for scope in scopes:
        for pop, items in (("mothers", ("origin", "age_group", "education", "household",
                                        "income_source", "child_order", "mother_circumstances",
                                        "baby_circumstances")),
                           ("volunteers", ("origin", "age_group", "education",
                                           "work_experience"))):
            base = populations[scope][pop]
            expected[(*scope, f"{pop}.total", "all")] = (base, base)
            for item in items:
                for code in book.codes(item):
                    expected[(*scope, f"{pop}.{item}", code)] = (
                        counts[(*scope, f"{pop}.{item}", code)], base)
            for code in ("yes", "no"):
                expected[(*scope, f"{pop}.migrant_background", code)] = (
                    counts[(*scope, f"{pop}.migrant_background", code)],
                    populations[scope][pop + ".known"])
        for code in book.codes("yes_no"):
            expected[(*scope, "mothers.pregnant_at_start", code)] = (
                counts[(*scope, "mothers.pregnant_at_start", code)], populations[scope]["mothers"])
            expected[(*scope, "volunteers.former_mim_mother", code)] = (
                counts[(*scope, "volunteers.former_mim_mother", code)],
                populations[scope]["volunteers"])
        for pop, item in (("mothers_ended", "mother_end_reason"),
                          ("volunteers_stopped", "volunteer_end_reason")):
            base = populations[scope][pop]
            expected[(*scope, f"{pop}.total", "all")] = (base, base)
            for code in book.codes(item):
                expected[(*scope, f"{pop}.end_reason", code)] = (
                    counts[(*scope, f"{pop}.end_reason", code)], base)
    return expected


@pytest.fixture
def three_sites(db):
    """Sites A and B share an organisation; B and C share a municipality."""
    org1, org2 = OrganisationFactory(name="Org Een"), OrganisationFactory(name="Org Twee")
    mun1, mun2 = MunicipalityFactory(name="Gem Een"), MunicipalityFactory(name="Gem Twee")
    return [SiteFactory(code="a", organisation=org1, municipality=mun1, first_year=2010),
            SiteFactory(code="b", organisation=org1, municipality=mun2, first_year=2010),
            SiteFactory(code="c", organisation=org2, municipality=mun2, first_year=2010)]


def scopes_of(site):
    return [("site", site.code), ("organisation", site.organisation.name),
            ("municipality", site.municipality.name), ("national", "NL")]

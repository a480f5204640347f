"""Registration years shaped like the seed reports.

2014 (`build_year`): 26 sites of nine organisations (Den Haag with three sites), 841 mothers and
385 volunteers at the 23 sites that delivered, sites of 5 to 120 mothers (six under 10), and
three sites without data (stopped at the end of the year).

2008 (`build_2008`): 19 sites of eight organisations, about 700 mothers and 350 volunteers, every
site delivering; sites started in 2004, so a few records reach back into 2006 and 2007, the
years of the shipped series (2004-2008 in the 2008 report).

Only facts and figures of the seed (sites, organisations, totals, the origin distribution) are
used; records are synthetic and deterministic for a seed.
"""

import datetime as dt
import math
import random
from collections import defaultdict
from decimal import Decimal

from mim.codebook import codebooks
from mim.organisations.models import Municipality, Organisation, Site
from mim.organisations.services import (
    coordinator_save,
    organisation_year_save,
    site_coordinators_set,
    site_year_save,
)
from mim.registry.models import Mother, MotherAnswer, Volunteer, VolunteerAnswer
from mim.returns import selectors
from mim.returns.models import AnnualReturn, ReturnFigure, Status

YEAR = 2014
# (site, municipality, organisation, mothers); 0: no data for the year.
SITES = [
    ("Barneveld", "Barneveld", "Icare", 30), ("Best", "Best", "Zuidzorg", 25),
    ("Den Haag (Escamp en Ypenburg)", "Den Haag", "Jong Florence", 120),
    ("Den Haag (Laak, Moerwijk en Haagse Hout)", "Den Haag", "Jong Florence", 110),
    ("Den Haag (Transvaal, Segbroek en Scheveningen)", "Den Haag", "Jong Florence", 89),
    ("Dordrecht", "Dordrecht", "Careyn", 60), ("Dronten", "Dronten", "Icare", 20),
    ("Ede", "Ede", "Icare", 45), ("Elburg", "Elburg", "Icare", 7),
    ("Emmeloord", "Noordoostpolder", "Zorggroep Oude en Nieuwe Land", 0),
    ("Ermelo", "Ermelo", "Icare", 12), ("Groningen", "Groningen", "GGD Groningen", 50),
    ("Harderwijk", "Harderwijk", "Icare", 28),
    ("Hengelo", "Hengelo", "GGD Twente", 0), ("Lelystad", "Lelystad", "Icare", 35),
    ("Nijkerk", "Nijkerk", "Icare", 18), ("Nunspeet", "Nunspeet", "Icare", 8),
    ("Oldebroek", "Oldebroek", "Icare", 6), ("Putten", "Putten", "Icare", 9),
    ("Scherpenzeel", "Scherpenzeel", "Icare", 6),
    ("'s-Hertogenbosch", "'s-Hertogenbosch", "Humanitas", 55),
    ("Schiedam", "Schiedam", "CJG Rijnmond", 40),
    ("Steenwijkerland", "Steenwijkerland", "Zorggroep Oude en Nieuwe Land", 0),
    ("Vlaardingen", "Vlaardingen", "CJG Rijnmond", 33), ("Zeewolde", "Zeewolde", "Icare", 5),
    ("Zwijndrecht", "Zwijndrecht", "Careyn", 30),
]
VOLUNTEERS = 385
# The 2008 report's sites and providers (organisations), with synthetic sizes adding up to 703.
YEAR_2008 = 2008
SITES_2008 = [
    ("Barneveld", "Barneveld", "Kruiswerk West-Veluwe", 30), ("Borne", "Borne", "Carint", 15),
    ("Breda", "Breda", "Careyn", 40),
    ("Den Haag (Escamp)", "Den Haag", "Meavita", 80),
    ("Den Haag (Laak)", "Den Haag", "Meavita", 75),
    ("Den Haag (Transvaal/Segbroek)", "Den Haag", "Meavita", 70),
    ("Dordrecht", "Dordrecht", "Stichting Opmaat", 45), ("Ede", "Ede", "Kruiswerk West-Veluwe", 35),
    ("Emmeloord", "Noordoostpolder", "Zorggroep Oude en Nieuwe Land", 12),
    ("Groningen", "Groningen", "Thuiszorg Groningen", 50), ("Hengelo", "Hengelo", "Carint", 25),
    ("'s-Hertogenbosch", "'s-Hertogenbosch", "Humanitas", 40),
    ("Hof van Twente", "Hof van Twente", "Carint", 8),
    ("Nijkerk", "Nijkerk", "Kruiswerk West-Veluwe", 20), ("Purmerend", "Purmerend", "Humanitas", 30),
    ("Schiedam", "Schiedam", "Careyn", 45), ("Spijkenisse", "Spijkenisse", "Careyn", 28),
    ("Steenwijk", "Steenwijkerland", "Zorggroep Oude en Nieuwe Land", 20),
    ("Vlaardingen", "Vlaardingen", "Careyn", 35),
]
VOLUNTEERS_2008 = 349
# The 2008 seed gives 65% of mothers with a migrant background; the split is synthetic.
ORIGIN_2008 = {"dutch": 35, "turkish": 12, "moroccan": 13, "surinamese": 6, "antillean": 3,
               "europe_other": 8, "africa": 9, "asia": 7, "middle_east": 4, "americas": 3}
# The seed's origin distribution of mothers, in percent.
ORIGIN = {"dutch": 31, "turkish": 6, "moroccan": 5, "surinamese": 3, "antillean": 2,
          "europe_other": 18, "africa": 10, "asia": 9, "middle_east": 4, "americas": 2,
          "unknown": 10}


def _code(name: str) -> str:
    return "".join(c for c in name.lower().replace(" ", "-") if c.isalnum() or c == "-")[:40]


def build_2008(seed: int = 2008) -> list[Site]:
    """A year shaped like the 2008 seed report (see the module's docstring)."""
    return build_year(seed, year=YEAR_2008, sites_spec=SITES_2008, volunteers=VOLUNTEERS_2008,
                      origin=ORIGIN_2008, first_year=2004)


def approve(site: Site, year: int) -> AnnualReturn:
    """An approved return holding the site's live figures, as a submission would freeze them."""
    annual_return = AnnualReturn.objects.create(
        site=site, year=year, status=Status.APPROVED,
        submitted_at=dt.datetime(year + 1, 2, 1, tzinfo=dt.UTC),
        approved_at=dt.datetime(year + 1, 3, 1, tzinfo=dt.UTC))
    ReturnFigure.objects.bulk_create(
        ReturnFigure(annual_return=annual_return, variable=f.variable, category=f.category,
                     count=f.count, base=f.base)
        for f in selectors.live_site_figures(site, year) if f.population != "sites")
    return annual_return


def build_year(seed: int = 2014, *, year: int = YEAR, sites_spec=SITES, volunteers: int = VOLUNTEERS,
               origin: dict = ORIGIN, first_year: int = 2010) -> list[Site]:
    """Create the sites and records of the year; returns the sites."""
    YEAR, SITES, VOLUNTEERS, ORIGIN = year, sites_spec, volunteers, origin  # noqa: N806
    rng = random.Random(seed)
    book = codebooks.for_year(YEAR)
    sites = []
    for name, municipality, organisation, _n in SITES:
        sites.append(Site.objects.create(
            code=_code(name), name=name, first_year=first_year, last_year=None,
            organisation=Organisation.objects.get_or_create(name=organisation)[0],
            municipality=Municipality.objects.get_or_create(name=municipality)[0]))
    mothers, volunteers = [], []
    total = sum(n for *_, n in SITES)
    for site, (*_, n) in zip(sites, SITES, strict=True):
        for i in range(n):
            start = dt.date(YEAR - rng.choice((0, 0, 1)), rng.randint(1, 12), rng.randint(1, 28))
            end = None
            if rng.random() < .44:
                end = start + dt.timedelta(days=rng.randint(30, 540))
                if end.year < YEAR:
                    end = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
                if end < start:
                    end = start
            mothers.append(Mother(
                site=site, ref=f"M{i:04d}", start_date=start, end_date=end,
                end_reason=rng.choice(book.codes("mother_end_reason")[:-1]) if end else "",
                birth_year=YEAR - rng.randint(17, 42) if rng.random() > .05 else None,
                origin=rng.choices(list(ORIGIN), weights=list(ORIGIN.values()))[0],
                education=rng.choice(book.codes("education")),
                household=rng.choice(book.codes("household")),
                income_source=rng.choice(book.codes("income_source")),
                child_order=rng.choices(book.codes("child_order"), weights=[80, 18, 2])[0]
                if len(book.codes("child_order")) == 3 else rng.choice(book.codes("child_order")),
                pregnant_at_start=rng.choice(book.codes("yes_no"))))
        for i in range(round(VOLUNTEERS * n / total)):
            start = dt.date(YEAR - rng.randint(0, 4), rng.randint(1, 12), rng.randint(1, 28))
            end = dt.date(YEAR, rng.randint(1, 12), 28) if rng.random() < .25 else None
            end = max(end, start) if end else None
            volunteers.append(Volunteer(
                site=site, ref=f"V{i:04d}", start_date=start, end_date=end,
                end_reason=rng.choice(book.codes("volunteer_end_reason")[:-1]) if end else "",
                birth_year=YEAR - rng.randint(25, 70),
                origin=rng.choices(list(ORIGIN), weights=list(ORIGIN.values()))[0],
                education=rng.choice(book.codes("education")),
                former_mim_mother=rng.choice(book.codes("yes_no"))))
    Mother.objects.bulk_create(mothers, batch_size=500)
    Volunteer.objects.bulk_create(volunteers, batch_size=500)
    answers = [MotherAnswer(mother=m, item=item, code=code) for m in mothers
               for item in ("mother_circumstances", "baby_circumstances")
               for code in rng.sample(book.codes(item), k=rng.choice((0, 1, 1, 2)))]
    MotherAnswer.objects.bulk_create(answers, batch_size=1000)
    VolunteerAnswer.objects.bulk_create(
        [VolunteerAnswer(volunteer=v, item="work_experience", code=code) for v in volunteers
         for code in rng.sample(book.codes("work_experience"), k=rng.choice((0, 1, 1, 2)))],
        batch_size=1000)
    coordinators_and_facts(sites, YEAR, random.Random(f"facts-{seed}"))
    return sites


def coordinators_and_facts(sites: list[Site], year: int, rng: random.Random) -> None:
    """Coordinators as people of their organisation (one per two sites, and at an organisation
    of three sites or more one who works a few hours at each of them), site facts and the
    organisations' policies; some of each left unknown, as in the seeds. An organisation
    whose sites all stopped (2014: Zorggroep Oude en Nieuwe Land, GGD Twente) has
    coordinators too, who work only at sites without data. Drawn from a generator of its
    own, so the records stay as they were."""
    book = codebooks.for_year(year)
    by_organisation: dict[Organisation, list[Site]] = defaultdict(list)
    for site in sites:
        by_organisation[site.organisation].append(site)
    for number, (organisation, own) in enumerate(by_organisation.items()):
        def person(ref: str, organisation=organisation) -> object:
            known = rng.random() < .8
            return coordinator_save(
                organisation=organisation, ref=ref,
                experience=rng.sample(book.codes("coordinator_experience"),
                                      k=rng.randint(1, 2)) if known else [],
                training=rng.sample(book.codes("coordinator_training"),
                                    k=rng.randint(1, 2)) if rng.random() < .85 else [])
        people = [person(f"c{number}-{k}") for k in range(math.ceil(len(own) / 2))]
        shared = person(f"c{number}-all") if len(own) >= 3 else None
        for i, site in enumerate(own):
            lines = [(people[i // 2], Decimal(rng.choice((4, 6, 8, 12, 16, 20))) +
                      Decimal(rng.choice((0, 0, 0.5))))]
            if shared is not None:
                lines.append((shared, Decimal(rng.randint(1, 3))))
            site_coordinators_set(site=site, year=year, lines=lines)
            if rng.random() < .9:
                site_year_save(
                    site=site, year=year, target_group="Moeders met weinig netwerk.",
                    financing=rng.sample(book.codes("financing")[:3], k=rng.randint(1, 2)),
                    variant=["regular"] if rng.random() < .8 else ["home_start"],
                    group_activities=rng.sample(book.codes("group_activities")[:3],
                                                k=rng.randint(0, 2)))
        if rng.random() < .85:
            organisation_year_save(
                organisation=organisation, year=year,
                reimbursement=rng.sample(book.codes("reimbursement")[:4], k=rng.randint(1, 2)),
                volunteer_agreement=rng.choice(("yes", "yes", "no", "unknown")),
                vog_required=rng.choice(("yes", "no", "unknown", "unknown")))

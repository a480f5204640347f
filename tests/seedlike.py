"""A registration year shaped like the 2014 seed report: 26 sites of nine organisations (Den Haag
with three sites), 841 mothers and 385 volunteers at the 23 sites that delivered, sites of 5 to
120 mothers (six under 10), and three sites without data (stopped at the end of the year).

Only facts and figures of the seed (sites, organisations, totals, the origin distribution) are
used; records are synthetic and deterministic for a seed.
"""

import datetime as dt
import random

from mim.codebook import codebooks
from mim.organisations.models import Municipality, Organisation, Site
from mim.registry.models import Mother, MotherAnswer, Volunteer, VolunteerAnswer

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
# The seed's origin distribution of mothers, in percent.
ORIGIN = {"dutch": 31, "turkish": 6, "moroccan": 5, "surinamese": 3, "antillean": 2,
          "europe_other": 18, "africa": 10, "asia": 9, "middle_east": 4, "americas": 2,
          "unknown": 10}


def _code(name: str) -> str:
    return "".join(c for c in name.lower().replace(" ", "-") if c.isalnum() or c == "-")[:40]


def build_year(seed: int = 2014) -> list[Site]:
    """Create the sites and records of the year; returns the sites."""
    rng = random.Random(seed)
    book = codebooks.for_year(YEAR)
    sites = []
    for name, municipality, organisation, _n in SITES:
        sites.append(Site.objects.create(
            code=_code(name), name=name, first_year=2010, last_year=None,
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
    return sites

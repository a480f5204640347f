"""Synthetic, deterministic demo data: sites, users for every role, and records over the
five years before today's and the current one up to today, with realistic national
distributions (issue 11: a demo that stopped at the end of 2025 showed, a year later,
almost every mother "without a visit in 6 weeks" and figures of a year without data).

Same seed and same day, same data: every random choice comes from one random.Random(seed),
and every date is placed relative to `today` (the current date unless given), through
`DemoCalendar`.
"""

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from mim.accounts.models import Role, RoleAssignment, User
from mim.demo import data
from mim.organisations.models import (
    Coordinator,
    CoordinatorAssignment,
    OrganisationYear,
    Site,
    SiteYear,
)
from mim.organisations.services import site_create
from mim.registry.models import (
    Match,
    Mother,
    MotherAnswer,
    MotherContact,
    SelfAssessment,
    Visit,
    Volunteer,
    VolunteerAnswer,
    VolunteerContact,
)

# The demo's data describe the world of 2026 (site first years, the stopped site); other
# days shift them by whole years, so the same story is told on any day.
BASE_PREVIOUS_YEAR = 2025
STOPPED_SITES = {"best": -1}  # years before the previous year
DEMO_PASSWORD = "mim-demo-2025"  # noqa: S105  (printed for the demo; never a real account)
BATCH = 2000


@dataclass(frozen=True)
class DemoCalendar:
    """The demo's years, relative to its day: returns for the five years before this one
    (the previous one under review), the current year open, records up to `today`."""

    today: dt.date

    @property
    def previous(self) -> int:
        return self.today.year - 1

    @property
    def return_years(self) -> range:
        return range(self.previous - 4, self.previous + 1)

    @property
    def first_year(self) -> int:
        return self.return_years.start

    @property
    def last_year(self) -> int:
        return self.today.year

    @property
    def records_from(self) -> dt.date:
        # so that the first year has mothers carried over from before
        return dt.date(self.first_year - 2, 7, 1)

    @property
    def window_end(self) -> dt.date:
        return self.today  # ends after this are still open

    @property
    def shift(self) -> int:
        return self.previous - BASE_PREVIOUS_YEAR

    def site_first_year(self, first: int) -> int:
        # sites that started inside the demo's five years start as many years before today
        return first + self.shift if first >= BASE_PREVIOUS_YEAR - 4 else first

    def stopped(self, code: str) -> int | None:
        offset = STOPPED_SITES.get(code)
        return None if offset is None else self.previous + offset


def calendar(today: dt.date | None = None) -> DemoCalendar:
    from django.utils import timezone

    return DemoCalendar(today or timezone.localdate())


@dataclass
class Login:
    username: str
    role: str
    scope: str


@dataclass
class DemoResult:
    sites: int = 0
    mothers: int = 0
    volunteers: int = 0
    matches: int = 0
    visits: int = 0
    assessments: int = 0
    today: dt.date | None = None
    logins: list[Login] = field(default_factory=list)


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _contact(rng, model, **owner):
    first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
    return model(name=f"{first} {last}",
                 address=f"{rng.choice(data.STREETS)} {rng.randint(1, 180)}",
                 postcode=f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
                          f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
                 phone=f"06-{rng.randint(10000000, 99999999)}", **owner)


@transaction.atomic
def build(seed: int = 2025, progress: Callable[[str, int], None] | None = None,
          today: dt.date | None = None) -> DemoResult:
    """Fill an empty database as on `today` (default: the current date).
    `progress(step, advance)` reports work done."""
    cal = calendar(today)
    rng = random.Random(seed)
    tick = progress or (lambda step, n=1: None)
    result = DemoResult(today=cal.today)
    sites = _sites(rng, cal)
    result.sites = len(sites)
    tick("sites", 1)
    result.logins = _users(sites)
    tick("users", 1)
    everyone = []
    for site, intake in sites:
        volunteers = _volunteers(rng, cal, site, intake)
        mothers = _mothers(rng, cal, site, intake)
        everyone += mothers
        matches, visits = _matches_and_visits(rng, cal, site, mothers, volunteers)
        result.mothers += len(mothers)
        result.volunteers += len(volunteers)
        result.matches += matches
        result.visits += visits
        tick("records", 1)
    # A random stream of its own: the records above stay what they were before (issue 13).
    result.assessments = _assessments(random.Random(seed + 13), cal, everyone)
    from mim.returns.demo import build_returns  # returns read the records made above
    build_returns(seed, cal)
    return result


def _sites(rng, cal: DemoCalendar) -> list[tuple[Site, int]]:
    sites = []
    for code, name, org, municipality, cbs, intake, first in data.SITES:
        site = site_create(code=code, name=name, organisation=data.ORGANISATIONS[org],
                           municipality=municipality, cbs_code=cbs,
                           first_year=cal.site_first_year(first), last_year=cal.stopped(code))
        _site_facts(rng, cal, site, intake)
        sites.append((site, intake))
    return sites


_EXPERIENCE = ["youth_health_care", "maternity_care", "youth_care", "childcare", "education",
               "psychosocial_care"]
_TRAINING = ["nursing", "public_health_nursing", "social_pedagogy", "youth_welfare_work",
             "psychology", "coaching"]


def _site_facts(rng, cal: DemoCalendar, site: Site, intake: int) -> None:
    """The site's facts, its organisation's policies (once per organisation and year) and its
    coordinators as people of the organisation: the organisation's first coordinator also
    works a few hours at each of its later sites, so one person works at several sites and
    counts once. The demo's shared generator is drawn from exactly as before (the records
    stay the same); what is new draws from a generator of the site's own."""
    own_rng = random.Random(f"coordinators-{site.code}")
    years = range(max(cal.first_year, site.first_year), (site.last_year or cal.last_year) + 1)
    financing = ["jgz_custom_funds"] if rng.random() < .7 else ["municipal_subsidy"]
    variant = ["home_start"] if site.code == "s-hertogenbosch" else (
        ["regular", "boekenpret"] if site.code == "dordrecht" else ["regular"])
    reimbursement = rng.choice([["travel_costs"], ["travel_costs", "phone_costs"],
                                ["fixed_per_mother_month"], ["fixed_per_visit"], ["gift"]])
    own = 2 if intake > 40 else 1
    organisation = site.organisation
    shared = Coordinator.objects.filter(organisation=organisation).order_by("pk").first()
    people = [Coordinator.objects.create(
        organisation=organisation, ref=f"{site.code}-{n + 1}",
        experience=own_rng.sample(_EXPERIENCE, k=own_rng.randint(0, 2)),
        training=own_rng.sample(_TRAINING, k=own_rng.randint(0, 1))) for n in range(own)]
    for year in years:
        SiteYear.objects.create(
            site=site, year=year,
            target_group="Moeders van een eerste kind (en soms tweede kind) met weinig "
                         "netwerk of onzekerheid over de opvoeding; ook zwangeren.",
            financing=financing, variant=variant,
            group_activities=rng.sample(["meeting_groups", "mother_baby_groups",
                                         "social_media"], k=rng.randint(1, 2)))
        agreement = "yes" if rng.random() < .8 else own_rng.choice(["no", "unknown"])
        vog = "yes" if rng.random() < .6 else own_rng.choice(["no", "unknown"])
        OrganisationYear.objects.get_or_create(
            organisation=organisation, year=year,
            defaults={"reimbursement": reimbursement, "volunteer_agreement": agreement,
                      "vog_required": vog})
        for person in people:
            hours = Decimal(min(32, max(4, intake // 3 + rng.randint(-3, 6))))
            CoordinatorAssignment.objects.create(coordinator=person, site=site, year=year,
                                                 hours_per_week=hours)
        if shared is not None:
            CoordinatorAssignment.objects.create(coordinator=shared, site=site, year=year,
                                                 hours_per_week=Decimal(own_rng.randint(2, 6)))


def _volunteers(rng, cal: DemoCalendar, site: Site, intake: int) -> list[Volunteer]:
    site_start = dt.date(max(site.first_year, cal.first_year - 6), 1, 1)
    site_end = dt.date(site.last_year, 12, 31) if site.last_year else cal.window_end
    # Enough volunteers for about two mothers each at any time, with turnover.
    count = max(3, int(intake * 2.1))
    people, answers, contacts = [], [], []
    for n in range(count):
        start = _date_between(rng, site_start, site_end - dt.timedelta(days=30))
        years = rng.expovariate(1 / 3.5)
        end = start + dt.timedelta(days=int(years * 365) + 60)
        closed = end <= min(site_end, cal.window_end)
        if not closed and site.last_year:
            end, closed = site_end, True
        lo, hi = _pick(rng, data.VOLUNTEER_AGE)
        vog = start - dt.timedelta(days=rng.randint(0, 60)) if rng.random() < .9 else None
        people.append(Volunteer(
            site=site, ref=f"V{n + 1:04d}", start_date=start,
            end_date=end if closed else None,
            end_reason=_pick(rng, data.VOLUNTEER_END) if closed else "",
            birth_year=start.year - rng.randint(lo, hi), origin=_pick(rng, data.VOLUNTEER_ORIGIN),
            education=_pick(rng, data.VOLUNTEER_EDUCATION),
            former_mim_mother="yes" if rng.random() < .25 else "no",
            vog_date=vog, agreement_signed="yes" if rng.random() < .85 else "no"))
    Volunteer.objects.bulk_create(people, batch_size=BATCH)
    for person in people:
        for code, p in data.WORK_EXPERIENCE.items():
            if rng.random() < p:
                answers.append(VolunteerAnswer(volunteer=person, item="work_experience",
                                               code=code))
        if person.end_date is None or person.end_date.year >= cal.previous - 1:
            contacts.append(_contact(rng, VolunteerContact, volunteer=person))
    VolunteerAnswer.objects.bulk_create(answers, batch_size=BATCH)
    VolunteerContact.objects.bulk_create(contacts, batch_size=BATCH)
    return people


def _mothers(rng, cal: DemoCalendar, site: Site, intake: int) -> list[Mother]:
    site_start = max(cal.records_from, dt.date(site.first_year, 1, 1))
    site_end = dt.date(site.last_year, 12, 31) if site.last_year else cal.window_end
    days = (site_end - site_start).days
    count = max(1, round(intake * days / 365))
    people, answers, contacts = [], [], []
    for n in range(count):
        start = _date_between(rng, site_start, site_end)
        if rng.random() < data.SHARE_COMPLETED:
            end, reason = start + dt.timedelta(days=547), "completed"
        else:
            end, reason = (start + dt.timedelta(days=rng.randint(30, 500)),
                           _pick(rng, data.MOTHER_END))
        if end > site_end and site.last_year:
            end, reason = site_end, "other"
        closed = end <= cal.window_end
        lo, hi = _pick(rng, data.MOTHER_AGE)
        origin = _pick(rng, data.MOTHER_ORIGIN)
        people.append(Mother(
            site=site, ref=f"M{n + 1:05d}", start_date=start,
            end_date=end if closed else None, end_reason=reason if closed else "",
            birth_year=start.year - rng.randint(lo, hi) if rng.random() < .97 else None,
            origin=origin, country_of_birth=rng.choice(data.COUNTRIES[origin]),
            education=_pick(rng, data.MOTHER_EDUCATION), household=_pick(rng, data.HOUSEHOLD),
            income_source=_pick(rng, data.INCOME), child_order=_pick(rng, data.CHILD_ORDER),
            pregnant_at_start=_pick(rng, data.PREGNANT)))
    Mother.objects.bulk_create(people, batch_size=BATCH)
    for person in people:
        for item, probabilities in (("mother_circumstances", data.MOTHER_CIRCUMSTANCES),
                                    ("baby_circumstances", data.BABY_CIRCUMSTANCES)):
            for code, p in probabilities.items():
                if rng.random() < p:
                    answers.append(MotherAnswer(mother=person, item=item, code=code))
        if person.end_date is None or person.end_date.year >= cal.previous - 1:
            contacts.append(_contact(rng, MotherContact, mother=person))
    MotherAnswer.objects.bulk_create(answers, batch_size=BATCH)
    MotherContact.objects.bulk_create(contacts, batch_size=BATCH)
    return people


def _matches_and_visits(rng, cal: DemoCalendar, site, mothers, volunteers) -> tuple[int, int]:
    matches, visits = [], []
    busy: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for mother in sorted(mothers, key=lambda m: m.start_date):
        match_start = mother.start_date + dt.timedelta(days=rng.randint(7, 35))
        mother_end = mother.end_date or cal.window_end
        if match_start > mother_end or rng.random() < .03:
            continue  # never matched (ended early, or no volunteer found)
        candidates = [v for v in volunteers
                      if v.start_date <= match_start
                      and (v.end_date is None or v.end_date >= match_start)
                      and sum(1 for s, e in busy.get(v.pk, []) if s <= match_start <= e) < 2]
        if not candidates:
            continue
        same = [v for v in candidates if v.origin == mother.origin]
        volunteer = rng.choice(same if same and rng.random() < .6 else candidates)
        match_end = min(mother_end, volunteer.end_date or mother_end)
        busy.setdefault(volunteer.pk, []).append((match_start, match_end))
        matches.append(Match(site=site, mother=mother, volunteer=volunteer,
                             start_date=match_start,
                             end_date=match_end if mother.end_date or volunteer.end_date
                             else None))
        day, last = match_start, min(match_end, cal.window_end)
        if last == cal.window_end and rng.random() < .06:
            last -= dt.timedelta(days=rng.randint(45, 90))  # a few visits fall behind, as at a real site
        while day <= last:
            visits.append(Visit(mother=mother, volunteer=volunteer, date=day))
            day += dt.timedelta(days=rng.randint(21, 42))
    Match.objects.bulk_create(matches, batch_size=BATCH)
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    return len(matches), len(visits)


def _assessments(rng, cal: DemoCalendar, mothers) -> int:
    """Self-assessments: an intake for 90% of the mothers, the 9-month one for 70% of those
    who ran that long, the end for 60% of those who ended; answers that mostly improve."""
    from mim.codebook import assessment

    rows = []

    def answers(base: dict | None = None) -> dict:
        found = {}
        for aim in assessment.AIMS:
            if rng.random() < .04:
                found[aim] = None  # a question she did not answer
            elif base is None:
                found[aim] = rng.choices((1, 2, 3, 4, 5), weights=(8, 25, 35, 24, 8))[0]
            elif base.get(aim) is None:
                found[aim] = rng.randint(2, 5)
            else:
                step = rng.choices((-1, 0, 1, 2), weights=(10, 35, 40, 15))[0]
                found[aim] = min(5, max(1, base[aim] + step))
        return found

    def add(mother, moment, day, values):
        rows.append(SelfAssessment(mother=mother, moment=moment, date=day,
                                   version=assessment.for_date(day).version, **values))

    for mother in mothers:
        start = min(mother.start_date + dt.timedelta(days=rng.randint(0, 14)),
                    mother.end_date or cal.today, cal.today)
        intake = answers()
        if rng.random() < .9:
            add(mother, SelfAssessment.INTAKE, start, intake)
        nine = mother.start_date + dt.timedelta(days=274)
        ran = nine <= (mother.end_date or cal.today)
        later = intake
        if ran and rng.random() < .7:
            later = answers(intake)
            add(mother, SelfAssessment.MONTH9, nine + dt.timedelta(days=rng.randint(0, 30)), later)
        if mother.end_date and rng.random() < .6:
            add(mother, SelfAssessment.END, max(mother.end_date, start), answers(later))
    # a 9-month date beyond her end or today would be in the future or after her end
    rows = [r for r in rows if r.date <= min(r.mother.end_date or cal.today, cal.today)
            or r.moment != SelfAssessment.MONTH9]
    SelfAssessment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _users(sites) -> list[Login]:
    by_code = {site.code: site for site, _ in sites}
    logins = []

    def user(username, first, last, role, **scope):
        account = User.objects.create_user(username=username, password=DEMO_PASSWORD,
                                           first_name=first, last_name=last,
                                           is_staff=role == Role.OPERATOR,
                                           is_superuser=role == Role.OPERATOR)
        RoleAssignment.objects.create(user=account, role=role, **scope)
        demo_second_factor(account)
        target = next(iter(scope.values()), None)
        logins.append(Login(username, str(Role(role).label), str(target or "landelijk")))
        return account

    coordinator = user("coordinator", "Carla", "Coördinator", Role.COORDINATOR,
                       site=by_code["den-haag-escamp"])
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR,
                                  site=by_code["den-haag-laak"])
    logins[-1].scope += f", {by_code['den-haag-laak']}"
    user("coordinator2", "Dewi", "Coördinator", Role.COORDINATOR, site=by_code["dordrecht"])
    user("organisatie", "Olga", "Organisatie", Role.ORGANISATION_VIEWER,
         organisation=by_code["lelystad"].organisation)
    user("programmabureau", "Pim", "Programmabureau", Role.PROGRAMME_OFFICE)
    # A second person of the office: a coordinator's role the one proposes, the other confirms.
    user("programmabureau2", "Paula", "Programmabureau", Role.PROGRAMME_OFFICE)
    user("gemeente", "Gerda", "Gemeente", Role.FUNDER, municipality=by_code["ede"].municipality)
    user("beheerder", "Bas", "Beheerder", Role.OPERATOR)
    return logins


def demo_second_factor(user) -> None:
    """A confirmed authenticator with a key derived from the username, so the demo logins
    work without a phone: `mim otp-code USER` prints the current code (DEBUG only)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = hashlib.sha1(f"mim-demo:{user.username}".encode()).hexdigest()  # noqa: S324
    TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)


def database_is_empty() -> bool:
    return not (Site.objects.exists() or User.objects.exists())


@transaction.atomic
def reset() -> None:
    """Remove everything the demo makes. The access log stays: it is append-only."""
    from mim.returns.demo import reset_returns  # returns protect their sites: first
    reset_returns()
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mim.audit.models import Event
    from mim.audit.services import audit_record, audited_write

    # Synthetic records only; one line in the access log says they went.
    audit_record(event=Event.DELETE, object_type="demo", detail="demo data reset")
    with audited_write():
        for model in (SelfAssessment, Visit, Match, MotherAnswer, MotherContact, Mother, VolunteerAnswer,
                      VolunteerContact, Volunteer, CoordinatorAssignment, Coordinator,
                      SiteYear, OrganisationYear, RoleAssignment,
                      TOTPDevice, StaticDevice):
            model.objects.all().delete()
    User.objects.all().delete()
    Site.objects.all().delete()
    from mim.organisations.models import Municipality, Organisation

    Organisation.objects.all().delete()
    Municipality.objects.all().delete()

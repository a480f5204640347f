"""Factories for test data: every test builds exactly what it needs."""

import datetime as dt

import factory

from mim.accounts.models import Role, RoleAssignment, User
from mim.organisations.models import Municipality, Organisation, Site
from mim.registry.models import Match, Mother, MotherAnswer, Visit, Volunteer, VolunteerAnswer


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: f"Locatie {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    first_year = 2015


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


def user_with_role(role: str, username: str | None = None, **scope) -> User:
    user = UserFactory(username=username) if username else UserFactory()
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


class MotherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mother

    site = factory.SubFactory(SiteFactory)
    ref = factory.Sequence(lambda n: f"M{n:05d}")
    start_date = dt.date(2024, 3, 1)
    birth_year = 1995
    origin = "dutch"
    education = "mbo"
    household = "cohabiting"
    income_source = "joint_income"
    child_order = "first"
    pregnant_at_start = "no"


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    site = factory.SubFactory(SiteFactory)
    ref = factory.Sequence(lambda n: f"V{n:04d}")
    start_date = dt.date(2022, 1, 10)
    birth_year = 1980
    origin = "dutch"
    education = "hbo"
    former_mim_mother = "no"
    agreement_signed = "yes"


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    mother = factory.SubFactory(MotherFactory)
    volunteer = factory.SubFactory(VolunteerFactory, site=factory.SelfAttribute("..mother.site"))
    site = factory.SelfAttribute("mother.site")
    start_date = factory.LazyAttribute(lambda o: o.mother.start_date + dt.timedelta(days=14))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    mother = factory.SubFactory(MotherFactory)
    date = factory.LazyAttribute(lambda o: o.mother.start_date + dt.timedelta(days=30))


def answer(mother, item: str, code: str) -> MotherAnswer:
    return MotherAnswer.objects.create(mother=mother, item=item, code=code)


def random_mother(rng, site, start) -> Mother:
    """A mother of `site` from `start` with a few answers drawn from `rng`: origin, education
    and zero to two circumstances (the publication's version attacks)."""
    mother = MotherFactory(site=site, start_date=start,
                           origin=rng.choice(["dutch", "turkish", "moroccan", "asia", "unknown"]),
                           education=rng.choice(["lbo_or_lower", "mbo", "hbo"]))
    for code in rng.sample(["undocumented", "poor_social_network", "single_parenthood"],
                           rng.randrange(3)):
        answer(mother, "mother_circumstances", code)
    return mother


def volunteer_answer(volunteer, code: str) -> VolunteerAnswer:
    return VolunteerAnswer.objects.create(volunteer=volunteer, item="work_experience", code=code)


__all__ = ["Role"]

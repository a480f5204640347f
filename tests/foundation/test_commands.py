import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mim.accounts.models import Role, RoleAssignment
from mim.demo.generator import DEMO_PASSWORD
from mim.organisations.models import Organisation, Site
from mim.registry.models import Match, Mother, Visit, Volunteer


@pytest.mark.django_db
def test_it_creates_a_site_and_its_organisation(capsys):
    call_command("create-site", "ede", "--name", "Ede", "--organisation", "Welzijn Ede",
                 "--municipality", "Ede", "--cbs-code", "GM0228")
    site = Site.objects.get(code="ede")
    assert site.organisation.name == "Welzijn Ede"
    assert site.municipality.cbs_code == "GM0228"
    assert "created site ede" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_refuses_a_duplicate_site_code_with_exit_1_and_writes_nothing():
    call_command("create-site", "ede", "--name", "Ede", "--organisation", "A",
                 "--municipality", "Ede")
    with pytest.raises(CommandError, match="exists already") as excinfo:
        call_command("create-site", "ede", "--name", "Ede 2", "--organisation", "New org",
                     "--municipality", "Ede")
    assert excinfo.value.returncode == 1
    assert not Organisation.objects.filter(name="New org").exists()


@pytest.mark.django_db
def test_it_refuses_an_invalid_site_code():
    with pytest.raises(CommandError, match="site refused") as excinfo:
        call_command("create-site", "Ede met spaties", "--name", "Ede", "--organisation", "A",
                     "--municipality", "Ede")
    assert excinfo.value.returncode == 1
    assert not Site.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_blank_organisation_or_municipality():
    with pytest.raises(CommandError, match="organisation: may not be empty") as excinfo:
        call_command("create-site", "ede", "--name", "Ede", "--organisation", " ",
                     "--municipality", "Ede")
    assert excinfo.value.returncode == 1
    assert not Site.objects.exists()


@pytest.mark.django_db
def test_it_finds_an_existing_municipality_whatever_its_case():
    for code, municipality in (("u1", "Utrecht"), ("u2", "utrecht")):
        call_command("create-site", code, "--name", code, "--organisation", "Org",
                     "--municipality", municipality)
    assert {s.municipality.name for s in Site.objects.all()} == {"Utrecht"}


@pytest.mark.django_db
def test_it_fills_realistic_demo_data_with_a_login_per_role(capsys):
    call_command("demo", "--seed", "7", "--today", "2026-06-01")
    out = capsys.readouterr().out
    assert Site.objects.count() == 21  # 20 keep records here, one delivers totals only
    assert Site.objects.filter(keeps_records=False).count() == 1
    assert Mother.objects.count() > 2000 and Volunteer.objects.count() > 500
    assert Match.objects.exists() and Visit.objects.exists()
    assert {a.role for a in RoleAssignment.objects.all()} == set(Role.values)
    assert DEMO_PASSWORD in out and "programmabureau" in out
    # one site with fewer than 10 mothers reached in every year
    from django.db.models import Q
    for year in range(2021, 2026):
        reached = Mother.objects.filter(site__code="zeewolde", start_date__year__lte=year).filter(
            Q(end_date__isnull=True) | Q(end_date__year__gte=year))
        assert 0 < reached.count() < 10


@pytest.mark.django_db
def test_it_makes_the_same_demo_for_the_same_seed():
    def fingerprint():
        return list(Mother.objects.order_by("site__code", "ref").values_list(
            "site__code", "ref", "start_date", "end_date", "origin", "birth_year"))

    call_command("demo", "--seed", "3", "--today", "2026-06-01")
    first = fingerprint()
    call_command("demo", "--reset", "--seed", "3", "--today", "2026-06-01")
    assert fingerprint() == first
    call_command("demo", "--reset", "--seed", "4", "--today", "2026-06-01")
    assert fingerprint() != first


@pytest.mark.django_db
def test_it_refuses_to_fill_a_database_that_has_data():
    from tests.factories import SiteFactory

    SiteFactory()
    with pytest.raises(CommandError, match="--reset") as excinfo:
        call_command("demo")
    assert excinfo.value.returncode == 1


@pytest.mark.django_db
def test_it_gives_demo_users_a_second_factor_that_otp_code_reveals_in_debug_only(
        settings, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("demo", "--seed", "5")
    device = TOTPDevice.objects.get(user__username="coordinator", confirmed=True)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development machine") as excinfo:
        call_command("otp-code", "coordinator")
    assert excinfo.value.returncode == 1
    settings.DEBUG = True
    capsys.readouterr()
    call_command("otp-code", "coordinator")
    code = capsys.readouterr().out.split()[0]
    assert device.verify_token(code)

"""The programme office manages accounts, and must still never reach a record about a
person (spec: "only coordinators ever see a record"). Attacks by one office user alone:
make a coordinator account and log in as it, give a coordinator's role to an account she
holds, or make a second office account to confirm her own grants."""

import importlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from mim.accounts import services as accounts
from mim.accounts.models import Role, RoleAssignment, RoleProposal, User
from mim.audit.models import AuditEntry
from tests.factories import MotherFactory

pytestmark = pytest.mark.django_db

RECORDS = "registry:mother_list"


def test_it_gives_the_office_no_credential_of_an_account_she_makes(world, login, mailoutbox):
    client = login(world.office)
    response = client.post(reverse("office:user_new"), {
        "username": "stroman", "email": "stroman@example.org", "role": Role.COORDINATOR,
        "site": world.site_a.pk}, follow=True)
    new = User.objects.get(username="stroman")
    token = re.search(r"/uitnodiging/\S+/(\S+)/", mailoutbox[0].body).group(1)
    shown = response.content.decode() + " ".join(e.detail for e in AuditEntry.objects.all())
    assert token not in shown
    assert not new.has_usable_password()
    # Nothing she could type logs in as it.
    for guess in ("stroman", "!", new.password):
        response = Client().post(reverse("login"), {"username": "stroman", "password": guess})
        assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session


def test_it_opens_no_record_to_a_role_that_waits_for_confirmation(world, login):
    MotherFactory(site=world.site_a, ref="REF-A-9")
    proposal = accounts.role_grant(target=world.funder, role=Role.COORDINATOR,
                                   site=world.site_a, user=world.office)
    assert isinstance(proposal, RoleProposal)
    client = login(world.funder)
    response = client.get(reverse(RECORDS, kwargs={"site_code": "site-a"}))
    assert response.status_code == 404
    assert b"REF-A-9" not in response.content


def test_it_lets_no_office_user_confirm_her_own_proposal_or_her_own_role(world):
    proposal = accounts.role_grant(target=world.funder, role=Role.COORDINATOR,
                                   site=world.site_a, user=world.office)
    with pytest.raises(accounts.AccountRefused):
        accounts.role_confirm(proposal=proposal, user=world.office)
    other = User.objects.create(username="office_2")
    RoleAssignment.objects.create(user=other, role=Role.PROGRAMME_OFFICE)
    for_herself = RoleProposal.objects.create(user=other, role=Role.COORDINATOR,
                                              site=world.site_a, proposed_by=world.office)
    with pytest.raises(accounts.AccountRefused):
        accounts.role_confirm(proposal=for_herself, user=other)
    assert not RoleAssignment.objects.filter(role=Role.COORDINATOR, site=world.site_a).exclude(
        user=world.coordinator_a).exists()


def test_it_makes_a_second_office_account_wait_too(world, mailoutbox):
    """Her own second account would be the second pair of eyes: it is itself a proposal."""
    second, grant = accounts.user_create(username="ik.nog.eens", email="ik@example.org",
                                         role=Role.PROGRAMME_OFFICE, user=world.office)
    assert isinstance(grant, RoleProposal)
    assert Role.PROGRAMME_OFFICE not in second.roles
    proposal = accounts.role_grant(target=world.funder, role=Role.COORDINATOR,
                                   site=world.site_a, user=world.office)
    with pytest.raises(accounts.AccountRefused):
        accounts.role_confirm(proposal=proposal, user=second)
    with pytest.raises(accounts.AccountRefused):
        accounts.role_confirm(proposal=grant, user=world.office)
    assert not RoleAssignment.objects.filter(user=second).exists()


def test_it_sends_no_new_link_for_an_account_that_has_a_password(world, login, mailoutbox):
    """A link for a coordinator who has her password would let its holder choose a new one."""
    response = login(world.office).post(
        reverse("office:invitation_resend", args=[world.coordinator_a.pk]), follow=True)
    assert "heeft haar wachtwoord al gekozen" in response.content.decode()
    assert mailoutbox == []


def test_it_ends_the_first_passwords_the_office_was_shown_before_invitations(world):
    """An account made before invitations and never logged in still had the password the
    office saw: the migration ends it, and leaves accounts in use and operators alone."""
    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("mim.accounts.migrations.0005_end_first_passwords")
    world.coordinator_a.last_login = timezone.now()
    world.coordinator_a.save()
    migration.end_first_passwords(apps, None)
    for user in (world.coordinator_a, world.coordinator_b, world.operator):
        user.refresh_from_db()
    assert world.coordinator_a.has_usable_password()  # she has logged in: her own
    assert not world.coordinator_b.has_usable_password()  # never: the office's first one
    assert world.operator.has_usable_password()


@pytest.mark.parametrize("leaves", ["switched_off", "role_withdrawn"])
def test_it_lets_no_colleague_confirm_a_proposal_once_its_proposer_has_left_the_office(
        world, leaves):
    """Four eyes are two office users at the moment of the yes: a proposal made by someone
    who has since left the office (or been switched off) is only one pair."""
    proposal = accounts.role_grant(target=world.funder, role=Role.COORDINATOR,
                                   site=world.site_a, user=world.office)
    colleague = User.objects.create(username="office_2")
    RoleAssignment.objects.create(user=colleague, role=Role.PROGRAMME_OFFICE)
    if leaves == "switched_off":
        accounts.user_set_active(target=world.office, active=False, user=colleague)
    else:
        world.office.role_assignments.filter(role=Role.PROGRAMME_OFFICE).delete()
    proposal.refresh_from_db()
    with pytest.raises(accounts.AccountRefused, match="hoort niet meer bij"):
        accounts.role_confirm(proposal=proposal, user=colleague)
    assert not RoleAssignment.objects.filter(user=world.funder, role=Role.COORDINATOR).exists()
    # she may still turn it down
    accounts.role_decline(proposal=proposal, user=colleague)
    assert not RoleProposal.objects.exists()


def test_it_keeps_one_account_per_name_whatever_its_case_even_when_two_forms_race(
        world, monkeypatch, mailoutbox):
    accounts.user_create(username="Anna", email="anna@example.org", role=Role.FUNDER,
                         municipality=world.site_a.municipality, user=world.office)
    with pytest.raises(accounts.ValidationError, match="bestaat al"):
        accounts.user_create(username="ANNA", email="x@example.org", role=Role.FUNDER,
                             municipality=world.site_a.municipality, user=world.office)
    # The race: the other form's "bob" is saved after this one looked and before it saves.
    real_full_clean = User.full_clean

    def other_form_saves_first(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        User.objects.create(username="bob")

    monkeypatch.setattr(User, "full_clean", other_form_saves_first)
    with pytest.raises(accounts.ValidationError, match="bestaat al"):
        accounts.user_create(username="Bob", email="bob@example.org", role=Role.FUNDER,
                             municipality=world.site_a.municipality, user=world.office)
    assert sorted(User.objects.filter(username__iexact="bob").values_list(
        "username", flat=True)) == []  # the whole creation rolled back, the other form's too
    assert len(mailoutbox) == 1  # Anna's invitation only


def test_it_starts_the_invitation_link_with_the_configured_address_not_the_requests_host(
        world, login, mailoutbox, settings):
    settings.MIM_SITE_URL = "https://mim.example.nl"
    settings.ALLOWED_HOSTS = ["testserver", "elders.example"]
    login(world.office).post(reverse("office:user_new"), {
        "username": "nieuw", "email": "nieuw@example.org", "role": Role.FUNDER,
        "municipality": world.site_a.municipality.pk}, HTTP_HOST="elders.example")
    assert re.search(r"^https://mim\.example\.nl/inloggen/uitnodiging/\S+/\S+/$",
                     mailoutbox[0].body, re.MULTILINE)
    assert "elders.example" not in mailoutbox[0].body

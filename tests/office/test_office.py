"""The programme office's screens (issue 11, item 4): sites, organisations, municipalities,
users and roles, through the services, in the access log, and closed to everybody else."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from mim.accounts import services as accounts
from mim.accounts.models import Role, RoleAssignment, RoleProposal, User
from mim.audit.models import AuditEntry
from mim.organisations import services as organisations
from mim.organisations.models import Municipality, Organisation, Site
from tests.conftest import PERSONAS
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _entries(object_type):
    return list(AuditEntry.objects.filter(object_type=object_type).order_by("pk"))


def test_it_adds_a_site_from_the_office_screen_and_logs_it(world, login):
    client = login(world.office)
    response = client.post(reverse("office:site_new"), {
        "code": "zwolle-zuid", "name": "Zwolle Zuid", "organisation": world.site_a.organisation.pk,
        "municipality": world.site_a.municipality.pk, "first_year": 2026, "keeps_records": "on"})
    assert response.status_code == 302
    site = Site.objects.get(code="zwolle-zuid")
    assert (site.organisation, site.municipality, site.first_year, site.last_year) == (
        world.site_a.organisation, world.site_a.municipality, 2026, None)
    (entry,) = _entries("site")
    assert (entry.event, entry.user, entry.object_ref) == ("create", world.office, "zwolle-zuid")


def test_it_refuses_a_site_code_that_exists(world, login):
    response = login(world.office).post(reverse("office:site_new"), {
        "code": "site-a", "name": "Nog een A", "organisation": world.site_a.organisation.pk,
        "municipality": world.site_a.municipality.pk, "first_year": 2026})
    assert response.status_code == 200
    assert "Er is al een locatie met deze code." in response.content.decode()
    assert Site.objects.filter(code="site-a").count() == 1


def test_it_ends_a_site_and_logs_it(world, login):
    world.site_a.first_year = 2020
    world.site_a.save()
    response = login(world.office).post(reverse("office:site_end", args=["site-a"]),
                                        {"last_year": 2025})
    assert response.status_code == 302
    world.site_a.refresh_from_db()
    assert world.site_a.last_year == 2025
    assert not world.site_a.active_in(2026)
    (entry,) = _entries("site")
    assert (entry.event, entry.site, entry.detail) == ("update", world.site_a, "last_year None -> 2025")


def test_it_refuses_to_end_a_site_before_its_first_year(world, login):
    world.site_a.first_year = 2020
    world.site_a.save()
    response = login(world.office).post(reverse("office:site_end", args=["site-a"]),
                                        {"last_year": 2019})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    world.site_a.refresh_from_db()
    assert world.site_a.last_year is None
    assert _entries("site") == []


def test_it_answers_404_for_ending_a_site_that_does_not_exist(world, login):
    assert login(world.office).get(reverse("office:site_end", args=["nope"])).status_code == 404


def test_it_adds_an_organisation_and_a_municipality_once(world, login):
    client = login(world.office)
    assert client.post(reverse("office:organisations"),
                       {"name": "Stichting Nieuw"}).status_code == 302
    assert client.post(reverse("office:municipalities"),
                       {"name": "Zwolle", "cbs_code": "GM0193"}).status_code == 302
    again = client.post(reverse("office:organisations"), {"name": "stichting nieuw"})
    assert "Deze organisatie bestaat al." in again.content.decode()
    assert Organisation.objects.filter(name__iexact="stichting nieuw").count() == 1
    assert Municipality.objects.get(name="Zwolle").cbs_code == "GM0193"
    assert [e.event for e in _entries("organisation") + _entries("municipality")] == [
        "create", "create"]
    page = client.get(reverse("office:municipalities")).content.decode()
    assert "Zwolle" in page and "GM0193" in page


def _link(message) -> str:
    (link,) = re.findall(r"https?://\S+", message.body)
    return link


def test_it_creates_a_user_and_sends_her_the_invitation_the_office_never_sees(
        world, login, mailoutbox):
    client = login(world.office)
    response = client.post(reverse("office:user_new"), {
        "username": "nieuwe.coord", "first_name": "Nina", "email": "nina@example.org",
        "role": Role.FUNDER, "municipality": world.site_b.municipality.pk})
    new = User.objects.get(username="nieuwe.coord")
    assert response.status_code == 302
    assert response["Location"] == reverse("office:user_detail", args=[new.pk])
    assert not new.has_usable_password()
    (mail,) = mailoutbox
    assert mail.to == ["nina@example.org"] and "nieuwe.coord" in mail.body
    link = _link(mail)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    page = client.get(response["Location"]).content.decode()
    assert "nina@example.org" in page and "Uitnodiging opnieuw versturen" in page
    assert token not in page and token not in response.content.decode()
    assert list(new.role_assignments.values_list("role", "municipality")) == [
        (Role.FUNDER, world.site_b.municipality.pk)]
    assert [(e.event, e.object_ref, e.detail) for e in _entries("user")] == [
        ("create", "nieuwe.coord", "user added; invitation sent")]
    assert token not in " ".join(e.detail for e in AuditEntry.objects.all())


def test_it_refuses_a_new_user_without_an_email_address(world, login, mailoutbox):
    response = login(world.office).post(reverse("office:user_new"), {
        "username": "zonder.mail", "role": Role.FUNDER,
        "municipality": world.site_a.municipality.pk})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.filter(username="zonder.mail").exists() and mailoutbox == []


class RefusingMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_it_saves_nothing_when_the_invitation_cannot_be_sent(world, login, settings):
    settings.EMAIL_BACKEND = "tests.office.test_office.RefusingMailServer"
    response = login(world.office).post(reverse("office:user_new"), {
        "username": "geen.post", "email": "x@example.org", "role": Role.FUNDER,
        "municipality": world.site_a.municipality.pk})
    assert response.status_code == 200
    assert "De uitnodiging kon niet worden verstuurd" in response.content.decode()
    assert not User.objects.filter(username="geen.post").exists()
    assert _entries("user") == [] and _entries("roleassignment") == []


def test_it_lets_the_invited_user_choose_her_own_password_once(world, mailoutbox):
    new, _grant = accounts.user_create(username="eerste", email="e@example.org",
                                       role=Role.FUNDER, municipality=world.site_a.municipality,
                                       user=world.office)
    link = _link(mailoutbox[0])
    path = link.split("localhost:8000", 1)[1]
    browser = Client()
    response = browser.get(path)
    # Django's view moves the token into the session: it never stays in the address bar,
    # where a Referer header or a screenshot could pass it on.
    assert response.status_code == 302 and response["Location"].endswith("/wachtwoord-kiezen/")
    form_url = response["Location"]
    assert "Kies een wachtwoord" in browser.get(form_url).content.decode()
    weak = browser.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200 and 'aria-invalid="true"' in weak.content.decode()
    chosen = "lila olifant draagt zeven paraplus"
    done = browser.post(form_url, {"new_password1": chosen, "new_password2": chosen})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    new.refresh_from_db()
    assert new.check_password(chosen)
    assert _entries("user")[-1].detail == "invitation accepted: own password set"
    assert _entries("user")[-1].user == new
    # Used once: the same link now explains itself and sets nothing.
    again = Client().get(path, follow=True).content.decode()
    assert "Deze link werkt niet (meer)" in again
    # She logs in with her own password, and sets up her second factor first.
    browser.post(reverse("login"), {"username": "eerste", "password": chosen})
    first = browser.get(reverse("home"))
    assert first.status_code == 302 and reverse("second_factor_setup") in first["Location"]


def test_it_refuses_a_forged_or_expired_invitation(world, mailoutbox, settings):
    new, _grant = accounts.user_create(username="tweede", email="t@example.org",
                                       role=Role.FUNDER, municipality=world.site_a.municipality,
                                       user=world.office)
    path = _link(mailoutbox[0]).split("localhost:8000", 1)[1]
    forged = path.rstrip("/")[:-3] + "abc/"
    assert "Deze link werkt niet (meer)" in Client().get(forged).content.decode()
    other = path.replace(path.split("/")[-3], "OTk5OQ")  # another account's id
    assert "Deze link werkt niet (meer)" in Client().get(other).content.decode()
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link has expired
    assert "Deze link werkt niet (meer)" in Client().get(path, follow=True).content.decode()
    new.refresh_from_db()
    assert not new.has_usable_password()


def test_it_sends_an_invitation_again_only_while_no_password_is_chosen(world, login,
                                                                       mailoutbox):
    new, _grant = accounts.user_create(username="derde", email="d@example.org",
                                       role=Role.FUNDER, municipality=world.site_a.municipality,
                                       user=world.office)
    client = login(world.office)
    response = client.post(reverse("office:invitation_resend", args=[new.pk]))
    assert response.status_code == 302 and len(mailoutbox) == 2
    assert _entries("user")[-1].detail == "invitation sent again"
    # An account with a password never gets a link: whoever held it could choose a new one.
    client.post(reverse("office:invitation_resend", args=[world.funder.pk]), follow=True)
    assert len(mailoutbox) == 2
    with pytest.raises(accounts.AccountRefused):
        accounts.invitation_resend(target=world.coordinator_a, user=world.office)


def test_it_needs_a_second_office_user_to_confirm_a_coordinator(world, login):
    second = user_with_role(Role.PROGRAMME_OFFICE, "office_2")
    client = login(world.office)
    url = reverse("office:user_detail", args=[world.funder.pk])
    response = client.post(url, {"role": Role.COORDINATOR, "site": world.site_b.pk},
                           follow=True)
    assert "De rol is voorgesteld." in response.content.decode()
    assert not RoleAssignment.objects.filter(user=world.funder, role=Role.COORDINATOR).exists()
    proposal = RoleProposal.objects.get(user=world.funder)
    decide = reverse("office:proposal_decide", args=[world.funder.pk, proposal.pk,
                                                     "bevestigen"])
    # The one who proposed it cannot confirm it, on the page or behind it.
    assert f'action="{decide}"' not in response.content.decode()
    refused = client.post(decide, follow=True)
    assert "u heeft haar zelf voorgesteld" in refused.content.decode()
    assert not RoleAssignment.objects.filter(user=world.funder, role=Role.COORDINATOR).exists()
    # A second person of the office sees it waiting and confirms it.
    client = login(second)
    waiting = client.get(reverse("office:users")).content.decode()
    assert "Wacht op bevestiging" in waiting and f'action="{decide}"' in waiting
    assert client.post(decide, {"terug": "lijst"})["Location"] == reverse("office:users")
    assert RoleAssignment.objects.filter(user=world.funder, role=Role.COORDINATOR,
                                         site=world.site_b).exists()
    assert not RoleProposal.objects.exists()
    assert [(e.event, e.user.username, e.detail) for e in
            _entries("roleproposal") + _entries("roleassignment")] == [
        ("create", "office", "role coordinator for site site-b proposed; waits for a second "
                             "office user"),
        ("create", "office_2", "role coordinator for site site-b, proposed by office, "
                               "confirmed")]


def test_it_declines_a_proposal_and_lets_its_maker_take_it_back(world, login):
    second = user_with_role(Role.PROGRAMME_OFFICE, "office_2")
    for maker, decider in ((world.office, second), (world.office, world.office)):
        proposal = accounts.role_grant(target=world.funder, role=Role.PROGRAMME_OFFICE,
                                       user=maker)
        response = login(decider).post(reverse(
            "office:proposal_decide", args=[world.funder.pk, proposal.pk, "afwijzen"]))
        assert response.status_code == 302
        assert not RoleProposal.objects.exists()
    assert not world.funder.role_assignments.filter(role=Role.PROGRAMME_OFFICE).exists()
    assert [e.event for e in _entries("roleproposal")] == ["create", "delete"] * 2


def test_it_offers_only_declining_a_proposal_whose_proposer_has_left_the_office(world, login):
    second = user_with_role(Role.PROGRAMME_OFFICE, "office_2")
    proposal = accounts.role_grant(target=world.funder, role=Role.COORDINATOR,
                                   site=world.site_b, user=world.office)
    accounts.user_set_active(target=world.office, active=False, user=second)
    client = login(second)
    page = client.get(reverse("office:users")).content.decode()
    confirm, decline = (reverse("office:proposal_decide",
                                args=[world.funder.pk, proposal.pk, answer])
                        for answer in ("bevestigen", "afwijzen"))
    assert "hoort niet meer bij het programmabureau" in page
    assert f'action="{confirm}"' not in page and f'action="{decline}"' in page
    refused = client.post(confirm, follow=True).content.decode()
    assert "hoort niet meer bij het programmabureau" in refused
    assert not RoleAssignment.objects.filter(user=world.funder, role=Role.COORDINATOR).exists()


def test_it_refuses_a_user_whose_role_lacks_its_scope(world, login):
    response = login(world.office).post(reverse("office:user_new"), {
        "username": "zonder", "email": "z@example.org", "role": Role.COORDINATOR})
    assert response.status_code == 200
    assert "Kies een locatie voor deze rol." in response.content.decode()
    assert not User.objects.filter(username="zonder").exists()
    assert _entries("user") == []


def test_it_refuses_a_scope_the_role_does_not_take(world):
    with pytest.raises(accounts.ValidationError) as caught:
        accounts.role_grant(target=world.funder, role=Role.PROGRAMME_OFFICE, site=world.site_a,
                            user=world.office)
    assert "site" in caught.value.message_dict


def test_it_grants_and_withdraws_a_role_and_logs_both(world, login):
    client = login(world.office)
    url = reverse("office:user_detail", args=[world.funder.pk])
    assert client.post(url, {"role": Role.ORGANISATION_VIEWER,
                             "organisation": world.site_b.organisation.pk}).status_code == 302
    granted = RoleAssignment.objects.get(user=world.funder, role=Role.ORGANISATION_VIEWER)
    response = client.post(reverse("office:role_withdraw", args=[world.funder.pk, granted.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=granted.pk).exists()
    assert [e.event for e in _entries("roleassignment")] == ["create", "delete"]
    assert all(e.user == world.office for e in _entries("roleassignment"))


def test_it_never_hands_out_the_operator_role_nor_changes_the_office_own_roles(world):
    with pytest.raises(accounts.AccountRefused):
        accounts.role_grant(target=world.funder, role=Role.OPERATOR, user=world.office)
    with pytest.raises(accounts.AccountRefused):
        accounts.role_grant(target=world.office, role=Role.COORDINATOR, site=world.site_a,
                            user=world.office)
    with pytest.raises(accounts.AccountRefused):
        accounts.role_withdraw(assignment=world.operator.role_assignments.get(),
                               user=world.office)
    with pytest.raises(accounts.AccountRefused):
        accounts.user_create(username="x", email="x@example.org", role=Role.FUNDER,
                             municipality=world.site_a.municipality, user=world.coordinator_a)
    assert not RoleAssignment.objects.filter(user=world.office, role=Role.COORDINATOR).exists()


def test_it_switches_an_account_off_and_its_session_ends(world, login):
    victim = Client()
    victim.post(reverse("login"), {"username": world.funder.username,
                                   "password": "correct horse battery staple"})
    response = login(world.office).post(reverse("office:user_active", args=[world.funder.pk]),
                                        {"actief": "0"})
    assert response.status_code == 302
    world.funder.refresh_from_db()
    assert world.funder.is_active is False
    after = victim.get(reverse("home"))
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    assert _entries("user")[-1].detail == "account switched off"


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("office", "anonymous")])
def test_it_shows_everybody_else_the_dutch_403_page(world, login, persona):
    response = login(world.persona(persona)).get(reverse("office:index"))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("operator", "anonymous")])
def test_it_ends_the_admin_loop_with_a_403(world, login, persona):
    client = login(world.persona(persona))
    response = client.get("/beheer/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    assert "Geen toegang" in response.content.decode()
    assert client.get("/beheer/login/").status_code == 403


def test_it_lists_the_office_screens_in_the_menu_of_the_office_only(world, login):
    for persona in ("office", "coordinator_a", "operator", "funder"):
        page = login(world.persona(persona)).get(reverse("home")).content.decode()
        assert (f'href="{reverse("office:index")}"' in page) == (persona == "office"), persona


def test_it_shows_every_section_on_the_office_pages(world, login):
    client = login(world.office)
    for name in ("office:index", "office:sites", "office:organisations", "office:municipalities",
                 "office:users", "office:site_new", "office:user_new"):
        assert client.get(reverse(name)).status_code == 200, name
    page = client.get(reverse("office:sites")).content.decode()
    assert "Locatie A" in page and reverse("office:site_end", args=["site-a"]) in page
    users = client.get(reverse("office:users")).content.decode()
    assert "coord_a" in users and "Locatie A" in users
    assert reverse("returns:deadlines") in client.get(reverse("office:index")).content.decode()


def test_it_ends_a_site_through_the_service_from_the_cli_as_well(world):
    world.site_a.first_year = 2021
    world.site_a.save()
    organisations.site_end(site=world.site_a, last_year=2024)
    assert Site.objects.get(pk=world.site_a.pk).last_year == 2024
    assert AuditEntry.objects.get(object_type="site").client == "cli"


def test_it_lists_sites_organisations_and_municipalities_in_the_reports_order(world, login):
    """The pages order names as the report does (Dutch, numbers by value), not as the
    database's collation happens to: SQLite puts capitals and "'s-" first."""
    organisation, municipality = world.site_a.organisation, world.site_a.municipality
    names = ["Zuid 10", "de Bilt", "'s-Hertogenbosch", "Zuid 2", "Amersfoort"]
    for i, name in enumerate(names):
        Site.objects.create(code=f"order-{i}", name=name, organisation=organisation,
                            municipality=municipality, first_year=2020)
        Organisation.objects.create(name=f"{name} org")
        Municipality.objects.create(name=f"{name} gem")
    client = login(world.office)
    expected = ["Amersfoort", "de Bilt", "'s-Hertogenbosch", "Zuid 2", "Zuid 10"]
    for url, suffix in (("office:sites", ""), ("office:organisations", " org"),
                        ("office:municipalities", " gem")):
        page = client.get(reverse(url)).content.decode()
        where = [page.index(escape(name + suffix)) for name in expected]
        assert where == sorted(where), url


def test_it_leaves_an_account_off_when_it_is_switched_off_twice(world, login):
    """A double click, or two people of the office switching off the same account at once:
    the second post says what it wants, and the account stays off."""
    client = login(world.office)
    url = reverse("office:user_active", args=[world.coordinator_a.pk])
    for _twice in range(2):
        response = client.post(url, {"actief": "0"}, follow=True)
        assert "Het account is uitgeschakeld." in response.content.decode()
    world.coordinator_a.refresh_from_db()
    assert not world.coordinator_a.is_active
    assert [e.detail for e in _entries("user")] == ["account switched off"]
    client.post(url)  # without a wish: nothing changes
    world.coordinator_a.refresh_from_db()
    assert not world.coordinator_a.is_active


def test_it_shows_the_confirmer_where_the_invitation_went_and_who_made_the_account(
        world, login, mailoutbox):
    """A rogue office user makes an account named after a real coordinator but with her own
    address, chooses its password through the link, then proposes a coordinator's role. The
    colleague asked to confirm sees the address and who made the account."""
    sock, _grant = accounts.user_create(username="m.devries", first_name="Marieke",
                                        last_name="de Vries", email="rogue@evil.example",
                                        role=Role.FUNDER,
                                        municipality=world.site_a.municipality,
                                        user=world.office)
    path = _link(mailoutbox[0]).split("localhost:8000", 1)[1]
    browser = Client()
    form_url = browser.get(path)["Location"]
    chosen = "lila olifant draagt zeven paraplus"
    browser.post(form_url, {"new_password1": chosen, "new_password2": chosen})
    accounts.role_grant(target=sock, role=Role.COORDINATOR, site=world.site_a,
                        user=world.office)
    colleague = login(user_with_role(Role.PROGRAMME_OFFICE, "office_b"))
    detail = colleague.get(reverse("office:user_detail", args=[sock.pk])).content.decode()
    assert "rogue@evil.example" in detail and "door office op" in detail
    assert "door haarzelf gekozen" in detail
    waiting = colleague.get(reverse("office:users")).content.decode()
    assert "rogue@evil.example" in waiting


def test_it_ends_every_link_of_an_account_switched_off_before_its_password_was_chosen(
        world, login, mailoutbox):
    """The remedy for an invitation sent to the wrong address: switch the account off. Its
    links stay dead when it is switched on again, and no new one goes out while it is off."""
    new, _grant = accounts.user_create(username="verkeerd", email="typo@example.org",
                                       role=Role.FUNDER, municipality=world.site_a.municipality,
                                       user=world.office)
    leaked = _link(mailoutbox[0]).split("localhost:8000", 1)[1]
    client = login(world.office)
    url = reverse("office:user_active", args=[new.pk])
    client.post(url, {"actief": "0"})
    refused = client.post(reverse("office:invitation_resend", args=[new.pk]), follow=True)
    assert "Dit account is uitgeschakeld" in refused.content.decode()
    assert len(mailoutbox) == 1
    client.post(url, {"actief": "1"})
    assert "Deze link werkt niet (meer)" in Client().get(leaked, follow=True).content.decode()
    new.refresh_from_db()
    assert not new.has_usable_password() and new.is_active

import pytest
from django.urls import reverse

from mim.accounts.models import RoleAssignment
from mim.audit.models import AuditEntry, Event
from tests.conftest import PERSONAS


def test_it_serves_the_login_page_in_dutch(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Inloggen" in html and "Wachtwoord" in html
    assert 'href="#main"' in html  # skip link


def test_it_offers_english_too(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
    assert "Password" in response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_asks_for_the_second_factor_after_the_password(world):
    from django.test import Client

    client = Client()
    response = client.post(reverse("login"), {"username": "coord_a",
                                              "password": "correct horse battery staple"})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("second_factor_setup"))


@pytest.mark.parametrize(("persona", "shows", "hides"), [
    ("coordinator_a", ["Uw locaties", "Locatie A"], ["Locatie B", "Technisch beheer"]),
    ("coordinator_b", ["Locatie B"], ["Locatie A"]),
    ("organisation_viewer", ["Locaties in uw overzicht", "Locatie A"], ["Locatie B",
                                                                        "Uw locaties"]),
    ("funder", ["Locatie A"], ["Locatie B", "Uw locaties"]),
    ("office", ["Locatie A", "Locatie B"], ["Uw locaties"]),
    ("operator", ["Technisch beheer"], ["Uw locaties"]),
])
def test_it_shows_each_role_its_own_home_page(world, login, persona, shows, hides):
    html = login(world.persona(persona)).get(reverse("home")).content.decode()
    for text in shows:
        assert text in html
    for text in hides:
        assert text not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_the_admin_to_operators_only(world, login, persona):
    user = world.persona(persona)
    if persona != "anonymous":
        user.is_staff = True  # even with the flag, only the operator role may enter
        user.save()
    response = login(user).get(reverse("admin:index"))
    if persona == "operator":
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        # logged in without the role: the 403 page (a redirect to the login looped)
        assert response.status_code == 403


def test_it_has_a_viewport_and_landmarks_for_phones_and_screen_readers(world, login):
    html = login(world.coordinator_a).get(reverse("home")).content.decode()
    assert 'name="viewport"' in html
    assert "<main" in html and "<nav" in html and "<header" in html


def test_it_logs_a_role_granted_in_the_admin(world, login):
    operator, target = world.operator, world.coordinator_b
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = login(operator)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    existing = list(target.role_assignments.all())
    data = {"username": target.username, "is_active": "on",
            "date_joined_0": "2025-01-01", "date_joined_1": "10:00:00",
            "role_assignments-TOTAL_FORMS": str(len(existing) + 1),
            "role_assignments-INITIAL_FORMS": str(len(existing)),
            "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000"}
    for n, a in enumerate(existing):
        data.update({f"role_assignments-{n}-id": a.pk, f"role_assignments-{n}-user": target.pk,
                     f"role_assignments-{n}-role": a.role,
                     f"role_assignments-{n}-site": a.site_id or ""})
    n = len(existing)
    data.update({f"role_assignments-{n}-user": target.pk,
                 f"role_assignments-{n}-role": "coordinator",
                 f"role_assignments-{n}-site": world.site_a.pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RoleAssignment.objects.filter(user=target, site=world.site_a).exists()
    granted = AuditEntry.objects.get(object_type="roleassignment")
    assert (granted.event, granted.user, granted.object_ref, granted.site) == (
        Event.CREATE, operator, target.username, world.site_a)
    assert granted.detail == "role coordinator for site site-a"
    assert AuditEntry.objects.filter(object_type="admin", user=operator,
                                     object_ref=url).exists()

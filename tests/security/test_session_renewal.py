"""A new session key at each step up (password, second factor) and at logout (ASVS
7.2.4, 7.4.1): a session id captured at one step is worth nothing at the next."""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from mim.accounts import mfa
from tests.security.test_mfa import code_for, confirmed_device, password_login


def _key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _replay(key: str) -> int:
    """Status of the home page for someone who kept an old session cookie."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = key
    return thief.get(reverse("home")).status_code


def test_it_gives_a_new_session_key_at_the_password_step(world):
    client = Client()
    client.session.save()  # an anonymous session exists before the login
    before = _key(client)
    password_login(world.coordinator_a, client)
    assert _key(client) != before
    assert not SessionStore().exists(before)


def test_it_gives_a_new_session_key_at_the_second_factor(world):
    device = confirmed_device(world.coordinator_a)
    client = password_login(world.coordinator_a)
    after_password = _key(client)
    response = client.post(reverse("second_factor"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert _key(client) != after_password
    assert client.get(reverse("home")).status_code == 200
    # The cookie of the password step neither opens the site nor survives in the store.
    assert _replay(after_password) == 302
    assert not SessionStore().exists(after_password)


def test_it_gives_a_new_session_key_when_a_recovery_code_passes(world):
    confirmed_device(world.funder)
    codes = mfa.recovery_codes_renew(user=world.funder)
    client = password_login(world.funder)
    after_password = _key(client)
    assert client.post(reverse("second_factor"), {"token": codes[0]}).status_code == 302
    assert _key(client) != after_password and _replay(after_password) == 302


def test_it_gives_a_new_session_key_when_the_second_factor_is_set_up(world):
    client = password_login(world.office)
    client.get(reverse("second_factor_setup"))
    after_password = _key(client)
    device = world.office.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("second_factor_setup"), {"token": code_for(device)})
    assert response.status_code == 200 and "codes" in response.context
    assert _key(client) != after_password and _replay(after_password) == 302


def test_it_ends_the_session_key_at_logout(world):
    device = confirmed_device(world.coordinator_a)
    client = password_login(world.coordinator_a)
    client.post(reverse("second_factor"), {"token": code_for(device), "next": "/"})
    logged_in = _key(client)
    assert client.post(reverse("logout")).status_code == 302
    assert _key(client) != logged_in
    assert not SessionStore().exists(logged_in)
    assert _replay(logged_in) == 302

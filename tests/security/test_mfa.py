"""Multi-factor login for every role and every URL (ASVS 6.3.3), and throttling (6.1.1)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mim.accounts import mfa
from mim.audit.models import AuditEntry
from tests.conftest import PERSONAS

PASSWORD = "correct horse battery staple"
OPEN = {"/inloggen/", "/uitloggen/", "/inloggen/tweede-stap/",
        "/inloggen/tweede-stap/instellen/", "/i18n/setlang/"}


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_login(user, client=None) -> Client:
    client = client or Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "password step failed"
    return client


def every_url(world) -> list[str]:
    """Every URL of the site, with its arguments filled in with the world's objects."""
    values = {"site_code": world.site_a.code, "code": world.site_a.code, "pk": 1, "year": 2024,
              "match_pk": 1, "token": "x", "return_pk": 1, "scope": "national"}
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                for name, value in values.items():
                    for converter in ("int", "slug", "str", "path"):
                        route = route.replace(f"<{converter}:{name}>", str(value))
                    route = route.replace(f"<{name}>", str(value))
                if "<" in route or route.startswith("^"):
                    route = route.split("<")[0]
                found.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns)
    return sorted({u for u in found if not u.startswith(("/api/v1/", "/static/"))})


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_it_sends_every_url_to_the_second_factor_after_a_password_only_login(world, persona):
    user = world.persona(persona)
    confirmed_device(user)
    client = password_login(user)
    urls = every_url(world)
    assert len(urls) > 40  # the walk found the application, not just a handful
    for url in urls:
        if url in OPEN:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(reverse("second_factor")), (method, url)


def test_it_lets_the_user_in_after_a_valid_code(world):
    device = confirmed_device(world.coordinator_a)
    client = password_login(world.coordinator_a)
    response = client.post(reverse("second_factor"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_it_refuses_a_wrong_code_and_logs_the_failure(world):
    confirmed_device(world.coordinator_a)
    client = password_login(world.coordinator_a)
    response = client.post(reverse("second_factor"), {"token": "000000"})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEntry.objects.filter(event="login_failed", username="coord_a").exists()


def test_it_sets_up_an_authenticator_on_first_login_and_shows_recovery_codes(world):
    client = password_login(world.office)
    page = client.get(reverse("second_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.office, confirmed=False)
    response = client.post(reverse("second_factor_setup"), {"token": code_for(device)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == mfa.RECOVERY_CODES
    assert client.get(reverse("home")).status_code == 200


def test_it_accepts_each_recovery_code_once(world):
    confirmed_device(world.funder)
    codes = mfa.recovery_codes_renew(user=world.funder)
    first = password_login(world.funder)
    assert first.post(reverse("second_factor"), {"token": codes[0]}).status_code == 302
    second = password_login(world.funder)
    second.post(reverse("second_factor"), {"token": codes[0]})
    assert second.get(reverse("home")).status_code == 302


def test_it_sends_the_admin_login_to_the_front_door(world):
    response = Client().get("/beheer/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_keeps_the_admin_closed_to_an_operator_without_second_factor(world):
    world.operator.is_staff = True
    world.operator.save()
    confirmed_device(world.operator)
    client = password_login(world.operator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("second_factor") in response["Location"]


def test_it_locks_a_username_from_an_address_after_five_failures(world):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        client.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "coord_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Tijdelijk geblokkeerd" in locked.content.decode()


def test_it_ignores_a_spoofed_forwarded_header_when_throttling(world):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for n in range(5):
        client.post(reverse("login"), {"username": "coord_a", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    locked = client.post(reverse("login"), {"username": "coord_a", "password": PASSWORD},
                         HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429


def test_it_does_not_lock_other_users_behind_the_same_address(world):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(6):
        client.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    other = Client(REMOTE_ADDR="10.0.0.1")
    response = other.post(reverse("login"), {"username": "coord_b", "password": PASSWORD})
    assert response.status_code == 302


def test_it_does_not_lock_the_owner_out_from_another_address(world):
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    for _ in range(6):
        attacker.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    owner = Client(REMOTE_ADDR="10.0.0.2")
    response = owner.post(reverse("login"), {"username": "coord_a", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["password123", "q1w2e3r4t5y6", "1qaz2wsx3edc", "short"])
def test_it_refuses_common_or_short_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_it_accepts_a_long_passphrase_without_composition_rules():
    validate_password("paarse olifanten dansen zacht")

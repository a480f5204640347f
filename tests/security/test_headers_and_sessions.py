import datetime as dt

import pytest
import time_machine
from django.urls import reverse


def test_it_sends_a_content_security_policy_that_forbids_framing(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_it_sends_nosniff_referrer_policy_and_deny_framing(client, db):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_sends_hsts_over_https_in_production_settings(client, db, settings):
    assert settings.DEBUG is False
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_it_marks_cookies_secure_and_http_only(settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_it_forbids_caching_of_every_page_after_login(world, login):
    response = login(world.coordinator_a).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_ends_an_idle_session_after_thirty_minutes(world, client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        client.force_login(world.coordinator_a)
        assert client.get(reverse("home")).status_code == 200
        t.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        t.shift(dt.timedelta(minutes=31))
        assert client.get(reverse("home")).status_code == 302


def test_it_ends_an_active_session_after_ten_hours(world, client):
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC), tick=False) as t:
        client.force_login(world.coordinator_a)
        for _ in range(40):  # busy all day: a request every 15 minutes
            t.shift(dt.timedelta(minutes=15))
            response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_ends_the_sessions_of_a_disabled_account(world, client):
    client.force_login(world.coordinator_a)
    assert client.get(reverse("home")).status_code == 200
    world.coordinator_a.is_active = False
    world.coordinator_a.save()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.urls("tests.security.urls_boom")
def test_it_shows_a_generic_error_page_without_details(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert "secret detail" not in html and "Traceback" not in html


def test_it_shows_a_dutch_not_found_page(world, login):
    response = login(world.coordinator_a).get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_it_passes_the_deploy_check_with_production_values():
    import os
    import subprocess
    import sys

    env = {**os.environ, "MIM_DEBUG": "false", "MIM_ALLOWED_HOSTS": "mim.example.nl",
           "MIM_SITE_URL": "https://mim.example.nl",
           "MIM_SECRET_KEY": "x" * 20 + "a-long-random-production-key-0123456789"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright
    result = subprocess.run([sys.executable, "-m", "mim.cli", "check", "--deploy",
                             "--fail-level", "WARNING"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_fails_the_deploy_check_with_the_development_key():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MIM_SECRET_KEY"}
    env.update({"MIM_DEBUG": "false", "MIM_ALLOWED_HOSTS": "mim.example.nl",
                "MIM_SITE_URL": "https://mim.example.nl"})
    result = subprocess.run([sys.executable, "-m", "mim.cli", "check", "--deploy"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0
    assert "mim.E001" in result.stderr + result.stdout


@pytest.mark.parametrize("site_url", [None, "http://mim.example.nl"])
def test_it_fails_the_deploy_check_without_the_sites_https_address(site_url):
    """The invitation mails' links start with it: without it they would take the host of
    whichever request made the account."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("MIM_SITE_URL", "DATABASE_URL")}
    env.update({"MIM_DEBUG": "false", "MIM_ALLOWED_HOSTS": "mim.example.nl",
                "MIM_SECRET_KEY": "x" * 20 + "a-long-random-production-key-0123456789"})
    if site_url:
        env["MIM_SITE_URL"] = site_url
    result = subprocess.run([sys.executable, "-m", "mim.cli", "check", "--deploy"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0
    assert "mim.E002" in result.stderr + result.stdout

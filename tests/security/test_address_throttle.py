"""Throttling per address across usernames (password spraying, ASVS 6.3.1; issue 12):
from the 50th password failure in an hour, one address waits a growing delay (429 with
Retry-After), and is never locked out; other addresses are not affected."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mim.accounts import throttle
from mim.audit.models import AuditEntry
from tests.security.test_mfa import PASSWORD

PROXY = "10.0.0.9"


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _spray(client, n: int, start: int = 0) -> None:
    """One wrong password for each of n usernames: the per-username lock never trips."""
    for i in range(start, start + n):
        response = client.post(reverse("login"), {"username": f"spray{i}", "password": "x"})
        assert response.status_code == 200, (i, response.status_code)


def _login(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_it_lets_49_failures_from_one_address_pass_without_delay(world, clock):
    client = Client(REMOTE_ADDR=PROXY)
    _spray(client, 49)
    assert _login(client, "coord_a").status_code == 302


def test_it_slows_an_address_down_after_50_failures_across_usernames(world, clock):
    client = Client(REMOTE_ADDR=PROXY)
    _spray(client, 50)
    response = _login(client, "coord_a")
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert "Probeer het over 1 seconde opnieuw" in response.content.decode()
    # The refused attempt reached no password check: nobody logged in, nothing counted.
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(event="login_failed").count() == 50


def test_it_grows_the_delay_with_each_further_failure(world, clock):
    client = Client(REMOTE_ADDR=PROXY)
    _spray(client, 50)
    waits = []
    for i in range(8):
        response = client.post(reverse("login"), {"username": f"more{i}", "password": "x"})
        waits.append(int(response["Retry-After"]))
        clock.shift(dt.timedelta(seconds=waits[-1]))
        _spray(client, 1, start=100 + i)
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]


def test_it_never_locks_the_address_out_only_delays_it(world, clock):
    """Behind one proxy address everybody can still log in, after at most a minute."""
    for i in range(150):
        AuditEntry.objects.create(event="login_failed", object_type="user",
                                  object_ref=f"spray{i}", client=PROXY)
    client = Client(REMOTE_ADDR=PROXY)
    response = _login(client, "coord_b")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == throttle.MAX_DELAY_SECONDS
    clock.shift(dt.timedelta(seconds=throttle.MAX_DELAY_SECONDS))
    assert _login(client, "coord_b").status_code == 302


def test_it_does_not_slow_down_another_address(world, clock):
    _spray(Client(REMOTE_ADDR=PROXY), 50)
    assert _login(Client(REMOTE_ADDR="10.0.0.10"), "coord_a").status_code == 302


def test_it_ignores_a_spoofed_forwarded_header(world, clock):
    client = Client(REMOTE_ADDR=PROXY)
    _spray(client, 50)
    response = client.post(reverse("login"), {"username": "coord_a", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_it_forgets_failures_older_than_an_hour(world, clock):
    client = Client(REMOTE_ADDR=PROXY)
    _spray(client, 50)
    assert _login(client, "coord_a").status_code == 429
    clock.shift(dt.timedelta(hours=1, seconds=1))
    assert _login(client, "coord_a").status_code == 302


def test_it_does_not_count_failures_of_the_second_step(world, clock):
    for _ in range(80):
        AuditEntry.objects.create(event="login_failed", client=PROXY,
                                  detail="second factor refused")
    assert throttle.address_retry_after(PROXY) == 0


@pytest.mark.parametrize("failures,wait", [(0, 0), (49, 0), (50, 1), (51, 2), (55, 32),
                                           (56, 60), (500, 60)])
def test_it_computes_the_delay_from_the_failure_count(failures, wait):
    assert throttle.delay_after(failures) == wait

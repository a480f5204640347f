"""Personas shared by the whole suite.

site_a and site_b belong to different organisations and municipalities, so every
persona's scope is distinguishable: the coordinator of A, the coordinator of B, the
viewer of A's organisation, the funder of A's municipality, the programme office, an
operator and an anonymous visitor.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from hypothesis import settings as hypothesis_settings

from mim.accounts.models import Role
from tests.factories import SiteFactory, user_with_role

# No wall-clock deadline per example (Hypothesis's default is 200 ms): a loaded CI machine that
# pauses a worker fails the example, or calls the test flaky when the rerun is fast.
hypothesis_settings.register_profile("mim", deadline=None)
hypothesis_settings.load_profile("mim")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production settings redirect to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _append_only_audit_log(request):
    """Keep the audit triggers in place during every test, and lift them only for the
    flush that empties the database after a transactional test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = ("transactional_db" in request.fixturenames
                     or "live_server" in request.fixturenames
                     or bool(marker and marker.kwargs.get("transaction")))
    if not transactional and "db" not in request.fixturenames and not marker:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    from mim.audit import triggers
    from mim.publication import triggers as publication_triggers

    triggers.install(connection)
    publication_triggers.ensure_stamp_row(connection)  # a flush empties its table too
    yield
    if transactional:
        triggers.remove(connection)


@dataclass
class World:
    site_a: object
    site_b: object
    coordinator_a: object
    coordinator_b: object
    organisation_viewer: object
    funder: object
    office: object
    operator: object
    anonymous: object

    def persona(self, name: str):
        return getattr(self, name)


PERSONAS = ["coordinator_a", "coordinator_b", "organisation_viewer", "funder", "office",
            "operator", "anonymous"]


@pytest.fixture
def world(db) -> World:
    site_a = SiteFactory(code="site-a", name="Locatie A")
    site_b = SiteFactory(code="site-b", name="Locatie B")
    return World(
        site_a=site_a,
        site_b=site_b,
        coordinator_a=user_with_role(Role.COORDINATOR, "coord_a", site=site_a),
        coordinator_b=user_with_role(Role.COORDINATOR, "coord_b", site=site_b),
        organisation_viewer=user_with_role(Role.ORGANISATION_VIEWER, "org_a",
                                           organisation=site_a.organisation),
        funder=user_with_role(Role.FUNDER, "funder_a", municipality=site_a.municipality),
        office=user_with_role(Role.PROGRAMME_OFFICE, "office"),
        operator=user_with_role(Role.OPERATOR, "operator"),
        anonymous=AnonymousUser(),
    )


def pass_second_factor(client, user) -> None:
    """Mark the client's session as having passed the second factor, as the real login
    flow does after a valid code (tests/security/test_mfa.py tests that flow itself)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test",
                                                 defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class FullyLoggedInClient(Client):
    """The test client whose force_login passes both factors, so tests of a page need
    not repeat the login flow. MFA enforcement is tested with a plain Client."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)


@pytest.fixture
def client():
    return FullyLoggedInClient()


@pytest.fixture
def login(client):
    """Log a persona in on the test client (None for anonymous)."""

    def _login(user):
        client.logout()
        if user is not None and user.is_authenticated:
            client.force_login(user)
        return client

    return _login

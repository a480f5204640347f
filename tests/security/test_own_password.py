"""A user changes her own password (she chose the first one through her invitation): the
old one is checked, the new one must pass the validators, her other sessions end and her
API tokens stop working, and the log says so without the password."""

import pytest
from django.test import Client
from django.urls import reverse

from mim.api.models import ApiToken
from mim.api.services import api_token_create
from mim.audit.models import AuditEntry
from tests.conftest import FullyLoggedInClient

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"  # tests.factories.UserFactory
NEW = "groene kikker springt over zeven sloten"


def test_it_changes_her_own_password_and_ends_her_other_sessions(world, login):
    elsewhere = FullyLoggedInClient()
    elsewhere.force_login(world.funder)
    assert elsewhere.get(reverse("home")).status_code == 200
    api_token_create(user=world.funder, name="script")
    client = login(world.funder)
    url = reverse("password_change")
    wrong = client.post(url, {"old_password": "raden", "new_password1": NEW,
                              "new_password2": NEW})
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    weak = client.post(url, {"old_password": OLD, "new_password1": "password",
                             "new_password2": "password"})
    assert weak.status_code == 200
    world.funder.refresh_from_db()
    assert world.funder.check_password(OLD)
    response = client.post(url, {"old_password": OLD, "new_password1": NEW,
                                 "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    world.funder.refresh_from_db()
    assert world.funder.check_password(NEW)
    assert client.get(reverse("home")).status_code == 200  # this session stays
    after = elsewhere.get(reverse("home"))
    assert after.status_code == 302
    assert after["Location"].split("?")[0] == reverse("login")
    assert not ApiToken.objects.filter(user=world.funder, revoked_at__isnull=True).exists()
    entry = AuditEntry.objects.filter(object_type="user").latest("pk")
    assert (entry.event, entry.user, entry.detail) == ("update", world.funder,
                                                       "own password changed")
    assert NEW not in " ".join(AuditEntry.objects.values_list("detail", flat=True))


def test_it_asks_an_anonymous_visitor_to_log_in_first(world):
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_counts_a_wrong_current_password_as_a_failed_login(world, login):
    """Whoever finds a session open cannot guess the password behind it without limit: a
    wrong current password counts towards the lock of five per username and address (B2),
    and each is in the access log as a failed login."""
    client = login(world.coordinator_a)
    statuses = [client.post(reverse("password_change"), {
        "old_password": f"gok {i}", "new_password1": NEW, "new_password2": NEW}).status_code
        for i in range(6)]
    assert AuditEntry.objects.filter(event="login_failed").count() >= 5
    assert statuses[-1] == 429  # the pair is locked: the lock page, not the form
    # Locked, even the right password changes nothing.
    client.post(reverse("password_change"), {"old_password": OLD, "new_password1": NEW,
                                               "new_password2": NEW})
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.check_password(OLD)

"""The page where a user creates and revokes her API tokens: any input is a page, not
a server error (issue 12)."""

import pytest
from django.urls import reverse

from mim.api.models import ApiToken
from mim.api.services import api_token_create


@pytest.mark.parametrize("value", ["abc", "", "-1", "0", "1.5", "99999999999999999999999",
                                   "1\x00"])
def test_it_refuses_a_revoke_value_that_is_not_a_token_id(world, login, value):
    token, _raw = api_token_create(user=world.office, name="keep")
    response = login(world.office).post(reverse("api_tokens"), {"revoke": value})
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_it_revokes_her_own_token_only(world, login):
    mine, _ = api_token_create(user=world.office, name="mine")
    theirs, _ = api_token_create(user=world.funder, name="theirs")
    client = login(world.office)
    client.post(reverse("api_tokens"), {"revoke": str(theirs.pk)})
    client.post(reverse("api_tokens"), {"revoke": str(mine.pk)})
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None


@pytest.mark.parametrize("name", ["x" * 500, "nul\x00byte"])
def test_it_refuses_a_token_name_it_cannot_store(world, login, name):
    response = login(world.office).post(reverse("api_tokens"), {"name": name})
    assert response.status_code == 200
    assert not ApiToken.objects.filter(user=world.office).exists()

"""The results block of the figures page (mim.dashboards.results)."""

import pytest
from django.urls import reverse

from mim.accounts.models import Role
from tests.factories import user_with_role
from tests.results.conftest import YEAR

pytestmark = pytest.mark.django_db


def _page(client, user, scope):
    client.force_login(user)
    response = client.get(reverse("figures:view"), {"scope": scope, "jaar": YEAR})
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_national_results_with_a_chart(client, year):
    page = _page(client, user_with_role(Role.PROGRAMME_OFFICE), "national:NL")
    assert 'id="h-results"' in page and 'aria-labelledby="results-mothers-title"' in page
    assert "Nederland: alle moeders" in page
    assert "geen effect van het programma" in page


def test_it_shows_a_site_beside_the_nation(client, year):
    page = _page(client, user_with_role(Role.PROGRAMME_OFFICE), "site:big")
    assert f"{year['big'].name}: alle moeders" in page and "Nederland: alle moeders" in page


def test_it_shows_a_small_sites_own_coordinator_only_its_group(client, year):
    user = user_with_role(Role.COORDINATOR, site=year["hidden"])
    page = _page(client, user, "site:hidden")
    assert "worden niet apart gepubliceerd" in page
    assert f"{year['hidden'].name}: alle moeders" not in page

import datetime as dt

import pytest
from django.utils import timezone

from mim.api.models import ApiToken
from mim.api.services import api_token_create
from mim.audit.models import AuditEntry
from mim.audit.services import SHOWN
from mim.figures import standard
from tests.conftest import PERSONAS
from tests.factories import MotherFactory, VolunteerFactory, answer

API = "/api/v1"


@pytest.fixture
def records(world):
    mother = MotherFactory(site=world.site_a, ref="A-1", origin="turkish",
                           start_date=dt.date(2024, 2, 1))
    answer(mother, "mother_circumstances", "poor_social_network")
    MotherFactory(site=world.site_b, ref="B-1", start_date=dt.date(2024, 2, 1))
    VolunteerFactory(site=world.site_a, ref="VA-1")
    return mother


def bearer(user):
    _, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_refuses_calls_without_a_token(client, db):
    assert client.get(f"{API}/sites").status_code == 401


def test_it_refuses_a_revoked_or_expired_token(client, world):
    headers = bearer(world.office)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"{API}/sites", **headers).status_code == 401


def test_it_revokes_a_users_tokens_when_her_password_changes(client, world):
    mine, other = bearer(world.office), bearer(world.funder)
    world.office.set_password("a completely new passphrase 2026")
    world.office.save()
    assert client.get(f"{API}/sites", **mine).status_code == 401
    assert client.get(f"{API}/sites", **other).status_code == 200
    fresh = bearer(world.office)  # a token made after the change works
    world.office.first_name = "Olga"
    world.office.save()  # other changes leave tokens alone
    assert client.get(f"{API}/sites", **fresh).status_code == 200


def test_it_stores_only_a_hash_of_the_token(world):
    token, raw = api_token_create(user=world.office, name="x")
    assert raw not in token.token_hash and len(token.token_hash) == 64


def test_it_serves_the_codebook_without_a_token(client, db):
    data = client.get(f"{API}/codebook?year=2008").json()
    assert data["version"] == "2008"
    assert client.get(f"{API}/codebook?year=1990").status_code == 400


def test_it_publishes_an_openapi_schema(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert f"{API}/figures" in schema["paths"]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_it_lists_exactly_the_sites_each_persona_may_see(client, world, persona):
    codes = {s["code"] for s in client.get(f"{API}/sites",
                                           **bearer(world.persona(persona))).json()}
    expected = {"coordinator_a": {"site-a"}, "coordinator_b": {"site-b"},
                "organisation_viewer": {"site-a"}, "funder": {"site-a"},
                "office": {"site-a", "site-b"}, "operator": {"site-a", "site-b"}}[persona]
    assert codes == expected


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_it_gives_records_to_the_sites_own_coordinator_only(client, world, records, persona):
    response = client.get(f"{API}/sites/site-a/mothers", **bearer(world.persona(persona)))
    if persona == "coordinator_a":
        assert response.status_code == 200
        result = response.json()["results"][0]
        assert result["ref"] == "A-1" and result["origin"] == "turkish"
        assert result["mother_circumstances"] == ["poor_social_network"]
        assert "name" not in result and "phone" not in result
    else:
        assert response.status_code == 404


AGGREGATE_KEYS = {"year", "scope", "scope_code", "variable", "category", "count", "base",
                  "percent", "value", "suppressed", "provisional", "provisional_sites",
                  "sites_expected", "published_at",
                  "sites_delivered", "figures", "code", "name", "organisation", "municipality",
                  "first_year", "last_year", "site", "status"}


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


@pytest.mark.parametrize("persona", ["organisation_viewer", "funder", "office", "operator"])
def test_it_never_sends_a_personal_field_to_other_roles(client, world, records, persona):
    headers = bearer(world.persona(persona))
    for url in (f"{API}/sites", f"{API}/returns?year=2024", f"{API}/figures?year=2024"):
        response = client.get(url, **headers)
        assert keys_of(response.json()) <= AGGREGATE_KEYS, url
        assert b"A-1" not in response.content


def test_it_shows_the_coordinator_her_site_unsuppressed(client, world, records):
    data = client.get(f"{API}/figures?year=2024&scope=site&code=site-a",
                      **bearer(world.coordinator_a)).json()
    total = next(f for f in data["figures"] if f["variable"] == "mothers.total")
    assert total["count"] == 1 and total["suppressed"] is False


def test_it_suppresses_small_counts_for_the_programme_office(client, world, records):
    data = client.get(f"{API}/figures?year=2024&scope=national&code=NL",
                      **bearer(world.office)).json()
    for figure in data["figures"]:
        assert figure["count"] is None or figure["count"] == 0 or figure["count"] >= 5 \
            or not standard.is_protected(figure["variable"])  # sites, coordinators, facts


def test_it_offers_approved_only_figures_unsuppressed_only(client, world, records):
    # two published variants of a year could be subtracted: the difference is the
    # provisional sites' figures, small cells included
    refused = client.get(f"{API}/figures?year=2024&scope=national&code=NL&approved_only=true",
                         **bearer(world.office))
    assert refused.status_code == 400 and "approved_only" in refused.json()["detail"]
    own = client.get(f"{API}/figures?year=2024&scope=site&code=site-a&approved_only=true",
                     **bearer(world.coordinator_a))
    assert own.status_code == 200


def test_it_refuses_a_scope_outside_the_callers(client, world, records):
    response = client.get(f"{API}/figures?year=2024&scope=site&code=site-b",
                          **bearer(world.coordinator_a))
    assert response.status_code == 404


def test_it_audits_every_record_listing(client, world, records):
    own = AuditEntry.objects.exclude(detail__startswith=SHOWN)
    before = own.count()
    client.get(f"{API}/sites/site-a/mothers", **bearer(world.coordinator_a))
    entry = own.order_by("-id").first()
    assert own.count() == before + 1
    assert AuditEntry.objects.filter(detail__startswith=SHOWN, object_type="mother").exists()
    assert entry.event == "export" and entry.site == world.site_a
    assert entry.username == "coord_a"


def test_it_answers_a_bad_page_with_404_not_500(client, world, records):
    response = client.get(f"{API}/sites/site-a/mothers?page=99", **bearer(world.coordinator_a))
    assert response.status_code == 404


def test_it_says_when_the_published_figures_were_released(client, world, records):
    """Provisional figures may stand for a while (MIM_RELEASE_DAYS): the API says from when;
    a coordinator's own site is live and has no release date."""
    national = client.get(f"{API}/figures?year=2024&scope=national&code=NL",
                          **bearer(world.office)).json()
    own = client.get(f"{API}/figures?year=2024&scope=site&code=site-a",
                     **bearer(world.coordinator_a)).json()
    assert national["published_at"] and national["published_at"][:4] == str(dt.date.today().year)
    assert own["published_at"] is None

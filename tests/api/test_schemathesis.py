"""Property-based calls generated from the OpenAPI schema: never a server error.

The schema comes straight from the API object and the calls go through Django's test
client, so the run needs no server and uses the test database with its personas."""

import datetime as dt
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from mim.api.services import api_token_create
from mim.api.v1 import api
from tests.factories import MotherFactory

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))


@pytest.fixture
def api_token(db, world):
    MotherFactory(site=world.site_a, ref="A-1", start_date=dt.date(2024, 2, 1))
    return api_token_create(user=world.coordinator_a, name="fuzz")[1]


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_it_never_answers_with_a_server_error(case, api_token, client):
    query = f"?{urlencode(case.query, doseq=True)}" if case.query else ""
    response = client.generic(case.method, f"{case.formatted_path}{query}",
                              HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert response.status_code < 500, response.content[:500]

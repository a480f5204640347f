"""Every URL × persona × method of tests/security/access_matrix.py, and a guard that no
URL of the application is missing from the matrix (security guide A1)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mim.api.services import api_token_create
from mim.registry.models import Match, Mother, Visit, Volunteer
from mim.returns.models import AnnualReturn
from tests.conftest import PERSONAS
from tests.security.access_matrix import ADMIN_PREFIX, ADMIN_URLS, ALLOW, DENY, LOGIN, MATRIX, Row

CASES = [(row, persona, method) for row in MATRIX for persona in PERSONAS
         for method in row.methods]


def _case_id(case) -> str:
    row, persona, method = case
    return f"{row.name}{'?' + row.query.split('&')[0] if row.query else ''}-{persona}-{method}"


def _url(row: Row, objects: dict) -> str:
    kwargs = {k: (objects[v.strip("{}")] if isinstance(v, str) and v.startswith("{") else v)
              for k, v in row.kwargs.items()}
    url = reverse(row.name, kwargs=kwargs or None)
    return f"{url}?{row.query}" if row.query else url


def _fingerprint():
    return (Mother.objects.count(), Volunteer.objects.count(), Match.objects.count(),
            Visit.objects.count(), list(Mother.objects.values_list("version", "end_date")),
            list(AnnualReturn.objects.values_list("status", "version")))


def _outcome(response, row: Row) -> str:
    if response.status_code in (403, 404):
        return DENY
    if row.api and response.status_code == 401:
        return LOGIN
    if response.status_code in (301, 302) and response["Location"].startswith(reverse("login")):
        return LOGIN
    return ALLOW


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_it_lets_each_persona_do_exactly_what_the_matrix_says(world, objects, login, case):
    row, persona, method = case
    user = world.persona(persona)
    client = login(user)
    headers = {}
    if row.api and persona != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(user=user, name='m')[1]}"
    before = _fingerprint()
    response = getattr(client, method)(_url(row, objects), **headers)
    expected = row.expect[persona]
    assert _outcome(response, row) == expected, (response.status_code,
                                                 response.get("Location"))
    if expected != ALLOW:
        assert _fingerprint() == before, "a refused request changed data"
    if persona not in ("coordinator_a", "coordinator_b"):
        # Security guide A2: no other role ever receives anything of a record.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for value in (b"REF-A-1", b"Zwaantje", b"06-99887766"):
            assert value not in body


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ADMIN_URLS)
def test_it_opens_the_admin_to_operators_only(world, login, persona, name):
    user = world.persona(persona)
    if persona != "anonymous":
        # Even full Django rights do not open the admin without the operator role.
        user.is_staff = user.is_superuser = True
        user.save()
    response = login(user).get(reverse(name))
    if persona == "operator":
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith((reverse("login"), reverse("admin:login")))
    else:
        # the Dutch 403 page, never a redirect (it used to loop via the login page)
        assert response.status_code == 403
        assert "Geen toegang" in response.content.decode()


def _named_urls(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _named_urls(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_it_has_a_row_for_every_url_of_the_application():
    covered = {row.name for row in MATRIX}
    missing = sorted(name for name in set(_named_urls(get_resolver().url_patterns))
                     if name not in covered and not name.startswith(ADMIN_PREFIX))
    assert missing == [], f"add these URLs to tests/security/access_matrix.py: {missing}"

"""Never a server error from any form or API input (security guide D1; issue 12).

A property test over the whole access matrix: every form field that the application's
pages offer (found by reading the forms on every page, as a browser would) and every
parameter of the API's schema gets random values, posted (or sent in the query string)
to every URL of the matrix as a persona the matrix lets in. Every answer must be below
500. The example count is kept small: one example is one pass over every URL."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mim.api.services import api_token_create
from mim.api.v1 import api
from tests.conftest import FullyLoggedInClient
from tests.security.access_matrix import ALLOW, MATRIX, ROLES
from tests.security.test_access_matrix import _url

# Fields that exist in a form only in some state of its page (a return in another
# status, a preview with a token), so the crawl below may not see them.
KNOWN_FIELDS = {"next", "pagina", "formaat", "token", "version", "cancel", "message",
                "end_date", "files"}

VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**20), 10**20).map(str),
    st.dates().map(str),
    st.sampled_from(["", "0", "-1", "1", "2025", "abc", "99999999999999999999", "2025-02-30",
                     "31-12-2025", "null", "true", "\x00", "a\x00b", "<script>x</script>",
                     "../../etc/passwd", "%", "ü" * 200, "x" * 5000, "site-b", "national:NL",
                     "site:site-b", "organisation:", "=1+1", "1e309", "NaN"]),
)
FIELD_VALUES = st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3))

# Known server errors in code another change owns, left out of the property test and
# pinned by a strict xfail below, so the fix is noticed (and this entry removed).
KNOWN_ERRORS: set = set()


class _Forms(HTMLParser):
    """The fields of each form on a page, by the form's target path."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path, self.action, self.found = page_path, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = urlsplit(attrs.get("action") or self.page_path).path or self.page_path
            self.found.setdefault(self.action, set())
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self.found.setdefault(self.action or self.page_path, set()).add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.action = None


def _persona(row) -> str:
    allowed = [p for p in (*ROLES, "anonymous") if row.expect[p] == ALLOW]
    return allowed[0] if allowed else "coordinator_a"


def _client(world, persona):
    client = FullyLoggedInClient()
    client.raise_request_exception = False  # a 500 is an answer to look at, not a crash
    user = world.persona(persona)
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def fields_by_path(world, objects):
    """Crawl every page of the matrix as its persona and read its forms."""
    found: dict[str, set[str]] = {}
    for row in MATRIX:
        if row.api or "get" not in row.methods:
            continue
        url = _url(row, objects)
        response = _client(world, _persona(row)).get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = _Forms(urlsplit(url).path)
            parser.feed(response.content.decode())
            for path, names in parser.found.items():
                found.setdefault(path, set()).update(names)
    assert sum(len(n) for n in found.values()) > 40  # the crawl found the forms
    return found


def _api_parameters() -> dict[str, list[dict]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {path: op.get("parameters", []) for path, ops in schema["paths"].items()
            for op in ops.values()}


API_PARAMETERS = _api_parameters()


def _check(errors: list, response, what) -> None:
    if response.status_code >= 500:
        errors.append((what, response.status_code))


# No shrinking: one example is a pass over every URL, and the failing URL and values are
# in the report already. No example database: nothing is written into the work tree.
@settings(max_examples=6, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_it_never_answers_a_form_or_api_input_with_a_server_error(world, objects,
                                                                 fields_by_path, data):
    clients, errors = {}, []
    for row in MATRIX:
        if row.api:
            continue
        persona = _persona(row)
        url = _url(row, objects)
        path = urlsplit(url).path
        names = sorted((fields_by_path.get(path, set()) | KNOWN_FIELDS
                        | {k for k, _v in parse_qsl(row.query)}) - {"csrfmiddlewaretoken"}
                       - {field for name, field in KNOWN_ERRORS if name == row.name})
        values = data.draw(st.dictionaries(st.sampled_from(names), FIELD_VALUES,
                                           max_size=len(names)), label=row.name)
        client = clients.get(persona) or clients.setdefault(persona, _client(world, persona))
        for method in row.methods:
            if method == "get":
                params = {**dict(parse_qsl(row.query)), **values}
                response = client.get(path, params)
            else:
                response = client.post(path, values)
            _check(errors, response, (row.name, method, values))
        if row.name == "logout":
            clients.pop(persona, None)

    token = api_token_create(user=world.coordinator_a, name="fuzz")[1]
    api_client = _client(world, "anonymous")
    for path, parameters in API_PARAMETERS.items():
        query = {}
        for parameter in parameters:
            value = data.draw(VALUES, label=f"{path} {parameter['name']}")
            if parameter["in"] == "path":
                path = path.replace("{" + parameter["name"] + "}", quote(value, safe="") or "x")
            else:
                query[parameter["name"]] = value
        response = api_client.get(path, query, HTTP_AUTHORIZATION=f"Bearer {token}")
        _check(errors, response, (path, query))
    assert errors == []


def test_it_answers_a_non_numeric_line_count_on_the_facts_page_without_error(world, objects):
    client = _client(world, "coordinator_a")
    row = next(r for r in MATRIX if r.name == "returns:facts")
    response = client.post(_url(row, objects), {"add_line": "1", "coord-TOTAL_FORMS": "abc"})
    assert response.status_code < 500


@pytest.mark.parametrize("code", ["a\x00b", "x" * 41, "site a", "%"])
def test_it_answers_404_for_a_site_code_that_cannot_be_one(world, code):
    """Found by the property test on PostgreSQL, which refuses a NUL byte in a query."""
    token = api_token_create(user=world.coordinator_a, name="t")[1]
    response = _client(world, "anonymous").get(f"/api/v1/sites/{quote(code, safe='')}/mothers",
                                               HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404


@pytest.mark.parametrize("username", ["a\x00b", "x" * 10_000, ""])
def test_it_answers_any_username_at_the_login_with_a_page(world, username):
    response = _client(world, "anonymous").post("/inloggen/", {"username": username,
                                                               "password": "x\x00"})
    assert response.status_code == 200

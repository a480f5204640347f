"""The access log over the whole access matrix (security guide E1, NEN 7513; issue 12):
every URL that shows a person writes one entry saying who, when, from where and which
records or which list; every refusal writes a `denied` entry.

PERSON_PAGES and NO_PERSON together classify every row of the access matrix; a new URL
fails test_it_classifies_every_url_of_the_access_matrix until someone decides whether
it shows a person."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from mim.api.services import api_token_create
from mim.audit.models import AuditEntry
from mim.audit.services import SHOWN
from tests.conftest import PERSONAS
from tests.security.access_matrix import ALLOW, DENY, MATRIX
from tests.security.test_access_matrix import _outcome, _url

ADDRESS = "192.0.2.44"
PERSONAL_VALUES = ("Zwaantje", "Geheim", "06-99887766")

# row name → (event, object_type, object_ref): "{mother}"/"{volunteer}" is the record's
# ref, "list" a list page, "" anything (a page of the API, a bulk export).
PERSON_PAGES = {
    "registry:mother_list": ("view", "mother", "list"),
    "registry:mothers_to_close": ("view", "mother", "list"),
    "registry:visit_sheet": ("view", "mother", "list"),
    "registry:mother_detail": ("view", "mother", "{mother}"),
    "registry:mother_edit": ("view", "mother", "{mother}"),
    "registry:mother_end": ("view", "mother", "{mother}"),
    "registry:mother_complete": ("view", "mother", "{mother}"),
    "registry:mother_match": ("view", "mother", "{mother}"),
    "registry:visit_create": ("view", "mother", "{mother}"),
    "registry:mother_assessment": ("view", "mother", "{mother}"),
    "registry:mother_export": ("export", "mother", "{mother}"),
    "registry:mother_erase": ("view", "mother", "{mother}"),
    "registry:volunteer_list": ("view", "volunteer", "list"),
    "registry:volunteer_detail": ("view", "volunteer", "{volunteer}"),
    "registry:volunteer_edit": ("view", "volunteer", "{volunteer}"),
    "registry:volunteer_end": ("view", "volunteer", "{volunteer}"),
    "registry:volunteer_export": ("export", "volunteer", "{volunteer}"),
    "registry:volunteer_erase": ("view", "volunteer", "{volunteer}"),
    "spreadsheets:export": ("export", "records", ""),
    "api-v1:mothers": ("export", "mother", ""),
    "api-v1:volunteers": ("export", "volunteer", ""),
}

NO_PERSON = {
    "login": "the front door",
    "logout": "ends the session (logged as logout)",
    "second_factor": "the login's second step (logged as login / login_failed)",
    "second_factor_setup": "the login's second step",
    "set_language": "a preference",
    "home": "counts per site only",
    "api_tokens": "the user's own tokens",
    "registry:mothers": "a choice of sites",
    "registry:volunteers": "a choice of sites",
    "registry:audit": "a choice of sites",
    "registry:mother_create": "an empty form; the new record is logged as create",
    "registry:volunteer_create": "an empty form; the new record is logged as create",
    "registry:match_end": "POST only, redirects; the change is logged as update",
    "registry:audit_log": "the site's log: refs and usernames, no person's data",
    "spreadsheets:index": "a choice of sites",
    "spreadsheets:site": "the upload form",
    "spreadsheets:upload": "shows the uploaded file's own rows back (import logged on confirm)",
    "spreadsheets:confirm": "POST only; the import is logged per record and as import",
    "spreadsheets:template": "the empty template",
    "figures:dashboard": "figures", "figures:view": "figures", "figures:export": "figures",
    "returns:list": "return status", "returns:deadlines": "deadlines",
    "returns:site": "a return's figures", "returns:start": "a return's workflow",
    "returns:facts": "site facts", "returns:source": "a return's workflow",
    "returns:aggregate": "aggregate figures", "returns:aggregate_template": "a template",
    "returns:submit": "a return's workflow", "returns:answer": "a return's workflow",
    "returns:refresh": "a return's workflow",
    "returns:review": "a return's figures, suppressed", "returns:query": "workflow",
    "returns:approve": "workflow", "returns:reopen": "workflow",
    "returns:waiting": "return status", "returns:not_delivered": "workflow",
    "returns:end_site": "a site's years; logged as update",
    "reports:index": "reports", "reports:national": "published figures",
    "reports:site": "a site's figures", "reports:text": "report texts",
    "reports:municipality": "a municipality's published figures",
    "reports:text_preview": "the office's draft texts in the report (no person)",
    "office:index": "links", "office:sites": "sites", "office:site_new": "a site's form",
    "office:site_end": "a site's form", "office:organisations": "organisations",
    "office:municipalities": "municipalities",
    "office:year": "a year's sites, facts and coordinators (staff, not records about a person)",
    "office:facts_upload": "a facts file's summary (sites, organisations, staff codes)",
    "office:facts_confirm": "POST only; the facts file is logged as import",
    "office:site_year": "a site's facts; logged as update",
    "office:organisation_year": "an organisation's policies; logged as update",
    "office:coordinator_new": "a coordinator's form (staff); logged as create",
    "office:coordinator_edit": "a coordinator's form (staff); logged as update",
    "office:users": "accounts and roles (staff, not records about a person)",
    "office:user_new": "an account's form; the new account is logged as create",
    "office:user_detail": "an account's roles", "office:user_active": "logged as update",
    "office:role_withdraw": "logged as delete",
    "office:invitation_resend": "logged as update (no credential in the log)",
    "office:proposal_decide": "logged as create (confirmed) or delete (declined)",
    "invitation": "the invited user's own password; logged as update when set",
    "password_change": "the user's own password; logged as update when changed",
    "api-v1:openapi-json": "the schema", "api-v1:api-root": "switched off",
    "api-v1:codebook": "the codebook", "api-v1:sites": "sites", "api-v1:figure_set": "figures",
    "api-v1:returns": "return status",
}

ROWS = {row.name: row for row in MATRIX}


def test_it_classifies_every_url_of_the_access_matrix():
    names = set(ROWS)
    assert set(PERSON_PAGES) & set(NO_PERSON) == set()
    assert sorted(names - set(PERSON_PAGES) - set(NO_PERSON)) == [], (
        "say in tests/security/test_access_log.py whether these URLs show a person")
    assert sorted((set(PERSON_PAGES) | set(NO_PERSON)) - names) == []


def _request(client, world, row, persona, method, objects, **extra):
    user = world.persona(persona)
    headers = {"REMOTE_ADDR": ADDRESS, **extra}
    if row.api and persona != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(user=user, name='t')[1]}"
    return getattr(client, method)(_url(row, objects), **headers)


def _new_entries(since: int):
    """The page's own entries: without the one per record it showed (`_shown_entries`)."""
    return list(AuditEntry.objects.filter(pk__gt=since).exclude(event="login")
                .exclude(detail__startswith=SHOWN).order_by("pk"))


def _shown_entries(since: int):
    """An entry per record a list, a sheet or an export showed (mim.audit.services.audit_each),
    so the log about one person finds them."""
    return list(AuditEntry.objects.filter(pk__gt=since, detail__startswith=SHOWN)
                .order_by("pk"))


def _last_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _assert_no_personal_values(entries):
    text = " ".join(f"{e.object_ref} {e.detail} {e.on_behalf_of}" for e in entries)
    assert [v for v in PERSONAL_VALUES if v in text] == []


@pytest.mark.parametrize("name", sorted(PERSON_PAGES))
def test_it_writes_one_entry_for_every_page_that_shows_a_person(world, objects, login, name):
    row = ROWS[name]
    refs = {"{mother}": "REF-A-1", "{volunteer}": "VA-1"}
    client = login(world.coordinator_a)
    since = _last_pk()
    response = _request(client, world, row, "coordinator_a", "get", objects)
    assert response.status_code == 200
    entries = _new_entries(since)
    assert len(entries) == 1, [(e.event, e.detail) for e in entries]
    (entry,) = entries
    event, object_type, object_ref = PERSON_PAGES[name]
    assert (entry.event, entry.object_type) == (event, object_type)
    assert entry.object_ref == refs.get(object_ref, object_ref) or object_ref == ""
    assert (entry.user, entry.client, entry.site, entry.on_behalf_of) == (
        world.coordinator_a, ADDRESS, world.site_a, "site-a")
    assert entry.at is not None
    shown = _shown_entries(since)
    if object_ref in ("list", ""):
        # Which records the list showed, by ref, and an entry of its own for each of them.
        assert "REF-A-1" in entry.detail or "VA-1" in entry.detail or name == "spreadsheets:export"
        assert {e.object_ref for e in shown} & {"REF-A-1", "VA-1"}
        assert {(e.event, e.user, e.client, e.site) for e in shown} == {
            (event, world.coordinator_a, ADDRESS, world.site_a)}
    _assert_no_personal_values(entries + shown)


@pytest.mark.parametrize("name", ["registry:mother_list", "registry:volunteer_list"])
def test_it_logs_a_search_by_name_with_the_refs_found_and_not_the_name(world, objects, login,
                                                                        name):
    from mim.registry.models import VolunteerContact

    VolunteerContact.objects.create(volunteer_id=objects["volunteer"], name="Zwaantje Geheim")
    client = login(world.coordinator_a)
    since = _last_pk()
    response = client.get(_url(ROWS[name], objects), {"q": "Zwaantje", "status": "all"})
    assert response.status_code == 200
    (entry,) = _new_entries(since)
    assert "search" in entry.detail and "all" in entry.detail
    assert ("REF-A-1" if "mother" in name else "VA-1") in entry.detail
    _assert_no_personal_values([entry])


DENIED_CASES = [(row, persona, method) for row in MATRIX for persona in PERSONAS
                for method in row.methods
                if row.expect[persona] == DENY and persona != "anonymous"]


@pytest.mark.parametrize("case", DENIED_CASES,
                         ids=lambda c: f"{c[0].name}{'?' + c[0].query[:12] if c[0].query else ''}"
                                       f"-{c[1]}-{c[2]}")
def test_it_writes_a_denied_entry_for_every_refusal(world, objects, login, case):
    row, persona, method = case
    client = login(world.persona(persona))
    since = _last_pk()
    response = _request(client, world, row, persona, method, objects)
    assert _outcome(response, row) == DENY
    entries = _new_entries(since)
    assert [e.event for e in entries] == ["denied"], [(e.event, e.detail) for e in entries]
    (entry,) = entries
    assert (entry.user, entry.client) == (world.persona(persona), ADDRESS)
    # The path, never the query string (a search term may be a name).
    # (as the server read it: a municipality's name with a space logs as a space)
    assert entry.object_ref == unquote(_url(row, objects).split("?")[0])[:64]
    _assert_no_personal_values(entries)


def test_it_writes_a_denied_entry_for_another_sites_record_by_id(world, login):
    from tests.factories import MotherFactory

    other = MotherFactory(site=world.site_b, ref="B-SECRET")
    client = login(world.coordinator_a)
    since = _last_pk()
    url = reverse("registry:mother_detail", kwargs={"site_code": "site-a", "pk": other.pk})
    assert client.get(url, REMOTE_ADDR=ADDRESS).status_code == 404
    (entry,) = _new_entries(since)
    assert (entry.event, entry.object_ref, entry.client) == ("denied", url, ADDRESS)
    assert "B-SECRET" not in entry.detail


def test_it_writes_no_denied_entry_for_an_allowed_page(world, objects, login):
    client = login(world.coordinator_a)
    since = _last_pk()
    for row in MATRIX:
        if row.expect["coordinator_a"] == ALLOW and "get" in row.methods:
            _request(client, world, row, "coordinator_a", "get", objects)
    assert not AuditEntry.objects.filter(pk__gt=since, event="denied").exists()


@pytest.mark.parametrize("name", ["registry:mother_end", "registry:visit_create",
                                  "registry:mother_assessment",
                                  "registry:mother_match", "registry:mother_complete"])
def test_it_logs_a_form_shown_again_after_an_invalid_post(world, objects, login, name):
    client = login(world.coordinator_a)
    since = _last_pk()
    response = client.post(_url(ROWS[name], objects), {"end_date": "no date", "date": "x"},
                           REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    (entry,) = _new_entries(since)
    assert (entry.event, entry.object_ref, entry.client) == ("view", "REF-A-1", ADDRESS)

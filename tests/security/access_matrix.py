"""The access matrix: for every URL of the application, who may use it.

Machine-readable on purpose: tests/security/test_access_matrix.py turns every row into
requests per persona and method, and fails when a URL exists that has no row here.

Personas (tests/conftest.py): coordinator_a (own site A), coordinator_b (another site),
organisation_viewer and funder (whose scope holds site A), office, operator, anonymous.

Outcomes: ALLOW (served: 2xx, or a redirect inside the application), DENY (404 or 403, the
record or site does not exist for this persona), LOGIN (anonymous: off to the login page,
or 401 for the API).
"""

from dataclasses import dataclass, field

ALLOW, DENY, LOGIN = "allow", "deny", "login"
ROLES = ("coordinator_a", "coordinator_b", "organisation_viewer", "funder", "office",
         "operator")


def only(*allowed: str, anonymous: str = LOGIN) -> dict[str, str]:
    return {**{p: (ALLOW if p in allowed else DENY) for p in ROLES}, "anonymous": anonymous}


EVERY_ROLE = only(*ROLES)
SITE_A_COORDINATOR = only("coordinator_a")
COORDINATORS = only("coordinator_a", "coordinator_b")
OFFICE = only("office")
OPEN = {p: ALLOW for p in (*ROLES, "anonymous")}


@dataclass(frozen=True)
class Row:
    name: str
    expect: dict[str, str]
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    methods: tuple[str, ...] = ("get", "post")
    api: bool = False  # bearer token instead of the session


M, V, MATCH = "{mother}", "{volunteer}", "{match}"
A = {"site_code": "site-a"}
A_MOTHER = {**A, "pk": M}
A_VOLUNTEER = {**A, "pk": V}
A_RETURN = {"code": "site-a", "year": 2025}

MATRIX = [
    # Front door and personal pages
    Row("login", OPEN, methods=("get",)),
    Row("logout", {p: LOGIN for p in (*ROLES, "anonymous")}, methods=("post",)),
    Row("second_factor", only(*ROLES), methods=("get",)),
    Row("second_factor_setup", only(*ROLES), methods=("get",)),
    Row("set_language", OPEN, methods=("post",)),
    Row("home", EVERY_ROLE, methods=("get",)),
    # An invitation's link works without a login (a link that is not valid shows why)
    Row("invitation", OPEN, {"uidb64": "MQ", "token": "ongeldig"}, methods=("get",)),
    Row("password_change", EVERY_ROLE),
    Row("api_tokens", EVERY_ROLE, methods=("get",)),
    # Registration: the records of site A belong to its coordinator alone
    Row("registry:mothers", COORDINATORS, methods=("get",)),
    Row("registry:volunteers", COORDINATORS, methods=("get",)),
    Row("registry:audit", COORDINATORS, methods=("get",)),
    Row("registry:mother_list", SITE_A_COORDINATOR, A),
    Row("registry:mother_create", SITE_A_COORDINATOR, A),
    Row("registry:mothers_to_close", SITE_A_COORDINATOR, A),
    Row("registry:visit_sheet", SITE_A_COORDINATOR, A),
    Row("registry:mother_detail", SITE_A_COORDINATOR, A_MOTHER),
    Row("registry:mother_edit", SITE_A_COORDINATOR, A_MOTHER),
    Row("registry:mother_end", SITE_A_COORDINATOR, A_MOTHER),
    Row("registry:mother_complete", SITE_A_COORDINATOR, A_MOTHER),
    Row("registry:mother_match", SITE_A_COORDINATOR, A_MOTHER),
    Row("registry:match_end", SITE_A_COORDINATOR, {**A_MOTHER, "match_pk": MATCH}),
    Row("registry:visit_create", SITE_A_COORDINATOR, A_MOTHER),
    Row("registry:mother_assessment", SITE_A_COORDINATOR, {**A_MOTHER, "moment": "intake"}),
    Row("registry:mother_export", SITE_A_COORDINATOR, A_MOTHER, methods=("get",)),
    Row("registry:mother_erase", SITE_A_COORDINATOR, A_MOTHER, methods=("get",)),
    Row("registry:volunteer_list", SITE_A_COORDINATOR, A),
    Row("registry:volunteer_create", SITE_A_COORDINATOR, A),
    Row("registry:volunteer_detail", SITE_A_COORDINATOR, A_VOLUNTEER),
    Row("registry:volunteer_edit", SITE_A_COORDINATOR, A_VOLUNTEER),
    Row("registry:volunteer_end", SITE_A_COORDINATOR, A_VOLUNTEER),
    Row("registry:volunteer_export", SITE_A_COORDINATOR, A_VOLUNTEER, methods=("get",)),
    Row("registry:volunteer_erase", SITE_A_COORDINATOR, A_VOLUNTEER, methods=("get",)),
    Row("registry:audit_log", SITE_A_COORDINATOR, A),
    # Spreadsheets: the same records, in bulk
    Row("spreadsheets:index", COORDINATORS, methods=("get",)),
    Row("spreadsheets:site", SITE_A_COORDINATOR, {"code": "site-a"}, methods=("get",)),
    Row("spreadsheets:upload", SITE_A_COORDINATOR, {"code": "site-a"}, methods=("post",)),
    Row("spreadsheets:confirm", SITE_A_COORDINATOR, {"code": "site-a"}, methods=("post",)),
    Row("spreadsheets:export", SITE_A_COORDINATOR, {"code": "site-a"}, methods=("get",)),
    Row("spreadsheets:template", SITE_A_COORDINATOR, {"code": "site-a"}, methods=("get",)),
    # Figures: everybody with a role sees the national figures; a site only within scope
    Row("figures:dashboard", EVERY_ROLE, methods=("get",)),
    Row("figures:view", EVERY_ROLE, query="scope=national:NL&jaar=2025", methods=("get",)),
    Row("figures:view", only("coordinator_a", "organisation_viewer", "funder", "office",
                             "operator"), query="scope=site:site-a&jaar=2025", methods=("get",)),
    Row("figures:export", only("coordinator_a", "organisation_viewer", "funder", "office",
                               "operator"),
        query="scope=site:site-a&jaar=2025&formaat=csv", methods=("get",)),
    # Annual returns: the site's coordinator fills, the programme office reviews
    Row("returns:list", only("coordinator_a", "coordinator_b", "organisation_viewer", "office"),
        methods=("get",)),
    Row("returns:deadlines", OFFICE),
    Row("returns:site", SITE_A_COORDINATOR, A_RETURN, methods=("get",)),
    Row("returns:start", SITE_A_COORDINATOR, A_RETURN, methods=("post",)),
    Row("returns:facts", SITE_A_COORDINATOR, A_RETURN),
    Row("returns:source", SITE_A_COORDINATOR, A_RETURN, methods=("post",)),
    Row("returns:aggregate", SITE_A_COORDINATOR, A_RETURN),
    Row("returns:aggregate_template", SITE_A_COORDINATOR, A_RETURN, methods=("get",)),
    Row("returns:submit", SITE_A_COORDINATOR, A_RETURN, methods=("post",)),
    Row("returns:answer", SITE_A_COORDINATOR, A_RETURN, methods=("post",)),
    Row("returns:refresh", SITE_A_COORDINATOR, A_RETURN, methods=("post",)),
    Row("returns:review", OFFICE, A_RETURN, methods=("get",)),
    Row("returns:query", OFFICE, A_RETURN, methods=("post",)),
    Row("returns:approve", OFFICE, A_RETURN, methods=("post",)),
    Row("returns:reopen", OFFICE, A_RETURN, methods=("post",)),
    Row("returns:waiting", OFFICE, methods=("get",)),
    Row("returns:not_delivered", OFFICE, A_RETURN, methods=("post",)),
    Row("returns:end_site", OFFICE, {"code": "site-a"}, methods=("post",)),
    # Reports: the national report for the programme office, a site's report for its
    # own coordinator (the other coordinators get 404)
    Row("reports:index", only("coordinator_a", "coordinator_b", "office"), methods=("get",)),
    Row("reports:national", OFFICE, {"year": 2025, "fmt": "html"}, methods=("get",)),
    Row("reports:site", SITE_A_COORDINATOR, {"code": "site-a", "year": 2025, "fmt": "html"},
        methods=("get",)),
    Row("reports:text", OFFICE, {"year": 2025}, methods=("post",)),
    Row("reports:text_preview", OFFICE, {"year": 2025}, methods=("post",)),
    # A municipality's report: whoever has the municipality among her figure scopes (never
    # the coordinator of one of its sites)
    Row("reports:municipality", only("funder", "office", "operator"),
        {"name": "{municipality}", "year": 2025, "fmt": "html"}, methods=("get",)),
    # The programme office's screens (mim/office): the office alone; everybody else
    # logged in gets the 403 page
    Row("office:index", OFFICE, methods=("get",)),
    Row("office:sites", OFFICE, methods=("get",)),
    Row("office:site_new", OFFICE),
    Row("office:site_end", OFFICE, {"code": "site-a"}),
    Row("office:organisations", OFFICE),
    Row("office:municipalities", OFFICE),
    Row("office:year", OFFICE, query="jaar=2025", methods=("get",)),
    Row("office:facts_upload", OFFICE, {"year": 2025}),
    Row("office:facts_confirm", OFFICE, {"year": 2025}, methods=("post",)),
    Row("office:site_year", OFFICE, {"year": 2025, "code": "site-a"}),
    Row("office:organisation_year", OFFICE, {"year": 2025, "pk": "{organisation}"}),
    Row("office:coordinator_new", OFFICE, {"year": 2025, "pk": "{organisation}"}),
    Row("office:coordinator_edit", OFFICE, {"year": 2025, "pk": "{coordinator}"}),
    Row("office:users", OFFICE, methods=("get",)),
    Row("office:user_new", OFFICE),
    Row("office:user_detail", OFFICE, {"pk": "{user}"}),
    Row("office:user_active", OFFICE, {"pk": "{user}"}, methods=("post",)),
    Row("office:role_withdraw", OFFICE, {"pk": "{user}", "assignment": "{assignment}"},
        methods=("post",)),
    Row("office:invitation_resend", OFFICE, {"pk": "{user}"}, methods=("post",)),
    Row("office:proposal_decide", OFFICE,
        {"pk": "{user}", "proposal": "{proposal}", "decision": "afwijzen"}, methods=("post",)),
    # The API: bearer tokens carry the persona's roles
    Row("api-v1:openapi-json", OPEN, methods=("get",), api=True),
    # ninja's root serves interactive docs, which are switched off (they load scripts
    # from elsewhere): it answers 404 for everybody.
    Row("api-v1:api-root", {p: DENY for p in (*ROLES, "anonymous")}, methods=("get",),
        api=True),
    Row("api-v1:codebook", OPEN, methods=("get",), api=True),
    Row("api-v1:sites", EVERY_ROLE, methods=("get",), api=True),
    Row("api-v1:figure_set", EVERY_ROLE, query="year=2025", methods=("get",), api=True),
    Row("api-v1:returns", EVERY_ROLE, query="year=2025", methods=("get",), api=True),
    Row("api-v1:mothers", SITE_A_COORDINATOR, A, methods=("get",), api=True),
    Row("api-v1:volunteers", SITE_A_COORDINATOR, A, methods=("get",), api=True),
]

# Django's admin: one rule for all its URLs (operators only; anybody else logged in gets
# the 403 page, the anonymous the login page).
ADMIN_PREFIX = "admin:"
ADMIN_URLS = ("admin:index", "admin:accounts_user_changelist", "admin:organisations_site_changelist")

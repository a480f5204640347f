"""The REST API, version 1: figures, returns, sites and codebook for every role, and a
coordinator's own records. Every call goes through the same visibility and publication
functions as the web pages (mim.accounts.selectors, mim.figures.selectors)."""

import datetime as dt

from django.http import Http404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError

from mim.accounts import selectors as access
from mim.accounts.models import Role
from mim.api.auth import TokenAuth
from mim.audit.models import Event
from mim.audit.services import audit_denied, audit_each, audit_record, refs_detail
from mim.codebook import codebooks
from mim.figures.tidy import Figure
from mim.publication import selectors as figures
from mim.publication.build import PublicationRefused
from mim.returns.selectors import return_statuses

api = NinjaAPI(title="MIM Registratie API", version="1", urls_namespace="api-v1",
               auth=TokenAuth(), docs_url=None)
PAGE = 100
FIRST_YEAR = codebooks.FIRST_YEAR


class Error(Schema):
    detail: str


class FigureOut(Schema):
    year: int
    scope: str
    scope_code: str
    variable: str
    category: str
    count: int | None
    base: int | None
    percent: float | None
    value: float | None = None
    suppressed: bool
    provisional: bool = False


class FigureSetOut(Schema):
    year: int
    scope: str
    scope_code: str
    provisional_sites: int
    sites_expected: int
    sites_delivered: int
    # When the published figures were released (none: a coordinator's own site, live). While
    # only provisional sites' records change they stand up to MIM_RELEASE_DAYS.
    published_at: dt.datetime | None = None
    figures: list[FigureOut]


class SiteOut(Schema):
    code: str
    name: str
    organisation: str
    municipality: str
    first_year: int
    last_year: int | None


class ReturnStatusOut(Schema):
    site: str
    year: int
    status: str


class MotherOut(Schema):
    ref: str
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str
    birth_year: int | None
    origin: str
    country_of_birth: str
    education: str
    household: str
    income_source: str
    child_order: str
    pregnant_at_start: str
    mother_circumstances: list[str]
    baby_circumstances: list[str]


class VolunteerOut(Schema):
    ref: str
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str
    birth_year: int | None
    origin: str
    education: str
    former_mim_mother: str
    work_experience: list[str]
    vog_date: dt.date | None
    agreement_signed: str


class Page(Schema):
    count: int
    page: int
    pages: int


class MothersPage(Page):
    results: list[MotherOut]


class VolunteersPage(Page):
    results: list[VolunteerOut]


def _year(year: int) -> int:
    try:
        codebooks.for_year(year)
    except codebooks.UnknownYear as exc:
        raise HttpError(400, str(exc)) from None
    return year


def _figure(f: Figure) -> dict:
    return {"year": f.year, "scope": f.scope, "scope_code": f.scope_code,
            "variable": f.variable, "category": f.category, "count": f.count, "base": f.base,
            "percent": None if f.percent is None else float(f.percent),
            "value": None if f.value is None else float(f.value),
            "suppressed": f.suppressed, "provisional": f.provisional}


@api.get("/codebook", response={200: dict, 400: Error}, auth=None,
         summary="The codebook in force for a registration year")
def codebook(request, year: int | None = None):
    book = codebooks.CURRENT if year is None else codebooks.for_year(_year(year))
    return book.as_dict()


@api.get("/sites", response=list[SiteOut], summary="Sites the caller may see")
def sites(request):
    rows = access.visible_sites(request.auth).select_related("organisation", "municipality")
    return [{"code": s.code, "name": s.name, "organisation": s.organisation.name,
             "municipality": s.municipality.name, "first_year": s.first_year,
             "last_year": s.last_year} for s in rows.order_by("code")]


@api.get("/figures", response={200: FigureSetOut, 400: Error, 404: Error, 503: Error},
         summary="Tidy figures of one scope, suppressed as published")
def figure_set(request, year: int, scope: str = "national", code: str = "NL",
               approved_only: bool = False):
    try:
        published = figures.published_figures(request.auth, _year(year), scope, code,
                                              approved_only=approved_only)
    except figures.ApprovedOnlyNotPublished:
        raise HttpError(400, "approved_only is only offered for unsuppressed figures (a "
                             "coordinator's own site): two published variants of one year "
                             "could be subtracted from each other") from None
    completeness = published.completeness
    return {"year": year, "scope": scope, "scope_code": code,
            "provisional_sites": completeness.provisional,
            "sites_expected": completeness.expected, "sites_delivered": completeness.delivered,
            "published_at": published.published_at,
            "figures": [_figure(f) for f in published.figures]}


@api.get("/returns", response={200: list[ReturnStatusOut], 400: Error},
         summary="Return status of the sites the caller may see")
def returns(request, year: int):
    year = _year(year)
    visible = set(access.visible_sites(request.auth).values_list("code", flat=True))
    if not (visible and access.has_role(request.auth, Role.COORDINATOR, Role.ORGANISATION_VIEWER,
                                        Role.PROGRAMME_OFFICE, Role.OPERATOR)):
        return []
    statuses = return_statuses(year)
    return [{"site": code, "year": year, "status": statuses.get(code, "not_started")}
            for code in sorted(visible)]


def _page(queryset, page: int) -> tuple[list, dict]:
    count = queryset.count()
    pages = max(1, -(-count // PAGE))
    if page < 1 or page > pages:
        raise HttpError(404, "page out of range")
    rows = list(queryset[(page - 1) * PAGE: page * PAGE])
    return rows, {"count": count, "page": page, "pages": pages}


def _answers(rows, related: str) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = {}
    for row in rows:
        for answer in getattr(row, related).all():
            found.setdefault(row.pk, {}).setdefault(answer.item, []).append(answer.code)
    return found


MOTHER_FIELDS = ("ref", "start_date", "end_date", "end_reason", "birth_year", "origin",
                 "country_of_birth", "education", "household", "income_source", "child_order",
                 "pregnant_at_start")
VOLUNTEER_FIELDS = ("ref", "start_date", "end_date", "end_reason", "birth_year", "origin",
                    "education", "former_mim_mother", "vog_date", "agreement_signed")
MULTI = {"mother": ("mother_circumstances", "baby_circumstances"),
         "volunteer": ("work_experience",)}


def _records_page(request, site_code: str, kind: str, page: int) -> dict:
    """One page of a coordinator's own records of one kind, statistical fields only
    (contact details never leave through the API), logged as an export."""
    site = access.record_site(request.auth, site_code)
    records = site.mothers if kind == "mother" else site.volunteers
    rows, meta = _page(records.order_by("ref").prefetch_related("answers"), page)
    answers = _answers(rows, "answers")
    audit_record(event=Event.EXPORT, user=request.auth, request=request, site=site,
                 object_type=kind, object_ref=f"api page {page}",
                 detail=refs_detail(f"records via API, page {page}", [r.ref for r in rows]))
    audit_each(event=Event.EXPORT, user=request.auth, request=request, site=site,
               shown=[(kind, r.ref, f"records via API, page {page}") for r in rows])
    fields = MOTHER_FIELDS if kind == "mother" else VOLUNTEER_FIELDS
    return {**meta, "results": [
        {**{f: getattr(row, f) for f in fields},
         **{item: sorted(answers.get(row.pk, {}).get(item, [])) for item in MULTI[kind]}}
        for row in rows]}


@api.get("/sites/{site_code}/mothers", response={200: MothersPage, 404: Error},
         summary="A coordinator's own mothers (statistical fields, no contact details)")
def mothers(request, site_code: str, page: int = Query(1)):
    return _records_page(request, site_code, "mother", page)


@api.get("/sites/{site_code}/volunteers", response={200: VolunteersPage, 404: Error},
         summary="A coordinator's own volunteers (no contact details)")
def volunteers(request, site_code: str, page: int = Query(1)):
    return _records_page(request, site_code, "volunteer", page)


@api.exception_handler(Http404)
def not_found(request, exc):
    # Raised by the visibility check (a site outside the token's scope): a refusal.
    audit_denied(request=request, what="api")
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(PublicationRefused)
def publication_refused(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=503)


@api.exception_handler(codebooks.UnknownYear)
def unknown_year(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)

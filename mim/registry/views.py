"""Pages of the registration: mothers, volunteers, matches, visits, the site's access log.

Every page starts from mim.accounts.selectors.record_site (404 for any site the user may
not see, and for every role but coordinator), fetches records through that site, and
sends Cache-Control: no-store. Every view, change and export of a person's record is
written to the access log.
"""

import datetime as dt
import json
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mim.accounts.selectors import record_site, record_sites
from mim.audit.models import Event
from mim.audit.services import audit_each, audit_record, refs_detail
from mim.codebook import assessment
from mim.organisations.names import by_name
from mim.registry import forms, selectors, services
from mim.registry.models import Mother, SelfAssessment, Volunteer


def record_page(view):
    """Resolve the site from the URL through the one visibility check; no caching."""

    @never_cache
    @wraps(view)
    def wrapper(request, site_code, *args, **kwargs):
        site = record_site(request.user, site_code)
        return view(request, site, *args, **kwargs)

    return wrapper


def _entry(request, url_name: str, title):
    """The menu's entry: straight to the only site, or a choice between several."""
    sites = by_name(record_sites(request.user))
    if not sites:
        raise Http404
    if len(sites) == 1:
        return redirect(url_name, site_code=sites[0].code)
    choices = [(site, reverse(url_name, kwargs={"site_code": site.code})) for site in sites]
    return render(request, "registry/choose_site.html", {"title": title, "choices": choices})


@never_cache
def mothers_entry(request):
    return _entry(request, "registry:mother_list", gettext_lazy("Moeders"))


@never_cache
def volunteers_entry(request):
    return _entry(request, "registry:volunteer_list", gettext_lazy("Vrijwilligers"))


@never_cache
def audit_entry(request):
    return _entry(request, "registry:audit_log", gettext_lazy("Toegangslog"))


def _audit_view(request, person, detail: str = "") -> None:
    audit_record(event=Event.VIEW, request=request, obj=person, detail=detail)


def _page(request, queryset):
    return Paginator(queryset, selectors.PAGE_SIZE).get_page(request.GET.get("pagina"))


def _query_string(request, **changes) -> str:
    params = request.GET.copy()
    params.pop("pagina", None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


# Mothers and volunteers share their pages; Kind holds what differs.

@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    name: str  # url prefix: mother, volunteer
    statuses: tuple

    def url(self, action: str, site, person=None) -> str:
        kwargs = {"site_code": site.code}
        if person is not None:
            kwargs["pk"] = person.pk
        return reverse(f"registry:{self.name}_{action}", kwargs=kwargs)


MOTHER = Kind(Mother, forms.MotherForm, "mother", (
    ("active", gettext_lazy("lopend")), ("ended", gettext_lazy("beëindigd")),
    ("unmatched", gettext_lazy("niet gekoppeld")),
    ("overdue", gettext_lazy("geen bezoek in 6 weken")),
    ("past_clock", gettext_lazy("18 maanden voorbij")),
    ("defaulted", gettext_lazy("antwoorden nakijken")),
    ("month9_due", gettext_lazy("9-maandenmeting te doen")),
    ("end_due", gettext_lazy("eindmeting te doen"))))
VOLUNTEER = Kind(Volunteer, forms.VolunteerForm, "volunteer", (
    ("active", gettext_lazy("actief")), ("stopped", gettext_lazy("gestopt")),
    ("vog_due", gettext_lazy("VOG vernieuwen")),
    ("defaulted", gettext_lazy("antwoorden nakijken"))))

_CREATE = {"mother": services.mother_create, "volunteer": services.volunteer_create}
_UPDATE = {"mother": services.mother_update, "volunteer": services.volunteer_update}
_END = {"mother": services.mother_end, "volunteer": services.volunteer_end}
_ERASE = {"mother": services.mother_erase, "volunteer": services.volunteer_erase}
_LIST = {"mother": selectors.mother_list, "volunteer": selectors.volunteer_list}


def _get(site, kind: Kind, pk: int):
    manager = site.mothers if kind is MOTHER else site.volunteers
    return get_object_or_404(manager.select_related("contact", "site"), pk=pk)


# The sortable columns of each work list: (URL value, heading).
_SORT_COLUMNS = {
    "mother": (("ref", gettext_lazy("Referentie")), ("", gettext_lazy("Naam")),
               ("start", gettext_lazy("Start")), ("", gettext_lazy("18 maanden")),
               ("volunteer", gettext_lazy("Vrijwilliger")),
               ("last_visit", gettext_lazy("Laatste bezoek")), ("end", gettext_lazy("Status"))),
    "volunteer": (("ref", gettext_lazy("Referentie")), ("", gettext_lazy("Naam")),
                  ("start", gettext_lazy("Start")), ("load", gettext_lazy("Moeders nu")),
                  ("vog", gettext_lazy("VOG")), ("", gettext_lazy("VOG vernieuwen vóór")),
                  ("end", gettext_lazy("Status"))),
}


def _headings(request, kind: Kind, sort: str) -> list[dict]:
    """Per column its heading, the link that sorts on it (the other way round when it is
    the current sort) and its aria-sort."""
    current, descending = sort.lstrip("-"), sort.startswith("-")
    headings = []
    for key, text in _SORT_COLUMNS[kind.name]:
        heading = {"text": text, "key": key, "url": "", "aria": ""}
        if key:
            value = f"-{key}" if key == current and not descending else key
            heading["url"] = "?" + _query_string(request, sorteer=value)
            if key == current:
                heading["aria"] = "descending" if descending else "ascending"
        headings.append(heading)
    return headings


def _list(request, site, kind: Kind):
    search = forms.SearchForm(request.GET or None, statuses=kind.statuses,
                              initial={"status": "active"})
    q, status = "", "active"
    if search.is_valid():
        q, status = search.cleaned_data["q"], search.cleaned_data["status"] or "active"
    sorts = selectors.MOTHER_SORTS if kind is MOTHER else selectors.VOLUNTEER_SORTS
    sort = request.GET.get("sorteer", "")
    if sort.lstrip("-") not in sorts:
        sort = ""  # an unknown column: the list in its usual order
    queryset = _LIST[kind.name](site, q=q, status=status, sort=sort)
    filters = f"{status}{', search by ref or name' if q else ''}{f', sorted by {sort}' if sort else ''}"
    if request.GET.get("formaat") == "xlsx":
        return _list_export(request, site, kind, queryset, filters)
    page = _page(request, queryset)
    on = selectors.today()
    for person in page:
        _decorate(kind, person, on)
    volunteers = [p.volunteer_ref for p in page if getattr(p, "volunteer_ref", None)]
    # The volunteers' names are on the mothers' list too: their refs go in the entry.
    audit_record(event=Event.VIEW, request=request, site=site, object_type=kind.name,
                 object_ref="list", detail=refs_detail(
                     f"list {filters}, page {page.number}",
                     [p.ref for p in page] + sorted(set(volunteers))))
    audit_each(event=Event.VIEW, request=request, site=site, shown=[
        *((kind.name, p.ref, f"list {filters}, page {page.number}") for p in page),
        *(("volunteer", v, f"mothers' list {filters}, page {page.number}")
          for v in volunteers)])
    return render(request, f"registry/{kind.name}_list.html", {
        "site": site, "search": search, "page": page, "filtered": bool(q or status != "active"),
        "query": _query_string(request), "sort": sort,
        "headings": _headings(request, kind, sort),
        "export_query": _query_string(request, formaat="xlsx"),
    })


def _decorate(kind: Kind, person, on) -> None:
    if kind is MOTHER:
        person.clock = selectors.clock(person, on)
    else:
        person.vog_is_due = selectors.vog_due(person, on)
        person.vog_until = selectors.vog_due_date(person.vog_date)


def _list_export(request, site, kind: Kind, queryset, filters: str):
    """The whole list as filtered and sorted (not one page) as xlsx, logged as an export
    with the refs it holds; no cell can act as a formula."""
    on = selectors.today()
    rows, refs, volunteers = [], [], set()
    for person in queryset.iterator(chunk_size=2000):
        _decorate(kind, person, on)
        refs.append(person.ref)
        contact = selectors.contact_of(person)
        name = contact.name if contact else ""
        status = (_("beëindigd") if kind is MOTHER else _("gestopt")) if person.end_date else (
            _("lopend") if kind is MOTHER else _("actief"))
        if kind is MOTHER:
            if person.volunteer_ref:
                volunteers.add(person.volunteer_ref)
            rows.append([person.ref, name, person.start_date,
                         None if person.end_date else person.clock.months,
                         person.volunteer_ref or "", person.volunteer_name or "",
                         person.last_visit, status, person.end_date])
        else:
            rows.append([person.ref, name, person.start_date, person.load, person.vog_date,
                         person.vog_until, _("ja") if person.vog_is_due else "", status,
                         person.end_date])
    if kind is MOTHER:
        headers = [_("referentie"), _("naam"), _("start"), _("maand van 18"),
                   _("vrijwilliger"), _("naam vrijwilliger"), _("laatste bezoek"), _("status"),
                   _("einddatum")]
    else:
        headers = [_("referentie"), _("naam"), _("start"), _("moeders nu"), _("VOG gezien op"),
                   _("VOG vernieuwen vóór"), _("VOG vernieuwen"), _("status"), _("einddatum")]
    audit_record(event=Event.EXPORT, request=request, site=site, object_type=kind.name,
                 object_ref="list", detail=refs_detail(f"list {filters}: xlsx",
                                                       refs + sorted(volunteers)))
    audit_each(event=Event.EXPORT, request=request, site=site, shown=[
        *((kind.name, ref, f"list {filters}: xlsx") for ref in refs),
        *(("volunteer", v, f"mothers' list {filters}: xlsx") for v in volunteers)])
    response = HttpResponse(
        selectors.work_list_xlsx(headers, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = _safe_filename(f"{'moeders' if kind is MOTHER else 'vrijwilligers'}-{site.code}"
                          f"-{on.isoformat()}.xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _create(request, site, kind: Kind):
    form = kind.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = _CREATE[kind.name](site=site, values=form.values(), answers=form.answers(),
                                        contact=form.contact(), user=request.user,
                                        request=request)
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, _("%(ref)s is geregistreerd.") % {"ref": person.ref})
            return redirect(kind.url("detail", site, person))
    return render(request, "registry/person_form.html", {
        "site": site, "form": form, "kind": kind.name, "person": None})


def _edit(request, site, kind: Kind, pk: int):
    person = _get(site, kind, pk)
    book = selectors.book_for(person.start_date)
    if request.method != "POST":
        _audit_view(request, person, "edit form")
        form = kind.form(initial=kind.form.initial_for(person), book=book)
    else:
        form = kind.form(request.POST, book=book)
        if form.is_valid():
            try:
                _UPDATE[kind.name](**{kind.name: person}, version=form.cleaned_data["version"] or 0,
                                   values=form.values(), answers=form.answers(),
                                   contact=form.contact(), user=request.user, request=request)
            except services.Conflict:
                form = _conflict(request, kind, person, form)
            except ValidationError as error:
                form.apply(error)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect(kind.url("detail", site, person))
    return render(request, "registry/person_form.html", {
        "site": site, "form": form, "kind": kind.name, "person": person})


def _conflict(request, kind: Kind, person, form):
    """Keep her input, say what happened, and let a second, deliberate save go through
    against the version that is now current."""
    current = type(person).objects.filter(pk=person.pk).values_list("version", flat=True).first()
    data = request.POST.copy()
    data["version"] = current or 0
    form = kind.form(data, book=selectors.book_for(person.start_date))
    form.is_valid()
    form.add_error(None, _(
        "Iemand anders heeft deze gegevens opgeslagen nadat u het formulier opende. Uw invoer "
        "is niet opgeslagen en staat hieronder nog. Bekijk de huidige gegevens en sla opnieuw "
        "op om ze te vervangen."))
    return form


def _end(request, site, kind: Kind, pk: int):
    person = _get(site, kind, pk)
    book = selectors.book_for(person.start_date)
    initial = {"end_date": person.end_date or selectors.today(),
               "end_reason": person.end_reason, "version": person.version}
    form = forms.EndForm(request.POST or None, initial=initial, model=kind.model, book=book)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _END[kind.name](**{kind.name: person}, version=data["version"],
                            end_date=data["end_date"], end_reason=data["end_reason"],
                            user=request.user, request=request)
        except services.Conflict:
            form.add_error(None, _("Iemand anders heeft deze gegevens intussen gewijzigd. Open "
                                   "de pagina opnieuw en probeer het nog eens."))
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, _("%(ref)s is beëindigd.") % {"ref": person.ref})
            return redirect(kind.url("detail", site, person))
    _audit_view(request, person, "end form")
    return render(request, "registry/end_form.html", {
        "site": site, "form": form, "kind": kind.name, "person": person})


def _export(request, site, kind: Kind, pk: int):
    person = _get(site, kind, pk)
    fmt = request.GET.get("formaat", "json")
    if fmt not in {"json", "xlsx"}:
        raise Http404
    data = selectors.subject_access(person)
    audit_record(event=Event.EXPORT, request=request, obj=person, detail=f"subject access: {fmt}")
    filename = f"inzage-{site.code}-{person.ref}.{fmt}"
    if fmt == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                                content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            selectors.subject_access_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(filename)}"'
    return response


def _safe_filename(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _erase(request, site, kind: Kind, pk: int):
    person = _get(site, kind, pk)
    if request.method == "POST":
        ref = person.ref
        _ERASE[kind.name](**{kind.name: person}, user=request.user, request=request)
        messages.success(request, _("Alle gegevens van %(ref)s zijn gewist.") % {"ref": ref})
        return redirect(kind.url("list", site))
    _audit_view(request, person, "erase form")
    return render(request, "registry/erase_confirm.html", {
        "site": site, "kind": kind.name, "person": person})


# Mothers ------------------------------------------------------------------------------

@record_page
def mother_list(request, site):
    return _list(request, site, MOTHER)


@record_page
@require_http_methods(["GET", "POST"])
def mother_create(request, site):
    return _create(request, site, MOTHER)


@record_page
def mother_detail(request, site, pk):
    mother = _get(site, MOTHER, pk)
    _audit_view(request, mother)
    matches = list(selectors.matches_of_mother(mother))
    return render(request, "registry/mother_detail.html", {
        "site": site, "person": mother, "contact": selectors.contact_of(mother),
        "clock": selectors.clock(mother), "answers": _answer_labels(mother),
        "fields": _field_rows(mother), "matches": matches,
        # The list is in current_match's order already: no second query (the busiest page).
        "current_match": next((m for m in matches if m.end_date is None), None),
        "visits": selectors.visits_of(mother), "match_end_form": forms.MatchEndForm(
            initial={"end_date": selectors.today()}),
        "assessments": _assessment_links(site, mother),
    })


def _assessment_links(site, mother) -> list:
    views = selectors.assessment_views(mother)
    slugs = {code: slug for slug, code in ASSESSMENT_SLUGS.items()}
    for view in views:
        view.url = reverse("registry:mother_assessment", kwargs={
            "site_code": site.code, "pk": mother.pk, "moment": slugs[view.moment]})
    return views


# The moments of the self-assessment in the URL (Dutch, like every path of the site).
ASSESSMENT_SLUGS = {"intake": SelfAssessment.INTAKE, "9-maanden": SelfAssessment.MONTH9,
                    "einde": SelfAssessment.END}


@record_page
@require_http_methods(["GET", "POST"])
def mother_assessment(request, site, pk, moment):
    """Her self-assessment at one moment: recorded, or corrected in the wording it was
    answered in. Only the site's coordinator gets here (record_site; 404 otherwise)."""
    mother = _get(site, MOTHER, pk)
    code = ASSESSMENT_SLUGS.get(moment)
    if code is None:
        raise Http404
    stored = selectors.assessments_of(mother).get(code)
    version = (assessment.version(stored.version) if stored
               else assessment.for_date(selectors.today()))
    initial = forms.AssessmentForm.initial_for(stored) if stored else {
        "date": selectors.today()}
    form = forms.AssessmentForm(request.POST or None, initial=initial, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(mother=mother, moment=code,
                                     date=form.cleaned_data["date"], answers=form.answers(),
                                     revision=form.cleaned_data["revision"], user=request.user,
                                     request=request)
        except services.Conflict:
            form.add_error(None, _("Iemand anders heeft deze zelfevaluatie intussen "
                                   "opgeslagen. Open de pagina opnieuw en probeer het nog eens."))
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, _("De zelfevaluatie is opgeslagen."))
            return redirect(MOTHER.url("detail", site, mother) + "#h-assessment")
    _audit_view(request, mother, f"assessment form {code}")
    return render(request, "registry/assessment_form.html", {
        "site": site, "person": mother, "form": form, "stored": stored, "version": version,
        "moment": dict(SelfAssessment.MOMENT_CHOICES)[code]})


@record_page
@require_http_methods(["GET", "POST"])
def mother_edit(request, site, pk):
    return _edit(request, site, MOTHER, pk)


@record_page
@require_http_methods(["GET", "POST"])
def mother_end(request, site, pk):
    return _end(request, site, MOTHER, pk)


@record_page
def mother_export(request, site, pk):
    return _export(request, site, MOTHER, pk)


@record_page
@require_http_methods(["GET", "POST"])
def mother_erase(request, site, pk):
    return _erase(request, site, MOTHER, pk)


@record_page
@require_http_methods(["GET", "POST"])
def mothers_to_close(request, site):
    """The mothers whose 18 months are over: close the ticked ones in one save, each on
    her proposed end date (her last visit) or the date chosen; and the ended mothers with
    a visit after their end date, to correct."""
    page = _page(request, selectors.mothers_to_close(site))
    on = selectors.today()
    for mother in page:
        mother.clock = selectors.clock(mother, on)
    form = forms.BulkCloseForm(request.POST if request.method == "POST" else None,
                               mothers=list(page))
    if request.method == "POST" and form.is_valid():
        try:
            count = services.mothers_complete(site=site, ends=form.ends(), user=request.user,
                                              request=request)
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, ngettext(
                "%(n)s moeder is afgesloten als afgerond.",
                "%(n)s moeders zijn afgesloten als afgerond.", count) % {"n": count})
            return redirect("registry:mothers_to_close", site_code=site.code)
    later = list(selectors.visits_after_end(site)[:selectors.PAGE_SIZE])
    # Both tables show mothers: the refs of each go in the one entry.
    audit_record(event=Event.VIEW, request=request, site=site, object_type="mother",
                 object_ref="list", detail=refs_detail(
                     f"list to close, page {page.number}"
                     + (f", {len(later)} with visits after their end" if later else ""),
                     [m.ref for m in page] + [m.ref for m in later]))
    audit_each(event=Event.VIEW, request=request, site=site, shown=[
        ("mother", m.ref, f"list to close, page {page.number}")
        for m in [*page, *later]])
    return render(request, "registry/mothers_to_close.html", {
        "site": site, "page": page, "query": "", "form": form, "later": later})


@record_page
@require_http_methods(["GET", "POST"])
def mother_complete(request, site, pk):
    """One click from the "to close" list, then this confirmation."""
    mother = _get(site, MOTHER, pk)
    if mother.end_date:
        return redirect(MOTHER.url("detail", site, mother))
    clock = selectors.clock(mother)
    initial = {"end_date": selectors.proposed_end(mother), "version": mother.version}
    form = forms.CompleteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mother_end(mother=mother, version=form.cleaned_data["version"],
                                end_date=form.cleaned_data["end_date"], end_reason="completed",
                                user=request.user, request=request)
        except services.Conflict:
            form.add_error(None, _("Iemand anders heeft deze gegevens intussen gewijzigd. Open "
                                   "de pagina opnieuw en probeer het nog eens."))
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, _("%(ref)s is afgesloten als afgerond.") % {
                "ref": mother.ref})
            return redirect("registry:mothers_to_close", site_code=site.code)
    _audit_view(request, mother, "complete form")
    return render(request, "registry/mother_complete.html", {
        "site": site, "person": mother, "form": form, "clock": clock,
        "reason": selectors.label("mother_end_reason", "completed")})


@record_page
@require_http_methods(["GET", "POST"])
def mother_match(request, site, pk):
    mother = _get(site, MOTHER, pk)
    form = forms.MatchForm(request.POST or None, site=site,
                           initial={"start_date": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_create(mother=mother, volunteer=form.cleaned_data["volunteer"],
                                          start_date=form.cleaned_data["start_date"],
                                          user=request.user, request=request)
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, _("%(mother)s is gekoppeld aan %(volunteer)s.") % {
                "mother": mother.ref, "volunteer": match.volunteer.ref})
            return redirect(MOTHER.url("detail", site, mother))
    chosen = str(form["volunteer"].value() or "")
    candidates = selectors.match_candidates(mother)
    # The candidates are shown with their names: their refs go in the mother's entry.
    _audit_view(request, mother, refs_detail("match form; volunteers",
                                             [c.volunteer.ref for c in candidates]))
    audit_each(event=Event.VIEW, request=request, site=site, shown=[
        ("volunteer", c.volunteer.ref, f"match form of {mother.ref}")
        for c in candidates])
    return render(request, "registry/mother_match.html", {
        "site": site, "person": mother, "form": form, "chosen": chosen,
        "current_match": selectors.current_match(mother),
        "candidates": candidates, "max_load": selectors.MAX_LOAD,
        "origin": selectors.label("origin", mother.origin, mother.start_date)})


@record_page
@require_POST
def match_end(request, site, pk, match_pk):
    mother = _get(site, MOTHER, pk)
    match = get_object_or_404(mother.matches.select_related("mother", "volunteer"), pk=match_pk)
    form = forms.MatchEndForm(request.POST)
    if form.is_valid():
        try:
            services.match_end(match=match, end_date=form.cleaned_data["end_date"],
                               user=request.user, request=request)
        except (ValidationError, services.Conflict) as error:
            message = (" ".join(error.messages) if isinstance(error, ValidationError)
                       else _("Deze koppeling is intussen gewijzigd."))
            messages.error(request, message)
        else:
            messages.success(request, _("De koppeling is beëindigd."))
    else:
        messages.error(request, _("Vul een geldige einddatum in."))
    return redirect(MOTHER.url("detail", site, mother))


@record_page
@require_http_methods(["GET", "POST"])
def visit_create(request, site, pk):
    mother = _get(site, MOTHER, pk)
    form = forms.VisitForm(request.POST or None, initial={"date": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_create(mother=mother, date=form.cleaned_data["date"],
                                  note=form.cleaned_data["note"], user=request.user,
                                  request=request)
        except ValidationError as error:
            form.apply(error)
        else:
            messages.success(request, _("Het bezoek is vastgelegd."))
            return redirect(MOTHER.url("detail", site, mother))
    _audit_view(request, mother, "visit form")
    return render(request, "registry/visit_form.html", {"site": site, "person": mother,
                                                         "form": form})


def _month(value) -> dt.date:
    """The sheet's month from `maand=JJJJ-MM` (this month when absent); a month that is
    not a month, or lies ahead, does not exist (404)."""
    this_month = selectors.today().replace(day=1)
    if not value:
        return this_month
    try:
        month = dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        raise Http404 from None
    if month > this_month or month.year < 1900:
        raise Http404
    return month


@record_page
@require_http_methods(["GET", "POST"])
def visit_sheet(request, site):
    """The visits of a month for every running matched mother of the site (or of one
    volunteer), saved in one go."""
    params = request.POST if request.method == "POST" else request.GET
    month = _month(params.get("maand"))
    first, last = selectors.month_bounds(month)
    volunteers = selectors.sheet_volunteers(site, month)
    volunteer, chosen = None, params.get("vrijwilliger") or ""
    if chosen:
        # Only a volunteer of this site's sheet can be chosen; anything else is not there.
        volunteer = get_object_or_404(volunteers, pk=int(chosen) if chosen.isdigit() else 0)
    rows = selectors.visit_sheet(site, month, volunteer=volunteer)
    form = forms.VisitSheetForm(request.POST if request.method == "POST" else None,
                                rows=rows, first=first, last=last)
    query = {"maand": month.strftime("%Y-%m")}
    if volunteer is not None:
        query["vrijwilliger"] = volunteer.pk
    if request.method == "POST" and form.is_valid():
        errors, count, measured = {}, 0, 0
        # Visits and self-assessments in one transaction: every error of both is shown,
        # and nothing is written while any stands.
        with transaction.atomic():
            try:
                count = services.visits_record(site=site, month=month, visits=form.visits(),
                                               user=request.user, request=request)
            except ValidationError as error:
                errors.update(error.message_dict)
            try:
                measured = services.assessments_record(
                    site=site, entries=form.assessments(), user=request.user, request=request)
            except ValidationError as error:
                errors.update(error.message_dict)
            if errors:
                transaction.set_rollback(True)
        if errors:
            form.apply(ValidationError(errors))
        else:
            messages.success(request, ngettext(
                "%(n)s bezoek is vastgelegd.", "%(n)s bezoeken zijn vastgelegd.", count)
                % {"n": count})
            if measured:
                messages.success(request, ngettext(
                    "%(n)s zelfevaluatie is vastgelegd.", "%(n)s zelfevaluaties zijn vastgelegd.",
                    measured) % {"n": measured})
            return redirect(reverse("registry:visit_sheet", kwargs={"site_code": site.code})
                            + "?" + urlencode(query))
    # The sheet shows mothers and their volunteers by name: both kinds of ref are logged.
    audit_record(event=Event.VIEW, request=request, site=site, object_type="mother",
                 object_ref="list", detail=refs_detail(
                     f"visit sheet {month:%Y-%m}{', one volunteer' if volunteer else ''}",
                     [row.mother.ref for row in rows]
                     + sorted({v.ref for row in rows for v in row.volunteers})))
    audit_each(event=Event.VIEW, request=request, site=site, shown=[
        *(("mother", row.mother.ref, f"visit sheet {month:%Y-%m}") for row in rows),
        *(("volunteer", v.ref, f"visit sheet {month:%Y-%m}")
          for row in rows for v in row.volunteers)])
    return render(request, "registry/visit_sheet.html", {
        "site": site, "form": form, "rows": rows, "month": month, "volunteer": volunteer,
        "volunteers": volunteers, "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + dt.timedelta(days=1)).strftime("%Y-%m")
        if last < selectors.today().replace(day=1) else "",
        "query": urlencode(query)})


# Volunteers ---------------------------------------------------------------------------

@record_page
def volunteer_list(request, site):
    return _list(request, site, VOLUNTEER)


@record_page
@require_http_methods(["GET", "POST"])
def volunteer_create(request, site):
    return _create(request, site, VOLUNTEER)


@record_page
def volunteer_detail(request, site, pk):
    volunteer = _get(site, VOLUNTEER, pk)
    _audit_view(request, volunteer)
    return render(request, "registry/volunteer_detail.html", {
        "site": site, "person": volunteer, "contact": selectors.contact_of(volunteer),
        "answers": _answer_labels(volunteer), "fields": _field_rows(volunteer),
        "matches": selectors.matches_of_volunteer(volunteer),
        "vog_due": selectors.vog_due(volunteer),
        "vog_until": selectors.vog_due_date(volunteer.vog_date),
    })


@record_page
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, site, pk):
    return _edit(request, site, VOLUNTEER, pk)


@record_page
@require_http_methods(["GET", "POST"])
def volunteer_end(request, site, pk):
    return _end(request, site, VOLUNTEER, pk)


@record_page
def volunteer_export(request, site, pk):
    return _export(request, site, VOLUNTEER, pk)


@record_page
@require_http_methods(["GET", "POST"])
def volunteer_erase(request, site, pk):
    return _erase(request, site, VOLUNTEER, pk)


# The site's access log ----------------------------------------------------------------

@record_page
def audit_log(request, site):
    search = forms.LogFilterForm(request.GET or None)
    ref = search.cleaned_data["ref"] if search.is_valid() else ""
    page = _page(request, selectors.site_log(site, ref=ref))
    kinds = {"mother": _("moeder"), "volunteer": _("vrijwilliger")}
    for entry in page:
        entry.kind = kinds.get(entry.object_type, entry.object_type)
    return render(request, "registry/audit_log.html", {
        "site": site, "search": search, "page": page, "query": _query_string(request)})


# Presentation helpers -----------------------------------------------------------------

def _field_rows(person) -> list[tuple[str, str]]:
    """(label, shown value) of the record's own fields, codes as labels."""
    rows = []
    names = ["birth_year", "origin", "education"]
    if isinstance(person, Mother):
        names += ["country_of_birth", "household", "income_source", "child_order",
                  "pregnant_at_start"]
    else:
        names += ["former_mim_mother", "agreement_signed"]
    for name in names:
        field = person._meta.get_field(name)
        value = getattr(person, name)
        item = person.CODED_FIELDS.get(name)
        shown = selectors.label(item, value, person.start_date) if item else value
        rows.append((field.verbose_name, shown if shown not in (None, "") else "—"))
    return rows


def _answer_labels(person) -> list[tuple[str, list[str]]]:
    book = selectors.book_for(person.start_date)
    lang = selectors.language()
    return [(book.item(item).label(lang), [book.label(item, code, lang) for code in codes])
            for item, codes in selectors.answers_of(person).items()]

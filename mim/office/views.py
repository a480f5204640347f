"""The programme office's screens (spec: the office manages sites, organisations, users).

Every view is for the programme office alone; anybody else with a login gets the Dutch
403 page (never a redirect: a redirect to the login page of someone who is logged in
already is how /beheer/ used to loop). Writes go through the services the CLI and the
admin use, audited there."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from mim.accounts import services as accounts
from mim.accounts.models import RoleAssignment, RoleProposal
from mim.accounts.selectors import is_office
from mim.audit.models import Event
from mim.audit.services import audit_record
from mim.codebook import codebooks
from mim.figures.standard import SITE_FACTS
from mim.office import selectors
from mim.office.forms import (
    CoordinatorForm,
    FactsUploadForm,
    MunicipalityForm,
    OrganisationForm,
    OrganisationYearForm,
    RoleForm,
    SiteEndForm,
    SiteForm,
    SiteYearForm,
    UserForm,
    list_initial,
)
from mim.organisations import services as organisations
from mim.organisations.models import Coordinator, Organisation, OrganisationYear, Site, SiteYear
from mim.organisations.selectors import fact_change_rows
from mim.spreadsheets import uploads as pending
from mim.spreadsheets.facts import facts_import
from mim.spreadsheets.reading import MAX_FILE_BYTES, Upload
from mim.web.params import year_or_404


def office_only(view):
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if not is_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(checked)


@office_only
@require_http_methods(["GET"])
def index(request):
    return render(request, "office/index.html")


@office_only
@require_http_methods(["GET"])
def sites(request):
    return render(request, "office/sites.html", {"sites": selectors.sites()})


@office_only
@require_http_methods(["GET", "POST"])
def site_new(request):
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            site = organisations.site_create(
                code=data["code"], name=data["name"], organisation=data["organisation"].name,
                municipality=data["municipality"].name, first_year=data["first_year"],
                keeps_records=data["keeps_records"], user=request.user, request=request)
        except organisations.SiteExists:
            form.apply(ValidationError({"code": _("Er is al een locatie met deze code.")}))
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Locatie %(name)s is toegevoegd.") % {"name": site.name})
            return redirect("office:sites")
    return render(request, "office/form.html",
                  {"form": form, "title": _("Nieuwe locatie"), "back": "office:sites"})


@office_only
@require_http_methods(["GET", "POST"])
def site_end(request, code):
    site = Site.objects.filter(code=code).first()
    if site is None:
        raise Http404
    form = SiteEndForm(request.POST or None, initial={"last_year": site.last_year})
    if request.method == "POST" and form.is_valid():
        try:
            organisations.site_end(site=site, last_year=form.cleaned_data["last_year"],
                                   user=request.user, request=request)
        except organisations.SiteEndRefused as exc:
            form.add_error("last_year", str(exc))
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Locatie %(name)s is actief tot en met %(year)s.")
                             % {"name": site.name, "year": form.cleaned_data["last_year"]})
            return redirect("office:sites")
    return render(request, "office/form.html",
                  {"form": form, "title": _("Locatie %(name)s beëindigen") % {"name": site.name},
                   "intro": _("De locatie telt mee tot en met het gekozen jaar; haar "
                              "registraties en jaaropgaven blijven bewaard."),
                   "back": "office:sites"})


def _list_with_form(request, form_class, create, template, rows, done):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create(**form.cleaned_data, user=request.user, request=request)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, done)
            return redirect(request.path)
    return render(request, template, {"form": form, "rows": rows})


@office_only
@require_http_methods(["GET", "POST"])
def organisations_view(request):
    return _list_with_form(request, OrganisationForm, organisations.organisation_create,
                           "office/organisations.html", selectors.organisations(),
                           _("De organisatie is toegevoegd."))


@office_only
@require_http_methods(["GET", "POST"])
def municipalities(request):
    return _list_with_form(request, MunicipalityForm, organisations.municipality_create,
                           "office/municipalities.html", selectors.municipalities(),
                           _("De gemeente is toegevoegd."))


@office_only
@require_http_methods(["GET"])
def users(request):
    return render(request, "office/users.html",
                  {"users": selectors.users(), "proposals": selectors.proposals()})


_WAITS = gettext_lazy("De rol gaat in zodra een andere medewerker van het programmabureau haar "
                      "bevestigt.")


@office_only
@require_http_methods(["GET", "POST"])
def user_new(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new, grant = accounts.user_create(
                username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], role=data["role"],
                **form.scope(), user=request.user, request=request)
        except ValidationError as exc:
            form.apply(exc)
        except accounts.AccountRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Gebruiker %(name)s is aangemaakt en heeft een "
                                        "uitnodiging gekregen op %(email)s.")
                             % {"name": new.username, "email": new.email})
            if isinstance(grant, RoleProposal):
                messages.info(request, str(_WAITS))
            return redirect("office:user_detail", pk=new.pk)
    return render(request, "office/form.html",
                  {"form": form, "title": _("Nieuwe gebruiker"), "back": "office:users",
                   "intro": _("De gebruiker krijgt een uitnodiging per e-mail en kiest daarmee "
                              "zelf haar wachtwoord; bij de eerste keer inloggen stelt zij de "
                              "tweede stap (authenticator-app) in. Een rol als coördinator of "
                              "programmabureau gaat pas in als een andere medewerker van het "
                              "programmabureau haar bevestigt.")})


@office_only
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    target = selectors.user(pk)
    if target is None:
        raise Http404
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = accounts.role_grant(target=target, role=form.cleaned_data["role"],
                                        **form.scope(), user=request.user, request=request)
        except ValidationError as exc:
            form.apply(exc)
        except accounts.AccountRefused as exc:
            form.add_error(None, exc.message)
        else:
            if isinstance(grant, RoleProposal):
                proposed = _("De rol is voorgesteld.")
                messages.success(request, f"{proposed} {_WAITS}")
            else:
                messages.success(request, _("De rol is toegekend."))
            return redirect("office:user_detail", pk=target.pk)
    return render(request, "office/user_detail.html",
                  {"target": target, "form": form,
                   "invitation_pending": accounts.invitation_pending(target),
                   "created": selectors.account_created(target)})


def _act(request, action, done: str) -> None:
    """A service the office asks for that may refuse: say what it did, or why not."""
    try:
        action()
    except accounts.AccountRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@office_only
@require_POST
def invitation_resend(request, pk):
    target = selectors.user(pk)
    if target is None:
        raise Http404
    _act(request, lambda: accounts.invitation_resend(target=target, user=request.user,
                                                     request=request),
         _("Er is een nieuwe uitnodiging verstuurd naar %(email)s.") % {"email": target.email})
    return redirect("office:user_detail", pk=target.pk)


@office_only
@require_POST
def proposal_decide(request, pk, proposal, decision):
    found = selectors.proposal(pk=proposal, user_pk=pk)
    if found is None or decision not in ("bevestigen", "afwijzen"):
        raise Http404
    if decision == "bevestigen":
        _act(request, lambda: accounts.role_confirm(proposal=found, user=request.user,
                                                    request=request),
             _("De rol is toegekend."))
    else:
        _act(request, lambda: accounts.role_decline(proposal=found, user=request.user,
                                                    request=request),
             _("Het voorstel is ingetrokken.") if found.proposed_by_id == request.user.pk
             else _("Het voorstel is afgewezen."))
    if request.POST.get("terug") == "lijst":  # decided from the list of what waits
        return redirect("office:users")
    return redirect("office:user_detail", pk=pk)


@office_only
@require_POST
def user_active(request, pk):
    target = selectors.user(pk)
    if target is None:
        raise Http404
    wanted = request.POST.get("actief")
    if wanted not in ("0", "1"):
        messages.error(request, _("Kies of het account aan of uit moet."))
        return redirect("office:user_detail", pk=target.pk)
    _act(request, lambda: accounts.user_set_active(target=target, active=wanted == "1",
                                                   user=request.user, request=request),
         _("Het account is actief.") if wanted == "1" else _("Het account is uitgeschakeld."))
    return redirect("office:user_detail", pk=target.pk)


@office_only
@require_POST
def role_withdraw(request, pk, assignment):
    found = RoleAssignment.objects.filter(pk=assignment, user_id=pk).select_related(
        "user", "site", "organisation", "municipality").first()
    if found is None:
        raise Http404
    _act(request, lambda: accounts.role_withdraw(assignment=found, user=request.user,
                                                 request=request),
         _("De rol is ingetrokken."))
    return redirect("office:user_detail", pk=pk)


# --- a year's coordinators and facts (issue 10) -------------------------------------------


def _year_url(year: int) -> str:
    return f"{reverse('office:year')}?jaar={year}"


def _organisation(pk) -> Organisation:
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@office_only
@require_http_methods(["GET"])
def year(request):
    """Per year, the organisations and their sites with their facts, coordinators and what
    is not filled in; also sites that delivered nothing and sites that ended that year."""
    chosen = year_or_404(request.GET.get("jaar") or selectors.current_year())
    book = codebooks.for_year(chosen)
    blocks = selectors.year_overview(chosen)
    for block in blocks:
        block.policy_rows = [(FACT_LABELS[i], text) for i, text in block.policy_texts(book)]
        for row in block.sites:
            row.fact_rows = [(FACT_LABELS[i], text) for i, text in row.fact_texts(book)]
    missing = {
        "facts": sum(1 for b in blocks for r in b.sites if r.missing_facts),
        "coordinators": sum(1 for b in blocks for r in b.sites if not r.lines),
        "policies": sum(1 for b in blocks if b.policy is None),
    }
    return render(request, "office/year.html", {
        "year": chosen, "years": selectors.years(), "blocks": blocks, "missing": missing})


# Lazy: read in the language of the request that shows them, not of the import.
FACT_LABELS = {"financing": gettext_lazy("Financiering"),
               "variant": gettext_lazy("Uitvoeringsvariant"),
               "group_activities": gettext_lazy("Groepsactiviteiten"),
               "reimbursement": gettext_lazy("Vergoeding voor vrijwilligers"),
               "volunteer_agreement": gettext_lazy("Vrijwilligersovereenkomst"),
               "vog_required": gettext_lazy("VOG verplicht")}


def _form_page(request, form, *, title, intro, year_):
    return render(request, "office/form.html", {
        "form": form, "title": title, "intro": intro, "back_url": _year_url(year_)})


@office_only
@require_http_methods(["GET", "POST"])
def site_year(request, year, code):
    year = year_or_404(year)
    site = Site.objects.filter(code=code).select_related("organisation").first()
    if site is None or not site.active_in(year):
        raise Http404
    saved = SiteYear.objects.filter(site=site, year=year).first()
    initial = {}
    if saved is not None:
        initial = {"target_group": saved.target_group,
                   **{f: list_initial(getattr(saved, f), f) for f in SITE_FACTS}}
    form = SiteYearForm(request.POST or None, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisations.site_year_save(site=site, year=year, **form.cleaned_data,
                                         user=request.user, request=request)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("De gegevens van %(site)s over %(year)s zijn "
                                        "opgeslagen.") % {"site": site.name, "year": year})
            return redirect(_year_url(year))
    return _form_page(request, form, year_=year,
                      title=_("Locatiegegevens %(year)s · %(site)s")
                      % {"year": year, "site": site.name},
                      intro=_("Ook voor een locatie die niets aanlevert of dit jaar is "
                              "gestopt. Wat u niet aanvinkt, telt als niet bekend."))


@office_only
@require_http_methods(["GET", "POST"])
def organisation_year(request, year, pk):
    year = year_or_404(year)
    organisation = _organisation(pk)
    saved = OrganisationYear.objects.filter(organisation=organisation, year=year).first()
    initial = {}
    if saved is not None:
        initial = {"reimbursement": list_initial(saved.reimbursement, "reimbursement"),
                   "volunteer_agreement": saved.volunteer_agreement,
                   "vog_required": saved.vog_required}
    form = OrganisationYearForm(request.POST or None, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisations.organisation_year_save(organisation=organisation, year=year,
                                                 **form.cleaned_data, user=request.user,
                                                 request=request)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Het beleid van %(organisation)s over %(year)s is "
                                        "opgeslagen.") % {"organisation": organisation.name,
                                                          "year": year})
            return redirect(_year_url(year))
    return _form_page(request, form, year_=year,
                      title=_("Beleid %(year)s · %(organisation)s")
                      % {"year": year, "organisation": organisation.name},
                      intro=_("Het beleid voor vrijwilligers geldt voor alle locaties van de "
                              "organisatie. Wat u open laat, telt als niet bekend."))


def _coordinator_page(request, year, organisation, person=None):
    sites = selectors.organisation_sites(organisation, year)
    initial = {}
    if person is not None:
        hours = selectors.coordinator_hours(person, year)
        initial = {"ref": person.ref, "name": person.name, "experience": person.experience,
                   "training": person.training,
                   **{CoordinatorForm.hours_field(s): hours.get(s.pk) for s in sites}}
    form = CoordinatorForm(request.POST or None, sites=sites, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = organisations.coordinator_enter(
                organisation=organisation, year=year, ref=data["ref"], name=data["name"],
                experience=data["experience"], training=data["training"],
                hours=form.hours(), pk=person.pk if person else None, user=request.user,
                request=request)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Coördinator %(ref)s is opgeslagen.")
                             % {"ref": saved.ref})
            return redirect(_year_url(year))
    title = (_("Coördinator %(ref)s · %(organisation)s") if person else
             _("Nieuwe coördinator · %(organisation)s")) % {
        "ref": person.ref if person else "", "organisation": organisation.name}
    return _form_page(request, form, year_=year, title=title, intro=_(
        "Een coördinator hoort bij de organisatie en kan op meer locaties werken; zij telt "
        "één keer mee, met de uren van al haar locaties samen. Uren gelden voor %(year)s.")
        % {"year": year})


@office_only
@require_http_methods(["GET", "POST"])
def coordinator_new(request, year, pk):
    return _coordinator_page(request, year_or_404(year), _organisation(pk))


@office_only
@require_http_methods(["GET", "POST"])
def coordinator_edit(request, year, pk):
    person = Coordinator.objects.filter(pk=pk).select_related("organisation").first()
    if person is None:
        raise Http404
    return _coordinator_page(request, year_or_404(year), person.organisation, person)


# The request may hold two files of the limit plus the form around them.
MAX_FACTS_REQUEST_BYTES = 2 * MAX_FILE_BYTES + 64 * 1024


def _facts_purpose(year: int) -> str:
    return f"facts-{year}"


def _facts_page(request, year, form, *, result=None, token=None, refusal=None, status=200):
    changes = fact_change_rows(year, result.changes) if result and result.ok else []
    return render(request, "office/facts_upload.html", {
        "year": year, "form": form, "result": result, "token": token, "refusal": refusal,
        "changes": changes, "back_url": _year_url(year)}, status=status)


@office_only
@csrf_exempt  # checked below, after the size: the CSRF check would read the whole body
@require_http_methods(["GET", "POST"])
def facts_upload(request, year):
    """The facts file of a year (`mim import-facts` in the browser): upload, see what it
    holds or every error, then confirm. Nothing is written before the confirmation."""
    year = year_or_404(year)
    if request.method == "GET":
        return _facts_page(request, year, FactsUploadForm())
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_FACTS_REQUEST_BYTES + 1
    if length > MAX_FACTS_REQUEST_BYTES:
        return _facts_page(request, year, FactsUploadForm(), status=413, refusal=_(
            "De upload is te groot: hoogstens %(mb)s MB per bestand.") % {
            "mb": MAX_FILE_BYTES // (1024 * 1024)})
    return csrf_protect(_facts_preview)(request, year)


def _facts_preview(request, year):
    form = FactsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _facts_page(request, year, form)
    files = form.cleaned_data["files"]
    too_big = [f.name for f in files if f.size > MAX_FILE_BYTES]
    if too_big:
        return _facts_page(request, year, form, refusal=_(
            "%(file)s: het bestand is groter dan %(mb)s MB.") % {
            "file": too_big[0][:100], "mb": MAX_FILE_BYTES // (1024 * 1024)})
    uploads = [Upload(f.name, f.read()) for f in files]
    result = facts_import(year=year, uploads=uploads, dry_run=True)
    token = None
    if result.ok:
        token = pending.store(user=request.user, site=None, uploads=uploads,
                              purpose=_facts_purpose(year))
    return _facts_page(request, year, FactsUploadForm(), result=result, token=token)


@office_only
@require_POST
def facts_confirm(request, year):
    year = year_or_404(year)
    token = request.POST.get("token", "")
    back = reverse("office:facts_upload", args=[year])
    if "cancel" in request.POST:
        pending.discard(token)
        messages.info(request, _("Het inlezen is geannuleerd; er is niets opgeslagen."))
        return redirect(back)
    uploads = pending.load(token=token, user=request.user, site=None,
                           purpose=_facts_purpose(year))
    if uploads is None:
        messages.error(request, _("Deze upload is verlopen of niet (meer) beschikbaar; "
                                  "upload het bestand opnieuw."))
        return redirect(back)
    # Read and checked again: sites and organisations may have changed since the preview.
    with transaction.atomic():
        result = facts_import(year=year, uploads=uploads)
        if result.written:
            audit_record(event=Event.IMPORT, user=request.user, request=request,
                         object_type="facts", object_ref=str(year),
                         detail=f"facts file {year}: {result.sites} sites, "
                                f"{result.organisations} organisations, {result.coordinators} "
                                f"coordinators at {result.assignments} sites")
    pending.discard(token)
    if not result.ok:
        return _facts_page(request, year, FactsUploadForm(), result=result)
    messages.success(request, _("Ingelezen: gegevens van %(sites)s locaties, beleid van "
                                "%(organisations)s organisaties, %(coordinators)s "
                                "coördinatoren.") % {
        "sites": result.sites, "organisations": result.organisations,
        "coordinators": result.coordinators})
    return redirect(_year_url(year))

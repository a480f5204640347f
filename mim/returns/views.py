"""Thin views: who may come here (mim.accounts.selectors), which form, which service.

Coordinators reach their own sites only (record_site: 404 otherwise); the programme office
reviews every site; an organisation viewer sees the status of her organisation's returns;
everyone else gets 404.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mim.accounts.models import Role
from mim.accounts.selectors import has_role, is_office, record_site, record_sites, visible_sites
from mim.audit.models import Event
from mim.audit.services import audit_record
from mim.organisations.models import (
    Coordinator,
    CoordinatorAssignment,
    OrganisationYear,
    SiteYear,
)
from mim.organisations.services import SiteEndRefused, site_end
from mim.returns import checks, display, selectors, services
from mim.returns import review as review_figures
from mim.returns.forms import (
    CoordinatorFormSet,
    DeadlineForm,
    QueryForm,
    SiteFactsForm,
    SourceForm,
    TextForm,
    UploadForm,
    VersionForm,
)
from mim.returns.models import AnnualReturn, ReturnYear, Source, Status, Subject
from mim.returns.upload import MAX_BYTES, template_csv
from mim.web.params import year_or_404

# --- the list, per role -----------------------------------------------------------------------


def return_list(request):
    user = request.user
    office, is_org = is_office(user), has_role(user, Role.ORGANISATION_VIEWER)
    coordinator_sites = record_sites(user)
    is_coordinator = coordinator_sites.exists()
    if not (office or is_org or is_coordinator):
        raise Http404
    year = year_or_404(request.GET.get("jaar") or selectors.default_year())
    context = {"year": year, "years": selectors.return_years(), "is_office": office,
               "is_org": is_org and not office, "is_coordinator": is_coordinator}
    if office or is_org:
        rows = selectors.overview(year, visible_sites(user))
        context.update(rows=rows, counts=selectors.status_counts(rows),
                       deadline=selectors.deadline_for(year))
    if is_coordinator:
        context["coordinator_rows"] = selectors.coordinator_rows(coordinator_sites)
    return render(request, "returns/list.html", context)


# --- the coordinator's return -------------------------------------------------------------


def _coordinator_return(request, code, year):
    site = record_site(request.user, code)
    year = year_or_404(year)
    return site, year, selectors.return_for(site, year)


def _site_url(site, year) -> str:
    return reverse("returns:site", args=[site.code, year])


def site_return(request, code, year):
    site, year, annual_return = _coordinator_return(request, code, year)
    return _render_site(request, site, year, annual_return)


def _render_site(request, site, year, annual_return, *, posted=None, refused=None, status=200):
    context = {"site": site, "year": year, "annual_return": annual_return,
               "deadline": selectors.deadline_for(year), "refused": refused}
    if annual_return is None:
        context["may_start"] = site.active_in(year)
        return render(request, "returns/site.html", context, status=status)
    open_parts = services.open_subjects(annual_return) \
        if annual_return.status == Status.QUERIED else set()
    # A question about the figures of a records return: the checks over the corrected
    # records, which the site freezes anew before she answers.
    may_refresh = Subject.FIGURES in open_parts and annual_return.source == Source.RECORDS
    if annual_return.status == Status.DRAFT:
        findings = services.pending_findings(annual_return)
    elif may_refresh:
        findings = services.refresh_findings(annual_return)
    else:
        findings = []
    stored = selectors.explanations(annual_return)
    warnings = [{"finding": f, "field": f"explain-{f.key}",
                 "value": (posted or {}).get(f"explain-{f.key}", stored.get(f.key, ""))}
                for f in findings if not f.is_error]
    facts = selectors.return_facts(annual_return)
    context.update(
        figures=display.figure_sections(year, selectors.current_figures(annual_return)),
        facts=facts, facts_rows=display.facts_rows(year, facts),
        errors=[f for f in findings if f.is_error], warnings=warnings,
        submitted_explanations=annual_return.explanations.all(),
        thread=selectors.thread(annual_return), events=selectors.events(annual_return),
        answer_form=TextForm(label=_("Uw antwoord"),
                             initial={"version": annual_return.version}),
        source_form=SourceForm(initial={"version": annual_return.version,
                                        "source": annual_return.source}),
        is_draft=annual_return.status == Status.DRAFT,
        is_aggregate=annual_return.source == Source.AGGREGATE,
        may_edit_facts=(annual_return.status == Status.DRAFT or Subject.FACTS in open_parts),
        may_upload=(annual_return.status == Status.DRAFT or Subject.FIGURES in open_parts),
        may_refresh=may_refresh, open_parts=open_parts,
    )
    return render(request, "returns/site.html", context, status=status)


def _refused(request, exc: services.ReturnRefused, url: str):
    messages.error(request, exc.message)
    for error in exc.errors[:50]:
        messages.error(request, error)
    return redirect(url)


def _version(request) -> int:
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise services.StaleReturn(_("Het formulier is niet compleet; laad de pagina opnieuw."))
    return form.cleaned_data["version"]


def _run(request, url, action, success: str):
    """Call a service; a refusal becomes a message, never an error page."""
    try:
        action()
    except services.ReturnRefused as exc:
        return _refused(request, exc, url)
    messages.success(request, success)
    return redirect(url)


@require_POST
def start(request, code, year):
    site, year, _annual_return = _coordinator_return(request, code, year)
    return _run(request, _site_url(site, year),
                lambda: services.return_start(site=site, year=year, user=request.user,
                                              request=request),
                _("De jaaropgave is gestart."))


def _existing(annual_return):
    if annual_return is None:
        raise Http404
    return annual_return


def facts(request, code, year):
    site, year, annual_return = _coordinator_return(request, code, year)
    annual_return = _existing(annual_return)
    url = _site_url(site, year)
    if not (annual_return.status == Status.DRAFT or (
            annual_return.status == Status.QUERIED
            and Subject.FACTS in services.open_subjects(annual_return))):
        messages.error(request, _("De jaaropgave is ingediend; de locatiegegevens liggen vast."))
        return redirect(url)
    people = list(Coordinator.objects.filter(organisation_id=site.organisation_id)
                  .order_by("name", "ref"))
    if request.method == "POST":
        form = SiteFactsForm(request.POST, year=year)
        formset = CoordinatorFormSet(request.POST, prefix="coord", people=people)
        if "add_line" in request.POST:
            data = request.POST.copy()
            data["coord-TOTAL_FORMS"] = str(_line_count(data.get("coord-TOTAL_FORMS")) + 1)
            form = SiteFactsForm(data, year=year)
            formset = CoordinatorFormSet(data, prefix="coord", people=people)
        elif form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.return_facts_save(annual_return=annual_return, user=request.user,
                                           expected_version=version, facts=data,
                                           coordinators=formset.lines(), request=request)
            except services.ReturnRefused as exc:
                return _refused(request, exc, url)
            messages.success(request, _("De locatiegegevens zijn opgeslagen."))
            return redirect(url)
    else:
        saved = SiteYear.objects.filter(site=site, year=year).first()
        policy = OrganisationYear.objects.filter(organisation_id=site.organisation_id,
                                                 year=year).first()
        initial = {"version": annual_return.version}
        if saved is not None:
            initial.update({f: getattr(saved, f) for f in (
                "target_group", "financing", "variant", "group_activities")})
        if policy is not None:
            initial.update({f: getattr(policy, f) for f in SiteFactsForm.ORGANISATION_FIELDS})
        form = SiteFactsForm(initial=initial, year=year)
        lines = CoordinatorAssignment.objects.filter(site=site, year=year).order_by("id")
        formset = CoordinatorFormSet(prefix="coord", people=people, initial=[
            {"coordinator": str(c.coordinator_id), "hours_per_week": c.hours_per_week}
            for c in lines])
    return render(request, "returns/facts.html", {"site": site, "year": year, "form": form,
                                                  "formset": formset,
                                                  "annual_return": annual_return})


def _line_count(text) -> int:
    """The formset's line count as posted; anything else than a small number is no lines."""
    try:
        return max(0, min(int(text or 0), CoordinatorFormSet.max_num or 50))
    except (TypeError, ValueError):
        return 0


@require_POST
def source(request, code, year):
    site, year, annual_return = _coordinator_return(request, code, year)
    annual_return = _existing(annual_return)
    form = SourceForm(request.POST)
    url = _site_url(site, year)
    if not form.is_valid():
        messages.error(request, _("Kies een bron."))
        return redirect(url)
    return _run(request, url, lambda: services.return_source_set(
        annual_return=annual_return, user=request.user,
        expected_version=form.cleaned_data["version"], source=form.cleaned_data["source"],
        request=request), _("De bron is gewijzigd."))


def aggregate(request, code, year):
    site, year, annual_return = _coordinator_return(request, code, year)
    annual_return = _existing(annual_return)
    errors, warnings = [], []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                warnings = services.return_aggregate_upload(
                    annual_return=annual_return, user=request.user,
                    expected_version=form.cleaned_data["version"], filename=upload.name,
                    content=upload.read(MAX_BYTES + 1), request=request)
            except services.ReturnRefused as exc:
                messages.error(request, exc.message)
                errors = exc.errors
            else:
                messages.success(request, _("De totaalcijfers zijn ingelezen."))
                if not warnings:
                    return redirect(_site_url(site, year))
            annual_return.refresh_from_db()
        form = UploadForm(initial={"version": annual_return.version})
    else:
        form = UploadForm(initial={"version": annual_return.version})
    return render(request, "returns/aggregate.html", {
        "site": site, "year": year, "annual_return": annual_return, "form": form,
        "errors": errors, "warnings": warnings,
        "has_figures": annual_return.figures.exists()}, status=400 if errors else 200)


def aggregate_template(request, code, year):
    site, year, annual_return = _coordinator_return(request, code, year)
    figures = selectors.frozen_figures(annual_return) if annual_return else []
    balances = annual_return.balances if annual_return else {}
    body = template_csv(year=year, site_code=site.code, figures=figures, balances=balances)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cijfers-{site.code}-{year}.csv"'
    return response


def _explanations(request) -> dict[str, str]:
    return {key.removeprefix("explain-"): value for key, value in request.POST.items()
            if key.startswith("explain-")}


@require_POST
def submit(request, code, year):
    """Two steps: the first post shows what will be submitted (nothing written); only the
    second, with the summary's fingerprint, submits, and only if nothing moved since."""
    site, year, annual_return = _coordinator_return(request, code, year)
    annual_return = _existing(annual_return)
    explanations = _explanations(request)
    try:
        if request.POST.get("confirm") != "1":
            summary = services.submit_preview(annual_return=annual_return, user=request.user,
                                              explanations=explanations)
            return render(request, "returns/submit_confirm.html", {
                "site": site, "year": year, "annual_return": annual_return,
                "summary": summary, "version": _version(request),
                "totals": display.summary_totals(year, summary["totals"])})
        services.return_submit(annual_return=annual_return, user=request.user,
                               expected_version=_version(request), explanations=explanations,
                               confirmed=request.POST.get("fingerprint", "-"),
                               request=request)
    except services.StaleReturn as exc:
        return _refused(request, exc, _site_url(site, year))
    except services.ReturnRefused as exc:
        annual_return.refresh_from_db()
        return _render_site(request, site, year, annual_return, posted=request.POST,
                            refused=exc, status=400)
    messages.success(request, _("De jaaropgave is ingediend. Het programmabureau beoordeelt "
                                "hem."))
    return redirect(_site_url(site, year))


@require_POST
def refresh(request, code, year):
    """A question about the figures: freeze the corrected records' figures anew."""
    site, year, annual_return = _coordinator_return(request, code, year)
    annual_return = _existing(annual_return)
    try:
        services.return_figures_refresh(annual_return=annual_return, user=request.user,
                                        expected_version=_version(request),
                                        explanations=_explanations(request), request=request)
    except services.StaleReturn as exc:
        return _refused(request, exc, _site_url(site, year))
    except services.ReturnRefused as exc:
        annual_return.refresh_from_db()
        return _render_site(request, site, year, annual_return, posted=request.POST,
                            refused=exc, status=400)
    messages.success(request, _("De cijfers zijn opnieuw vastgelegd uit de registratie. "
                                "Beantwoord nu de vraag."))
    return redirect(_site_url(site, year))


@require_POST
def answer(request, code, year):
    site, year, annual_return = _coordinator_return(request, code, year)
    annual_return = _existing(annual_return)
    return _run(request, _site_url(site, year), lambda: services.return_answer(
        annual_return=annual_return, user=request.user, expected_version=_version(request),
        text=request.POST.get("text", ""), request=request),
        _("Uw antwoord is verstuurd."))


# --- the programme office ---------------------------------------------------------------------


def _office_return(request, code, year) -> AnnualReturn:
    if not is_office(request.user):
        raise Http404
    site = visible_sites(request.user).filter(code=code).first()
    if site is None:
        raise Http404
    return _existing(selectors.return_for(site, year_or_404(year)))


def _review_url(annual_return) -> str:
    return reverse("returns:review", args=[annual_return.site.code, annual_return.year])


def review(request, code, year):
    annual_return = _office_return(request, code, year)
    year = annual_return.year
    # The office is not the site's coordinator: the return's figures as published, beside
    # last year's as published, with the change where both cells are shown.
    compared, previous = review_figures.compared(request.user, year, annual_return.site.code,
                                                 selectors.current_figures(annual_return))
    open_questions = services.open_subjects(annual_return)
    facts = selectors.return_facts(annual_return)
    audit_record(event=Event.VIEW, request=request, site=annual_return.site,
                 object_type="annualreturn", object_ref=str(annual_return.pk),
                 detail="return reviewed")
    version = {"version": annual_return.version}
    return render(request, "returns/review.html", {
        "annual_return": annual_return, "site": annual_return.site, "year": year,
        "deadline": annual_return.deadline or selectors.deadline_for(year),
        "figures": display.figure_sections(year, [], compared),
        "compare": previous if previous.available else None, "previous": previous,
        "facts": facts, "facts_rows": display.facts_rows(year, facts),
        "explanations": [(checks.without_numbers(e.key, year), e.text)
                         for e in annual_return.explanations.all()],
        "thread": selectors.thread(annual_return), "events": selectors.events(annual_return),
        "query_form": QueryForm(initial=version),
        "reopen_form": TextForm(label=_("Reden voor heropenen"), initial=version),
        "version_form": VersionForm(initial=version),
        "may_query": annual_return.status in (Status.SUBMITTED, Status.QUERIED),
        "open_questions": bool(open_questions),
        "may_approve": (annual_return.status in (Status.SUBMITTED, Status.QUERIED)
                        and not open_questions),
        "may_reopen": annual_return.status != Status.DRAFT,
    })


@require_POST
def query(request, code, year):
    annual_return = _office_return(request, code, year)
    return _run(request, _review_url(annual_return), lambda: services.return_query(
        annual_return=annual_return, user=request.user, expected_version=_version(request),
        question=request.POST.get("text", ""),
        subject=request.POST.get("subject") or Subject.GENERAL, request=request),
        _("De vraag is gesteld; de locatie ziet hem bij de jaaropgave en kan het deel waar "
          "hij over gaat aanpassen."))


@require_POST
def approve(request, code, year):
    annual_return = _office_return(request, code, year)
    return _run(request, _review_url(annual_return), lambda: services.return_approve(
        annual_return=annual_return, user=request.user, expected_version=_version(request),
        request=request), _("De jaaropgave is goedgekeurd."))


@require_POST
def reopen(request, code, year):
    annual_return = _office_return(request, code, year)
    return _run(request, _review_url(annual_return), lambda: services.return_reopen(
        annual_return=annual_return, user=request.user, expected_version=_version(request),
        reason=request.POST.get("text", ""), request=request),
        _("De jaaropgave is heropend; de locatie kan hem weer aanpassen."))


def waiting(request):
    """Per year, the sites the report waits for (with the office's actions) and the settled."""
    if not is_office(request.user):
        raise Http404
    year = year_or_404(request.GET.get("jaar") or selectors.default_year())
    waiting_rows, settled = selectors.waiting_for(selectors.overview(year,
                                                                     visible_sites(request.user)))
    return render(request, "returns/waiting.html", {
        "year": year, "years": selectors.return_years(), "waiting": waiting_rows,
        "settled": settled, "final": not waiting_rows and bool(settled)})


def _waiting_url(year) -> str:
    return f"{reverse('returns:waiting')}?jaar={year}"


@require_POST
def not_delivered(request, code, year):
    if not is_office(request.user):
        raise Http404
    site = visible_sites(request.user).filter(code=code).first()
    if site is None:
        raise Http404
    year = year_or_404(year)
    version = request.POST.get("version", "")
    return _run(request, _waiting_url(year), lambda: services.return_not_delivered(
        site=site, year=year, user=request.user, reason=request.POST.get("text", ""),
        expected_version=int(version) if version.isdigit() else None, request=request),
        _("De locatie staat voor dit jaar op niet aangeleverd."))


@require_POST
def end_site(request, code):
    if not is_office(request.user):
        raise Http404
    site = visible_sites(request.user).filter(code=code).first()
    if site is None:
        raise Http404
    raw = request.POST.get("last_year", "")
    back = _waiting_url(raw if raw.isdigit() else selectors.default_year())
    if not raw.isdigit():
        messages.error(request, _("Geef het laatste jaar waarin de locatie actief was."))
        return redirect(back)
    try:
        site_end(site=site, last_year=int(raw), user=request.user, request=request)
    except SiteEndRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De locatie is beëindigd."))
    return redirect(back)


def deadlines(request):
    if not is_office(request.user):
        raise Http404
    if request.method == "POST":
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                services.return_year_set_deadline(year=form.cleaned_data["year"],
                                                  deadline=form.cleaned_data["deadline"],
                                                  user=request.user, request=request)
            except services.ReturnRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("De uiterste datum is opgeslagen."))
                return redirect("returns:deadlines")
    else:
        next_year = (ReturnYear.objects.values_list("year", flat=True).first() or
                     timezone.localdate().year - 2) + 1
        form = DeadlineForm(initial={"year": next_year})
    return render(request, "returns/deadlines.html",
                  {"form": form, "years": ReturnYear.objects.all()})

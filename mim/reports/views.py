"""The reports page: the national report for the programme office (with its texts), and each
coordinator's benchmark report of her own sites.

Thin views: who may do what is asked of mim.accounts.selectors (404 otherwise, never 403),
figures come through `UserFigures` (published_figures) for a site's and a municipality's report
and as stored (`ServerFigures`, what `mim report` reads) for the national report, which is the
same whoever makes it; writes go through services, and every download is written to the access
log.
"""

import dataclasses

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mim.accounts.selectors import figure_scopes, is_office, may_see_scope
from mim.organisations.models import Site, active_in
from mim.reports import output, services
from mim.reports.assemble import municipality_report, national_report, site_report
from mim.reports.forms import ReportTextForm
from mim.reports.national import build_national_report
from mim.reports.selectors import ServerFigures, UserFigures, national_inputs, report_text
from mim.returns.models import Status
from mim.returns.selectors import default_year, return_statuses, return_years
from mim.web.params import year_or_404


def _own_sites(user) -> list:
    """The coordinator's own sites: the figure scopes she sees unsuppressed."""
    return [s for s in figure_scopes(user) if s.scope == "site" and s.unsuppressed]


def _format(fmt: str) -> str:
    if fmt not in output.FORMATS:
        raise Http404
    return fmt


def _download(report, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(output.render(report, fmt), content_type=output.content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def index(request):
    user = request.user
    office, own = is_office(user), _own_sites(user)
    if not (office or own):
        raise Http404
    year = year_or_404(request.GET.get("jaar") or default_year())
    years = sorted(set(return_years()) | {year}, reverse=True)
    context = {"year": year, "years": years, "is_office": office, "own_sites": own,
               "formats": list(output.FORMATS)}
    if office:
        statuses = return_statuses(year)
        expected = Site.objects.filter(active_in(year)).count()
        approved = sum(1 for s in statuses.values() if s == Status.APPROVED)
        text = report_text(year)
        context.update(expected=expected, approved=approved,
                       concept=approved < max(expected, 1),
                       form=ReportTextForm(instance=text), text=text)
    return render(request, "reports/index.html", context)


@require_POST
def edit_text(request, year):
    if not is_office(request.user):
        raise Http404
    year = year_or_404(year)
    form = ReportTextForm(request.POST, instance=report_text(year))
    if not form.is_valid():
        messages.error(request, _("De tekst is niet opgeslagen: %(errors)s")
                       % {"errors": " ".join(str(e) for errs in form.errors.values()
                                             for e in errs)})
    else:
        texts = form.texts()
        services.save_report_text(year=year, user=request.user, request=request,
                                  section_texts=texts.pop("section_texts"), **texts)
        messages.success(request, _("De teksten voor %(year)s zijn opgeslagen.") % {"year": year})
    return redirect(f"{reverse('reports:index')}?jaar={year}")


@require_POST
def preview_text(request, year):
    """The national report in HTML with the draft texts, nothing saved: the office sees where
    each text lands before she stores it. The same checks as saving (no personal value)."""
    if not is_office(request.user):
        raise Http404
    year = year_or_404(year)
    form = ReportTextForm(request.POST, instance=report_text(year))
    if not form.is_valid():
        messages.error(request, _("Geen voorbeeld: %(errors)s")
                       % {"errors": " ".join(str(e) for errs in form.errors.values()
                                             for e in errs)})
        return redirect(f"{reverse('reports:index')}?jaar={year}")
    texts = form.texts()
    inputs = national_inputs(year, ServerFigures())
    report = build_national_report(dataclasses.replace(inputs, **texts))
    services.record_download(request, year=year, fmt="html", preview=True)
    return HttpResponse(output.render(report, "html"), content_type=output.content_type("html"))


@require_GET
def national(request, year, fmt):
    if not is_office(request.user):
        raise Http404
    year, fmt = year_or_404(year), _format(fmt)
    # One published form per year (with the provisional sites): no approved-only variant
    # here, see figures.selectors.ApprovedOnlyNotPublished. Read as stored, not through her
    # scopes: the national report is a document for distribution, the same whoever makes it,
    # also when she coordinates a site (her scopes would give that site unsuppressed).
    report = national_report(year, source=ServerFigures())
    services.record_download(request, year=year, fmt=fmt)
    return _download(report, fmt, output.file_name(year, fmt))


@require_GET
def site(request, code, year, fmt):
    allowed = may_see_scope(request.user, "site", code)
    if allowed is None or not allowed.unsuppressed:
        raise Http404  # only the coordinator's own sites
    year, fmt = year_or_404(year), _format(fmt)
    site_obj = Site.objects.filter(code=code).first()
    if site_obj is None:
        raise Http404
    report = site_report(year, code, source=UserFigures(request.user))
    services.record_download(request, year=year, fmt=fmt, site=site_obj)
    return _download(report, fmt, output.file_name(year, fmt, site=code))


@require_GET
def municipality(request, name, year, fmt):
    """A municipality's report, for whoever has the municipality among her figure scopes: its
    funder and the programme office (never a coordinator of one of its sites)."""
    if may_see_scope(request.user, "municipality", name) is None:
        raise Http404
    year, fmt = year_or_404(year), _format(fmt)
    report = municipality_report(year, name, source=UserFigures(request.user))
    services.record_download(request, year=year, fmt=fmt, municipality=name)
    return _download(report, fmt, output.file_name(year, fmt, municipality=name))

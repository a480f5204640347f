"""Record spreadsheets in the browser: download the template and the site's records,
upload files, see what will change and every error, then confirm.

Coordinators only: every view finds its site through mim.accounts.selectors.record_site
(404 for anyone else). Import and export go through the same services as the commands.
"""

import datetime as dt
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from mim.accounts.selectors import record_site, record_sites
from mim.organisations.names import by_name

from . import uploads as pending
from .forms import MAX_FILES, UploadForm
from .reading import MAX_FILE_BYTES, Upload
from .services import records_export, records_import, template_write

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The whole request may hold three files of the limit plus the form around them.
MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + 64 * 1024


@never_cache
@require_GET
def index(request):
    sites = by_name(record_sites(request.user))
    if not sites:
        raise Http404
    if len(sites) == 1:
        return redirect("spreadsheets:site", code=sites[0].code)
    return render(request, "spreadsheets/index.html", {"sites": sites})


@never_cache
@require_GET
def site_page(request, code):
    site = record_site(request.user, code)
    return _page(request, site, UploadForm())


@never_cache
@csrf_exempt  # checked below, after the size: the CSRF check would read the whole body
@require_POST
def upload(request, code):
    site = record_site(request.user, code)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_REQUEST_BYTES + 1
    if length > MAX_REQUEST_BYTES:
        # Refused before a byte of the body is read: Django only ever reads CONTENT_LENGTH.
        return _page(request, site, UploadForm(), status=413, refusal=_(
            "De upload is te groot: hoogstens %(mb)s MB per bestand.") % {
            "mb": MAX_FILE_BYTES // (1024 * 1024)})
    return csrf_protect(_upload)(request, site)


def _upload(request, site):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, site, form)
    files = form.cleaned_data["files"]
    too_big = [f.name for f in files if f.size > MAX_FILE_BYTES]
    if too_big:
        return _page(request, site, form, refusal=_(
            "%(file)s: het bestand is groter dan %(mb)s MB.") % {
            "file": too_big[0][:100], "mb": MAX_FILE_BYTES // (1024 * 1024)})
    uploads = [Upload(f.name, f.read()) for f in files]
    result = records_import(site=site, uploads=uploads, dry_run=True, user=request.user,
                            request=request)
    token = None
    if result.ok and _changes(result):
        token = pending.store(user=request.user, site=site, uploads=uploads)
    return _page(request, site, UploadForm(), result=result, token=token)


@never_cache
@require_POST
def confirm(request, code):
    site = record_site(request.user, code)
    token = request.POST.get("token", "")
    if "cancel" in request.POST:
        pending.discard(token)
        messages.info(request, _("Het inlezen is geannuleerd; er is niets opgeslagen."))
        return redirect("spreadsheets:site", code=site.code)
    uploads = pending.load(token=token, user=request.user, site=site)
    if uploads is None:
        messages.error(request, _("Deze upload is verlopen of niet (meer) beschikbaar; "
                                  "upload het bestand opnieuw."))
        return redirect("spreadsheets:site", code=site.code)
    # Validated again: the site's records may have changed since the preview.
    result = records_import(site=site, uploads=uploads, user=request.user, request=request)
    pending.discard(token)
    if not result.ok:
        return _page(request, site, UploadForm(), result=result)
    summary = "; ".join(_("%(file)s: %(created)s nieuw, %(updated)s gewijzigd") % {
        "file": label, "created": n.created, "updated": n.updated}
        for label, n in result.counts.items())
    messages.success(request, _("Ingelezen. %(summary)s.") % {"summary": summary})
    return redirect("spreadsheets:site", code=site.code)


@never_cache
@require_GET
def export(request, code):
    site = record_site(request.user, code)
    buffer = io.BytesIO()
    records_export(site=site, out=buffer, user=request.user, request=request)
    return _download(buffer, f"mim-{site.code}-{dt.date.today():%Y-%m-%d}.xlsx")


@never_cache
@require_GET
def template(request, code):
    record_site(request.user, code)  # the template holds no records, but only for coordinators
    buffer = io.BytesIO()
    template_write(out=buffer)
    return _download(buffer, "mim-sjabloon.xlsx")


def _download(buffer: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _changes(result) -> bool:
    return any(n.created or n.updated for n in result.counts.values())


def _page(request, site, form, *, result=None, token=None, refusal=None, status=200):
    other_sites = record_sites(request.user).exclude(pk=site.pk).exists()
    return render(request, "spreadsheets/site.html", {
        "site": site, "form": form, "result": result, "token": token, "refusal": refusal,
        "has_changes": bool(result and _changes(result)), "other_sites": other_sites,
    }, status=status)

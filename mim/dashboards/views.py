"""The figures pages: one dashboard for every role, on the user's own figure scopes.

Every figure shown or exported here comes from `selectors.published_figures`, which checks the
scope (404 outside the user's figure scopes) and suppresses small cells unless the scope is the
coordinator's own site.
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from mim.accounts.selectors import figure_scopes
from mim.codebook import codebooks
from mim.dashboards import dashboard
from mim.dashboards import results as results_block
from mim.figures import exports, services
from mim.figures.history import history
from mim.figures.selectors import NATIONAL_CODE
from mim.figures.standard import HIDDEN_LEGEND, HIDDEN_MARK
from mim.publication.selectors import default_scope, published_figures, read_scope
from mim.web.params import year_or_404

SCOPE_GROUPS = (("national", gettext_lazy("Landelijk")),
                ("organisation", gettext_lazy("Organisaties")),
                ("municipality", gettext_lazy("Gemeenten")), ("site", gettext_lazy("Locaties")))


REPORT_FORMATS = ("pdf", "docx", "html")


def default_year() -> int:
    """The last complete registration year."""
    return min(dt.date.today().year - 1, codebooks.last_known_year())


def _query(scope: str, code: str, year: int, **extra) -> str:
    return urlencode({"scope": f"{scope}:{code}", "jaar": year, **extra})


@require_GET
def index(request):
    scope = default_scope(request.user)
    if scope is None:
        raise Http404
    return redirect(f"{reverse('figures:view')}?{_query(scope.scope, scope.code, default_year())}")


def _params(request) -> tuple[int, str, str]:
    year = year_or_404(request.GET.get("jaar", default_year()))
    scope, sep, code = request.GET.get("scope", "").partition(":")
    if not sep:
        found = default_scope(request.user)
        if found is None:
            raise Http404
        scope, code = found.scope, found.code
    return year, scope, code


def _shown(request):
    """The published figure sets the page shows: the scope this year and last year, and the
    national figures beside it."""
    year, scope, code = _params(request)
    cache: dict = {}
    current = published_figures(request.user, year, scope, code, cache=cache)
    previous = None
    if year - 1 >= codebooks.FIRST_YEAR:
        previous = published_figures(request.user, year - 1, scope, code, cache=cache)
    national = None
    if scope != "national":
        national = published_figures(request.user, year, "national", NATIONAL_CODE, cache=cache)
    return current, previous, national, cache


@require_GET
def view(request):
    current, previous, national, cache = _shown(request)
    user = request.user
    tables = dashboard.tables(current, previous, national)
    comparison = national or previous
    comparison_name = (_("Nederland %(year)s") % {"year": current.year} if national
                       else _("%(label)s %(year)s") % {"label": current.label,
                                                       "year": current.year - 1})
    for table in tables:
        table.chart = dashboard.chart_for(table, current, comparison, comparison_name)
    history_rows, history_svg = [], ""
    if current.scope == "national":
        def national_figures(year):
            found = published_figures(user, year, "national", NATIONAL_CODE, cache=cache)
            return list(found.figures), bool(found.provisional)

        history_rows = history(current.year, national=national_figures)
        history_svg = dashboard.history_chart(history_rows)
    # Results rows exist in published form only; a coordinator's own unsuppressed site reads
    # its published scope for them (what every other role sees of it).
    results = results_block.block(
        current if current.suppressed else read_scope(current.year, current.scope,
                                                      current.code, cache=cache), national)
    scopes = figure_scopes(user)
    groups = [(label, [s for s in scopes if s.scope == kind]) for kind, label in SCOPE_GROUPS]
    query = _query(current.scope, current.code, current.year)
    context = {
        "current": current, "previous": previous, "national": national,
        "tables": tables, "key_figures": _key_figures(current, previous),
        "scope_groups": [(label, items) for label, items in groups if items],
        "selected_scope": f"{current.scope}:{current.code}",
        # up to this year: the codebook knows next year already (intakes may be dated
        # ahead), but no year after this one has figures to show
        "years": range(min(dt.date.today().year, codebooks.last_known_year()),
                       codebooks.FIRST_YEAR - 1, -1),
        "history_rows": history_rows, "history_svg": history_svg, "results": results,
        # One neutral mark for every hidden cell (data standard, "Hidden cells").
        "hidden_mark": HIDDEN_MARK, "hidden_legend": HIDDEN_LEGEND,
        "csv_url": f"{reverse('figures:export')}?{query}&formaat=csv",
        "xlsx_url": f"{reverse('figures:export')}?{query}&formaat=xlsx",
        # Sites only: a merged group is not a site (its sites are named where they are listed).
        "provisional_names": [r.name for r in current.sites
                              if r.status == "provisional" and not r.is_group],
        # Live records reach the published figures at the next release (publication.selectors).
        "release_days": settings.MIM_RELEASE_DAYS,
        # The municipality's report (mim.reports): whoever sees the scope here may download it.
        "municipality_report": [
            (fmt.upper(), reverse("reports:municipality", args=[current.code, current.year, fmt]))
            for fmt in REPORT_FORMATS] if current.scope == "municipality" else [],
    }
    return render(request, "figures/dashboard.html", context)


def _key_figures(current, previous):
    out = []
    for variable, category, label in (
            ("mothers.total", "all", _("MIM-moeders bereikt")),
            ("mothers_ended.total", "all", _("moeders gestopt")),
            ("volunteers.total", "all", _("vrijwilligers actief")),
            ("volunteers_stopped.total", "all", _("vrijwilligers gestopt")),
            ("mothers.migrant_background", "yes", _("moeders met migratieachtergrond"))):
        now = current.get(variable, category)
        before = previous.get(variable, category) if previous else None
        if category == "all":
            value, before_text = dashboard.count_text(now), dashboard.count_text(before)
        else:
            value, before_text = _pct(now), _pct(before)
        out.append({"label": label, "value": value, "previous": before_text})
    return out


def _pct(figure) -> str:
    text = dashboard.percent_text(figure)
    return text + "%" if text not in ("", dashboard.HIDDEN) else text


@require_GET
def export(request):
    """What the page shows, as tidy figures (published, as on the page)."""
    fmt = request.GET.get("formaat", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    current, previous, national, _cache = _shown(request)
    figures = [*current.figures, *(previous.figures if previous else ()),
               *(national.figures if national else ())]
    name = f"mim-cijfers-{current.year}-{current.scope}-{_slug(current.code)}"
    services.record_export(year=current.year, scope=current.scope, code=current.code, fmt=fmt,
                           request=request)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(figures), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(
            exports.to_xlsx(figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text.lower())[:60]

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    # Choosing a language must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("beheer/", admin.site.urls),
    path("", include("mim.accounts.urls")),
    path("", include("mim.web.urls")),
    path("registratie/", include("mim.registry.urls")),
    path("spreadsheets/", include("mim.spreadsheets.urls")),
    path("cijfers/", include("mim.dashboards.urls")),
    path("jaaropgave/", include("mim.returns.urls")),
    path("rapporten/", include("mim.reports.urls")),
    path("bureau/", include("mim.office.urls")),
    path("api/", include("mim.api.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

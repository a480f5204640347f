from django.contrib import admin

from mim.organisations.models import (
    Coordinator,
    CoordinatorAssignment,
    Municipality,
    Organisation,
    OrganisationYear,
    Site,
    SiteYear,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    search_fields = ["name", "cbs_code"]
    list_display = ["name", "cbs_code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    search_fields = ["code", "name"]
    list_display = ["code", "name", "organisation", "municipality", "first_year", "last_year"]
    list_filter = ["organisation"]


admin.site.register(SiteYear)
admin.site.register(OrganisationYear)
admin.site.register(Coordinator)
admin.site.register(CoordinatorAssignment)

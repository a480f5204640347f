"""The registration's pages. The site code follows the section (moeders/<site>/...), so
the menu entries (registry:mothers, registry:volunteers, registry:audit) stay marked as
current on every page below them."""

from django.urls import path

from mim.registry import views

app_name = "registry"

_mother = "moeders/<slug:site_code>/<int:pk>/"
_volunteer = "vrijwilligers/<slug:site_code>/<int:pk>/"

urlpatterns = [
    path("moeders/", views.mothers_entry, name="mothers"),
    path("moeders/<slug:site_code>/", views.mother_list, name="mother_list"),
    path("moeders/<slug:site_code>/nieuw/", views.mother_create, name="mother_create"),
    path("moeders/<slug:site_code>/af-te-sluiten/", views.mothers_to_close,
         name="mothers_to_close"),
    path("moeders/<slug:site_code>/bezoeken/", views.visit_sheet, name="visit_sheet"),
    path(_mother, views.mother_detail, name="mother_detail"),
    path(_mother + "bewerken/", views.mother_edit, name="mother_edit"),
    path(_mother + "beeindigen/", views.mother_end, name="mother_end"),
    path(_mother + "afronden/", views.mother_complete, name="mother_complete"),
    path(_mother + "koppelen/", views.mother_match, name="mother_match"),
    path(_mother + "koppelingen/<int:match_pk>/beeindigen/", views.match_end, name="match_end"),
    path(_mother + "bezoek/", views.visit_create, name="visit_create"),
    path(_mother + "zelfevaluatie/<slug:moment>/", views.mother_assessment,
         name="mother_assessment"),
    path(_mother + "inzage/", views.mother_export, name="mother_export"),
    path(_mother + "wissen/", views.mother_erase, name="mother_erase"),
    path("vrijwilligers/", views.volunteers_entry, name="volunteers"),
    path("vrijwilligers/<slug:site_code>/", views.volunteer_list, name="volunteer_list"),
    path("vrijwilligers/<slug:site_code>/nieuw/", views.volunteer_create,
         name="volunteer_create"),
    path(_volunteer, views.volunteer_detail, name="volunteer_detail"),
    path(_volunteer + "bewerken/", views.volunteer_edit, name="volunteer_edit"),
    path(_volunteer + "beeindigen/", views.volunteer_end, name="volunteer_end"),
    path(_volunteer + "inzage/", views.volunteer_export, name="volunteer_export"),
    path(_volunteer + "wissen/", views.volunteer_erase, name="volunteer_erase"),
    path("toegangslog/", views.audit_entry, name="audit"),
    path("toegangslog/<slug:site_code>/", views.audit_log, name="audit_log"),
]

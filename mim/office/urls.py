from django.urls import path

from mim.office import views

# The programme office's screens: sites, organisations, municipalities, a year's
# coordinators and facts ("gegevens"), users and their roles (the return deadlines stay at
# returns:deadlines, linked from the index).
app_name = "office"
urlpatterns = [
    path("", views.index, name="index"),
    path("locaties/", views.sites, name="sites"),
    path("locaties/nieuw/", views.site_new, name="site_new"),
    path("locaties/<slug:code>/beeindigen/", views.site_end, name="site_end"),
    path("organisaties/", views.organisations_view, name="organisations"),
    path("gemeenten/", views.municipalities, name="municipalities"),
    path("gegevens/", views.year, name="year"),
    path("gegevens/<int:year>/bestand/", views.facts_upload, name="facts_upload"),
    path("gegevens/<int:year>/bestand/bevestigen/", views.facts_confirm, name="facts_confirm"),
    path("gegevens/<int:year>/locaties/<slug:code>/", views.site_year, name="site_year"),
    path("gegevens/<int:year>/organisaties/<int:pk>/", views.organisation_year,
         name="organisation_year"),
    path("gegevens/<int:year>/organisaties/<int:pk>/coordinatoren/nieuw/",
         views.coordinator_new, name="coordinator_new"),
    path("gegevens/<int:year>/coordinatoren/<int:pk>/", views.coordinator_edit,
         name="coordinator_edit"),
    path("gebruikers/", views.users, name="users"),
    path("gebruikers/nieuw/", views.user_new, name="user_new"),
    path("gebruikers/<int:pk>/", views.user_detail, name="user_detail"),
    path("gebruikers/<int:pk>/actief/", views.user_active, name="user_active"),
    path("gebruikers/<int:pk>/rollen/<int:assignment>/intrekken/", views.role_withdraw,
         name="role_withdraw"),
    path("gebruikers/<int:pk>/uitnodiging/", views.invitation_resend, name="invitation_resend"),
    path("gebruikers/<int:pk>/voorstellen/<int:proposal>/<str:decision>/", views.proposal_decide,
         name="proposal_decide"),
]

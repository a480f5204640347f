from django.urls import path

from mim.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("landelijk/<int:year>/<str:fmt>/", views.national, name="national"),
    path("locatie/<slug:code>/<int:year>/<str:fmt>/", views.site, name="site"),
    path("gemeente/<str:name>/<int:year>/<str:fmt>/", views.municipality, name="municipality"),
    path("tekst/<int:year>/", views.edit_text, name="text"),
    path("tekst/<int:year>/voorbeeld/", views.preview_text, name="text_preview"),
]

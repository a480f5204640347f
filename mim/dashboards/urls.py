from django.urls import path

from mim.dashboards import views

app_name = "figures"
urlpatterns = [
    path("", views.index, name="dashboard"),
    path("overzicht/", views.view, name="view"),
    path("export/", views.export, name="export"),
]

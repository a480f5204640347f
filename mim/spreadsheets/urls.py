from django.urls import path

from mim.spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.site_page, name="site"),
    path("<slug:code>/inlezen/", views.upload, name="upload"),
    path("<slug:code>/bevestigen/", views.confirm, name="confirm"),
    path("<slug:code>/export/", views.export, name="export"),
    path("<slug:code>/sjabloon/", views.template, name="template"),
]

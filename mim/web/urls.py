from django.urls import path

from mim.web import views

urlpatterns = [
    path("", views.home, name="home"),
]

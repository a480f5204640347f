from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mim.api"
    label = "api"

from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "mim.office"
    label = "office"

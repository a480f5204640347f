from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mim.organisations"
    label = "organisations"

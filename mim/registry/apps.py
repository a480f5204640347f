from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "mim.registry"
    label = "registry"

from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "mim.publication"
    label = "publication"

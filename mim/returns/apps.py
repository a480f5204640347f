from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "mim.returns"
    label = "returns"

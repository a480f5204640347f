from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "mim.figures"
    label = "figures"

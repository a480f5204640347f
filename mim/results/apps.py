from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "mim.results"
    label = "results"

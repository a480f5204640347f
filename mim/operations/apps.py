from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "mim.operations"
    label = "operations"

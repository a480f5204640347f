from django.apps import AppConfig


class CodebookConfig(AppConfig):
    name = "mim.codebook"
    label = "codebook"

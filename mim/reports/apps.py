from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mim.reports"
    label = "reports"

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "mim.dashboards"
    label = "dashboards"

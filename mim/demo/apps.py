from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mim.demo"
    label = "demo"

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mim.audit"
    label = "audit"

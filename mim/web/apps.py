from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "mim.web"
    label = "web"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from mim.web import checks  # noqa: F401  (registers the deploy checks)
        from mim.web.middleware import stamp_login_time

        user_logged_in.connect(stamp_login_time, dispatch_uid="mim_login_time")


class MimAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "mim.web.admin_site.OperatorAdminSite"

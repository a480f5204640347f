from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mim.api"
    label = "api"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from mim.api.services import revoke_after_password_change

        post_save.connect(revoke_after_password_change, sender=get_user_model(),
                          dispatch_uid="mim.api.revoke_after_password_change")

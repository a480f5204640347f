from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mim.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth import signals

        from mim.accounts import login_log

        # Django announces logins, failures and logouts through these signals, whichever
        # view or backend handled them: logging here catches every route.
        signals.user_logged_in.connect(login_log.logged_in, dispatch_uid="mim_audit_login")
        signals.user_login_failed.connect(login_log.login_failed,
                                          dispatch_uid="mim_audit_login_failed")
        signals.user_logged_out.connect(login_log.logged_out, dispatch_uid="mim_audit_logout")

"""The forms a user fills in about her own account: her first password (from an invitation)
and a new one. Django's forms, with the project's accessible error marking."""

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from mim.registry.forms import AccessibleForm


class FirstPasswordForm(AccessibleForm, SetPasswordForm):
    pass


class OwnPasswordForm(AccessibleForm, PasswordChangeForm):
    pass

"""The forms a user fills in about her own account: her first password (from an invitation)
and a new one. Django's forms, with the project's accessible error marking."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from mim.registry.forms import AccessibleForm


class FirstPasswordForm(AccessibleForm, SetPasswordForm):
    pass


class OwnPasswordForm(AccessibleForm, PasswordChangeForm):
    """The current password is checked as the login checks it (`authenticate`), not by
    `check_password` alone: so django-axes counts a wrong one against the same limit of five
    per username and address, and the access log has it as a failed login. Whoever finds a
    session open cannot guess the password behind it without limit."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        found = authenticate(self.request, username=self.user.get_username(), password=old)
        if found is None or found.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"],
                                        code="password_incorrect")
        return old

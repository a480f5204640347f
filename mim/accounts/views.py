from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from mim.accounts import mfa, services, throttle
from mim.accounts.forms import FirstPasswordForm, OwnPasswordForm
from mim.audit.models import Event
from mim.audit.services import audit_record, client_address


class TokenForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("Code"), max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "inputmode": "text",
                                                          "autofocus": True}))


_password_step = auth_views.LoginView.as_view(redirect_authenticated_user=True)


@login_not_required
def login(request):
    """The password step, after the check of the address's recent failures.

    A slowed-down address gets 429 with Retry-After, not a lock (mim.accounts.throttle).
    The refusal itself is not logged: an attacker hammering the page would otherwise
    fill the append-only log, and the failures that caused it are in the log already."""
    if request.method == "POST":
        wait = throttle.address_retry_after(client_address(request))
        if wait:
            response = render(request, "registration/slowed.html", {"seconds": wait},
                              status=429)
            response["Retry-After"] = str(wait)
            return response
    return _password_step(request)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    # A path on this site only: redirect() would read anything else ("0", "home") as the
    # name of a view, and fail.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


def _second_factor_passed(request, device, detail: str) -> None:
    """Step up to a verified session under a new key: a session id seen during the
    password step (on a shared computer, in a proxy log) must not become a fully
    logged-in session once the user completes the second step (ASVS 7.2.4)."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)  # as Django's own login() does at the password step
    audit_record(event=Event.LOGIN, request=request, detail=detail)


def second_factor(request):
    """The second step of the login: a code from the authenticator or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not mfa.has_second_factor(user):
        return redirect("second_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_token(user, form.cleaned_data["token"])
        if device is not None:
            _second_factor_passed(request, device, "second factor passed")
            return redirect(_next_url(request))
        audit_record(event=Event.LOGIN_FAILED, request=request, detail="second factor refused")
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer het opnieuw."))
    return render(request, "registration/second_factor.html",
                  {"form": form, "next": _next_url(request)})


def second_factor_setup(request):
    """First login: link an authenticator app, then show the recovery codes once."""
    user = request.user
    if mfa.has_second_factor(user) and not user.is_verified():
        return redirect("second_factor")
    device = mfa.pending_totp_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_totp(user, device, form.cleaned_data["token"])
        if codes is not None:
            _second_factor_passed(request, device, "second factor set up")
            messages.success(request, _("Tweestapsverificatie is ingesteld."))
            return render(request, "registration/recovery_codes.html",
                          {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon "
                                  "en probeer het opnieuw."))
    return render(request, "registration/second_factor_setup.html",
                  {"form": form, "qr": mfa.qr_svg(device.config_url),
                   "secret": mfa.secret_base32(device), "next": _next_url(request)})


@method_decorator(login_not_required, name="dispatch")
class InvitationView(auth_views.PasswordResetConfirmView):
    """The link of an invitation (accounts.services.user_create): the new user chooses her
    own password. Django's view keeps the token out of the address after the first request
    (it moves to the session), so it never leaks through a Referer header."""

    form_class = FirstPasswordForm
    token_generator = services.invitation_tokens
    template_name = "registration/invitation.html"
    reset_url_token = "wachtwoord-kiezen"  # noqa: S105 (a path segment, not a secret)

    def get_user(self, uidb64):
        found = super().get_user(uidb64)
        # Only an account that is switched on and has no password yet: the office may send
        # a link for nothing else (services.invitation_resend).
        if found is None or not found.is_active or not services.invitation_pending(found):
            return None
        return found

    def form_valid(self, form):
        try:
            services.invitation_accept(target=self.user, form=form, request=self.request)
        except services.AccountRefused as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("Uw wachtwoord is opgeslagen. Log nu in; daarna "
                                         "stelt u de tweede stap in."))
        return redirect("login")


class OwnPasswordView(auth_views.PasswordChangeView):
    """A logged-in user's new password. Her other sessions end (Django keeps only this one)
    and her API tokens are revoked (mim.api.services)."""

    form_class = OwnPasswordForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(event=Event.UPDATE, request=self.request, object_type="user",
                     object_ref=self.request.user.get_username()[:64],
                     detail="own password changed")
        messages.success(self.request, _("Uw wachtwoord is gewijzigd."))
        return response

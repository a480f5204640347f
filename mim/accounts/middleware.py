from django.shortcuts import redirect
from django.urls import reverse

from mim.accounts import mfa

# Pages a password-only session may reach: the second-factor pages themselves,
# logging out, choosing a language, and static files.
_OPEN = ("second_factor", "second_factor_setup", "logout", "set_language")


class SecondFactorMiddleware:
    """Every role, every URL: no second factor in this session, no access."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            open_paths = {reverse(name) for name in _OPEN}
            if request.path not in open_paths and not request.path.startswith("/static/"):
                target = "second_factor" if mfa.has_second_factor(user) else "second_factor_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

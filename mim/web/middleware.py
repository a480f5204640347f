import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

_LOGIN_AT = "mim_login_at"


def stamp_login_time(sender, request, user, **kwargs):
    """Connected to user_logged_in: the absolute limit counts from the login itself."""
    request.session[_LOGIN_AT] = int(time.time())


class SessionLimitsMiddleware:
    """An absolute session lifetime: after MIM_SESSION_ABSOLUTE_SECONDS a new login is
    needed, however active the session was (the idle limit is the cookie's age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(_LOGIN_AT, int(time.time()))
            if time.time() - started >= settings.MIM_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class PublicationRefusedMiddleware:
    """A year whose publication the attacker's audit refused (mim.publication.build) fails
    closed on every page: a clear message and status 503, never the figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from mim.publication.build import PublicationRefused

        if isinstance(exception, PublicationRefused):
            return render(request, "publication_refused.html", {"message": str(exception)},
                          status=503)
        return None


class PrivatePagesMiddleware:
    """Nothing shown to a logged-in user may be kept by a browser or proxy cache:
    every such page holds personal data or unpublished figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response

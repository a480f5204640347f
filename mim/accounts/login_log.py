"""Logins, failed logins and logouts in the access log (security guide E1)."""

from mim.audit.models import Event
from mim.audit.services import audit_record


def logged_in(sender, request, user, **kwargs):
    if request is not None:
        audit_record(event=Event.LOGIN, user=user, request=request, detail="password")


def login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is kept (it is needed to see an attack on an account);
    # the password never is.
    username = str(credentials.get("username", ""))[:150]
    audit_record(event=Event.LOGIN_FAILED, request=request, object_type="user",
                 object_ref=username[:64], detail="password refused")


def logged_out(sender, request, user, **kwargs):
    if request is not None and user is not None:
        audit_record(event=Event.LOGOUT, user=user, request=request)

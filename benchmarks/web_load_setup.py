"""Runs inside Django (the benchmark database): sessions for the simulated users, as after
a full login with both factors, and the coordinator pages they visit."""

import time

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from mim.accounts.models import User


def _verified_session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["mim_login_at"] = int(time.time())
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark",
                                                     defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    except ImportError:
        pass
    session.create()
    return session.session_key


def sessions_and_paths(users: int) -> dict:
    coordinator = User.objects.get(username="coordinator")
    site = coordinator.role_assignments.filter(site__isnull=False).first().site
    mothers = list(site.mothers.order_by("?").values_list("pk", flat=True)[:50])
    volunteers = list(site.volunteers.order_by("?").values_list("pk", flat=True)[:20])
    paths = [reverse("home"),
             reverse("registry:mother_list", args=[site.code]),
             reverse("registry:mother_list", args=[site.code]) + "?page=2",
             reverse("registry:volunteer_list", args=[site.code]),
             reverse("registry:mothers_to_close", args=[site.code])]
    paths += [reverse("registry:mother_detail", args=[site.code, pk]) for pk in mothers]
    paths += [reverse("registry:volunteer_detail", args=[site.code, pk]) for pk in volunteers]
    return {"cookies": [_verified_session(coordinator) for _ in range(users)], "paths": paths}

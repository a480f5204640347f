from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from mim.api import views
from mim.api.v1 import api

# The API authenticates with bearer tokens, not the session: Django's login-required
# middleware must let its requests through to ninja's own authentication.
# (Unpacked into private names: a module-level `app_name` would namespace this module.)
_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback = login_not_required(_pattern.callback)

urlpatterns = [
    path("v1/", include((_patterns, _app), namespace=_namespace)),
    path("tokens/", views.tokens, name="api_tokens"),
]

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mim.audit.services import audit_denied


class DeniedAccessMiddleware:
    """Every 404 or 403 a view raises for a logged-in user is a `denied` entry (NEN 7513:
    failed access too). One middleware rather than a call per view, so a new page cannot
    forget it; pages answer 404 for a record or site outside the user's scope (never
    403, which would confirm it exists), so a 404 is what a refusal looks like here.
    A URL that matches no route never reaches a view and is not logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404 | PermissionDenied):
            match = getattr(request, "resolver_match", None)
            audit_denied(request=request, what=match.view_name if match else "page")
        return None

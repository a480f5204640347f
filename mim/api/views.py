from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mim.api.models import ApiToken
from mim.api.services import api_token_create, api_token_revoke


@require_http_methods(["GET", "POST"])
def tokens(request):
    """A user's own API tokens: create (shown once) and revoke."""
    created = None
    if request.method == "POST":
        if "revoke" in request.POST:
            if api_token_revoke(user=request.user, token_id=int(request.POST["revoke"] or 0)):
                messages.success(request, _("Het token is ingetrokken."))
            return redirect("api_tokens")
        _token, created = api_token_create(user=request.user,
                                           name=request.POST.get("name", ""))
    listing = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, "api/tokens.html", {"tokens": listing, "created": created})

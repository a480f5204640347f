from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mim.api.models import ApiToken
from mim.api.services import api_token_create, api_token_revoke


class _RevokeForm(forms.Form):
    # Bounded: an id beyond the database's integer range must be a refusal, not an error.
    revoke = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class _CreateForm(forms.Form):
    # A form (not request.POST directly) refuses NUL characters and overlong names.
    name = forms.CharField(max_length=100, required=False)


@require_http_methods(["GET", "POST"])
def tokens(request):
    """A user's own API tokens: create (shown once) and revoke."""
    created = None
    if request.method == "POST":
        if "revoke" in request.POST:
            form = _RevokeForm(request.POST)
            if form.is_valid() and api_token_revoke(user=request.user,
                                                    token_id=form.cleaned_data["revoke"]):
                messages.success(request, _("Het token is ingetrokken."))
            else:
                messages.error(request, _("Dit token bestaat niet (meer)."))
            return redirect("api_tokens")
        form = _CreateForm(request.POST)
        if form.is_valid():
            _token, created = api_token_create(user=request.user,
                                               name=form.cleaned_data["name"])
        else:
            messages.error(request, _("Geef het token een naam van hoogstens 100 tekens."))
    listing = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, "api/tokens.html", {"tokens": listing, "created": created})

from django.utils import timezone
from ninja.security import HttpBearer

from mim.api.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """Bearer tokens; the request then acts as the token's user, with her roles' scopes."""

    def authenticate(self, request, token: str):
        found = (ApiToken.objects.select_related("user")
                 .filter(token_hash=hash_token(token), revoked_at__isnull=True,
                         expires_at__gt=timezone.now(), user__is_active=True).first())
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mim.api.models import ApiToken, hash_token


@transaction.atomic
def api_token_create(*, user, name: str, days: int = 365) -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = ApiToken.new_raw()
    token = ApiToken(user=user, name=name.strip()[:100] or "token", token_hash=hash_token(raw),
                     prefix=raw[:10], expires_at=timezone.now() + dt.timedelta(days=days))
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, user, token_id: int) -> bool:
    return bool(ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True)
                .update(revoked_at=timezone.now()))


def api_tokens_revoke_all(*, user) -> int:
    """Revoke every live token of the user: after a new password, a token made with the old
    one (perhaps by whoever knew it) must stop working too."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def revoke_after_password_change(sender, instance, created, **kwargs) -> None:
    """post_save of the user model."""
    if created or not getattr(instance, "password_changed", False):
        return
    instance.password_changed = False
    api_tokens_revoke_all(user=instance)

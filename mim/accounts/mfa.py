"""The second factor: TOTP (an authenticator app) with single-use recovery codes.

One mechanism for every role, admin included: SecondFactorMiddleware sends every
request of a user who has not passed the second factor in this session to the pages
here, whatever the URL, so no route can bypass it.
"""

import base64
import secrets

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def has_second_factor(user) -> bool:
    return bool(confirmed_devices(user))


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made once, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def verify_token(user, token: str):
    """The device that accepts `token` (TOTP code or recovery code), or None.

    django-otp's devices throttle failed attempts themselves (growing delays)."""
    # People copy recovery codes with the dashes they were shown with.
    token = "".join(token.split()).replace("-", "").lower()
    if not token or len(token) > 16:
        return None
    for device in confirmed_devices(user):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def confirm_totp(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm a new authenticator with a first code; returns fresh recovery codes."""
    if not device.verify_token("".join(token.split())):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Replace the user's recovery codes; each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="herstelcodes",
                                                   defaults={"confirmed": True})
    device.token_set.all().delete()
    # 64 random bits each; django-otp stores at most 16 characters.
    codes = [secrets.token_hex(8) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return ["-".join(code[i:i + 4] for i in range(0, 16, 4)) for code in codes]


def secret_base32(device: TOTPDevice) -> str:
    """The key as people type it into an authenticator app when they cannot scan."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(uri: str) -> str:
    """The setup QR code as inline SVG (no image request, no script)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")

"""The second factor: TOTP (an authenticator app) with single-use recovery codes.

One mechanism for every role, admin included: SecondFactorMiddleware sends every
request of a user who has not passed the second factor in this session to the pages
here, whatever the URL, so no route can bypass it.
"""

import base64
import re
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mim.accounts.models import RecoveryCode

RECOVERY_CODES = 10
# A recovery code as kept: 16 hex digits (64 random bits), without the dashes shown.
_RECOVERY_CODE = re.compile(r"[0-9a-f]{16}")


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
        verified = (_verify_recovery_code(device, token) if isinstance(device, StaticDevice)
                    else device.verify_token(token))
        if verified:
            return device
    return None


def _verify_recovery_code(device: StaticDevice, token: str) -> bool:
    """Against the hashes, each code once; with django-otp's growing delay after failures."""
    if not _RECOVERY_CODE.fullmatch(token):
        return False  # an authenticator code, not an attempt at a recovery code
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False
    for code in device.recovery_codes.all():
        # Deleted before it counts: of two requests racing with one code, one wins.
        if check_password(token, code.code_hash) and RecoveryCode.objects.filter(
                pk=code.pk).delete()[0]:
            device.throttle_reset(commit=False)
            device.set_last_used_timestamp(commit=False)
            device.save()
            return True
    device.throttle_increment()
    return False


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
    """Replace the user's recovery codes; each works once. The codes are returned to be
    shown once: only their hashes are kept."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="herstelcodes",
                                                   defaults={"confirmed": True})
    device.token_set.all().delete()  # clear codes of an older version, if any are left
    device.recovery_codes.all().delete()
    codes = [secrets.token_hex(8) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=make_password(c))
                                      for c in codes])
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

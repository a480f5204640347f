from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mim.accounts.mfa import secret_base32


class Command(BaseCommand):
    help = ("Print the current second-factor code of a demo user (development only: "
            "refused unless MIM_DEBUG=true).")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        # On a real installation this would hand out everyone's second factor.
        if not settings.DEBUG:
            raise CommandError("otp-code works only on a development machine (MIM_DEBUG=true)",
                               returncode=1)
        device = TOTPDevice.objects.filter(user__username=username, name="demo",
                                           confirmed=True).first()
        if device is None:
            raise CommandError(f"no demo authenticator for {username!r}", returncode=1)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}  (sleutel voor een app: "
                          f"{secret_base32(device)})")

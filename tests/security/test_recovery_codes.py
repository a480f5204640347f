"""Recovery codes (ASVS 6.5.2): 64 random bits each, so kept only as salted password
hashes; shown once; each works once; codes kept in clear by an older version are
hashed in place by the migration."""

import importlib

from django.apps import apps
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from mim.accounts import mfa
from mim.accounts.models import RecoveryCode
from tests.security.test_mfa import code_for, confirmed_device, password_login


def _plain(code: str) -> str:
    return code.replace("-", "")


def test_it_keeps_only_a_salted_hash_of_each_recovery_code(world):
    codes = mfa.recovery_codes_renew(user=world.funder)
    assert not StaticToken.objects.exists()
    hashes = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(hashes) == len(set(hashes)) == mfa.RECOVERY_CODES
    for code in codes:
        assert all(_plain(code) not in h and code not in h for h in hashes)


def test_it_hashes_recovery_codes_with_argon2id_in_production_settings(world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    codes = mfa.recovery_codes_renew(user=world.funder)
    for encoded in RecoveryCode.objects.values_list("code_hash", flat=True):
        assert identify_hasher(encoded).algorithm == "argon2"
        assert encoded.startswith("argon2$argon2id$")
    confirmed_device(world.funder)
    assert mfa.verify_token(world.funder, codes[3].upper()) is not None


def test_it_accepts_each_code_once_as_typed_with_dashes_or_spaces(world):
    codes = mfa.recovery_codes_renew(user=world.funder)
    device = StaticDevice.objects.get(user=world.funder)
    assert mfa.verify_token(world.funder, codes[0]) == device
    assert mfa.verify_token(world.funder, codes[0]) is None
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    assert mfa.verify_token(world.funder, " " + codes[1].replace("-", " ") + " ") == device
    assert RecoveryCode.objects.count() == mfa.RECOVERY_CODES - 2


def test_it_shows_the_recovery_codes_once_at_setup(world):
    client = password_login(world.office)
    client.get(reverse("second_factor_setup"))
    device = world.office.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("second_factor_setup"), {"token": code_for(device)})
    codes = response.context["codes"]
    assert codes[0] in response.content.decode()
    for url in (reverse("home"), reverse("second_factor_setup"), reverse("api_tokens")):
        body = client.get(url).content.decode()
        assert not any(c in body or _plain(c) in body for c in codes), url


def test_it_hashes_the_clear_codes_of_an_older_version_in_place(world):
    device = StaticDevice.objects.create(user=world.funder, name="herstelcodes", confirmed=True)
    StaticToken.objects.create(device=device, token="0123456789abcdef")
    migration = importlib.import_module("mim.accounts.migrations.0003_recovery_code_hashes")
    migration.hash_clear_codes(apps, None)
    assert not StaticToken.objects.exists()
    (code,) = RecoveryCode.objects.filter(device=device)
    assert "0123456789abcdef" not in code.code_hash
    # The code the user wrote down keeps working, once.
    assert mfa.verify_token(world.funder, "0123-4567-89ab-cdef") == device
    assert not RecoveryCode.objects.exists()

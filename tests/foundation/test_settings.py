import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from mim import env


def run_mim(*args, **environ):
    full = {**os.environ, **environ}
    return subprocess.run([sys.executable, "-m", "mim.cli", *args], capture_output=True,
                          text=True, env=full, timeout=60)


@pytest.mark.parametrize("value", ["yes", "1", "TRUE", "False", " true", "", "on"])
def test_it_refuses_a_debug_value_other_than_true_or_false(monkeypatch, value):
    monkeypatch.setenv("MIM_DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="MIM_DEBUG must be 'true' or 'false'"):
        env.env_bool("MIM_DEBUG", default=False)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), (None, False)])
def test_it_reads_true_and_false(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("MIM_DEBUG", raising=False)
    else:
        monkeypatch.setenv("MIM_DEBUG", value)
    assert env.env_bool("MIM_DEBUG", default=False) is expected


@pytest.mark.parametrize("url", ["mysql://x/y", "nonsense", "postgres://"])
def test_it_refuses_a_malformed_database_url(monkeypatch, tmp_path, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_database("DATABASE_URL", tmp_path / "db.sqlite3")


def test_it_defaults_to_sqlite_under_var(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.env_database("DATABASE_URL", tmp_path / "var" / "mim.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"].endswith("var/mim.sqlite3")


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret-from-file\n")
    monkeypatch.delenv("MIM_SECRET_KEY", raising=False)
    monkeypatch.setenv("MIM_SECRET_KEY_FILE", str(secret))
    assert env.env_secret("MIM_SECRET_KEY") == "s3cret-from-file"


def test_it_refuses_both_a_secret_and_its_file(monkeypatch, tmp_path):
    monkeypatch.setenv("MIM_SECRET_KEY", "a")
    monkeypatch.setenv("MIM_SECRET_KEY_FILE", str(tmp_path / "key"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_secret("MIM_SECRET_KEY")


def test_it_exits_2_with_one_line_for_a_bad_database_url():
    result = run_mim("check", DATABASE_URL="oracle://db/x")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_it_exits_2_with_one_line_for_a_bad_debug_flag():
    result = run_mim("check", MIM_DEBUG="maybe")
    assert result.returncode == 2
    assert "MIM_DEBUG" in result.stderr and "Traceback" not in result.stderr


def test_it_refuses_to_serve_with_the_development_key(monkeypatch):
    env_vars = {k: v for k, v in os.environ.items() if k != "MIM_SECRET_KEY"}
    env_vars["MIM_DEBUG"] = "false"
    result = subprocess.run([sys.executable, "-c", "import mim.wsgi"], capture_output=True,
                            text=True, env=env_vars, timeout=60)
    assert result.returncode != 0
    assert "MIM_SECRET_KEY is not set" in result.stderr


def test_it_speaks_dutch_by_default_in_amsterdam_time(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert ("en", "English") in settings.LANGUAGES


def test_it_hashes_passwords_with_argon2_in_production_settings():
    from mim import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")

"""Strict readers for the environment variables the settings depend on.

Every reader raises ImproperlyConfigured with a one-line message that names the
variable, so a typo in production fails loudly instead of silently falling back.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

DEV_SECRET_KEY = "dev-only-insecure-key-refused-when-debug-is-false"  # noqa: S105
_DB_SCHEMES = {"sqlite", "postgres", "postgresql"}


def env_bool(name: str, default: bool) -> bool:
    # Exactly `true` or `false` (spec/cli.md, "Environment"): a typo such as `True ` or an
    # empty value in a production unit file must stop the service, not silently pick one.
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw == "true":
        return True
    if raw == "false":
        return False
    raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    items = [part.strip() for part in raw.split(",")]
    if not all(items):
        raise ImproperlyConfigured(f"{name} has an empty entry: {raw!r}")
    return items


def env_secret(name: str) -> str | None:
    """Read a secret from NAME, or from the file that NAME_FILE points to."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if value and path:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc.strerror}") from None
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE points to an empty file")
    return value or None


def env_database(name: str, default_sqlite_path: Path) -> dict:
    raw = os.environ.get(name, "").strip()
    if not raw:
        default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        raw = f"sqlite:///{default_sqlite_path}"
    scheme = raw.split(":", 1)[0].lower() if ":" in raw else ""
    if scheme not in _DB_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with sqlite:///, postgres:// or postgresql://, not {scheme or raw!r}"
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60 if scheme != "sqlite" else 0)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is malformed: {exc}") from None
    if scheme == "sqlite":
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} names no SQLite file")
        # WAL lets the web server read while an import writes; IMMEDIATE avoids
        # "database is locked" upgrades inside write transactions.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database")
    return config

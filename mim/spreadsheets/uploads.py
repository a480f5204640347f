"""Uploaded files waiting between preview and confirmation.

The bytes are kept on the server (under var/uploads/, never in the session or a form
field), keyed by a random token that is bound to the user and the site; they are read
again and validated again on confirmation, and removed after it or after an hour.
"""

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings

from .reading import Upload

LIFETIME_SECONDS = 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def _root() -> Path:
    return Path(getattr(settings, "MIM_UPLOAD_DIR", settings.VAR_DIR / "uploads"))


def store(*, user, site, uploads: list[Upload], purpose: str = "records") -> str:
    """Keep the uploads; `site` None with a `purpose` of its own for a file that is not one
    site's (the office's facts file of a year, purpose "facts-<year>")."""
    purge_expired()
    token = secrets.token_urlsafe(32)
    folder = _root() / token
    folder.mkdir(parents=True, mode=0o700)
    for index, upload in enumerate(uploads):
        (folder / f"{index}.bin").write_bytes(upload.data)
    meta = {"user": user.pk, "site": site.pk if site else None, "purpose": purpose,
            "created": time.time(), "names": [upload.basename for upload in uploads]}
    (folder / "meta.json").write_text(json.dumps(meta))
    return token


def load(*, token: str, user, site, purpose: str = "records") -> list[Upload] | None:
    """The uploads behind the token, if it is this user's for this site and purpose and
    still fresh."""
    folder = _folder(token)
    if folder is None:
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text())
        if (meta["user"] != user.pk or meta["site"] != (site.pk if site else None)
                or meta.get("purpose", "records") != purpose
                or time.time() - meta["created"] > LIFETIME_SECONDS):
            return None
        return [Upload(name, (folder / f"{index}.bin").read_bytes())
                for index, name in enumerate(meta["names"])]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def discard(token: str) -> None:
    folder = _folder(token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def purge_expired(*, dry_run: bool = False) -> int:
    """Remove uploads left waiting for confirmation longer than their lifetime; how many."""
    root = _root()
    if not root.is_dir():
        return 0
    limit = time.time() - LIFETIME_SECONDS
    purged = 0
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                if not dry_run:
                    shutil.rmtree(folder, ignore_errors=True)
                purged += 1
        except OSError:
            continue
    return purged


def _folder(token: str) -> Path | None:
    # Only our own token shape reaches the file system: no path can be smuggled in.
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    folder = _root() / token
    return folder if folder.is_dir() else None

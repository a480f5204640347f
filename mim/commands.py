"""What the project's management commands share."""

from pathlib import Path

from django.core.management.base import CommandError


def output_path(output: str) -> Path:
    """The file a command is to write, refused (wrong usage, exit 2) when its folder does not
    exist: a one-line message before any work is done, instead of a traceback after it."""
    target = Path(output)
    if not target.parent.is_dir():
        raise CommandError(f"no such directory: {target.parent}", returncode=2)
    return target

"""The `mim` console script: Django's management commands plus the project's own.

Configuration errors (a malformed DATABASE_URL or MIM_DEBUG) are wrong usage: one line
on stderr and exit status 2, never a traceback.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mim.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "mim"
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"mim: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

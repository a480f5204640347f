"""Keep the English catalogues in step: extract, check, compile.

Interface strings are written in Dutch (the interface's first language); each app's
locale/en/LC_MESSAGES/django.po translates them into English. Usage:

    python tools/i18n.py extract   # refresh every app's catalogue from the code
    python tools/i18n.py check     # list untranslated or fuzzy strings (exit 1 if any)
    python tools/i18n.py compile   # write the .mo files (committed, so no gettext is needed)
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted(p.parent.parent.parent.parent for p in ROOT.glob("mim/*/locale/en/LC_MESSAGES"))


def catalogues():
    return sorted(ROOT.glob("mim/*/locale/en/LC_MESSAGES/django.po"))


def extract():
    mim = ROOT / ".venv" / "bin" / "mim"
    for app in APPS:
        subprocess.run([str(mim), "makemessages", "-l", "en", "--no-location", "--no-obsolete", "-v0"],
                       cwd=app, check=True, env={"MIM_DEBUG": "true", "PATH": "/usr/bin:/bin"})


def check() -> int:
    missing = 0
    for path in catalogues():
        po = polib.pofile(str(path))
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            print(f"{path.relative_to(ROOT)}: {entry.msgid!r}")
            missing += 1
    return 1 if missing else 0


def compile_all():
    for path in catalogues():
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "compile":
        compile_all()
    else:
        sys.exit(check())

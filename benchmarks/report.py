"""Write one section of docs/performance.md, leaving the other sections as they are.

Every benchmark calls `write_section` with its own heading, so `make bench` (all of them)
or one benchmark alone always leaves a complete, current file."""

import datetime as dt
import os
import platform
import re
from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
HEADER = """# Performance

Measured by `make bench` (every benchmark under `benchmarks/`), on the project's machine:
{machine}. Each section says when it was measured and against which target. Targets come from
the issues; timed tests are not used, these benchmarks are the check.
"""


def machine() -> str:
    cores = os.cpu_count()
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0
    return f"{cores} cores, {mem:.0f} GiB memory, Python {platform.python_version()}"


def write_section(title: str, body: str) -> None:
    text = PATH.read_text(encoding="utf-8") if PATH.exists() else ""
    if not text.startswith("# Performance"):
        text = HEADER.format(machine=machine())
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"## {title}\n\n_Measured {stamp}._\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    PATH.parent.mkdir(exist_ok=True)
    PATH.write_text(text.rstrip() + "\n", encoding="utf-8")


def verdict(value: float, target: float) -> str:
    return "meets the target" if value <= target else "**misses the target**"

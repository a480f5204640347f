"""Benchmark of the national report: the whole `mim report --year Y --format pdf` process.

    python -m benchmarks.national_report [--mothers N] [--skip-demo] [--no-write]

Two measurements, each of the command as a subprocess (Django start, figures of the report's
five years with the joint suppression, the PDF): its wall time and peak RSS, read as VmHWM
from /proc/<pid>/status while it runs (the last value seen before it exits).

- demo scale: `mim demo --seed 3` in a fresh SQLite file, report of 2025 (target ≤ 3 s,
  ≤ 400 MB);
- 1,000,000 mothers on PostgreSQL (DATABASE_URL, default .../mim_bench), loaded with COPY by
  the loader of benchmarks.figures_engine (reused, not copied), report of 2024
  (target ≤ 15 s).

The section "National report" of docs/performance.md is rewritten (benchmarks.report).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import figures_engine
from benchmarks.report import verdict, write_section

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"demo": (3.0, 400), "large": (15.0, None)}


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def run_report(env: dict, year: int, target: Path) -> dict:
    """Run `mim report` and sample its peak RSS every 10 ms until it exits."""
    command = [sys.executable, "-m", "mim.cli", "report", "--year", str(year), "--format", "pdf",
               "-o", str(target)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        value = _vm_hwm_mb(process.pid)
        if value:
            peak = max(peak, value)
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"mim report failed ({process.returncode}): {stderr}")
    return {"seconds": seconds, "rss_mb": peak, "bytes": target.stat().st_size}


def demo_scale() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
               "MIM_DEBUG": "true"}
        for args in (["migrate", "--no-input", "-v0"], ["demo", "--seed", "3",
                                                              "--today", "2026-06-01"]):
            subprocess.run([sys.executable, "-m", "mim.cli", *args], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.DEVNULL)
        runs = [run_report(env, 2025, Path(tmp) / "report.pdf") for _ in range(2)]
    return min(runs, key=lambda r: r["seconds"])


def large_scale(mothers: int, url: str) -> dict:
    year = 2024
    figures_engine.create_database(url)
    try:
        figures_engine.migrate(url)
        loaded = figures_engine.load(url, mothers, year)
        with tempfile.TemporaryDirectory() as tmp:
            result = run_report(figures_engine._env(url), year, Path(tmp) / "report.pdf")
    finally:
        figures_engine.drop_database(url)
    return {**result, "load_seconds": loaded["seconds"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mothers", type=int, default=1_000_000)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args()
    rows = []
    if not args.skip_demo:
        demo = demo_scale()
        s, mb = TARGETS["demo"]
        rows.append(f"| demo (`mim demo --seed 3`, SQLite), 2025 | {demo['seconds']:.1f} s | "
                    f"{demo['rss_mb']:.0f} MB | ≤ {s:.0f} s, ≤ {mb} MB: "
                    f"{verdict(demo['seconds'], s)}"
                    f"{'' if demo['rss_mb'] <= mb else ' (**memory over target**)'} |")
        print(rows[-1], flush=True)
    if not args.skip_large:
        url = os.environ.get("DATABASE_URL", figures_engine.DEFAULT_URL)
        if not url.startswith("postgres"):
            url = figures_engine.DEFAULT_URL
        large = large_scale(args.mothers, url)
        s, _ = TARGETS["large"]
        rows.append(f"| {args.mothers:,} mothers over {figures_engine.SITES} sites "
                    f"(PostgreSQL, COPY), 2024 | {large['seconds']:.1f} s | "
                    f"{large['rss_mb']:.0f} MB | ≤ {s:.0f} s: {verdict(large['seconds'], s)} |")
        print(rows[-1], f"(load {large['load_seconds']} s)", flush=True)
    if not args.no_write and rows:
        write_section("National report", BODY.format(rows="\n".join(rows)))


BODY = """`python -m benchmarks.national_report`: the whole `mim report --year Y --format pdf`
process (Django start, the published figures of the report's five years, each with the joint
small-cell suppression of every site, organisation and municipality, building the report, the
PDF with its charts). Wall time of the subprocess; peak memory is its VmHWM, sampled from
/proc while it runs. Demo scale is the better of two runs.

| data | wall time | peak RSS | target |
|---|---|---|---|
{rows}

Where the time goes: the report reads five years of published national figures (the
five-year overview; this year and last year are shared with the rest of the report), so the
figures engine and the joint suppression run five times; at a million mothers that is mostly
PostgreSQL scanning the records once per year. The PDF (Typst, four charts) takes about a
second.
"""


if __name__ == "__main__":
    main()

"""Benchmark of the national report: the whole `mim report --year Y --format pdf` process.

    python -m benchmarks.national_report [--mothers N] [--skip-demo] [--skip-large]
                                         [--runs R] [--keep] [--reuse] [--no-write]

The system builds a year's publication once per change of its inputs and stores it; a report
reads the stored publications. So the benchmark first builds them (untimed for the target, its
time is printed): one process reads every publication the report of the year reads (its five
years), which builds and stores each. Then it times the report as a subprocess:

- the first report after the build, which draws its charts and keeps the drawings
  (mim.reports.charts: kept under a digest of the spec, drawn again only when a figure changes);
- the report again, nothing changed (best and median of `--runs`): what every later download
  of the same report costs. The targets (issue 9) are judged on this one.

Each run: wall time of the subprocess, and peak memory as its VmHWM, sampled from /proc while it
runs. Python's bytecode cache is on (PYTHONPYCACHEPREFIX in a temporary directory, filled by the
build), as on a deployed server; the harness's PYTHONDONTWRITEBYTECODE would make every process
compile the project's modules again (0.3 s).

- demo scale: `mim demo --seed 3` in a fresh SQLite file, report of 2025 (target ≤ 1.5 s,
  ≤ 400 MB);
- 1,000,000 mothers over 400 sites on PostgreSQL (DATABASE_URL, default .../mim_bench), loaded
  with COPY by the loader of benchmarks.figures_engine (reused, not copied), report of 2024
  (target ≤ 5 s, ≤ 400 MB). `--reuse` skips the load when the database already holds the
  mothers (and keeps its stored publications), `--keep` leaves the database afterwards.

The section "National report" of docs/performance.md is rewritten (benchmarks.report).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import figures_engine
from benchmarks.report import verdict, write_section

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"demo": (1.5, 400), "large": (5.0, 400)}
BUILD = """
import django, sys, time
django.setup()
from mim.reports.assemble import national_report
started = time.perf_counter()
national_report(int(sys.argv[1]))  # reads, so builds and stores, every publication it needs
print(time.perf_counter() - started)
"""


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def _env(env: dict, tmp: str) -> dict:
    env = {**env, "PYTHONPYCACHEPREFIX": f"{tmp}/pycache",
           "DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE", "mim.settings")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def build_publications(env: dict, year: int) -> float:
    """Build and store the publications the report of `year` reads; their build time."""
    done = subprocess.run([sys.executable, "-c", BUILD, str(year)], env=env, cwd=ROOT,
                          check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def run_report(env: dict, year: int, target: Path) -> dict:
    """Run `mim report` and sample its peak RSS every 10 ms until it exits."""
    command = [sys.executable, "-m", "mim.cli", "report", "--year", str(year), "--format", "pdf",
               "-o", str(target)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the report, now waited for
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stderr = process.stderr.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"mim report failed ({process.returncode}): {stderr}")
    return {"seconds": seconds, "cpu": cpu, "rss_mb": peak, "bytes": target.stat().st_size}


def measure(env: dict, year: int, tmp: str, runs: int) -> dict:
    env = _env(env, tmp)
    built = build_publications(env, year)
    target = Path(tmp) / "report.pdf"
    first = run_report(env, year, target)
    load = os.getloadavg()
    again = [run_report(env, year, target) for _ in range(runs)]
    return {"built": built, "first": first, "again": again, "load": load,
            "best": min(r["seconds"] for r in again),
            "cpu": min(r["cpu"] for r in again),
            "median": statistics.median(r["seconds"] for r in again),
            "rss_mb": max(r["rss_mb"] for r in [first, *again])}


def demo_scale(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
               "MIM_DEBUG": "true"}
        for args in (["migrate", "--no-input", "-v0"], ["demo", "--seed", "3",
                                                              "--today", "2026-06-01"]):
            subprocess.run([sys.executable, "-m", "mim.cli", *args], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.DEVNULL)
        return measure(env, 2025, tmp, runs)


def _loaded(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM registry_mother)")
                        .fetchone()[0])
    except psycopg.Error:
        return False


def large_scale(mothers: int, url: str, runs: int, *, keep: bool, reuse: bool) -> dict:
    year = 2024
    reused = reuse and _loaded(url)
    if not reused:
        figures_engine.create_database(url)
    try:
        figures_engine.migrate(url)  # on a reused database: the code's newest tables
        loaded = None if reused else figures_engine.load(url, mothers, year)["seconds"]
        with tempfile.TemporaryDirectory() as tmp:
            result = measure(figures_engine._env(url), year, tmp, runs)
    finally:
        if not keep:
            figures_engine.drop_database(url)
    return {**result, "load_seconds": loaded}


def _row(label: str, result: dict, target: tuple[float, int]) -> str:
    seconds, mb = target
    first = result["first"]["seconds"]
    memory = "" if result["rss_mb"] <= mb else " (**memory over target**)"
    return (f"| {label} | {result['built']:.1f} s | {first:.2f} s | {result['best']:.2f} s "
            f"(median {result['median']:.2f} s) | {result['cpu']:.2f} s | "
            f"{result['rss_mb']:.0f} MB | "
            f"{', '.join(f'{v:.1f}' for v in result['load'])} | ≤ {seconds:g} s, ≤ {mb} MB: "
            f"{verdict(result['best'], seconds)}{memory} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mothers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="timed reports after the first")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the large database")
    parser.add_argument("--reuse", action="store_true",
                        help="use the large database as loaded before (with --keep)")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args()
    rows = []
    if not args.skip_demo:
        rows.append(_row("demo (`mim demo --seed 3`, SQLite), 2025", demo_scale(args.runs),
                         TARGETS["demo"]))
        print(rows[-1], flush=True)
    if not args.skip_large:
        url = os.environ.get("DATABASE_URL", figures_engine.DEFAULT_URL)
        if not url.startswith("postgres"):
            url = figures_engine.DEFAULT_URL
        large = large_scale(args.mothers, url, args.runs, keep=args.keep, reuse=args.reuse)
        rows.append(_row(f"{args.mothers:,} mothers over {figures_engine.SITES} sites "
                         "(PostgreSQL, COPY), 2024", large, TARGETS["large"]))
        print(rows[-1], f"(load {large['load_seconds']} s)", flush=True)
    if not args.no_write and rows:
        write_section("National report", BODY.format(rows="\n".join(rows)))


BODY = """`python -m benchmarks.national_report`: the whole `mim report --year Y --format pdf`
process (Django start, the stored publications of the report's five years, building the
report, the PDF with its charts), as a subprocess; peak memory is its VmHWM, sampled from /proc
while it runs. The publications are built and stored beforehand, as the system does once per
change of their inputs ("publications built": one process reading every publication the report
reads). Then the first report after the build (it draws its charts and keeps the drawings),
and the report again with nothing changed, best and median of three: the target is judged on
that one. CPU is the report process's user and system time (the least of the runs again):
wall time on a busy machine is that plus the wait for a CPU. Load average (1, 5, 15 min) when
the timed runs started: the machine's 2 CPUs are shared with other sessions' work, so wall
times vary with it.

| data | publications built | first report | report again | CPU | peak RSS | load | target |
|---|---|---|---|---|---|---|---|
{rows}

Where the time goes, per report process (CPU): Django's start and the project's modules,
about 0.35 s; reading the five years' stored publications and building the report, 0.06 s at
demo scale and 0.5 s at 400 sites (every site and municipality scope of the year in one query
each, 12 MB of JSON at 400 sites, of which only the rows the report states become Figures);
Typst laying out and writing the PDF, 0.25 s at demo scale and 0.5 s at 400 sites (its
400-row site table). Nothing is counted from records and no publication is built when nothing
changed; matplotlib (0.4 s to import, 50 ms a chart) runs only in the first report after a
figure changed, SciPy, HiGHS and numpy only when a publication is built.
"""


if __name__ == "__main__":
    main()

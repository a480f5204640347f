"""Benchmark: import 100,000 mothers (with volunteers and matches) through `mim import-records`.

    python -m benchmarks.import_records [--mothers N] [--no-write]

Generates deterministic CSV files, migrates a fresh database, and runs the import as a
child process, reading its wall time and peak memory (ru_maxrss of the child: it counts
the C parts too, which tracemalloc does not see). SQLite always; PostgreSQL too when
DATABASE_URL points at one (a scratch database is created beside it and dropped after).
Writes the figures into the section "Import of 100,000 mothers" of docs/performance.md.
"""

import argparse
import csv
import datetime as dt
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
MIM = str(ROOT / ".venv" / "bin" / "mim") if (ROOT / ".venv" / "bin" / "mim").exists() else "mim"
DOC = ROOT / "docs" / "performance.md"
SECTION = "## Import of 100,000 mothers"
TARGET_SECONDS, TARGET_MB = 30, 500

ORIGINS = ["dutch"] * 6 + ["turkish", "moroccan", "surinamese", "antillean", "europe_other",
                           "africa", "asia", "middle_east", "americas", "unknown"]
COUNTRIES = {"dutch": "NL", "turkish": "TR", "moroccan": "MA", "surinamese": "SR",
             "antillean": "CW", "europe_other": "PL", "africa": "ER", "asia": "AF",
             "middle_east": "SY", "americas": "BR", "unknown": ""}
EDUCATION = ["lbo_or_lower", "mbo", "hbo", "unknown"]
HOUSEHOLD = ["cohabiting", "single", "with_parents", "with_others", "unknown"]
INCOME = ["partner_income", "joint_income", "income_and_benefit", "two_benefits",
          "own_income", "one_benefit", "unknown"]
CHILD = ["first", "second", "third_or_later", "unknown"]
MOTHER_END = ["completed", "sufficient_progress", "no_longer_needed", "moved", "other"]
VOLUNTEER_END = ["no_time", "own_problems", "found_job", "moved", "illness", "other"]
MOTHER_CIRC = ["poor_social_network", "insecure_parenting", "language_or_culture",
               "single_parenthood", "postnatal_depression", "health_problems", "other"]
BABY_CIRC = ["incubator", "multiple_birth", "excessive_crying", "sleep_problems", "other"]
WORK = ["care", "education", "administrative", "commercial", "volunteer_work", "other"]
FIRST, LAST = dt.date(2015, 1, 1), dt.date(2025, 6, 30)


def _day(rng, start, end) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _some(rng, codes, p) -> str:
    return ";".join(code for code in codes if rng.random() < p)


def generate(folder: Path, mothers: int, volunteers: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    paths = [folder / "volunteers.csv", folder / "mothers.csv", folder / "matches.csv"]
    vol_periods = []
    with paths[0].open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["volunteer_ref", "start_date", "end_date", "end_reason", "birth_year",
                         "origin", "education", "former_mim_mother", "work_experience",
                         "vog_date", "agreement_signed"])
        for n in range(volunteers):
            start = _day(rng, FIRST, LAST)
            end = start + dt.timedelta(days=rng.randint(200, 2500))
            end = end if end <= LAST else None
            vol_periods.append((start, end))
            writer.writerow([f"V{n:06d}", start, end or "", rng.choice(VOLUNTEER_END) if end else "",
                             start.year - rng.randint(22, 70), rng.choice(ORIGINS),
                             rng.choice(EDUCATION), rng.choice(["yes", "no"]),
                             _some(rng, WORK, .3), start - dt.timedelta(days=10),
                             rng.choice(["ja", "nee"])])
    matches = []
    with paths[1].open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["mother_ref", "start_date", "end_date", "end_reason", "birth_year",
                         "origin", "country_of_birth", "education", "household",
                         "income_source", "child_order", "pregnant_at_start",
                         "mother_circumstances", "baby_circumstances"])
        for n in range(mothers):
            start = _day(rng, FIRST, LAST)
            end = start + dt.timedelta(days=rng.randint(60, 547))
            end = end if end <= LAST else None
            origin = rng.choice(ORIGINS)
            writer.writerow([f"M{n:06d}", start, end or "", rng.choice(MOTHER_END) if end else "",
                             start.year - rng.randint(17, 44), origin, COUNTRIES[origin],
                             rng.choice(EDUCATION), rng.choice(HOUSEHOLD), rng.choice(INCOME),
                             rng.choice(CHILD), rng.choice(["yes", "no", "unknown"]),
                             _some(rng, MOTHER_CIRC, .25), _some(rng, BABY_CIRC, .1)])
            if rng.random() < .9:
                match_start = start + dt.timedelta(days=14)
                if end is None or match_start <= end:
                    matches.append((f"M{n:06d}", f"V{rng.randrange(volunteers):06d}",
                                    match_start, end or ""))
    with paths[2].open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["mother_ref", "volunteer_ref", "start_date", "end_date"])
        writer.writerows(matches)
    return paths


def run(args: list[str], env: dict) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak resident MB and output of one `mim` child process."""
    started = time.perf_counter()
    child = subprocess.Popen([MIM, *args], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"mim {' '.join(args)} failed ({child.returncode}):\n{output}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, output  # ru_maxrss is in KiB on Linux


def bench(database_url: str, files: list[Path]) -> list[tuple[str, float, float, float]]:
    # DEBUG off, as in production: with it on, Django keeps the text of every query.
    env = {**os.environ, "DATABASE_URL": database_url, "MIM_DEBUG": "false"}
    run(["migrate", "--no-input", "-v0"], env)
    code = f"bench-{os.getpid()}"
    run(["create-site", code, "--name", "Benchmark", "--organisation", "Benchmark",
         "--municipality", "Benchmark", "--first-year", "2015"], env)
    rows = []
    for label, extra in (("first import (all new)", []), ("same files again (all unchanged)", []),
                         ("dry run", ["--dry-run"])):
        seconds, cpu, mb, output = run(["import-records", "--site", code, *extra,
                                        *map(str, files)], env)
        rows.append((label, seconds, cpu, mb))
        print(f"  {label}: {seconds:.1f} s ({cpu:.1f} s CPU), {mb:.0f} MB\n    "
              + output.strip().replace(
            "\n", "\n    "))
    return rows


DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"  # the other benchmarks' server


def _postgres_scratch(url: str):
    import psycopg

    parts = urlsplit(url)
    name = f"mim_bench_{os.getpid()}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    scratch = urlunsplit(parts._replace(path=f"/{name}"))

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return scratch, drop


def write_doc(results: dict, mothers: int, volunteers: int, matches: int) -> None:
    lines = [SECTION, "",
             f"`python -m benchmarks.import_records` on {dt.date.today():%Y-%m-%d}: "
             f"{mothers:,} mothers, {volunteers:,} volunteers and {matches:,} matches in three "
             f"CSV files, imported by `mim import-records` as a child process on a "
             f"{os.cpu_count()}-core {platform.machine()} machine (Python "
             f"{platform.python_version()}). Peak memory is the child's maximum resident set "
             f"(`ru_maxrss`). Target: at most {TARGET_SECONDS} s and {TARGET_MB} MB.", "",
             "| database | run | wall time | CPU time | peak memory |", "|---|---|---|---|---|"]
    for database, rows in results.items():
        for label, seconds, cpu, mb in rows:
            verdict = "" if seconds <= TARGET_SECONDS and mb <= TARGET_MB else " (over target)"
            lines.append(f"| {database} | {label} | {seconds:.1f} s | {cpu:.1f} s | "
                         f"{mb:.0f} MB{verdict} |")
    lines += ["", "How: the files are read as a stream and validated in Python against the "
              "site's records, loaded once (one query per table, no query per row; repeated "
              "codes and dates parsed once). Rows are written inside one transaction with COPY "
              "on PostgreSQL and one prepared INSERT (`executemany`) on SQLite, not the ORM's "
              "per-object `bulk_create`, with one access-log entry per created or changed "
              "record. The command runs with `MIM_DEBUG=false`, as in production.", ""]
    text = DOC.read_text() if DOC.exists() else "# Performance\n\n"
    section = "\n".join(lines)
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mothers", type=int, default=100_000)
    parser.add_argument("--volunteers", type=int, default=None,
                        help="default: a quarter of the mothers")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES,
                        help="a PostgreSQL server to import into as well, in a scratch database "
                             f"(default: DATABASE_URL, else {DEFAULT_POSTGRES}); '' for none")
    options = parser.parse_args()
    volunteers = options.volunteers or max(1, options.mothers // 4)
    results = {}
    with tempfile.TemporaryDirectory(prefix="mim-bench-") as folder:
        files = generate(Path(folder), options.mothers, volunteers)
        matches = sum(1 for _ in files[2].open()) - 1
        print(f"generated {options.mothers:,} mothers, {volunteers:,} volunteers, "
              f"{matches:,} matches")
        print("SQLite:")
        results["SQLite"] = bench(f"sqlite:///{folder}/bench.sqlite3", files)
        url = options.postgres
        if url.startswith(("postgres://", "postgresql://")):
            scratch, drop = _postgres_scratch(url)
            try:
                print("PostgreSQL:")
                results["PostgreSQL"] = bench(scratch, files)
            finally:
                drop()
    if not options.no_write:
        write_doc(results, options.mothers, volunteers, matches)
        print(f"wrote {DOC.relative_to(ROOT)}")
    over = [r for rows in results.values() for r in rows
            if r[1] > TARGET_SECONDS or r[3] > TARGET_MB]
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()

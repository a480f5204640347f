"""Benchmark of the results (issue 13): a year's results over a million mothers.

    python -m benchmarks.results [--mothers N ...] [--year Y] [--no-write] [--keep] [--reuse]
    python -m benchmarks.results --check [--mothers N ...]  (after a --reuse run)

Creates (and drops at the end) the PostgreSQL database of DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/mim_bench_results; loads N mothers and 0.4 N volunteers over
400 sites with the loader of benchmarks.figures_engine (reused, not copied), then matches for
seven in ten mothers and a visit about every month of each match that runs in the measured
year or the one before, with INSERT ... SELECT. In a fresh subprocess it measures, with the
year's inputs already read (`YearFigures`, timed apart; the figures engine has its own
benchmark):

- **read**: `YearFigures.results`, the grouped queries of mim.results.engine over every site
  (nothing kept from an earlier run: mim.publication.kept_results keeps them per site) and the
  numpy that turns them into day histograms per site (the query count is recorded);
- **rows and rule**: the results rows of every published scope (the nation, 60 organisations,
  100 municipalities, every site on its own and every merged group) under the publication's
  rule with its differences closed over every partition (mim.publication.results.publish).

With --reuse each size keeps its database (`<name>_<mothers>`) and a later --reuse run measures
again without loading (migrating first, in case the code measured has migrations of its own).

With --check it measures, on the databases a --reuse run left, the publication's check after a
change at one site (`mim.publication.selectors.refresh`: the year's inputs and their digest),
in a new process and in one that has read the year before (issue 9: kept per site).

Target (issue 13): read + rows and rule ≤ 10 s at 1,000,000 mothers, queries independent of
rows. The section "Results" of docs/performance.md is rewritten (benchmarks.report).
"""

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks import figures_engine
from benchmarks.report import verdict, write_section

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mim_bench_results"
TARGET = 10.0

MATCHES = """
INSERT INTO registry_match (site_id, mother_id, volunteer_id, start_date, end_date)
SELECT m.site_id, m.id, 1 + m.id % {volunteers}, m.start_date + 14, m.end_date
FROM registry_mother m
WHERE m.id % 10 < 7 AND (m.end_date IS NULL OR m.end_date >= m.start_date + 14)
"""
VISITS = """
INSERT INTO registry_visit (mother_id, volunteer_id, date, note)
SELECT ma.mother_id, ma.volunteer_id, ma.start_date + g * 30, ''
FROM registry_match ma CROSS JOIN generate_series(0, 17) g
WHERE ma.start_date >= DATE '{first}' AND ma.start_date + g * 30 <= DATE '{last}'
  AND ma.start_date + g * 30 <= COALESCE(ma.end_date, DATE '{last}')
  AND (ma.mother_id + g) % 5 <> 0
"""


def load_visits(url: str, mothers: int, year: int) -> dict:
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        matches = conn.execute(MATCHES.format(volunteers=int(mothers * 0.4))).rowcount
        visits = conn.execute(VISITS.format(first=f"{year - 1}-01-01",
                                            last=f"{year}-12-31")).rowcount
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE registry_match")
        conn.execute("VACUUM ANALYZE registry_visit")
    return {"matches": matches, "visits": visits, "seconds": round(time.perf_counter() - started, 1)}


def partitions_of(data, units) -> list:
    """The partitions of mim.publication.build.build (the nation three ways, organisations and
    municipalities over their units, groups over their sites)."""
    from mim.publication.inputs import NATIONAL_CODE

    scopes = data.scope_keys()
    unit_keys = [("site", c) for c in units.alone] + [("site", g) for g in units.groups]
    out = [(("national", NATIONAL_CODE), unit_keys),
           (("national", NATIONAL_CODE), [k for k in scopes if k[0] == "organisation"]),
           (("national", NATIONAL_CODE), [k for k in scopes if k[0] == "municipality"])]
    for (scope, code), members in scopes.items():
        if scope == "national":
            continue
        children = []
        for site in members:
            if site.code not in data.site_figures:
                continue
            group = units.groups.get(units.group_of.get(site.code, ""))
            if scope == "organisation" and group and group.organisation == code:
                children.append(("site", group.code))
            else:
                children.append(("site", site.code))
        out.append(((scope, code), list(dict.fromkeys(children))))
    out += [(("site", g.code), [("site", c) for c in g.members]) for g in units.groups.values()]
    return out


def measure_child(year: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mim.publication import build, results
    from mim.publication.inputs import YearFigures
    from mim.publication.models import KeptSiteResults

    # The read measured is every site's: nothing kept from an earlier run (--reuse).
    KeptSiteResults.objects.filter(year=year).delete()
    started = time.perf_counter()
    data = YearFigures(year)
    inputs = time.perf_counter() - started
    units = build.plan_units(data)
    partitions = partitions_of(data, units)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        found = data.results
    read = time.perf_counter() - started
    started = time.perf_counter()
    rows = results.publish(year, data, units, partitions)
    rule = time.perf_counter() - started
    national = {f.variable + "|" + f.category: str(f.value) for f in rows
                if f.scope == "national" and f.category == "all"}
    print(json.dumps({"inputs": inputs, "read": read, "rule": rule, "queries": len(queries),
                      "rows": len(rows), "hidden": sum(f.suppressed for f in rows),
                      "sites": len(found.index), "national": national}))


# The changes at one site before a check: one mother's row written (her figures as they
# were), and a visit added to one of her matches (her results move).
CHANGES = {
    "mother": "UPDATE registry_mother SET household = household WHERE id = "
              "(SELECT MIN(id) FROM registry_mother WHERE site_id = 1)",
    "visit": "INSERT INTO registry_visit (mother_id, volunteer_id, date, note) "
             "SELECT mother_id, volunteer_id, DATE '{year}-06-15', 'benchmark' "
             "FROM registry_match WHERE site_id = 1 ORDER BY id LIMIT 1",
}
UNDO = "DELETE FROM registry_visit WHERE note = 'benchmark'"


def check_child(year: int, changes: list[str]) -> None:
    """The publication's check as `mim.publication.selectors.refresh` makes it (the year's
    inputs and their digest), after each change in `changes` (none: once, as things are)."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mim.publication import build
    from mim.publication.inputs import YearFigures

    out = []
    for change in changes or [None]:
        if change:
            with connection.cursor() as cursor:
                cursor.execute(CHANGES[change].format(year=year))
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            data = YearFigures(year)
            inputs = time.perf_counter() - wall
            build.digest_of(data)
        out.append({"change": change, "inputs": inputs, "check": time.perf_counter() - wall,
                    "cpu": time.process_time() - cpu, "queries": len(queries)})
    with connection.cursor() as cursor:
        cursor.execute(UNDO)
    print(json.dumps(out))


def run_check(url: str, year: int) -> list[dict]:
    """The check after a change at one site, on a database an earlier --reuse run loaded:
    once as things are (which keeps every site's inputs if nothing kept them yet), then in a
    new process after a mother's row is written (the kept rows read from the database), and
    in the same process after a visit is added and after a mother's row is written again."""
    figures_engine.migrate(url)
    out = []
    for changes in ([], ["mother", "visit", "mother"]):
        done = subprocess.run([sys.executable, "-m", "benchmarks.results", "--check-child",
                               "--year", str(year), *(f"--change={c}" for c in changes)],
                              env=figures_engine._env(url), cwd=figures_engine.ROOT,
                              check=True, capture_output=True, text=True)
        out += json.loads(done.stdout.strip().splitlines()[-1])
    return out


def _loaded(url: str, mothers: int) -> dict | None:
    """What an earlier run with --reuse left in the database, or None (no such database, or
    one of another size or not fully loaded)."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT loaded FROM bench_results_loaded").fetchone()
    except psycopg.Error:
        return None
    loaded = json.loads(row[0]) if row else None
    return loaded if loaded and loaded.get("registry_mother") == mothers else None


def sized_url(url: str, mothers: int) -> str:
    """With --reuse each size keeps its own database (`<name>_<mothers>`)."""
    from urllib.parse import urlparse, urlunparse

    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"{parts.path}_{mothers}"))


def run(mothers: int, year: int, url: str, keep: bool, reuse: bool = False) -> dict:
    if reuse:
        url = sized_url(url, mothers)
        loaded = _loaded(url, mothers)
        if loaded is not None:
            figures_engine.migrate(url)  # the code measured may have migrations of its own
            return {"mothers": mothers, "loaded": loaded, **_measure(url, year)}
        keep = True
    figures_engine.create_database(url)
    try:
        figures_engine.migrate(url)
        loaded = figures_engine.load(url, mothers, year)
        loaded.update(load_visits(url, mothers, year))
        if reuse:
            import psycopg

            with psycopg.connect(url) as conn:
                conn.execute("CREATE TABLE bench_results_loaded (loaded text)")
                conn.execute("INSERT INTO bench_results_loaded VALUES (%s)",
                             [json.dumps(loaded)])
        result = _measure(url, year)
    finally:
        if not keep:
            figures_engine.drop_database(url)
    return {"mothers": mothers, "loaded": loaded, **result}


def _measure(url: str, year: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.results", "--child", "--year",
                          str(year)], env=figures_engine._env(url), cwd=figures_engine.ROOT,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(r: dict) -> tuple[str, bool]:
    total = r["read"] + r["rule"]
    target = f"≤ {TARGET:.0f} s: {verdict(total, TARGET)}" if r["mothers"] >= 1_000_000 else "–"
    ok = r["mothers"] < 1_000_000 or total <= TARGET
    return (f"| {r['mothers']:,} | {r['loaded']['matches']:,} | {r['loaded']['visits']:,} | "
            f"{r['inputs']:.1f} s | {r['read']:.2f} s ({r['queries']} queries) | "
            f"{r['rule']:.2f} s ({r['rows']:,} rows, {r['hidden']:,} hidden) | {total:.2f} s | "
            f"{target} |"), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mothers", type=int, action="append",
                        help="number of mothers (repeatable; default 100000 and 1000000)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="keep each size's database (<name>_<mothers>) and measure again "
                             "without loading when an earlier --reuse run loaded it")
    parser.add_argument("--check", action="store_true",
                        help="measure the publication's check after a change at one site, on "
                             "the databases an earlier --reuse run loaded (nothing written "
                             "to docs/)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--change", action="append", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        measure_child(args.year)
        return 0
    if args.check_child:
        check_child(args.year, args.change)
        return 0
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if args.check:
        for mothers in args.mothers or [1_000_000]:
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            for r in run_check(sized_url(url, mothers), args.year):
                print(f"{mothers:,} mothers, change {r['change'] or '(none)'}: inputs "
                      f"{r['inputs']:.2f} s, check {r['check']:.2f} s (this process's CPU "
                      f"{r['cpu']:.2f} s, {r['queries']} queries); load before {load}",
                      flush=True)
        return 0
    lines, failed, queries = [], False, set()
    for mothers in args.mothers or [100_000, 1_000_000]:
        result = run(mothers, args.year, url, args.keep, args.reuse)
        line, ok = _line(result)
        failed |= not ok
        queries.add(result["queries"])
        print(line, f"(load {result['loaded']['seconds']} s)", flush=True)
        lines.append(line)
    if len(queries) > 1:
        failed = True  # the query count must not grow with the rows
    if not args.no_write:
        write_section("Results", _report(lines, args.year, queries))
    return 1 if failed else 0


def _report(lines: list[str], year: int, queries: set) -> str:
    table = "\n".join(lines)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    same = "the same at every size" if len(queries) == 1 else "**not the same at every size**"
    return f"""`python -m benchmarks.results` ({os.cpu_count()} CPUs, PostgreSQL). The records of
benchmarks.figures_engine (400 sites, start dates over ten years, a third still open), plus
matches for seven in ten mothers and a visit about every 30 days of each match that started in
{year - 1} or {year}. Results of {year}: cohorts {year - 2}-{year}, followed to 31 December.
The year's inputs (`YearFigures`, the figures engine) are read first and timed apart.

| mothers | matches | visits | year's inputs | results read | rows and rule, every scope | results | target |
|---|---|---|---|---|---|---|---|
{table}

Queries of the results read: {", ".join(str(q) for q in sorted(queries))}, {same} (also
`tests/results/test_engine.py`, where rows and sites double): four grouped queries and, on
PostgreSQL, the reading transaction's BEGIN and COMMIT, one query that sets it up and one that
puts the settings back after it; and since the read goes through the kept results
(`mim/publication/kept_results.py`; the benchmark deletes what an earlier run kept, so every
site is read), the sites' stamps, their kept rows, the self-assessment's two queries and
keeping every site's inputs (JIT
off: it compiled these queries for seconds, longer than running them; a larger `work_mem` so
the hash aggregates do not spill; no parallel workers, which each rebuilt the same
per-mother aggregates). Load average while measuring: {load} (the CPUs are shared with
other sessions' test runs).

Where the time goes: the read is PostgreSQL's own work now. Durations are day numbers and
persons are counted per site, group and day in SQL (a few hundred thousand groups at a
million mothers); each mother's matches and visits of the year become 12-bit month masks
(`BIT_OR`; one `MAX` per bit on SQLite) and are counted per site, so neither a date nor a
person crosses into Python. The largest part is that last query: grouping 700,000 visits
and 300,000 matches per mother and joining the result to the mothers for their sites. The rows
and the rule grow with the sites (400), not with the records: every scope's histograms are one
sparse product of a scopes × sites matrix with the sites' histograms, the estimator runs
once over all of them, and what remains is making the 52,000 rows.
"""


if __name__ == "__main__":
    sys.exit(main())

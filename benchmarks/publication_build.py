"""Building, auditing, storing and reading one year's publication at a given number of sites.

    python -m benchmarks.publication_build --sites 100 --mothers 25000
    python -m benchmarks.publication_build --sites 2000 --mothers 500000 \
        --db /tmp/mim-2000.sqlite3 --no-audit

Creates a SQLite database with random records (sites in organisations of four and
municipalities of three, so the two partitions cross; with `--region N` a site's municipality
is one of its region of N sites, as organisations work in a region, where by default it is
any in the country), then measures in one process: the
year's inputs, suppression and the audit (`build`), storing it, and reading a published
scope (time and queries). Results go to docs/performance.md.

`--db FILE` keeps the database in FILE, and reuses it when FILE exists (generating 2,000 sites
takes many minutes). `--no-audit` replaces the attacker's audit by one that passes at once, to
measure everything else the build does; `--profile FILE` writes cProfile statistics of build
and store. Peak memory is the process's VmHWM (Linux), after the data is generated.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--mothers", type=int, default=25_000)
    parser.add_argument("--db", help="keep the database in this file; reuse it if it exists")
    parser.add_argument("--no-audit", action="store_true",
                        help="an audit that passes at once: time the rest of the build")
    parser.add_argument("--profile", help="write cProfile statistics of build and store here")
    parser.add_argument("--region", type=int, default=0,
                        help="sites per region: each site's municipality is one of its "
                             "region's (0: any in the country)")
    args = parser.parse_args()
    path = args.db or os.path.join(tempfile.mkdtemp(prefix="mim-publication-build-"),
                                   "db.sqlite3")
    reuse = os.path.exists(path)
    # DEBUG off, as in production: with it on, Django keeps the SQL of every query, the
    # stored payloads included, and the peak memory would count them.
    os.environ.update({"DATABASE_URL": f"sqlite:///{path}", "MIM_DEBUG": "false",
                       "DJANGO_SETTINGS_MODULE": "mim.settings"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mim.publication import build as builder
    from mim.publication.inputs import YearFigures
    from mim.publication.models import Publication
    from mim.publication.selectors import read_scope, store
    from tests.figures.conftest import YEAR

    # Also a reused database: one kept from before a migration gains its tables.
    call_command("migrate", verbosity=0)
    if reuse:
        Publication.objects.filter(year=YEAR).delete()  # a fresh store and read each run
        print(f"data: reused {path}", flush=True)
    else:
        _generate(args.sites, args.mothers, args.region)
    if args.no_audit:
        from mim.publication import audit

        audit.audit = lambda *a, **k: audit.AuditResult()
    _reset_peak()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    cpu = time.process_time()
    started = time.perf_counter()
    data = YearFigures(YEAR)
    inputs = time.perf_counter() - started
    if profiler:
        profiler.enable()
    started = time.perf_counter()
    built = builder.build(YEAR, data)
    build = time.perf_counter() - started
    started = time.perf_counter()
    store(built, data, 0)
    stored = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    cpu = time.process_time() - cpu
    peak = _peak_mb()  # before the reads: the first one checks the stamp and the digest
    read_scope(YEAR, "national", "NL")  # the stamp check
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        read_scope(YEAR, "national", "NL")
    read = time.perf_counter() - started
    print(f"inputs {inputs:.2f} s; build (groups, suppression, audit) {build:.2f} s "
          f"({built.audit}); store {stored:.2f} s; read national {1000 * read:.1f} ms in "
          f"{len(queries)} queries", flush=True)
    print(f"inputs+build+store: cpu {cpu:.2f} s; peak rss {peak:.0f} MB; "
          f"{len(built.figures)} figures; load {os.getloadavg()[0]:.2f}", flush=True)


def _generate(n_sites: int, n_mothers: int, region: int = 0) -> None:
    from mim.organisations.models import Municipality, Organisation, Site
    from tests.figures.conftest import random_records

    rng = random.Random(400)
    organisations = [Organisation.objects.create(name=f"Organisatie {i}")
                     for i in range((n_sites + 3) // 4)]
    municipalities = [Municipality.objects.create(name=f"Gemeente {i}")
                      for i in range((n_sites + 2) // 3)]

    def municipality(i: int):
        if not region:
            return municipalities[rng.randrange(len(municipalities))]
        # An organisation's sites, and a municipality's, lie in one region of `region` sites.
        first = (i // region) * region
        last = min(first + region, n_sites) - 1
        return municipalities[rng.randrange(first // 3, last // 3 + 1)]

    sites = [Site.objects.create(code=f"s{i:04d}", name=f"Locatie {i}", first_year=2010,
                                 organisation=organisations[i // 4],
                                 municipality=municipality(i))
             for i in range(n_sites)]
    started = time.perf_counter()
    per_site = n_mothers // n_sites
    for site in sites:
        size = max(3, int(rng.lognormvariate(0, .8) * per_site))
        random_records(rng, [site], size, max(1, size // 3))
    print(f"data: {n_sites} sites, {n_mothers} mothers (about), "
          f"{time.perf_counter() - started:.1f} s", flush=True)


def _reset_peak() -> None:
    """Measure the peak from here: what generating the data took does not count."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())

"""Building, auditing, storing and reading one year's publication at a given number of sites.

    python -m benchmarks.publication_build --sites 100 --mothers 25000

Creates a fresh SQLite database with random records (sites in organisations of four and
municipalities of three, so the two partitions cross), then measures in one process: the
year's inputs, suppression and the audit (`build`), storing it, and reading a published
scope (time and queries). Results go to docs/performance.md.
"""

import argparse
import os
import random
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--mothers", type=int, default=25_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="mim-publication-build-")
    os.environ.update({"DATABASE_URL": f"sqlite:///{folder}/db.sqlite3", "MIM_DEBUG": "true",
                       "DJANGO_SETTINGS_MODULE": "mim.settings"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mim.organisations.models import Municipality, Organisation, Site
    from mim.publication import build as builder
    from mim.publication.inputs import YearFigures
    from mim.publication.selectors import read_scope, store
    from tests.figures.conftest import YEAR, random_records

    call_command("migrate", verbosity=0)
    rng = random.Random(400)
    organisations = [Organisation.objects.create(name=f"Organisatie {i}")
                     for i in range((args.sites + 3) // 4)]
    municipalities = [Municipality.objects.create(name=f"Gemeente {i}")
                      for i in range((args.sites + 2) // 3)]
    sites = [Site.objects.create(code=f"s{i:04d}", name=f"Locatie {i}", first_year=2010,
                                 organisation=organisations[i // 4],
                                 municipality=municipalities[rng.randrange(len(municipalities))])
             for i in range(args.sites)]
    started = time.perf_counter()
    per_site = args.mothers // args.sites
    for site in sites:
        size = max(3, int(rng.lognormvariate(0, .8) * per_site))
        random_records(rng, [site], size, max(1, size // 3))
    print(f"data: {args.sites} sites, {args.mothers} mothers (about), "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    data = YearFigures(YEAR)
    inputs = time.perf_counter() - started
    started = time.perf_counter()
    built = builder.build(YEAR, data)
    build = time.perf_counter() - started
    started = time.perf_counter()
    store(built, data, 0)
    stored = time.perf_counter() - started
    read_scope(YEAR, "national", "NL")  # the stamp check
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        read_scope(YEAR, "national", "NL")
    read = time.perf_counter() - started
    print(f"inputs {inputs:.2f} s; build (groups, suppression, audit) {build:.2f} s "
          f"({built.audit}); store {stored:.2f} s; read national {1000 * read:.1f} ms in "
          f"{len(queries)} queries", flush=True)


if __name__ == "__main__":
    sys.exit(main())

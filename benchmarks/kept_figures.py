"""After a change at one site, how fast are the year's national figures ready again?

    python -m benchmarks.kept_figures [--mothers N] [--no-write]

Loads N mothers (default 1,000,000) over 400 sites into a fresh PostgreSQL database, as
benchmarks.figures_engine does (COPY, which fires the per-site stamp triggers once per
statement), then measures in one process:

- cold: the national figures when nothing is kept yet (every site counted, then kept);
- kept: the same with nothing changed (stamps and kept rows read, nothing counted);
- one site changed: a mother's answer changed at one site, then the national figures (that
  site counted again, the other 399 read as kept); the target of issue 9 is ≤ 0.3 s;
- the recount the kept figures are checked against, equal to the figures above.

Results go to docs/performance.md, section "Kept site figures".
"""

import argparse
import os
import sys
import time

from benchmarks.figures_engine import DEFAULT_URL, create_database, drop_database, load, migrate
from benchmarks.report import verdict, write_section

TARGET = 0.3


def measure(year: int) -> dict:
    import django

    django.setup()
    from mim.audit.services import audited_write
    from mim.figures import engine
    from mim.publication.inputs import YearFigures
    from mim.registry.models import Mother

    def national():
        started = time.perf_counter()
        figures = YearFigures(year).figure_set("national", "NL").figures
        return time.perf_counter() - started, {(f.variable, f.category): f.count
                                               for f in figures}

    cold, _ = national()
    warm, _ = national()
    mother = Mother.objects.filter(end_date__isnull=True).order_by("pk").first()
    with audited_write():
        Mother.objects.filter(pk=mother.pk).update(
            education="hbo" if mother.education != "hbo" else "mbo")
    changed, figures = national()
    started = time.perf_counter()
    recount = engine.site_figures(year)
    recount_seconds = time.perf_counter() - started
    totals: dict = {}
    for f in recount:
        totals[(f.variable, f.category)] = totals.get((f.variable, f.category), 0) + f.count
    same = all(figures.get(k) == v for k, v in totals.items()
               if not k[0].startswith("sites."))
    from django.db import connections

    connections.close_all()  # the database is dropped next
    return {"cold": cold, "warm": warm, "changed": changed, "recount": recount_seconds,
            "same": same}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mothers", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    create_database(url)
    try:
        migrate(url)
        loaded = load(url, args.mothers, args.year)
        os.environ.update({"DATABASE_URL": url, "MIM_DEBUG": "true",
                           "DJANGO_SETTINGS_MODULE": "mim.settings"})
        result = measure(args.year)
    finally:
        drop_database(url)
    ok = result["changed"] <= TARGET and result["same"]
    changed = f"{result['changed']:.3f} ({verdict(result['changed'], TARGET)} of ≤ {TARGET} s)"
    body = f"""`python -m benchmarks.kept_figures --mothers {args.mothers}` (PostgreSQL, 400 sites,
{args.mothers:,} mothers, loaded in {loaded['seconds']} s with COPY). In one process:

| measure | seconds |
|---|---|
| national figures, nothing kept yet (every site counted and kept) | {result['cold']:.2f} |
| the same again, nothing changed (only stamps and kept rows read) | {result['warm']:.3f} |
| after a change at one site (that site counted again) | {changed} |
| the full recount the result is checked against | {result['recount']:.2f} |

Equal to the recount: {"yes" if result['same'] else "**no**"}. The per-site stamps come from
database triggers (mim.publication.triggers), so no write path can forget to invalidate;
`tests/publication/test_kept.py` checks kept = recount after every write path.
"""
    print(body)
    if not args.no_write:
        write_section("Kept site figures", body)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

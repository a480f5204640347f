"""What auditing a publication together with the year's earlier releases costs
(mim.publication.releases).

The demo on a fixed day (2026-06-01), its current year 2026 counted from live records: the year
is read (its first publication), then, step by step, coordinators register PER_STEP mothers at
sites taken in turn and the year is read again, each new publication audited with every one
before it. Per step: the build's seconds, its rounds and solves, the earlier releases in its
programme and the national cells hidden. One mother a step is the worst case (a release after every
registration, MIM_RELEASE_DAYS=0); some 40 a step is a month of the demo's registrations, the
production default. Results go to docs/performance.md. Run: `python -m
benchmarks.publication_releases [STEPS [PER_STEP]]` (a fresh SQLite file).

`--db FILE`: instead of the demo, a database that `benchmarks.publication_build --db FILE`
made (its year, its sites; for instance 400 sites and 100,000 mothers), whose publications of
the year are removed first; the mothers registered at random sites have a random origin.
"""

import os
import subprocess
import sys
import tempfile


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--db")]
    large = next((a.partition("=")[2] for a in sys.argv[1:] if a.startswith("--db=")), "")
    steps = int(args[0]) if args else 8
    per_step = int(args[1]) if len(args) > 1 else 1
    db = large or os.path.join(tempfile.mkdtemp(prefix="mim-releases-"), "demo.sqlite3")
    # A release after every change (production holds them for MIM_RELEASE_DAYS): what each
    # earlier release adds to the joint audit.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MIM_DEBUG": "true",
           "DJANGO_SETTINGS_MODULE": "mim.settings", "MIM_RELEASE_DAYS": "0"}
    subprocess.run([sys.executable, "-c", "from benchmarks.publication_releases import child; "
                    f"child({steps}, {per_step}, large={bool(large)})"], env=env, check=True)


def child(steps: int, per_step: int = 1, large: bool = False) -> None:
    import datetime as dt
    import random

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mim.organisations.models import Site
    from mim.publication.models import Publication
    from mim.publication.selectors import current_publication
    from tests.factories import MotherFactory

    rng = random.Random(7)
    if large:
        from tests.figures.conftest import ORIGINS, YEAR

        year = YEAR
        Publication.objects.filter(year=year).delete()
    else:
        call_command("demo", "--reset", "--today", "2026-06-01", verbosity=0,
                     stdout=open(os.devnull, "w"))  # noqa: SIM115
        year = 2026
    sites = list(Site.objects.filter(keeps_records=True).order_by("code"))
    print("step  releases  seconds  rounds  solves  national hidden")
    for step in range(steps + 1):
        for k in range(per_step if step else 0):
            n = step * per_step + k
            if large:
                MotherFactory(site=rng.choice(sites), start_date=dt.date(year, 5, 1),
                              ref=f"BENCH{os.getpid()}-{n:05d}", origin=rng.choice(ORIGINS))
            else:
                MotherFactory(site=sites[n % len(sites)], start_date=dt.date(year, 5, 1),
                              ref=f"BENCH{n:05d}")
        publication = current_publication(year)
        hidden = sum(1 for payload in publication.scopes.filter(scope="national")
                     .values_list("payload", flat=True) for row in payload["figures"]
                     if row[6] == "true")
        audit = publication.audit
        print(f"{step:4d}  {audit.get('releases', 0):8d}  {publication.seconds:7.2f}  "
              f"{audit['rounds']:6d}  {audit['solves']:6d}  {hidden:15d}")
    print(f"publications of {year}: {Publication.objects.filter(year=year).count()}")


if __name__ == "__main__":
    main()

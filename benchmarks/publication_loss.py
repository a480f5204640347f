"""What publication costs in hidden cells, and what the old publication leaked.

For the demo's latest full year and a 2014-like year (tests/seedlike.py): the hidden cells of
the national figures and of everything published, with this layer (merged small sites, every
partition protected, the audit) and with the rule as it was (joint suppression of each scope
against its sites only), and how many cells the small-cell rule hides that the attacker's
linear programme pins to an interval narrower than 5 in each. Results go to
docs/publication.md. Run: `python -m benchmarks.publication_loss` (uses a fresh SQLite file).
"""

import os
import sys
import tempfile
import time


def main() -> None:
    folder = tempfile.mkdtemp(prefix="mim-publication-")
    for dataset in sys.argv[1:] or ("demo", "2014"):
        db = os.path.join(folder, f"{dataset}.sqlite3")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MIM_DEBUG": "true",
               "DJANGO_SETTINGS_MODULE": "mim.settings"}
        import subprocess

        subprocess.run([sys.executable, "-c", f"from benchmarks.publication_loss import child; "
                        f"child({dataset!r})"], env=env, check=True)


def child(dataset: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if dataset == "demo":
        # the demo's day fixed, so that the measured year stays 2025 (the demo lives today)
        call_command("demo", "--reset", "--today", "2026-06-01", verbosity=0,
                     stdout=open(os.devnull, "w"))  # noqa: SIM115
        year = 2025
    else:
        from tests.seedlike import YEAR, build_year

        build_year()
        year = YEAR
    from mim.figures.suppression import is_primary, suppress
    from mim.publication import audit as attacker
    from mim.publication import build as builder
    from mim.publication.inputs import YearFigures

    data = YearFigures(year)
    started = time.perf_counter()
    built = builder.build(year, data)
    seconds = time.perf_counter() - started
    # The rule as it was: every scope against its own sites, no groups, no other partitions.
    figures, children_of = [], {}
    for (scope, code), members in data.scope_keys().items():
        figures += data._aggregate(scope, code, members)
        children_of[(scope, code)] = [("site", s.code) for s in members
                                      if s.code in data.site_figures]
    for code in sorted(data.site_figures):
        figures += data.site_figures[code]
    old = suppress(figures, children_of=children_of)
    protect = {attacker.key_of(f) for f in figures if is_primary(f)}
    old_audit = attacker.audit(year, old, partitions=[*children_of.items(), *[
        (("national", "NL"), [k for k in children_of if k[0] == kind])
        for kind in ("organisation", "municipality")]], protect=protect)

    def counts(published, scope=None):
        cells = [f for f in published if attacker.standard.is_protected(f.variable)
                 and (scope is None or f.scope == scope)]
        hidden = sum(1 for f in cells if f.suppressed)
        return hidden, len(cells)

    delivered = len(data.site_figures)
    small = sum(1 for code in data.site_figures
                if builder._total(data.site_figures[code], "mothers") < 10)
    print(f"== {dataset} {year}: {len(data.sites)} sites, {delivered} delivered, {small} under "
          f"10 mothers; groups {[len(g.members) for g in built.units.groups.values()]}")
    for label, published, audit in (("before", old, old_audit), ("after", built.figures,
                                                                   None)):
        national, all_cells = counts(published, "national"), counts(published)
        narrow = len(audit.narrow) if audit else built.audit["narrow"]
        print(f"{label}: national hidden {national[0]} of {national[1]} "
              f"({100 * national[0] / national[1]:.1f}%), all published hidden {all_cells[0]} "
              f"of {all_cells[1]} ({100 * all_cells[0] / all_cells[1]:.1f}%), protected cells "
              f"the attacker pins narrower than 5: {narrow}")
    print(f"build, suppress and audit: {seconds:.2f} s, {built.audit}")


if __name__ == "__main__":
    main()

"""`mim publish`: release what is due, as a scheduled job (docs/deployment.md, nightly).

A year's publication is built when its inputs changed and somebody reads it. Changes to the
provisional sites' live records are held for MIM_RELEASE_DAYS; this job releases them when
they are due, a day before a read would (mim.publication.selectors `_due`), so that the build
runs at night and not in somebody's page. It also builds a year whose return steps nobody has
read since. Only years that have a publication already are looked at (or the one given): a
year nobody ever read needs none. Prints one line per year, nothing personal.
"""

from django.core.management.base import BaseCommand, CommandError

from mim.codebook import codebooks
from mim.publication.build import PublicationRefused
from mim.publication.models import Publication
from mim.publication.selectors import current_publication


class Command(BaseCommand):
    help = "Release the years' publications whose changes are due (a scheduled job)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="only this year (default: every year "
                            "with a publication)")

    def handle(self, *args, year=None, **options):
        years = [year] if year else sorted(
            set(Publication.objects.values_list("year", flat=True)))
        refused = 0
        for each in years:
            before = Publication.objects.filter(year=each).order_by("-number") \
                .values_list("number", flat=True).first()
            try:
                publication = current_publication(each, timer=True)
            except codebooks.UnknownYear as exc:
                raise CommandError(str(exc), returncode=1) from None
            except PublicationRefused as exc:
                refused += 1
                self.stderr.write(f"{each}: {exc}")
                continue
            if publication.number != before:
                state = f"publication {publication.number} released " \
                        f"({publication.seconds:.1f} s)"
            else:
                state = f"publication {publication.number} stands"
            if publication.held_since is not None:
                state += f"; changes held since {publication.held_since:%Y-%m-%d}"
            if publication.retry_at is not None:
                state += f", refused by the audit, tried again {publication.retry_at:%Y-%m-%d}"
            self.stdout.write(f"{each}: {state}")
        if refused:
            raise CommandError(f"{refused} year(s) refused by the audit", returncode=1)

from django.core.management.base import BaseCommand, CommandError

from mim.organisations.models import Site
from mim.registry import selectors


class Command(BaseCommand):
    requires_system_checks = []
    help = ("List mothers and volunteers whose every single-answer item holds the first "
            "category of its list: what the intake form stored when a question was skipped, "
            "before it started empty; and mothers whose country of birth is no ISO 3166-1 "
            "code (typed before the list). Reads only; prints references, never contact "
            "details.")

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="CODE", help="one site (default: every site)")

    def handle(self, *args, site=None, **options):
        sites = Site.objects.order_by("code")
        if site:
            sites = sites.filter(code=site)
            if not sites.exists():
                raise CommandError(f"unknown site: {site}", returncode=1)
        total = 0
        for one in sites:
            for kind, records in selectors.defaulted_records(one).items():
                refs = list(records.values_list("ref", flat=True))
                total += len(refs)
                if refs:
                    self.stdout.write(f"{one.code} {kind}: {len(refs)} to review: "
                                      + ", ".join(refs))
        self.stdout.write(f"{total} record(s) to review")

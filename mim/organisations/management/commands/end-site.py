from django.core.management.base import BaseCommand, CommandError

from mim.organisations.models import Site
from mim.organisations.services import SiteEndRefused, site_end


class Command(BaseCommand):
    help = "End a site: active to and including the last year (audited)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="site code")
        parser.add_argument("--last-year", type=int, required=True)

    def handle(self, *args, code, last_year, **options):
        site = Site.objects.filter(code=code).first()
        if site is None:
            raise CommandError(f"no site with code {code!r}", returncode=1)
        try:
            site = site_end(site=site, last_year=last_year)
        except SiteEndRefused as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(f"{site.code} active {site.first_year} to {site.last_year}")

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mim.organisations.services import SiteExists, site_create


class Command(BaseCommand):
    help = "Add a site (and its organisation and municipality if new)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="short code, e.g. den-haag-escamp")
        parser.add_argument("--name", required=True)
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--cbs-code", default="", help="CBS municipality code, e.g. GM0518")
        parser.add_argument("--first-year", type=int, default=dt.date.today().year)

    def handle(self, *args, **o):
        try:
            site = site_create(code=o["code"], name=o["name"], organisation=o["organisation"],
                               municipality=o["municipality"], cbs_code=o["cbs_code"],
                               first_year=o["first_year"])
        except SiteExists as exc:
            raise CommandError(str(exc), returncode=1) from None
        except ValidationError as exc:
            messages = "; ".join(f"{field}: {' '.join(errs)}"
                                 for field, errs in exc.message_dict.items())
            raise CommandError(f"site refused: {messages}", returncode=1) from None
        self.stdout.write(f"created site {site.code} ({site.name}, {site.organisation}, "
                          f"{site.municipality})")

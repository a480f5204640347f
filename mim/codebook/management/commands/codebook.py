import json

from django.core.management.base import BaseCommand, CommandError

from mim.codebook import codebooks, crosswalk


class Command(BaseCommand):
    help = "Print the codebook in force for a registration year."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="registration year (default: the current)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, year=None, **options):
        try:
            book = codebooks.for_year(year) if year is not None else codebooks.CURRENT
        except codebooks.UnknownYear as exc:
            raise CommandError(str(exc), returncode=1) from None
        data = book.as_dict()
        data["year"] = year
        data["crosswalk"] = crosswalk.as_list()
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

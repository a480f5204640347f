from django.core.management.base import BaseCommand, CommandError

from mim.commands import output_path
from mim.spreadsheets.services import template_write


class Command(BaseCommand):
    requires_system_checks = []  # a batch command: the web checks only slow it down
    help = ("Write the record template: sheets mothers, volunteers, matches and visits with drop-down "
            "lists from the current codebook, and an explanation in Dutch.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")

    def handle(self, *args, output, **options):
        if not output.lower().endswith(".xlsx"):
            raise CommandError("the template is an .xlsx workbook: name the file FILE.xlsx",
                               returncode=2)
        output_path(output)
        try:
            template_write(out=output)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"wrote the record template to {output}")

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mim.organisations.models import Site
from mim.spreadsheets.services import records_export


class Command(BaseCommand):
    requires_system_checks = []  # a batch command: the web checks only slow it down
    help = ("Write a site's records (mothers, volunteers, matches, visits; never contact details) to "
            "an .xlsx workbook in the import format.")

    def add_arguments(self, parser):
        parser.add_argument("--site", required=True, metavar="CODE")
        parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")

    def handle(self, *args, site, output, **options):
        if not output.lower().endswith(".xlsx"):
            raise CommandError("the export is an .xlsx workbook: name the file FILE.xlsx",
                               returncode=2)
        found = Site.objects.filter(code=site).first()
        if found is None:
            raise CommandError(f"unknown site: {site}", returncode=1)
        target = Path(output)
        # Written beside the target and renamed, so a failed export leaves no half file.
        try:
            handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=target.parent or ".")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from None
        os.close(handle)
        try:
            counts = records_export(site=found, out=temporary)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        summary = ", ".join(f"{n} {sheet}" for sheet, n in counts.items())
        self.stdout.write(f"wrote {summary} of site {found.code} to {output}")

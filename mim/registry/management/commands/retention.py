from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mim.registry import selectors, services
from mim.spreadsheets.uploads import purge_expired


class Command(BaseCommand):
    help = ("Erase the contact details of mothers and volunteers whose record ended at least "
            "N months ago (default MIM_CONTACT_RETENTION_MONTHS). Idempotent; every erasure "
            "is written to the access log.")

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None,
                            help="months after the end (default: %(default)s from settings)")
        parser.add_argument("--dry-run", action="store_true",
                            help="count what would be erased, change nothing")

    def handle(self, *args, months=None, dry_run=False, **options):
        months = settings.MIM_CONTACT_RETENTION_MONTHS if months is None else months
        if months < 0:
            raise CommandError("--months must be 0 or more", returncode=2)
        on = selectors.today()
        counts = services.contacts_erase_expired(months=months, on=on, dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        cutoff = selectors.add_months(on, -months)
        self.stdout.write(f"Contact details of records ended on or before {cutoff:%Y-%m-%d} "
                          f"({months} months):")
        self.stdout.write(f"  mothers: {counts['mother']} {verb}")
        self.stdout.write(f"  volunteers: {counts['volunteer']} {verb}")
        self.stdout.write(f"  visit notes: {counts['visit_notes']} {verb}")
        # Uploaded spreadsheets left unconfirmed hold contact details too; the next upload
        # clears them, but a quiet week must not keep them either.
        uploads = purge_expired(dry_run=dry_run)
        self.stdout.write(f"  unconfirmed uploads: {uploads} {verb}")

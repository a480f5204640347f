from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mim.operations import backup


class Command(BaseCommand):
    help = ("Restore a backup into an empty database (migrated if it has no tables yet), "
            "then verify every table's row count and checksum.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist", returncode=1)
        if not connection.introspection.table_names():
            call_command("migrate", verbosity=0, interactive=False)
        try:
            manifest = backup.restore(file)
        except backup.RestoreRefused as exc:
            raise CommandError(f"restore refused: {exc}", returncode=1) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"restored {len(manifest['tables'])} tables, {rows} rows; "
                          "checksums verified")

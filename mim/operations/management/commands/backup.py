from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mim.operations import backup


class Command(BaseCommand):
    help = "Write a consistent backup of the database to FILE (a portable zip archive)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if file.exists():
            raise CommandError(f"{file} exists already; choose a new file name", returncode=1)
        if not file.parent.is_dir():
            raise CommandError(f"folder {file.parent} does not exist", returncode=1)
        try:
            manifest = backup.backup(file)
        except backup.BackupRefused as exc:
            raise CommandError(f"backup refused: {exc}", returncode=1) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"backup written to {file}: {len(manifest['tables'])} tables, "
                          f"{rows} rows")

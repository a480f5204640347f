import sys
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mim.organisations.models import Site
from mim.spreadsheets.reading import MAX_FILE_BYTES, Upload
from mim.spreadsheets.services import records_import


class Command(BaseCommand):
    requires_system_checks = []  # a batch command: the web checks only slow it down
    help = ("Import record files: mothers.csv, volunteers.csv, matches.csv and visits.csv (recognised by "
            "name), or one .xlsx workbook with those sheets. All or nothing: any invalid row "
            "and nothing is written (exit status 1).")

    def add_arguments(self, parser):
        parser.add_argument("--site", required=True, metavar="CODE")
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and report what would change; write nothing")
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, site, dry_run, files, **options):
        found = Site.objects.filter(code=site).first()
        if found is None:
            raise CommandError(f"unknown site: {site}", returncode=1)
        uploads = [self._read(path) for path in files]
        with self._progress() as progress:
            result = records_import(site=found, uploads=uploads, dry_run=dry_run,
                                    progress=progress)
        for label, how in result.how_read():
            self.stdout.write(_("%(file)s gelezen als: %(how)s") % {"file": label, "how": how})
        for problem in result.problems:
            self.stderr.write(str(problem))
        if result.omitted:
            self.stderr.write(_("... en nog %(n)s fouten.") % {"n": result.omitted})
        if not result.ok:
            raise CommandError(_("%(n)s fout(en): er is niets opgeslagen.") % {
                "n": result.problem_count}, returncode=1)
        for label, counts in result.counts.items():
            self.stdout.write(_("%(file)s: %(created)s nieuw, %(updated)s gewijzigd, "
                                "%(unchanged)s ongewijzigd") % {
                "file": label, "created": counts.created, "updated": counts.updated,
                "unchanged": counts.unchanged})
        if dry_run:
            self.stdout.write(_("Proefimport: er is niets opgeslagen."))

    def _read(self, path: str) -> Upload:
        file = Path(path)
        try:
            size = file.stat().st_size
            if not file.is_file():
                raise CommandError(f"not a file: {path}", returncode=2)
            if size > MAX_FILE_BYTES:
                # Refused before reading: a huge file must not fill the memory.
                raise CommandError(_("%(file)s: het bestand is groter dan %(mb)s MB.") % {
                    "file": file.name, "mb": MAX_FILE_BYTES // (1024 * 1024)}, returncode=1)
            return Upload(file.name, file.read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None

    @contextmanager
    def _progress(self):
        """A progress bar on a terminal; nothing when the output goes to a file or pipe."""
        if not sys.stderr.isatty():
            yield None
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                      console=Console(stderr=True), transient=True) as bar:
            tasks: dict[str, int] = {}

            def report(label: str, done: int, total: int | None) -> None:
                if label not in tasks:
                    tasks[label] = bar.add_task(label, total=total)
                bar.update(tasks[label], completed=done, total=total)

            yield report

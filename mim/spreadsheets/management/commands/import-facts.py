from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mim.codebook import codebooks
from mim.organisations.selectors import fact_change_rows
from mim.spreadsheets.facts import facts_import
from mim.spreadsheets.reading import MAX_FILE_BYTES, Upload


class Command(BaseCommand):
    requires_system_checks = []
    help = ("Import site facts and coordinators files for a year: facts.csv and "
            "coordinators.csv (recognised by name), or one .xlsx workbook with sheets facts "
            "and coordinators. All or nothing: any invalid row and nothing is written "
            "(exit status 1).")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and say what would change, field by field; write nothing")
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, year, dry_run, files, **options):
        try:
            codebooks.for_year(year)
        except codebooks.UnknownYear:
            raise CommandError(f"no codebook for year {year}", returncode=2) from None
        uploads = [self._read(path) for path in files]
        result = facts_import(year=year, uploads=uploads, dry_run=dry_run)
        for problem in result.problems:
            self.stderr.write(str(problem))
        if result.omitted:
            self.stderr.write(_("... en nog %(n)s fouten.") % {"n": result.omitted})
        if not result.ok:
            raise CommandError(_("%(n)s fout(en): er is niets opgeslagen.") % {
                "n": result.problem_count}, returncode=1)
        self.stdout.write(_("%(sites)s locaties, %(organisations)s organisaties, "
                            "%(coordinators)s coördinatoren op %(assignments)s locaties") % {
            "sites": result.sites, "organisations": result.organisations,
            "coordinators": result.coordinators, "assignments": result.assignments})
        if dry_run:
            # What the office's preview shows, field by field (mim.organisations.selectors).
            rows = fact_change_rows(year, result.changes)
            if rows:
                self.stdout.write(_("Wat er verandert bij importeren:"))
                for row in rows:
                    self.stdout.write(f"  {row.subject} · {row.field}: {row.before} → {row.after}")
            else:
                self.stdout.write(_("Het bestand verandert niets aan wat er voor dit jaar al staat."))
            self.stdout.write(_("Proefimport: er is niets opgeslagen."))

    def _read(self, path: str) -> Upload:
        file = Path(path)
        try:
            if not file.is_file():
                raise CommandError(f"not a file: {path}", returncode=2)
            if file.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(_("%(file)s: het bestand is groter dan %(mb)s MB.") % {
                    "file": file.name, "mb": MAX_FILE_BYTES // (1024 * 1024)}, returncode=1)
            return Upload(file.name, file.read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None

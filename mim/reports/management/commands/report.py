"""`mim report`: the national report of a year, a site's benchmark report or a municipality's
report, to a file.

An operator's command on the server, like `mim figures`: the national report holds the figures
exactly as `mim figures --year Y` prints them (suppressed as published); a site's benchmark
report holds that site's own figures unsuppressed beside the published national ones, as its
coordinator gets it in the web; a municipality's report holds its published figures beside the
published national ones, as the funder gets it in the web.
"""


from django.core.management.base import BaseCommand, CommandError

from mim.codebook import codebooks
from mim.commands import output_path
from mim.figures.selectors import UnknownScope
from mim.publication.build import PublicationRefused
from mim.reports import output as formats
from mim.reports.assemble import municipality_report, national_report, site_report


class Command(BaseCommand):
    help = ("Write the national report of a year, a site's benchmark report (--site) or a "
            "municipality's report (--municipality).")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="registration year")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--site", help="site code: the site's benchmark report")
        scope.add_argument("--municipality",
                           help="municipality name: its sites together beside the national "
                                "figures")
        parser.add_argument("--format", choices=sorted(formats.FORMATS), required=True)
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--approved-only", action="store_true",
                            help="only sites with an approved annual return (no provisional)")

    def handle(self, *args, year, site, municipality, format, output, approved_only,
               **options):
        target = output_path(output)
        try:
            if site:
                report = site_report(year, site, approved_only=approved_only)
            elif municipality:
                report = municipality_report(year, municipality, approved_only=approved_only)
            else:
                report = national_report(year, approved_only=approved_only)
        except codebooks.UnknownYear as exc:
            raise CommandError(f"unknown year: {exc}", returncode=1) from None
        except UnknownScope:
            what = f"site: {site!r}" if site else f"municipality: {municipality!r}"
            raise CommandError(f"unknown {what} does not exist", returncode=1) from None
        except PublicationRefused as exc:
            raise CommandError(f"not published: the disclosure audit refused {exc.year} "
                               f"({exc.narrow} hidden cells could be recovered)",
                               returncode=1) from None
        target.write_bytes(formats.render(report, format))
        if report.concept:
            self.stderr.write("note: concept (not every annual return of the year is approved)")


"""`mim figures`: the tidy figures of a year and scope, as published unless --unsuppressed.

This is an operator's command on the server. It checks no web role: whoever can run it can read
the database anyway (spec/system.md, "operator"). That is also why `--unsuppressed` is allowed
here and nowhere else; by default the output is exactly what the dashboards publish.
"""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mim.codebook import codebooks
from mim.commands import output_path
from mim.figures import exports, services
from mim.figures.selectors import NATIONAL_CODE, UnknownScope
from mim.publication.build import PublicationRefused
from mim.publication.selectors import server_figures

SCOPE_HELP = "national | site:CODE | organisation:NAME | municipality:NAME (default: national)"


def parse_scope(text: str) -> tuple[str, str]:
    """'national' or 'kind:code'; anything else is wrong usage (exit 2)."""
    if text == "national":
        return "national", NATIONAL_CODE
    kind, sep, code = text.partition(":")
    if not sep or kind not in ("site", "organisation", "municipality", "national") \
            or not code.strip():
        raise argparse.ArgumentTypeError(f"invalid scope {text!r}; use {SCOPE_HELP}")
    return kind, code.strip()


class Command(BaseCommand):
    help = "Print the tidy figures of a year (data standard, 'Tidy figures')."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="registration year")
        parser.add_argument("--scope", type=parse_scope, default=("national", NATIONAL_CODE),
                            help=SCOPE_HELP)
        parser.add_argument("--unsuppressed", action="store_true",
                            help="without small-cell suppression (operators on the server only)")
        parser.add_argument("--approved-only", action="store_true",
                            help="only sites with an approved annual return (no provisional)")
        parser.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", help="write to this file (default: stdout)")

    def handle(self, *args, year, scope, unsuppressed, approved_only, format, output,
               **options):
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs -o FILE", returncode=2)
        if output:
            output_path(output)
        try:
            figure_set = server_figures(year, *scope, unsuppressed=unsuppressed,
                                        approved_only=approved_only)
        except codebooks.UnknownYear as exc:
            raise CommandError(str(exc), returncode=1) from None
        except UnknownScope:
            raise CommandError(f"unknown scope: {scope[0]} {scope[1]!r} does not exist",
                               returncode=1) from None
        except PublicationRefused as exc:
            raise CommandError(f"not published: the disclosure audit refused {year} "
                               f"({exc.narrow} hidden cells could be recovered)",
                               returncode=1) from None
        figures = figure_set.figures
        try:
            if format == "xlsx":
                Path(output).write_bytes(exports.to_xlsx(figures))
            else:
                text = (exports.to_csv(figures) if format == "csv"
                        else exports.to_json(figures) + "\n")
                if output:
                    Path(output).write_text(text, encoding="utf-8")
                else:
                    self.stdout.write(text, ending="")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from None
        services.record_export(year=year, scope=scope[0], code=scope[1], fmt=format,
                               unsuppressed=unsuppressed)
        if not figure_set.has_data:
            self.stderr.write(f"note: no site delivered figures for {year}")
        elif figure_set.provisional:
            self.stderr.write(f"note: provisional (live records) for {len(figure_set.provisional)}"
                              f" of {figure_set.completeness.delivered} sites")

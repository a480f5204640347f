"""Reports from a figure source: gather what a report reads (selectors), then build it
(pure builders). The command passes `ServerFigures`, the web `UserFigures`; both give the
published figures, so a report is the same whoever makes it."""

from dataclasses import replace

from mim.codebook import codebooks
from mim.reports.document import Report
from mim.reports.municipality_report import build_municipality_report
from mim.reports.national import build_national_report
from mim.reports.selectors import (
    ServerFigures,
    municipality_inputs,
    national_inputs,
    site_label,
    site_results,
)
from mim.reports.site_report import SiteInputs, build_site_report
from mim.results.variables import is_results


def national_report(year: int, *, source=None, approved_only: bool = False) -> Report:
    source = source or ServerFigures(approved_only=approved_only)
    return build_national_report(national_inputs(year, source, approved_only=approved_only))


def site_report(year: int, code: str, *, source=None, approved_only: bool = False) -> Report:
    codebooks.for_year(year)  # UnknownYear first: the clearer message
    site = site_label(code)
    source = source or ServerFigures(approved_only=approved_only)
    previous = None
    if year - 1 >= codebooks.FIRST_YEAR:
        previous = source.own_site(year - 1, code)
    own = source.own_site(year, code)
    published = site_results(source, year, code)
    if published is not None:
        # The site's results rows in their published form, and the group it is merged into.
        own = replace(own, figures=(*own.figures, *(f for f in published.figures
                                                    if is_results(f.variable))),
                      merged_into=published.merged_into)
    return build_site_report(SiteInputs(
        year=year, code=code, name=site.name, organisation=site.organisation.name,
        own=own, own_previous=previous, national=source.national(year)))


def municipality_report(year: int, name: str, *, source=None, approved_only: bool = False
                        ) -> Report:
    """A municipality's sites together beside the national figures, all as published."""
    source = source or ServerFigures(approved_only=approved_only)
    return build_municipality_report(municipality_inputs(year, name, source))

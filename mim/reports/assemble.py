"""Reports from a figure source: gather what a report reads (selectors), then build it
(pure builders). The command passes `ServerFigures`, the web `UserFigures`; both give the
published figures, so a report is the same whoever makes it."""

from mim.codebook import codebooks
from mim.reports.document import Report
from mim.reports.municipality_report import build_municipality_report
from mim.reports.national import build_national_report
from mim.reports.selectors import (
    ServerFigures,
    municipality_inputs,
    national_inputs,
    site_label,
)
from mim.reports.site_report import SiteInputs, build_site_report


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
    return build_site_report(SiteInputs(
        year=year, code=code, name=site.name, organisation=site.organisation.name,
        own=source.own_site(year, code), own_previous=previous,
        national=source.national(year)))


def municipality_report(year: int, name: str, *, source=None, approved_only: bool = False
                        ) -> Report:
    """A municipality's sites together beside the national figures, all as published."""
    source = source or ServerFigures(approved_only=approved_only)
    return build_municipality_report(municipality_inputs(year, name, source))

"""Each site's results inputs of a year, kept: a change at one site reads that site alone.

A year's results (mim.results) of every scope follow exactly from per-site inputs: the
cohorts' mothers and volunteers counted per site and (status, cohort, duration)
(`engine.SiteInputs`: a scope's day histograms are sums of its sites'), the visits sums per
site, and the ended mothers' self-assessments per site in the order the bootstrap resamples
them (`assessment.Measure`, one per mother; those with nothing measured are a count). Reading
every site costs seconds at a million mothers (the matches and visits of all of them grouped
per mother); reading one costs milliseconds. So each site's inputs are kept per year
(`KeptSiteResults`), with the value of the site's stamp (`SiteStamp`) read before they were
read, as mim.publication.kept keeps the figures. The triggers (mim.publication.triggers) raise
a site's stamp on every write to its mothers and volunteers, their matches, visits and
self-assessments, and the site itself, whatever the path: a kept row whose stamp differs is
read again, and so is one read by other readers (`VERSION`) or up to another day (the cutoff
of a year still running is today).

Kept rows are never shown: what is made of them equals a fresh read
(tests/publication/test_kept_results.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from mim.organisations.models import Site
from mim.publication.models import KeptSiteResults, SiteStamp
from mim.results import assessment
from mim.results.engine import SiteInputs, YearResults, site_bytes, site_from_bytes
from mim.results.variables import cutoff_of

# Raise when a reader of mim.results or its encoding changes: every kept row is read again.
VERSION = "2026-12-06"


@dataclass(frozen=True)
class KeptResults:
    """A year's results inputs over some sites, as a fresh read would give them."""

    results: YearResults
    # Per site, in the order of the sites: its id and its ended mothers' measures as bytes
    # (assessment.site_bytes), made into measures only when rows are made.
    measure_bytes: tuple[tuple[int, bytes], ...]

    @functools.cached_property
    def measures(self) -> list[assessment.Measure]:
        """Every ended mother's self-assessment at the sites, site by site."""
        return [m for pk, data in self.measure_bytes
                for m in assessment.site_from_bytes(pk, data)]

    def measures_digest(self) -> str:
        h = hashlib.sha256(b"assessment-v3")
        for _pk, data in self.measure_bytes:
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)
        return h.hexdigest()


def site_results(year: int, sites: Sequence[Site], *, today: dt.date | None = None
                 ) -> KeptResults:
    """The results inputs of `year` at these sites, reading only the sites whose records
    changed since they were last read. Two queries when nothing changed and this process has
    read the kept rows before, three when it has not."""
    sites = list(sites)
    cutoff = cutoff_of(year, today)
    inputs: dict[int, SiteInputs] = {}
    measures: dict[int, bytes] = {}
    if sites:
        ids = [s.pk for s in sites]
        stamps = dict(SiteStamp.objects.filter(site_id__in=ids).values_list("site_id", "value"))
        kept = {site_id: (stamp, version, day, token) for site_id, stamp, version, day, token in
                KeptSiteResults.objects.filter(year=year, site_id__in=ids)
                .values_list("site_id", "stamp", "version", "cutoff", "token")}
        stale = [pk for pk in ids if (k := kept.get(pk)) is None or k[1] != VERSION
                 or k[2] != cutoff or k[0] != stamps.get(pk, 0)]
        if stale:
            read = _read(year, stale, today)
            _keep(year, cutoff, read, stamps)
            for pk, (site, data) in read.items():
                inputs[pk], measures[pk] = site, data
        fresh = set(stale)
        unknown = [kept[pk][3] for pk in ids if pk not in fresh
                   and _MEMORY.get((pk, year), ("",))[0] != kept[pk][3]]
        if unknown:
            for site_id, token, data, measured in KeptSiteResults.objects.filter(
                    token__in=unknown).values_list("site_id", "token", "inputs", "measures"):
                _MEMORY[(site_id, year)] = (token, site_from_bytes(bytes(data)), bytes(measured))
        # A kept row replaced by another process between the two queries: read it here.
        gone = [pk for pk in ids if pk not in fresh
                and _MEMORY.get((pk, year), ("",))[0] != kept[pk][3]]
        if gone:
            for pk, (site, data) in _read(year, gone, today).items():
                inputs[pk], measures[pk] = site, data
        for pk in ids:
            if pk not in fresh and pk not in inputs:
                _token, inputs[pk], measures[pk] = _MEMORY[(pk, year)]
    return KeptResults(results=YearResults(year, sites, today=today, inputs=inputs),
                       measure_bytes=tuple((s.pk, measures[s.pk]) for s in sites))


def fresh_results(year: int, sites: Sequence[Site], *, today: dt.date | None = None
                  ) -> KeptResults:
    """What `site_results` gives, read from every site's records and kept nowhere (for the
    tests that hold the kept rows to a fresh read)."""
    sites = list(sites)
    read = _read(year, [s.pk for s in sites], today)
    return KeptResults(results=YearResults(year, sites, today=today,
                                           inputs={pk: r[0] for pk, r in read.items()}),
                       measure_bytes=tuple((s.pk, read[s.pk][1]) for s in sites))


# (site id, year) -> (token of the kept row, its inputs, its measures as bytes), per process;
# one entry per site and year, replaced when the site is read again. The inputs' arrays are
# views of the kept bytes, and the measures stay bytes: a few dozen kilobytes per site-year
# at a million mothers.
_MEMORY: dict[tuple[int, int], tuple[str, SiteInputs, bytes]] = {}


def _read(year: int, ids: list[int], today: dt.date | None
          ) -> dict[int, tuple[SiteInputs, bytes]]:
    """The inputs of these sites read from their records: the results engine's grouped
    queries and the self-assessment's two, over these sites only."""
    if not ids:
        return {}
    shell = YearResults(year, [], today=today, inputs={})
    found = shell.read(ids)
    by_site: dict[int, list[assessment.Measure]] = {pk: [] for pk in ids}
    for measure in assessment.site_measures(year, ids):
        by_site[measure.site_id].append(measure)
    return {pk: (found[pk], assessment.site_bytes(by_site[pk])) for pk in ids}


def _keep(year: int, cutoff: dt.date, read: dict, stamps: dict) -> None:
    rows = [KeptSiteResults(site_id=pk, year=year, cutoff=cutoff, stamp=stamps.get(pk, 0),
                            version=VERSION, token=uuid.uuid4().hex, inputs=site_bytes(site),
                            measures=data)
            for pk, (site, data) in read.items()]
    try:
        with transaction.atomic():
            KeptSiteResults.objects.filter(year=year, site_id__in=list(read)).delete()
            KeptSiteResults.objects.bulk_create(rows)
    except IntegrityError:
        return  # another request kept the same sites first; both read the same records
    for row in rows:
        site, data = read[row.site_id]
        _MEMORY[(row.site_id, year)] = (row.token, site, data)

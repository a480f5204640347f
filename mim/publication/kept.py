"""Each site's figures of a year, kept: a change at one site recounts that site alone.

The national figures of a year are sums of the sites' figures. Counting every site from its
records costs seconds at a million mothers; counting one site costs milliseconds. So the
live sites' counts are kept per site and year (`KeptSiteFigures`), each with the value of the
site's stamp (`SiteStamp`) read before it was counted. Database triggers
(mim.publication.triggers) raise a site's stamp on every write to its records, their answers
or the site itself, whatever the path (web, import, API, retention, erasure, a bulk
`update()`, a shell): a kept count whose stamp differs is stale and is counted again.

The stamp is read before the count. A write that commits in between leaves a newer stamp than
the one kept, so the next read counts again: a kept figure can be recounted needlessly, never
kept stale.

Each process also remembers the figures it last built from a kept row, by the row's token (new
for every count): reading 400 unchanged sites then parses no JSON and builds no figure. A token
of a count that was rolled back is never found in the table, so nothing of it is used.
"""

from __future__ import annotations

import functools
import sys
import uuid
from collections.abc import Sequence

from django.db import IntegrityError, transaction

from mim.figures import engine
from mim.figures.tidy import Figure, percent_of
from mim.organisations.models import Site
from mim.publication.models import KeptSiteFigures, SiteStamp

# Raise when the engine counts differently or a codebook changes its categories: every kept
# figure is counted again.
VERSION = "2026-12-02"


def site_figures(year: int, sites: Sequence[Site]) -> list[Figure]:
    """What `engine.site_figures(year, sites)` returns, counting only the sites whose records
    changed since they were last counted. Two queries when nothing changed and this process
    has read the kept rows before, three when it has not."""
    sites = list(sites)
    if not sites:
        return []
    ids = [s.pk for s in sites]
    stamps = dict(SiteStamp.objects.filter(site_id__in=ids).values_list("site_id", "value"))
    kept = {site_id: (stamp, version, token) for site_id, stamp, version, token in
            KeptSiteFigures.objects.filter(year=year, site_id__in=ids)
            .values_list("site_id", "stamp", "version", "token")}
    stale = [s for s in sites if (k := kept.get(s.pk)) is None or k[1] != VERSION
             or k[0] != stamps.get(s.pk, 0)]
    counted: dict[str, list[Figure]] = {}
    for f in engine.site_figures(year, stale):
        counted.setdefault(f.scope_code, []).append(f)
    if stale:
        _keep(year, stale, counted, stamps)
    stale_ids = {s.pk for s in stale}
    unknown = [kept[s.pk][2] for s in sites if s.pk not in stale_ids
               and _MEMORY.get((s.pk, year), ("",))[0] != kept[s.pk][2]]
    if unknown:
        by_token = {kept[s.pk][2]: s for s in sites if s.pk in kept}
        # Row by row, not all parsed at once (some 50 MB at 2,000 sites); the variable and
        # category names interned, so 240,000 figures share a few hundred strings.
        for token, rows in (KeptSiteFigures.objects.filter(token__in=unknown)
                            .values_list("token", "figures").iterator(chunk_size=100)):
            site = by_token[token]
            _MEMORY[(site.pk, year)] = (token, [
                Figure(year, "site", site.code, sys.intern(v), sys.intern(c), n, b,
                       _percent(n, b)) for v, c, n, b in rows])
    out: list[Figure] = []
    for site in sites:
        out += counted[site.code] if site.code in counted else _MEMORY[(site.pk, year)][1]
    return out


# (site id, year) -> (token of the kept row, its figures), per process; one entry per site
# and year, replaced when the site is counted again.
_MEMORY: dict[tuple[int, int], tuple[str, list[Figure]]] = {}


# The same few thousand (count, base) pairs recur over sites and years: a percentage is worked
# out once (at 400 sites that was most of the time of reading the kept figures).
_percent = functools.lru_cache(maxsize=65536)(percent_of)


def _keep(year, stale, counted, stamps) -> None:
    rows = [KeptSiteFigures(site_id=s.pk, year=year, stamp=stamps.get(s.pk, 0), version=VERSION,
                            token=uuid.uuid4().hex,
                            figures=[[f.variable, f.category, f.count, f.base]
                                     for f in counted.get(s.code, [])])
            for s in stale]
    try:
        with transaction.atomic():
            KeptSiteFigures.objects.filter(year=year, site_id__in=[s.pk for s in stale]).delete()
            KeptSiteFigures.objects.bulk_create(rows)
    except IntegrityError:
        return  # another request kept the same sites first; both counted the same records
    for s, row in zip(stale, rows, strict=True):
        _MEMORY[(s.pk, year)] = (row.token, counted.get(s.code, []))

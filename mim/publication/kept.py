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
"""

from __future__ import annotations

import functools
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
    changed since they were last counted. Four queries when nothing changed."""
    sites = list(sites)
    if not sites:
        return []
    ids = [s.pk for s in sites]
    stamps = dict(SiteStamp.objects.filter(site_id__in=ids).values_list("site_id", "value"))
    kept = {k.site_id: k for k in KeptSiteFigures.objects.filter(year=year, site_id__in=ids)}
    stale = [s for s in sites if (k := kept.get(s.pk)) is None or k.version != VERSION
             or k.stamp != stamps.get(s.pk, 0)]
    counted: dict[str, list[Figure]] = {}
    for f in engine.site_figures(year, stale):
        counted.setdefault(f.scope_code, []).append(f)
    if stale:
        _keep(year, stale, counted, stamps)
    out: list[Figure] = []
    for site in sites:
        if site.code in counted:
            out += counted[site.code]
        else:
            code = site.code
            out += [Figure(year, "site", code, v, c, n, b, _percent(n, b))
                    for v, c, n, b in kept[site.pk].figures]
    return out


# The same few thousand (count, base) pairs recur over sites and years: a percentage is worked
# out once (at 400 sites that was most of the time of reading the kept figures).
_percent = functools.lru_cache(maxsize=65536)(percent_of)


def _keep(year, stale, counted, stamps) -> None:
    rows = [KeptSiteFigures(site_id=s.pk, year=year, stamp=stamps.get(s.pk, 0), version=VERSION,
                            figures=[[f.variable, f.category, f.count, f.base]
                                     for f in counted.get(s.code, [])])
            for s in stale]
    try:
        with transaction.atomic():
            KeptSiteFigures.objects.filter(year=year, site_id__in=[s.pk for s in stale]).delete()
            KeptSiteFigures.objects.bulk_create(rows)
    except IntegrityError:
        pass  # another request kept the same sites first; both counted the same records

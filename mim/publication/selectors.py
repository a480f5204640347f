"""THE road by which figures leave the coordinator role: stored publications.

- `published_figures(user, year, scope, code)`: a scope as this user may see it (404 outside
  her figure scopes, mim.accounts.selectors). A coordinator's own site comes unsuppressed from
  the live inputs (she holds the records anyway); everything else is read from the year's
  stored publication, the one jointly suppressed and audited form, whoever asks.
- `published_site_figures(user, year, code, figures)`: a return's own figures (frozen or a
  draft) for the office's review, hidden wherever the publication hides the site (or wholly,
  for a site published only inside a group).
- `server_figures(year, scope, code)`: the operator's `mim figures`, exactly as published.

Reading: one query for the input stamp, one for the year's latest publication, one for the
scope, whatever the number of sites. When the stamp moved (a trigger raises it on every write
to records, returns or sites), the year's unsuppressed figures are recomputed and compared by
digest; only when they changed is the publication built, audited and stored anew.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone, translation

from mim.accounts.selectors import FigureScope, figure_scopes, has_national_role
from mim.codebook import codebooks
from mim.figures import engine
from mim.figures.selectors import (
    NATIONAL_LABEL,
    Completeness,
    FigureSet,
    SiteRow,
    UnknownScope,
)
from mim.figures.suppression import suppress
from mim.figures.tidy import SCOPES, Figure, plain
from mim.organisations.models import Site
from mim.publication import build as builder
from mim.publication import releases
from mim.publication.inputs import YearFigures, year_figures
from mim.publication.models import (
    STAMP_KEY,
    InputStamp,
    Publication,
    PublicationTruth,
    PublishedScope,
)

logger = logging.getLogger(__name__)

_FIELDS = ("variable", "category", "count", "base", "percent", "value", "suppressed",
           "provisional")


class ApprovedOnlyNotPublished(Exception):
    """Published figures of a year come in one form only, with the provisional sites: a
    variant without them, published beside it, could be subtracted from it."""


# --- reading -------------------------------------------------------------------------------


def current_publication(year: int, cache: dict | None = None, *,
                        timer: bool = False) -> Publication:
    """The year's publication for the data as it is now; built when the inputs changed.
    Raises builder.PublicationRefused when the audit refuses, codebooks.UnknownYear.

    `timer`: called by `mim publish` (a scheduled job), which releases held changes as soon as
    they are due; a read waits a day longer (`_due`), so that with the job in place nobody's
    page waits for the build of a release of held changes."""
    if cache is not None and ("publication", year) in cache:
        return cache[("publication", year)]
    stamp, latest, stale = _latest(year, timer)
    if stale:
        latest = refresh(year, latest, stamp, timer=timer)
    if cache is not None:
        cache[("publication", year)] = latest
    return latest


def _latest(year: int, timer: bool) -> tuple[int | None, Publication | None, bool]:
    """The input stamp, the year's latest publication, and whether it must be checked."""
    stamp = InputStamp.objects.filter(key=STAMP_KEY).values_list("value", flat=True).first()
    latest = Publication.objects.filter(year=year).order_by("-number").first()
    stale = latest is None or stamp is None or latest.stamp != stamp \
        or (latest.held_since is not None and _due(latest, timer=timer))
    return stamp, latest, stale


_LOCK_KEY = 0x4D494D  # "MIM": the first half of the advisory lock's key, the year the second
_LOCKS: dict[int, threading.RLock] = {}  # re-entrant, as advisory locks are
_LOCKS_LOCK = threading.Lock()


@contextlib.contextmanager
def _one_build(year: int):
    """One build of a year at a time. A build of a running year takes seconds (all its earlier
    releases are in the audit), and every read that finds the inputs moved would otherwise
    build the same publication beside the others, sharing the CPUs, and all but one store
    would be thrown away: after a return's approval, the office's page, a coordinator's
    dashboard and the nightly job alike. The others wait and read what the first stored.

    PostgreSQL (production, several worker processes): an advisory lock, nothing else locked,
    so registrations go on. Outside a transaction (a read) it is the session's, released when
    the build ends and with the connection if the process dies; the build is not made one
    long transaction, which would keep the site figures it keeps (`kept.py`) locked from the
    other requests until it ends. Inside a caller's transaction it is that transaction's.
    SQLite (one process; a transaction there would hold off every write for the length of
    the build): a lock of the process."""
    from django.db import DatabaseError, connection

    if connection.vendor == "postgresql":
        if connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_KEY, year])
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_LOCK_KEY, year])
        try:
            yield
        finally:
            # A connection that broke in the build is closed at the request's end, and its
            # lock with it.
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_KEY, year])
        return
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(year, threading.RLock())
    with lock:
        yield


def refresh(year: int, latest: Publication | None, stamp: int | None, *,
            timer: bool = False) -> Publication:
    """Check the year's inputs against the latest publication; store a new one if they moved.

    The stamp was read before the inputs, so a write that commits in between leaves a newer
    stamp behind and the next read checks again: never a publication marked fresher than its
    data.

    Only a build waits for another build of the year (`_one_build`). A first publication or a
    release of held changes due for this read is a build whoever comes: the read waits for
    one in progress and checks again from what it stored. Otherwise the check is quick (the
    same figures, or changes held) unless a return's step, a site moved or a wider role
    changed the structure, and it does not wait: not for the nightly job's build of a release
    of held changes either, which a read is not due for until a day later (`_due`)."""
    if latest is None or _due(latest, timer=timer):
        with _one_build(year):
            stamp, latest, stale = _latest(year, timer)
            return _check(year, latest, stamp, timer=timer) if stale else latest
    return _check(year, latest, stamp, timer=timer)


def _check(year: int, latest: Publication | None, stamp: int | None, *,
           timer: bool) -> Publication:
    if stamp is None:
        from django.db import connection

        from mim.publication.triggers import ensure_stamp_row

        ensure_stamp_row(connection)
        stamp = -1  # unknown: every read checks the digest until a write raises it
    data = YearFigures(year)
    digest = builder.digest_of(data)
    if latest is not None and latest.digest == digest:
        Publication.objects.filter(pk=latest.pk).update(stamp=stamp, held_since=None,
                                                          retry_at=None)
        latest.stamp, latest.held_since, latest.retry_at = stamp, None, None
        return latest
    structure = builder.structure_of(data)
    if latest is not None and latest.structure == structure and not _due(latest, timer=timer):
        # Only the provisional sites' live records moved: the release stands until it is due
        # (settings.MIM_RELEASE_DAYS). Each release is audited with every earlier one of the
        # year (releases.py), so a release per registration would make every build slower
        # and every pair of versions one more subtraction; a return's step, a site moved or
        # a wider role changes the structure and is released at once.
        held = latest.held_since or timezone.now()
        Publication.objects.filter(pk=latest.pk).update(stamp=stamp, held_since=held)
        latest.stamp, latest.held_since = stamp, held
        return latest
    with _one_build(year):  # re-entrant: held already for a release that was due
        # Whoever held it before may have stored this build, or been refused it: check again
        # from what it left (the lock's holders alone store or refuse).
        newest_stamp, newest, stale = _latest(year, timer)
        if not stale:
            return newest
        if newest is not None and (latest is None or (newest.pk, newest.retry_at)
                                   != (latest.pk, latest.retry_at)):
            return _check(year, newest, newest_stamp, timer=timer)
        return _build(year, data, latest, stamp, structure)


def _build(year: int, data: YearFigures, latest: Publication | None, stamp: int,
           structure: str) -> Publication:
    # Labels (the nation, the merged groups) are stored in the interface's own language, not
    # in the language of whoever's read happened to trigger the build; the nation's label is
    # translated again when read.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            built = builder.build(year, data, earlier=releases.load(year))
        except builder.PublicationRefused as refused:
            if latest is None or latest.structure != structure:
                raise  # a new attacker or another step: what stands was not audited for it
            # Only provisional sites' live records moved, and the audit refuses their release
            # (with the year's earlier releases it would give a hidden cell away). The last
            # release was audited with every one before it: it stands, and the held changes
            # are tried again when the next release is due.
            logger.warning("release of %s refused (%s narrow cells); publication %s stands",
                           year, refused.narrow, latest.number)
            now = timezone.now()
            fields = {"stamp": stamp, "held_since": latest.held_since or now,
                      "retry_at": now + dt.timedelta(days=settings.MIM_RELEASE_DAYS)}
            Publication.objects.filter(pk=latest.pk).update(**fields)
            for name, value in fields.items():
                setattr(latest, name, value)
            return latest
        return store(built, data, stamp, structure)


def _due(publication: Publication, *, timer: bool = False) -> bool:
    """Whether a publication has stood long enough for the next release of held changes: for
    the scheduled `mim publish` (`timer`) after MIM_RELEASE_DAYS, for a read a day later. The
    job runs nightly and gets there first, so a release (whose build grows with the year's
    releases, all in its audit) is built at night, not in someone's page; without the job a
    read releases it a day late."""
    wait = dt.timedelta(days=1) if settings.MIM_RELEASE_DAYS and not timer else dt.timedelta()
    if publication.retry_at is not None:
        return timezone.now() >= publication.retry_at + wait
    age = timezone.now() - publication.built_at
    return age >= dt.timedelta(days=settings.MIM_RELEASE_DAYS) + wait


def store(built: builder.Built, data: YearFigures, stamp: int, structure: str = ""
          ) -> Publication:
    number = (Publication.objects.filter(year=built.year).order_by("-number")
              .values_list("number", flat=True).first() or 0) + 1
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                year=built.year, number=number, digest=built.digest, stamp=stamp,
                seconds=built.seconds, audit=built.audit, structure=structure)
            PublicationTruth.objects.create(publication=publication, sites=built.sites,
                                            partitions=built.audited_partitions,
                                            truth=releases.pack_truth(built.truth))
            # A few hundred scopes at a time: all payloads of 2,000 sites at once are some
            # 200 MB of rows before they are written.
            payloads = _each_payload(built, data)
            while batch := list(itertools.islice(payloads, _STORE_BATCH)):
                PublishedScope.objects.bulk_create(
                    PublishedScope(publication=publication, scope=scope, code=code,
                                   payload=payload)
                    for (scope, code), payload in batch)
    except IntegrityError:
        # Another request stored the same number first; read what it stored.
        publication = Publication.objects.filter(year=built.year).order_by("-number").first()
    return publication


_STORE_BATCH = 200


def _payloads(built: builder.Built, data: YearFigures) -> dict[tuple[str, str], dict]:
    return dict(_each_payload(built, data))


def _each_payload(built: builder.Built, data: YearFigures
                  ) -> Iterator[tuple[tuple[str, str], dict]]:
    """Every scope's stored payload, one at a time."""
    by_scope: dict[tuple[str, str], list[Figure]] = {}
    for f in built.figures:
        by_scope.setdefault((f.scope, f.scope_code), []).append(f)
    units = built.units
    totals = {key: {f.variable: f for f in figures if f.item == "total"}
              for key, figures in by_scope.items()}

    def site_row(site) -> list:
        status = data.status(site.code)
        # Why a site delivers nothing describes the site, never a person: it is published.
        why = [data.not_delivered.get(site.code, ""), site.last_year == data.year]
        if site.code in units.group_of:
            return [site.code, site.name, status, None, None, [], units.group_of[site.code],
                    *why]
        own = totals.get(("site", site.code), {})
        return [site.code, site.name, status, _row(own.get("mothers.total")),
                _row(own.get("volunteers.total")), [], "", *why]

    def group_row(group) -> list:
        own = totals.get(("site", group.code), {})
        members = set(group.members)
        names = [s.name for s in data.sites if s.code in members]
        status = "provisional" if any(c in data.provisional for c in group.members) \
            else "approved"
        return [group.code, str(group.label), status, _row(own.get("mothers.total")),
                _row(own.get("volunteers.total")), names, ""]

    # Only the label, completeness and provisional sites of a figure set are stored here: the
    # figures are the publication's own (adding up every aggregate again cost as much as
    # building it).
    for (scope, code), members in data.scope_keys().items():
        figure_set = data.figure_set(scope, code, members=members, with_figures=False)
        groups = [g for g in units.groups.values()
                  if scope == "national" or (scope == "organisation" and g.organisation == code)]
        rows = [site_row(s) for s in members] + [group_row(g) for g in groups]
        yield (scope, code), _payload(figure_set, by_scope.get((scope, code), []), rows)
    alone = set(units.alone)
    for site in data.sites:
        figure_set = data.figure_set("site", site.code, members=[site],
                                     with_figures=site.code not in alone)
        if site.code in units.group_of:
            group = units.groups[units.group_of[site.code]]
            # `f.hidden()` without its base, made in one step.
            hidden = [Figure(f.year, f.scope, f.scope_code, f.variable, f.category, None, None,
                             None, True, None, f.provisional) for f in figure_set.figures]
            yield ("site", site.code), _payload(figure_set, hidden, [],
                                                merged_into=str(group.label))
        elif site.code in alone:
            yield ("site", site.code), _payload(figure_set, by_scope[("site", site.code)], [])
        else:
            # Active but delivered nothing: zeros (or nothing), in no sum; protected alone.
            yield ("site", site.code), _payload(figure_set, suppress(figure_set.figures), [])
    for group in units.groups.values():
        in_group = set(group.members)
        members = [s.code for s in data.sites if s.code in in_group]
        figure_set = FigureSet(
            year=data.year, scope="site", code=group.code, label=str(group.label),
            figures=(), provisional=frozenset(c for c in members if c in data.provisional),
            completeness=Completeness(len(members), len(members),
                                      sum(1 for c in members if c in data.approved)),
            codebook_version=data.book.version)
        yield ("site", group.code), _payload(figure_set, by_scope[("site", group.code)], [])


def _payload(figure_set: FigureSet, figures: list[Figure], rows: list, merged_into: str = ""
             ) -> dict:
    c = figure_set.completeness
    return {"label": figure_set.label,
            "completeness": [c.expected, c.delivered, c.approved, c.not_delivered],
            "provisional": sorted(figure_set.provisional),
            "codebook_version": figure_set.codebook_version,
            "figures": [_row(f) for f in figures], "sites": rows, "merged_into": merged_into}


def _row(f: Figure | None) -> list | None:
    """`f.as_row()`'s values of `_FIELDS`, without the dict (a year stores some 200,000)."""
    if f is None:
        return None
    return [f.variable, f.category, "" if f.count is None else f.count,
            "" if f.base is None else f.base,
            "" if f.percent is None else f"{f.percent:.1f}",
            "" if f.value is None else plain(f.value),
            "true" if f.suppressed else "false", "true" if f.provisional else "false"]


def _figure(year: int, scope: str, code: str, row: list | None) -> Figure | None:
    """A stored row as a Figure: what Figure.from_row does with it, without the dict (a report
    at 400 sites reads some 100,000 rows)."""
    if row is None:
        return None
    variable, category, count, base, percent, value, suppressed, provisional = row
    return Figure(year, scope, code, variable, category,
                  None if count in ("", None) else int(count),
                  None if base in ("", None) else int(base),
                  None if percent in ("", None) else _decimal(percent),
                  suppressed == "true",
                  None if value in ("", None) else _decimal(value),
                  provisional == "true")


@functools.lru_cache(maxsize=1 << 14)  # percentages repeat: one Decimal each, shared
def _decimal(text: str) -> Decimal:
    return Decimal(text)


def read_scope(year: int, scope: str, code: str, *, cache: dict | None = None) -> FigureSet:
    """A scope of the year's publication. UnknownScope when it has none."""
    if scope not in SCOPES:
        raise UnknownScope(scope)
    publication = current_publication(year, cache)
    read = cache.get(("scopes", publication.pk, scope)) if cache is not None else None
    if read is not None:
        stored = read.get(code)
    else:
        stored = PublishedScope.objects.filter(publication=publication, scope=scope, code=code
                                               ).values_list("payload", flat=True).first()
    if stored is None:
        return _empty_scope(year, scope, code)
    return _figure_set(year, scope, code, stored, publication.number,
                       stored_in=publication.pk if stored.get(_PARTIAL) else None,
                       published_at=publication.built_at)


# Marks a payload in a reader's cache that keeps only some of its figure rows (read_all).
_PARTIAL = "_partial"


def read_all(year: int, scope: str, cache: dict, *,
             rows: Iterable[tuple[str, str]] | None = None) -> None:
    """Read every scope of this kind of the year's publication into `cache`, in one query, for
    a reader about to read most of them (the national report reads every site and every
    municipality): read_scope with that cache then asks nothing more of the database.

    `rows`: the (variable, category) rows the reader needs of each scope; only those are kept.
    All payloads of 2,000 sites held at once took 380 MB, where the national report asks three
    rows of each. A scope read from such a cache still answers any other row, from the
    database (`StoredFigureSet`), so a reader that asks more gets it, at a query a scope."""
    publication = current_publication(year, cache)
    key = ("scopes", publication.pk, scope)
    if key in cache:
        return
    found = (PublishedScope.objects.filter(publication=publication, scope=scope)
             .values_list("code", "payload"))
    if rows is None:
        cache[key] = dict(found)
        return
    wanted = set(rows)
    kept = {}
    for code, payload in found.iterator(chunk_size=200):  # one payload parsed at a time
        payload["figures"] = [r for r in payload["figures"] if (r[0], r[1]) in wanted]
        payload[_PARTIAL] = True
        kept[code] = payload
    cache[key] = kept


def _figure_set(year: int, scope: str, code: str, payload: dict, number: int, *,
                stored_in: int | None = None, published_at=None) -> FigureSet:
    # A publication stored before version 2 has no not_delivered count nor reasons.
    expected, delivered, approved, not_delivered = [*payload["completeness"], 0][:4]
    sites = tuple(SiteRow(row[0], row[1], row[2], _figure(year, "site", row[0], row[3]),
                          _figure(year, "site", row[0], row[4]), tuple(row[5]), row[6],
                          *(row[7:9] if len(row) > 8 else ()))
                  for row in payload["sites"])
    label = str(NATIONAL_LABEL) if scope == "national" else payload["label"]
    return StoredFigureSet(rows=payload["figures"], year=year, scope=scope, code=code,
                           label=label, provisional=frozenset(payload["provisional"]),
                           completeness=Completeness(expected, delivered, approved,
                                                     not_delivered),
                           codebook_version=payload["codebook_version"], suppressed=True,
                           sites=sites, merged_into=payload.get("merged_into", ""),
                           publication=number, stored_in=stored_in,
                           published_at=published_at)


class StoredFigureSet(FigureSet):
    """A scope read from a stored publication, whose rows become Figures only when read.

    The national report reads a few rows (mothers, volunteers, second child) of every site and
    municipality: at 400 sites some 150,000 stored rows, and making a Figure of each took
    seconds. `get` makes the one row asked for; `figures` (and everything that reads it:
    equality, `variable`, `dataclasses.replace`) makes them all, once. Otherwise a FigureSet
    like any other."""

    def __init__(self, *, rows: list | None = None, stored_in: int | None = None, **fields):
        if rows is None:  # dataclasses.replace: the figures are given
            super().__init__(**fields)
            return
        super().__init__(figures=(), **fields)
        object.__delattr__(self, "figures")  # made from `rows` when first read (__getattr__)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_index", None)
        # The publication's pk when `rows` are only some of the scope's (read_all's `rows`):
        # the others are read from the database when one is asked for.
        object.__setattr__(self, "_stored_in", stored_in)

    def __getattr__(self, name: str):
        # Only reached for what the instance does not hold: the figures not made yet.
        if name != "figures" or "_rows" not in self.__dict__:
            raise AttributeError(name)
        self._read_all_rows()
        figures = tuple(_figure(self.year, self.scope, self.code, r) for r in self._rows)
        object.__setattr__(self, "figures", figures)
        return figures

    def _read_all_rows(self) -> None:
        if self.__dict__.get("_stored_in") is None:
            return
        payload = PublishedScope.objects.filter(
            publication_id=self._stored_in, scope=self.scope, code=self.code
        ).values_list("payload", flat=True).get()
        object.__setattr__(self, "_rows", payload["figures"])
        object.__setattr__(self, "_index", None)
        object.__setattr__(self, "_stored_in", None)

    def get(self, variable: str, category: str = "all") -> Figure | None:
        if self._index is None:
            # The last row of a key wins, as in FigureSet's own index; a stored row stays a
            # row until it is asked for.
            object.__setattr__(self, "_index", {(r[0], r[1]): r for r in self._rows})
        if (variable, category) not in self._index and self.__dict__.get("_stored_in"):
            self._read_all_rows()  # a row the partial read left out
            return self.get(variable, category)
        found = self._index.get((variable, category))
        if isinstance(found, list):
            found = _figure(self.year, self.scope, self.code, found)
            self._index[(variable, category)] = found
        return found

    @property
    def has_data(self) -> bool:
        if self.__dict__.get("_stored_in") and not self._rows:
            self._read_all_rows()
        rows = self.__dict__.get("figures", self.__dict__.get("_rows"))
        return bool(rows) and self.completeness.delivered > 0


def _empty_scope(year: int, scope: str, code: str) -> FigureSet:
    """A scope with no site active in the year: nothing counted, nothing to protect."""
    data_label = YearFigures.label_of(scope, code)  # UnknownScope for no such scope
    return FigureSet(year=year, scope=scope, code=code, label=data_label,
                     figures=tuple(engine.complete(year, scope, code, [])),
                     provisional=frozenset(), completeness=Completeness(0, 0, 0),
                     codebook_version=codebooks.for_year(year).version, suppressed=True)


# --- who reads what --------------------------------------------------------------------------


def published_figures(user, year: int, scope: str, code: str, *, approved_only: bool = False,
                      cache: dict | None = None) -> FigureSet:
    """The figures of a scope as this user may see them; Http404 outside her figure scopes.

    The site table of an aggregate scope lists only the sites the user may see as scopes of
    their own, and the merged groups of the scope."""
    scopes = figure_scopes(user)
    allowed = _find(scopes, scope, code)
    if allowed is None:
        raise Http404
    if approved_only and not allowed.unsuppressed:
        raise ApprovedOnlyNotPublished
    if allowed.unsuppressed:
        try:
            return year_figures(year, approved_only=approved_only,
                                cache=cache).figure_set(scope, code)
        except UnknownScope:
            raise Http404 from None
    try:
        figure_set = read_scope(year, scope, code, cache=cache)
    except UnknownScope:
        raise Http404 from None
    visible = {(s.scope, s.code) for s in scopes}
    rows = tuple(r for r in figure_set.sites if r.is_group or ("site", r.code) in visible)
    if len(rows) == len(figure_set.sites):
        return figure_set  # she sees every site of it (a site's scope has none): as read
    return replace(figure_set, sites=rows)


def published_site_figures(user, year: int, code: str, figures: Iterable[Figure]
                           ) -> list[Figure]:
    """A return's own figures (frozen at submission, or a draft) as this user may see them;
    Http404 outside her scopes. Outside the site's coordinator every cell the publication
    hides for the site stays hidden (all of them for a site published only in a group), so
    the review shows nothing the published figures do not: no pre-approval view to subtract
    from the approved one."""
    published = published_figures(user, year, "site", code)
    if not published.suppressed:
        return list(figures)
    shown = {(f.variable, f.category): f for f in published.figures}
    out = []
    for f in figures:
        match = shown.get((f.variable, f.category))
        if match is None or match.suppressed or match.count != f.count:
            out.append(replace(f.hidden(), base=None))
        else:
            out.append(replace(f, base=match.base, percent=match.percent))
    return out


@dataclass(frozen=True)
class Compared:
    """One figure of a return beside the same figure of the year before, both published."""

    figure: Figure  # this year, as published_site_figures gives it
    previous: Figure | None  # last year as published (None: no such row last year)
    change: int | None  # this year minus last year; None when either is hidden
    point_change: Decimal | None  # the same for the percentages (categories only)


@dataclass(frozen=True)
class PreviousYear:
    year: int
    available: bool  # was anything published for the site (or its group) that year
    group: str = ""  # last year published only inside this merged group (its label)


def published_site_comparison(user, year: int, code: str, figures: Iterable[Figure]
                              ) -> tuple[list[Compared], PreviousYear]:
    """A return's figures (published_site_figures) beside the site's published figures of the
    year before, with the change per figure: the office's "much higher than last year?".

    Both sides are published forms, so the change is a difference of two shown numbers: a
    cell hidden on either side gives no change (else this year's hidden cell would be last
    year's count plus the change). A site published last year only inside a merged group is
    set beside the group's published figures, without a change (another unit). Http404
    outside the user's scopes."""
    current = published_site_figures(user, year, code, figures)
    previous_set, group = _previous_published(user, year - 1, code)
    if previous_set is None:
        return ([Compared(f, None, None, None) for f in current],
                PreviousYear(year - 1, available=False))
    before = {(f.variable, f.category): f for f in previous_set.figures}
    rows = []
    for f in current:
        p = before.get((f.variable, f.category))
        change = point = None
        if not group and _shown(f) and p is not None and _shown(p):
            change = f.count - p.count
            if f.category != "all" and f.percent is not None and p.percent is not None:
                point = f.percent - p.percent
        rows.append(Compared(f, p, change, point))
    return rows, PreviousYear(year - 1, available=True, group=group)


def _shown(f: Figure) -> bool:
    return not f.suppressed and f.count is not None


def _previous_published(user, year: int, code: str) -> tuple[FigureSet | None, str]:
    """The site's published figures of `year`, or its merged group's when it was published
    only inside one (with the group's label); None when nothing was published for it."""
    site = Site.objects.filter(code=code).first()
    if site is None or not site.active_in(year):
        return None, ""
    try:
        codebooks.for_year(year)
    except codebooks.UnknownYear:
        return None, ""
    published = published_figures(user, year, "site", code)
    if not published.suppressed or not published.merged_into:
        return published, ""
    # The group's figures are published as a unit of their own (the national site table
    # lists it); read only for a user who sees the national figures, as its sites are named.
    if _find(figure_scopes(user), "national", "NL") is None:
        return published, ""
    national = read_scope(year, "national", "NL")
    group_code = next((r.group for r in national.sites if r.code == code and r.group), "")
    if not group_code:
        return published, ""
    return read_scope(year, "site", group_code), published.merged_into


def server_figures(year: int, scope: str, code: str, *, unsuppressed: bool = False,
                   approved_only: bool = False) -> FigureSet:
    """The operator's command on the server (`mim figures`): there is no web user to check,
    and a shell user on the server can read the database anyway. By default the figures come
    out exactly as published; `unsuppressed` gives the internal ones."""
    if unsuppressed:
        return YearFigures(year, approved_only=approved_only).figure_set(scope, code)
    if approved_only:
        return approved_only_scope(year, scope, code)
    return read_scope(year, scope, code)


def approved_only_scope(year: int, scope: str, code: str, cache: dict | None = None
                        ) -> FigureSet:
    """The internal approved-returns-only variant (README: never published beside the
    regular one): built and audited like the publication, never stored; `cache` keeps the
    year's build for a report that reads many scopes."""
    key = ("approved-only", year)
    if cache is None or key not in cache:
        data = YearFigures(year, approved_only=True)
        payloads = _payloads(builder.build(year, data), data)
        if cache is not None:
            cache[key] = payloads
    else:
        payloads = cache[key]
    if scope not in SCOPES:
        raise UnknownScope(scope)
    payload = payloads.get((scope, code))
    if payload is None:
        return _empty_scope(year, scope, code)
    return _figure_set(year, scope, code, payload, 0)


def _find(scopes: list[FigureScope], scope: str, code: str) -> FigureScope | None:
    return next((s for s in scopes if s.scope == scope and s.code == code), None)


def default_scope(user) -> FigureScope | None:
    """Where the dashboard opens: a coordinator's own site, a viewer's organisation, a funder's
    municipality, and the national figures for the programme office."""
    scopes = figure_scopes(user)
    national_role = has_national_role(user)
    for wanted in (lambda s: s.scope == "site" and s.unsuppressed,
                   lambda s: s.scope == "organisation" and not national_role,
                   lambda s: s.scope == "municipality" and not national_role,
                   lambda s: s.scope == "national"):
        found = next((s for s in scopes if wanted(s)), None)
        if found:
            return found
    return scopes[0] if scopes else None


def published_national(year: int, cache: dict | None = None) -> tuple[list[Figure], bool]:
    """A year's national figures as published, and whether any are provisional: what the
    national series (mim.figures.history) is made of."""
    figure_set = read_scope(year, "national", "NL", cache=cache)
    return list(figure_set.figures), bool(figure_set.provisional)


def published_assessment(user, year: int, scope: str, code: str, *,
                         cache: dict | None = None) -> list[Figure]:
    """The self-assessment's results of a scope (mim.results.assessment) as this user may see
    them; Http404 outside her figure scopes. Always from the year's stored publication: a
    coordinator's own site too, as every other role sees it (like the other results rows,
    which exist in published form only; docs/results-assessment.md)."""
    from mim.figures import standard

    figure_set = published_figures(user, year, scope, code, cache=cache)
    if not figure_set.suppressed:
        figure_set = read_scope(year, scope, code, cache=cache)
    prefix = standard.ASSESSMENT_PREFIX + "."
    return [f for f in figure_set.figures if f.variable.startswith(prefix)]

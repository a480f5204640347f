"""Earlier releases of a year in the attacker's programme: two versions of one year's
publication must not give away by subtraction what each hides on its own.

Every stored publication of a year has been read (a read is what builds it), so whoever read
two of them holds both. Found in review (2026-12-07): the office marks a site as not delivered
and the national figures before and after differ by the site's whole table, hidden cells
included; one new mother registered and a funder's national figures before and after differ by
her answers, a cell hidden in her municipality included.

The joint programme: the new publication's cells and relations as always, and for each earlier
release its published cells with its own relations (categories, bases, partitions). A scope
whose true figures did not change from one release to the next newer one (or to the new
publication) is the same unknowns in both: a site with the same `fingerprint`, an aggregate
whose partitions and parts are all unchanged. That is what ties the releases together.
Everything else of a release (the nation when any site changed, the changed sites, their
organisation, municipality and group) is a scope of its own, named `<code>~r<number>`. Cells a
release showed are constants; its hidden primary cells are protected like the new ones. A cell
that an earlier release showed and a later one hides is known: nothing can take it back.

The auditor's feasible point for an earlier release's own scopes is that release's true figures,
kept beside it (`PublicationTruth`, never shown to anyone): the audit's small blocks need one.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from mim.figures import standard
from mim.figures.suppression import is_primary
from mim.figures.tidy import Figure

_SUFFIX = re.compile(r"~r\d+$")

Key = tuple[str, str, str, str]


def fingerprint(figures) -> str:
    """A site's true counts of a year: equal fingerprints, equal unknowns."""
    h = hashlib.sha256()
    for f in sorted((f for f in figures if standard.is_protected(f.variable)),
                    key=lambda f: (f.variable, f.category)):
        h.update(f"{f.variable}|{f.category}|{f.count}|{f.base};".encode())
    return h.hexdigest()[:32]


def pack_truth(figures) -> bytes:
    rows = [[f.scope, f.scope_code, f.variable, f.category, f.count, f.base]
            for f in figures if standard.is_protected(f.variable) and f.count is not None]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6)


def unpack_truth(year: int, blob: bytes) -> list[Figure]:
    return [Figure(year, scope, code, variable, category, count, base, None)
            for scope, code, variable, category, count, base
            in json.loads(zlib.decompress(bytes(blob)))]


@dataclass
class Release:
    number: int
    published: list[Figure]  # as it left: suppressed cells without their count
    truth: list[Figure]  # its true figures, of every scope it counted (groups' sites too)
    partitions: list  # [[parent, [children...]], ...] as the audit took them
    sites: dict[str, str]  # site code -> fingerprint


def load(year: int) -> list[Release]:
    """The year's stored releases that kept what a joint audit needs (from rules v13 on), one
    for each distinct pair of truth and published cells: a release equal to another in both
    adds nothing the attacker lacks. (The same truth alone is not enough: a release audited
    with more releases before it can hide cells an earlier one with that truth showed.)"""
    from mim.publication.models import PublicationTruth, PublishedScope
    from mim.publication.selectors import _figure

    kept = PublicationTruth.objects.filter(publication__year=year).select_related("publication")
    out, seen = [], set()
    for held in kept.order_by("-publication__number"):
        publication = held.publication
        published = []
        # Same truth (fingerprints, partitions) and the same published cells: the same
        # information, whatever else moved (a return approved with its counts unchanged).
        content = hashlib.sha256(json.dumps([sorted(held.sites.items()), held.partitions],
                                            sort_keys=True).encode())
        for scope, code, payload in (PublishedScope.objects.filter(publication=publication)
                                     .order_by("scope", "code")
                                     .values_list("scope", "code", "payload")):
            for row in payload["figures"]:
                if standard.is_protected(row[0]):
                    published.append(_figure(year, scope, code, row))
                    content.update(f"{scope}|{code}|{row[0]}|{row[1]}|{row[2]};".encode())
        if content.digest() in seen:
            continue
        seen.add(content.digest())
        out.append(Release(number=publication.number, published=published,
                           truth=unpack_truth(year, held.truth),
                           partitions=held.partitions, sites=held.sites))
    return sorted(out, key=lambda r: r.number)


@dataclass
class Joint:
    """What the earlier releases add to the attacker's programme, in the audit's terms."""

    published: list[Figure] = field(default_factory=list)
    secret: list[Figure] = field(default_factory=list)  # their sites nobody saw (groups)
    knows: list[Figure] = field(default_factory=list)  # cells a release showed, hidden now
    partitions: list = field(default_factory=list)
    truth: list[Figure] = field(default_factory=list)
    protect: set[Key] = field(default_factory=set)
    # (smaller, larger, cells, steps) per site between its newest truth before now and now
    # (`_grew`; the audit's `grows`)
    grew: list[tuple[tuple[str, str], tuple[str, str], frozenset, frozenset]] = field(
        default_factory=list)

    def __bool__(self) -> bool:
        # Cells an earlier release showed of a scope unchanged since are known even when
        # nothing else of it is in the programme.
        return bool(self.published or self.knows)


def joint(year: int, releases: list[Release], sites_now: dict[str, str],
          current_keys: set[tuple[str, str]], partitions_now: list,
          truth_now: Sequence[Figure] = ()) -> Joint:
    """The earlier releases as extra scopes of the new publication's programme.

    `sites_now`: the new publication's site fingerprints; `current_keys`: the scopes it
    publishes or keeps secret; `partitions_now`: its partitions, as (parent, children).

    Every scope of every release gets the key of its true figures: a site one per fingerprint,
    an aggregate one per partitions over the same keys, the new publication's own scopes first
    and then the releases from the newest back. Whoever read the releases can see which scopes
    stayed the same between any two of them (a site that changed and changed back included),
    so equal truth is one set of unknowns however far apart. Found in review: tied only to the
    new publication, a site that changed now was a fresh unknown in every earlier release, and
    a site marked not delivered two releases ago was its old total less its new one again.

    `truth_now`: the new publication's true figures, for the growth rows (`_grew`)."""
    out = Joint()
    registry: dict[tuple, tuple[str, str]] = {}
    leaves = {}
    for code, mark in sites_now.items():
        if ("site", code) in current_keys:
            leaves[("site", code)] = registry[("site", code, mark)] = ("site", code)
    _keys(partitions_now, leaves, registry, lambda key: key)
    newest: dict[str, tuple] = {}  # site code -> (key, cells) of its newest truth before now
    for release in sorted(releases, key=lambda r: r.number, reverse=True):
        suffix = f"~r{release.number}"
        new: set[tuple[str, str]] = set()

        def rename(key, suffix=suffix, new=new) -> tuple[str, str]:
            renamed = (key[0], key[1] + suffix)
            new.add(renamed)
            return renamed

        leaves = {}
        cells = None
        for code, mark in release.sites.items():
            found = registry.get(("site", code, mark))
            leaves[("site", code)] = found or registry.setdefault(("site", code, mark),
                                                                  rename(("site", code)))
            if code not in newest and leaves[("site", code)] != ("site", code):
                # The newest truth of the site other than its truth now: where it changed in
                # the newest release and not since, the newest release is the site now, and
                # the reader's pair is the release before it and the new figures.
                cells = cells if cells is not None else _site_cells(release.truth)
                newest[code] = (leaves[("site", code)], cells.get(code, {}))
        key = _keys(release.partitions, leaves, registry, rename)

        def mapped(scope: str, code: str, key=key, rename=rename) -> tuple[str, str]:
            if (scope, code) not in key:
                key[(scope, code)] = rename((scope, code))  # in no sum: a scope of its own
            return key[(scope, code)]

        for f in release.published:
            scope, code = mapped(f.scope, f.scope_code)
            if (scope, code) not in new:
                # The same truth as a scope already in the programme: its hidden cells are
                # unknowns there, and a cell this release showed is known there.
                if not f.suppressed and f.count is not None:
                    out.knows.append(_renamed(f, code))
                continue
            out.published.append(_renamed(f, code))
        published_scopes = {(f.scope, f.scope_code) for f in release.published}
        for f in release.truth:
            scope, code = mapped(f.scope, f.scope_code)
            if (scope, code) not in new:
                continue  # held where that truth first entered the programme
            moved = _renamed(f, code)
            out.truth.append(moved)
            if (f.scope, f.scope_code) not in published_scopes:
                out.secret.append(moved)  # a site inside a group: its cells are unknowns
            if is_primary(f):
                out.protect.add((scope, code, f.variable, f.category))
        for parent, children in release.partitions:
            if mapped(*parent) in new:  # else the same partition is in the programme already
                out.partitions.append((mapped(*parent), [mapped(*c) for c in children]))
    out.grew = _grew(newest, sites_now, _site_cells(truth_now))
    return _linked(out, current_keys, partitions_now)


def _grew(newest: dict[str, tuple], sites_now: dict[str, str], cells_now: dict) -> list:
    """Per site, what a reader of its newest truth before now and of the new figures may
    assume and is true: (smaller, larger, cells, steps), each of `cells` of `smaller` at most
    the same cell of `larger`, and each of `steps` (a multi-answer cell) grown by at most what
    its population's total grew. Its newest truth before now is in the newest release that
    holds the site, or, where the site is the same there as now, in the newest release before
    that where it was not.

    Per population, the assumption follows its total. Gone up (or the same): only
    registrations, so no cell went down (found in review: one Turkish mother more at a site
    and two in the nation gave away the 4 the last release hid, once the new figures showed the
    site whole), and a multi-answer category grew by at most as many as the population (each
    new mother adds one at most; found in review: B registered five mothers, all
    undocumented, and its hidden 3 came back). Gone down: only removals (an undo, a mother
    moved away), so no cell went up (found in review: a Turkish mother deleted at two sites
    gave a hidden 4 as 4 or 5). Cell by cell, and only where it is true: a volunteer record
    deleted or an education filled in the same month does not make a reader doubt a site's
    origins (found in review: with the site's rows dropped for that, the 4 came back), and a
    cell where the assumption is false tells her nothing true. Never both ways for one pair:
    every unchanged cell would become an equation and pin the cells that cover a small one.
    Only the newest truth: the rows over every pair of releases closed the chains too (a
    reader who adds up the growth over three releases) but made a running year's build 60 s
    by its sixth release and refused releases (docs/publication.md, "What the joint audit
    does not cover")."""
    out = []
    for code, (before, old) in sorted(newest.items()):
        new = cells_now.get(code)
        now = ("site", code)
        if code not in sites_now or new is None or before == now:
            continue
        both = {*old, *new}
        grew = {c for c in both if _total(c, new) >= _total(c, old)}
        multi = {c for c in both if standard.is_multi(c[0])}
        kept = frozenset(c for c in grew if new.get(c, 0) >= old.get(c, 0))
        up = frozenset(c for c in grew & multi if _step(c, new) <= _step(c, old))
        fell = frozenset(c for c in both - grew if new.get(c, 0) <= old.get(c, 0))
        down = frozenset(c for c in (both - grew) & multi if _step(c, new) >= _step(c, old))
        if kept or up:
            out.append((before, now, kept, up))
        if fell or down:
            out.append((now, before, fell, down))
    return out


def _total(cell: tuple[str, str], cells: dict) -> int:
    """The total of the cell's population in `cells` (a site's true cells)."""
    return cells.get((f"{cell[0].partition('.')[0]}.total", "all"), 0)


def _step(cell: tuple[str, str], cells: dict) -> int:
    """The cell less its population's total: for a multi-answer category, how many of the
    population do not have it, negated."""
    return cells.get(cell, 0) - _total(cell, cells)


def _site_cells(figures) -> dict[str, dict[tuple[str, str], int]]:
    """Per site code, its true protected cells."""
    out: dict[str, dict[tuple[str, str], int]] = {}
    for f in figures:
        if f.scope == "site" and f.count is not None and standard.is_protected(f.variable):
            out.setdefault(f.scope_code, {})[(f.variable, f.category)] = f.count
    return out


def _linked(out: Joint, current_keys: set, partitions_now: list) -> Joint:
    """Only the scopes of earlier releases that the new figures reach: a scope that shares no
    unknown with them, however many partitions away, was audited as it is when the newest
    release it belongs with was built (everything tied to it came from releases no newer than
    that), and the new figures cannot narrow it. In a running year whose every site changes
    between releases, that leaves the last releases out of the programme altogether; a
    release that shares one unchanged site stays whole (its nation holds every one of its
    scopes)."""
    root: dict = {}

    def find(key):
        root.setdefault(key, key)
        while root[key] != key:
            root[key] = root[root[key]]
            key = root[key]
        return key

    for parent, children in [*partitions_now, *out.partitions,
                             *((before, [after]) for before, after, *_cells in out.grew)]:
        top = find(tuple(parent))
        for child in children:
            other = find(tuple(child))
            if other != top:
                root[other] = top
    reached = {find(tuple(key)) for key in current_keys}

    def kept(scope, code) -> bool:
        return find((scope, code)) in reached

    return Joint(
        published=[f for f in out.published if kept(f.scope, f.scope_code)],
        secret=[f for f in out.secret if kept(f.scope, f.scope_code)],
        knows=[f for f in out.knows if kept(f.scope, f.scope_code)],
        partitions=[(p, c) for p, c in out.partitions if kept(*p)],
        truth=[f for f in out.truth if kept(f.scope, f.scope_code)],
        protect={k for k in out.protect if kept(k[0], k[1])},
        grew=[g for g in out.grew if kept(*g[0]) and kept(*g[1])])


def _keys(partitions, leaves: dict, registry: dict, rename) -> dict:
    """The keys of a release's scopes: its sites' (`leaves`), then each aggregate once all its
    parts have one, the same key as an aggregate of the same partitions over the same keys
    (`registry`), else a new one (`rename`)."""
    parts = _children(partitions)
    key = dict(leaves)
    for part_set in parts.values():
        for part in part_set:
            for child in part:
                if child not in parts and child not in key:
                    key[child] = rename(child)  # not a delivered site: a scope of its own
    pending = set(parts)
    while pending:
        ready = sorted(p for p in pending if all(c in key for part in parts[p] for c in part))
        if not ready:
            for parent in pending:  # partitions never form a cycle; never loop on one
                key[parent] = rename(parent)
            break
        for parent in ready:
            signature = (parent, frozenset(tuple(key[c] for c in part) for part in parts[parent]))
            found = registry.get(signature)
            key[parent] = found or registry.setdefault(signature, rename(parent))
            pending.discard(parent)
    return key


def _children(partitions) -> dict[tuple[str, str], set]:
    """Per parent scope, its partitions, each as a tuple of children."""
    out: dict[tuple[str, str], set] = {}
    for parent, children in partitions:
        out.setdefault(tuple(parent), set()).add(tuple(tuple(c) for c in children))
    return out


def _renamed(f: Figure, code: str) -> Figure:
    return Figure(f.year, f.scope, code, f.variable, f.category, f.count, f.base, f.percent,
                  f.suppressed, f.value, f.provisional)


def current_key(key: Key) -> Key:
    """An earlier release's cell as the new publication's cell of the same scope: where
    hiding widens it."""
    scope, code, variable, category = key
    return scope, _SUFFIX.sub("", code), variable, category

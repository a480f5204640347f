"""Earlier releases of a year in the attacker's programme: two versions of one year's
publication must not give away by subtraction what each hides on its own.

Every stored publication of a year has been read (a read is what builds it), so whoever read
two of them holds both. Found in review (2026-12-07): the office marks a site as not delivered
and the national figures before and after differ by the site's whole table, hidden cells
included; one new mother registered and a funder's national figures before and after differ by
her answers, a cell hidden in her municipality included.

The joint programme: the new publication's cells and relations as always, and for each earlier
release its published cells with its own relations (categories, bases, partitions). A site whose
true figures have not changed since that release is the same unknowns in both (its
`fingerprint` is the same): that is what ties the releases together. Everything else of an
earlier release (its nation, organisations, municipalities, merged groups, and the sites that
changed) is a scope of its own, named `<code>~r<number>`. Cells an earlier release showed are
constants; its hidden primary cells are protected like the new ones. Cells of a site that an
earlier release showed and the new one hides are known: nothing can take them back.

The auditor's feasible point for an earlier release's own scopes is that release's true figures,
kept beside it (`PublicationTruth`, never shown to anyone): the audit's small blocks need one.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
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


def load(year: int, *, before: int | None = None) -> list[Release]:
    """The year's stored releases that kept what a joint audit needs (from rules v13 on), one
    for each distinct pair of inputs and published cells: a release equal to another in both
    adds nothing the attacker lacks. (The same inputs alone are not enough: a release audited
    with more releases before it can hide cells an earlier one with those inputs showed.)"""
    from mim.publication.models import PublicationTruth, PublishedScope
    from mim.publication.selectors import _figure

    kept = PublicationTruth.objects.filter(publication__year=year).select_related("publication")
    if before is not None:
        kept = kept.filter(publication__number__lt=before)
    out, seen = [], set()
    for held in kept.order_by("-publication__number"):
        publication = held.publication
        published = []
        content = hashlib.sha256(publication.digest.encode())
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

    def __bool__(self) -> bool:
        return bool(self.published)


def joint(year: int, releases: list[Release], sites_now: dict[str, str],
          current_keys: set[tuple[str, str]], partitions_now: list) -> Joint:
    """The earlier releases as extra scopes of the new publication's programme.

    `sites_now`: the new publication's site fingerprints; `current_keys`: the scopes it
    publishes or keeps secret; `partitions_now`: its partitions, as (parent, children)."""
    out = Joint()
    now = _children(partitions_now)
    for release in releases:
        suffix = f"~r{release.number}"
        same = _unchanged(release, sites_now, current_keys, now)

        def mapped(scope: str, code: str, same=same, suffix=suffix) -> tuple[str, str]:
            if (scope, code) in same:
                return scope, code  # the same true figures: the same unknowns
            return scope, code + suffix

        shown_same: dict[Key, Figure] = {}
        for f in release.published:
            scope, code = mapped(f.scope, f.scope_code)
            if code == f.scope_code:
                if not f.suppressed and f.count is not None:
                    shown_same[(scope, code, f.variable, f.category)] = f
                continue  # its hidden cells are the new publication's own unknowns
            out.published.append(_renamed(f, code))
        out.knows += shown_same.values()
        published_scopes = {(f.scope, f.scope_code) for f in release.published}
        for f in release.truth:
            scope, code = mapped(f.scope, f.scope_code)
            if code == f.scope_code:
                continue  # the new publication's truth holds it
            moved = _renamed(f, code)
            out.truth.append(moved)
            if (f.scope, f.scope_code) not in published_scopes:
                out.secret.append(moved)  # a site inside a group: its cells are unknowns
            if is_primary(f):
                out.protect.add((scope, code, f.variable, f.category))
        for parent, children in release.partitions:
            out.partitions.append((mapped(*parent), [mapped(*c) for c in children]))
    return out


def _children(partitions) -> dict[tuple[str, str], set]:
    """Per parent scope, its partitions, each as a tuple of children."""
    out: dict[tuple[str, str], set] = {}
    for parent, children in partitions:
        out.setdefault(tuple(parent), set()).add(tuple(tuple(c) for c in children))
    return out


def _unchanged(release: Release, sites_now: dict[str, str], current_keys: set,
               now: dict[tuple[str, str], set]) -> set[tuple[str, str]]:
    """The scopes whose true figures are the same in the release and now: a site with the same
    fingerprint, and an aggregate whose partitions are the same with every part unchanged
    (the nation when no site changed; an organisation, a municipality or a merged group none
    of whose sites did). Sharing their unknowns keeps the joint programme to what changed."""
    then = _children(release.partitions)
    same = {("site", code) for code, mark in release.sites.items()
            if sites_now.get(code) == mark and ("site", code) in current_keys
            and ("site", code) not in then}
    changed = True
    while changed:  # parents after their children, however deep the partitions go
        changed = False
        for parent, parts in then.items():
            if parent in same or parent not in current_keys or now.get(parent) != parts:
                continue
            if all(child in same for part in parts for child in part):
                same.add(parent)
                changed = True
    return same


def _renamed(f: Figure, code: str) -> Figure:
    return Figure(f.year, f.scope, code, f.variable, f.category, f.count, f.base, f.percent,
                  f.suppressed, f.value, f.provisional)


def current_key(key: Key) -> Key:
    """An earlier release's cell as the new publication's cell of the same scope: where
    hiding widens it."""
    scope, code, variable, category = key
    return scope, _SUFFIX.sub("", code), variable, category

"""The attacker's audit: before a year's figures leave, try to recover every hidden cell.

The attacker (as tau-argus audits a suppression pattern) knows everything published for the
year — every scope, every base, the merged groups — and every relation between them:

- the categories of a single-answer item add up to the population total;
- migrant background is origin regrouped (`no` = `dutch`, `yes` = the other known origins, and
  its base is the total less origin `unknown`);
- a multi-answer category is at most its population; the ended are at most the reached;
- a parent scope is the sum of each of its partitions (the nation = Σ published sites and
  groups = Σ organisations = Σ municipalities; an organisation = Σ its sites; a group = Σ its
  sites);
- nobody is a negative number.

Hidden cells are the unknowns of that linear system. For each, the audit asks the linear
programme for its smallest and largest feasible value (SciPy's HiGHS solver) and rounds them
inward to whole persons. A hidden cell passes when that interval is at least
`standard.MIN_WIDTH` wide: a hidden 2 stays anywhere in 0-5 or wider, so it is neither
determined nor pinned down by bounds.

Cost. Published cells are substituted as constants, so the programme has only hidden cells as
variables, and it falls apart into independent components (a site's hidden cells connect only
through the equations they share). At 400 sites one component still holds 13,000 cells, so the
auditor, who knows the true figures, first settles cells in small programmes (`_Local`): wide
in a block with everything outside it held at its true value, narrow in a relaxation that
keeps only the relations near the cell. The whole component is solved only for the few cells
neither settles: a few LPs with random objectives find extreme points that show most cells to
be wide, and only the cells left narrow get their own two LPs. The result is the same as two
LPs per hidden cell over the whole programme, at a fraction of the time.

`attacker_knows` models a coordinator with a wider role: she holds her own site's true figures,
so they are constants for that attack.
"""

from __future__ import annotations

import copy
import logging
import math
import os
import random
import re
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from mim.figures import standard
from mim.figures.tidy import Figure

logger = logging.getLogger(__name__)

ScopeKey = tuple[str, str]
Key = tuple[str, str, str, str]  # (scope, code, variable, category)
_UPPER = 10**7  # no count of persons is larger; keeps every LP bounded
_EPS = 1e-6


@dataclass
class AuditResult:
    hidden: int = 0  # hidden cells checked
    narrow: dict[Key, tuple[int, int]] = field(default_factory=dict)  # key -> (low, high)
    solves: int = 0
    narrowest: int | None = None  # the smallest interval width found
    narrowest_passed: int | None = None  # the smallest among the cells that passed
    # Per narrow cell, the relations that pin it (those with a non-zero dual at its bounds),
    # each as the keys of its published non-zero terms: what the publication hides next.
    pins: dict[Key, list[list[Key]]] = field(default_factory=dict)
    local_solves: int = 0  # of `solves`, those in small blocks (`_Local`)

    @property
    def passed(self) -> bool:
        return not self.narrow

    def summary(self) -> dict:
        """What may be stored and shown: counts, never a cell's value or interval."""
        return {"hidden": self.hidden, "narrow": len(self.narrow), "solves": self.solves,
                "narrowest": self.narrowest, "min_width": standard.MIN_WIDTH}


def key_of(f: Figure) -> Key:
    return (f.scope, f.scope_code, f.variable, f.category)


class _System:
    """Rows `a·x = b` (and `a·x <= b`) over the cells of a year, as sparse triplets."""

    def __init__(self):
        self.index: dict[Key, int] = {}
        self.eq_rows: list[list[tuple[int, float]]] = []
        self.eq_rhs: list[float] = []
        self.ub_rows: list[list[tuple[int, float]]] = []
        self.ub_rhs: list[float] = []

    def var(self, key: Key) -> int:
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.index)
        return found

    def equal(self, terms: Iterable[tuple[Key, float]], rhs: float = 0.0) -> None:
        self.eq_rows.append([(self.var(k), c) for k, c in terms])
        self.eq_rhs.append(rhs)

    def at_most(self, terms: Iterable[tuple[Key, float]], rhs: float = 0.0) -> None:
        self.ub_rows.append([(self.var(k), c) for k, c in terms])
        self.ub_rhs.append(rhs)


def audit(year: int, published: Sequence[Figure], *, secret: Sequence[Figure] = (),
          partitions: Sequence[tuple[ScopeKey, Sequence[ScopeKey]]] = (),
          attacker_knows: Sequence[Figure] = (), protect: set | None = None,
          truth: Iterable[Figure] = (),
          grows: Sequence[tuple] = (),
          seed: int = 0, cache: dict | None = None) -> AuditResult:
    """Attack one year's publication. `published`: every figure in published form; `secret`:
    figures of scopes that are not published at all (sites inside a merged group), whose cells
    the attacker must not learn either; `attacker_knows`: true figures the attacker holds.

    `protect`: the keys of the cells that must keep an interval of MIN_WIDTH (the ones the
    primary rules hide, `suppression.is_primary`); by default every hidden cell. Secondary
    cells hold 0 or at least MIN_CELL persons: narrowing them discloses no small number, and a
    primary cell they stopped covering is checked itself.

    `truth`: the true figures of every scope (the auditor has them; the attacker does not).
    With them the audit first proves cells wide in small blocks around each cell and proves
    cells narrow in small relaxations, and solves the whole programme only for what neither
    settles (`_Local`). Without them, or where they do not satisfy the relations, every cell
    is solved in the whole programme. The answer is the same either way, except in a component
    too large to solve whole (`_WHOLE_LIMIT`), where a cell neither proof settles counts as
    narrow.

    `grows`: (smaller, larger, cells, steps) for scopes the attacker knows to be one site in
    two releases (mim.publication.releases `_grew`): each of `cells` (variable, category) of
    `smaller` is at most the same cell of `larger`, and each of `steps` (multi-answer cells)
    differs between them by at most what its population's total does.

    `cache`: a dict that lives for one build, in which the relations are kept for the next
    call over the same cells, partitions and growth rows (`_Relations`): the rounds and the
    attackers of a build differ only in what is hidden and what the attacker holds."""
    value: dict[Key, int | None] = {}
    for f in secret:
        if standard.is_protected(f.variable):
            value[key_of(f)] = None
    for f in published:
        if standard.is_protected(f.variable):
            value[key_of(f)] = None if (f.suppressed or f.count is None) else f.count
    for f in attacker_knows:
        if standard.is_protected(f.variable) and f.count is not None:
            value[key_of(f)] = f.count
    grows = tuple(grows)
    if cache is None:
        relations = _Relations(year, value, partitions, grows)
    else:
        # Exactly the same cells (hidden or not), partitions and growth rows: the same rows.
        signature = (year, frozenset(value),
                     tuple((tuple(p), tuple(map(tuple, c))) for p, c in partitions), grows)
        relations = cache.get(signature)
        if relations is None:
            cache.clear()  # one at a time: at 2,000 sites a set of relations is large
            relations = cache[signature] = _Relations(year, value, partitions, grows)
    known = {key_of(f): f.count for f in truth if f.count is not None}
    return _solve(relations.with_bases(published, value), value, random.Random(seed), protect,
                  known, relations.scopes)


class _Relations:
    """The rows of a year's programme that do not depend on what is hidden: each scope's own
    relations, the partitions and the growth rows, as sparse matrices over one numbering of
    the cells. The rows a published base adds (`_published_bases`) do depend on it and are
    added per audit, where they always stood: after the scopes' relations (the order of rows
    and columns is the one the audit always had, so the solver takes the same steps).
    Measured: building the rows was a sixth of a demo release's build, eight times over."""

    def __init__(self, year: int, value: dict, partitions, grows: Sequence[tuple]):
        system = _System()
        scopes = {(k[0], k[1]) for k in value}
        for scope in sorted(scopes):
            _scope_relations(system, year, scope, value)
        self.head = len(system.eq_rows)  # the published bases' rows go here
        template = standard.template(year)
        for parent, children in partitions:
            if (parent[0], parent[1]) not in scopes:
                continue
            for variable, category in template:
                system.equal([((*parent, variable, category), 1.0),
                              *(((*child, variable, category), -1.0) for child in children)])
        for before, after, cells, steps in grows:
            for variable, category in sorted(cells):
                old, new = (*before, variable, category), (*after, variable, category)
                if old in value and new in value:
                    system.at_most([(old, 1.0), (new, -1.0)])
            for variable, category in sorted(steps):
                total = (f"{variable.partition('.')[0]}.total", "all")
                terms = [((*after, variable, category), 1.0),
                         ((*before, variable, category), -1.0),
                         ((*after, *total), -1.0), ((*before, *total), 1.0)]
                if all(k in value for k, _ in terms):
                    system.at_most(terms)
        self.index = system.index
        n = len(system.index)
        self.eq, self.eq_terms = _matrix(system.eq_rows, n)
        self.eq_rhs = np.asarray(system.eq_rhs, dtype=float)
        self.ub, self.ub_terms = _matrix(system.ub_rows, n)
        self.ub_rhs = np.asarray(system.ub_rhs, dtype=float)
        self.scopes = _ScopeGraph(partitions)

    def with_bases(self, published: Sequence[Figure], value: dict) -> _Rows:
        bases = _Known(self.index)
        try:
            _published_bases(bases, published, value)
        except KeyError:
            bases = _System()  # a base names a cell no relation does: new columns
            bases.index = dict(self.index)
            _published_bases(bases, published, value)
        n = len(bases.index)
        matrix, terms = _matrix(bases.eq_rows, n)
        eq = sparse.vstack([_widened(self.eq[:self.head], n), matrix,
                            _widened(self.eq[self.head:], n)]).tocsr()
        rhs = np.concatenate([self.eq_rhs[:self.head], np.asarray(bases.eq_rhs, dtype=float),
                              self.eq_rhs[self.head:]])
        terms = _Terms.join(self.eq_terms.rows(0, self.head), terms,
                            self.eq_terms.rows(self.head, len(self.eq_rhs)))
        return _Rows(bases.index, eq, rhs, _widened(self.ub, n), self.ub_rhs, terms,
                     self.ub_terms)


@dataclass
class _Rows:
    """The programme's rows for one audit: `eq·x = eq_rhs`, `ub·x <= ub_rhs` over the cells
    numbered by `index`."""

    index: dict[Key, int]
    eq: sparse.csr_matrix
    eq_rhs: np.ndarray
    ub: sparse.csr_matrix
    ub_rhs: np.ndarray
    eq_terms: _Terms
    ub_terms: _Terms


@dataclass
class _Terms:
    """Each row's cells in the order the row named them, as two arrays: the pins are read from
    them (`_solve`), and that order decides ties there (mim.publication.build `_widen`). The
    rows as lists of pairs took some hundred MB at 2,000 sites, kept for a whole build."""

    starts: np.ndarray  # row r's cells are cells[starts[r]:starts[r + 1]]
    cells: np.ndarray

    def row(self, r: int) -> np.ndarray:
        return self.cells[self.starts[r]:self.starts[r + 1]]

    def rows(self, first: int, end: int) -> _Terms:
        return _Terms(self.starts[first:end + 1] - self.starts[first],
                      self.cells[self.starts[first]:self.starts[end]])

    @staticmethod
    def join(*parts: _Terms) -> _Terms:
        starts, offset = [np.zeros(1, dtype=np.int64)], 0
        for part in parts:
            starts.append(part.starts[1:] + offset)
            offset += len(part.cells)
        return _Terms(np.concatenate(starts), np.concatenate([p.cells for p in parts]))


def _matrix(rows: list[list[tuple[int, float]]], n: int) -> tuple[sparse.csr_matrix, _Terms]:
    counts = np.fromiter((len(terms) for terms in rows), dtype=np.int64, count=len(rows))
    size = int(counts.sum())
    cells = np.fromiter((i for terms in rows for i, _c in terms), dtype=np.int64, count=size)
    data = np.fromiter((c for terms in rows for _i, c in terms), dtype=float, count=size)
    row_ids = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    matrix = sparse.csr_matrix((data, (row_ids, cells)), shape=(len(rows), n))
    return matrix, _Terms(np.concatenate([[0], np.cumsum(counts)]).astype(np.int64), cells)


def _widened(matrix: sparse.csr_matrix, n: int) -> sparse.csr_matrix:
    """The same rows over `n` columns (new columns to the right, empty)."""
    if matrix.shape[1] == n:
        return matrix
    return sparse.csr_matrix((matrix.data, matrix.indices, matrix.indptr),
                             shape=(matrix.shape[0], n))


class _Known(_System):
    """Rows over the cells of `index` only, which it leaves as it is: a row that names another
    cell raises KeyError."""

    def __init__(self, index: dict[Key, int]):
        super().__init__()
        self.index = index

    def var(self, key: Key) -> int:
        return self.index[key]


def _scope_relations(system: _System, year: int, scope: ScopeKey, value: dict) -> None:
    variables = standard.variables(year)
    totals = {p: (*scope, f"{p}.total", "all") for p in standard.PERSON_POPULATIONS}
    for name, spec in variables.items():
        if spec.is_total:
            continue
        total = totals[spec.population]
        cells = [(*scope, name, c) for c in spec.categories]
        if spec.multi:
            for cell in cells:
                system.at_most([(cell, 1.0), (total, -1.0)])
        elif spec.item == "migrant_background":
            origin = f"{spec.population}.origin"
            yes, no = (*scope, name, "yes"), (*scope, name, "no")
            unknown = (*scope, origin, standard.UNKNOWN)
            system.equal([(yes, 1.0), (no, 1.0), (unknown, 1.0), (total, -1.0)])
            system.equal([(no, 1.0), ((*scope, origin, standard.DOMESTIC_ORIGIN), -1.0)])
            foreign = [c for c in variables[origin].categories
                       if c not in (standard.DOMESTIC_ORIGIN, standard.UNKNOWN)]
            system.equal([(yes, 1.0), *(((*scope, origin, c), -1.0) for c in foreign)])
        else:
            system.equal([*((cell, 1.0) for cell in cells), (total, -1.0)])
    for population, leavers in standard.LEAVERS.items():
        system.at_most([(totals[leavers], 1.0), (totals[population], -1.0)])


def _published_bases(system: _System, published: Sequence[Figure], value: dict) -> None:
    """A base shown beside a hidden total gives the total away; migrant background's base is
    the total less unknown origin."""
    seen = set()
    for f in published:
        if f.base is None or not standard.is_protected(f.variable) or f.item == "total":
            continue
        population = f.population
        kind = "known" if f.item == "migrant_background" else "total"
        marker = (f.scope, f.scope_code, population, kind)
        if marker in seen:
            continue
        seen.add(marker)
        total = (f.scope, f.scope_code, f"{population}.total", "all")
        if kind == "total":
            system.equal([(total, 1.0)], float(f.base))
        else:
            system.equal([(total, 1.0), ((f.scope, f.scope_code, f"{population}.origin",
                                          standard.UNKNOWN), -1.0)], float(f.base))


def _solve(system: _Rows, value: dict, rng: random.Random, protect: set | None,
           truth: dict[Key, int] | None = None, scopes: _ScopeGraph | None = None
           ) -> AuditResult:
    n = len(system.index)
    keys = [None] * n
    for key, i in system.index.items():
        keys[i] = key
    fixed = np.zeros(n)
    hidden_mask = np.ones(n, dtype=bool)
    for key, i in system.index.items():
        v = value.get(key)
        if v is not None:
            fixed[i] = v
            hidden_mask[i] = False
        # a cell that no figure carries (a relation names a category nobody listed) is as
        # unknown to the attacker as a hidden one
    # The published cells moved to the right-hand side.
    shown = np.where(hidden_mask, 0.0, fixed)
    a_eq, b_eq = system.eq, system.eq_rhs - system.eq @ shown
    a_ub, b_ub = system.ub, system.ub_rhs - system.ub @ shown
    hidden_ids = np.flatnonzero(hidden_mask)
    checked = {i for i in hidden_ids
               if keys[i] in value and (protect is None or keys[i] in protect)}
    result = AuditResult(hidden=len(checked))
    if not len(hidden_ids):
        return result
    a_eq = a_eq[:, hidden_ids].tocsr()
    a_ub = a_ub[:, hidden_ids].tocsr()
    # Cells and relations as one graph, each relation a node joined to its cells: the cells'
    # components without the cell-by-cell product, whose national rows (one term per site)
    # made it grow with the square of the sites (1.2 billion entries at 2,000 sites).
    incidence = sparse.vstack([a_eq, a_ub]).tocsr()
    n_rows, n_cols = incidence.shape
    graph = sparse.bmat([[sparse.csr_matrix((n_rows, n_rows)), incidence],
                         [incidence.T, sparse.csr_matrix((n_cols, n_cols))]]).tocsr()
    _count, labels = connected_components(graph, directed=False)
    labels = labels[n_rows:]
    members = defaultdict(list)
    for c, label in enumerate(labels):
        members[label].append(c)
    eq_rows_of = _rows_by_component(a_eq, labels)
    ub_rows_of = _rows_by_component(a_ub, labels)
    local = None
    if truth and scopes is not None:
        local = _Local(result, keys, hidden_ids, checked, a_eq, b_eq, a_ub, b_ub, truth, scopes,
                       labels)
        local.tables(c for label, cols in members.items() if local.feasible(label)
                     for c in cols)
    for label, cols in members.items():
        open_ids = checked
        if local is not None and local.feasible(label):
            left = local.settle(cols)
            if len(cols) > _WHOLE_LIMIT and not (len(left) <= _WHOLE_FEW
                                                 and len(cols) <= _WHOLE_FEW_LIMIT):
                # Fail closed: the publication hides more around these cells and asks again.
                local.unsettled(left)
                continue
            open_ids = {hidden_ids[c] for c in left}
        _solve_component(result, keys, hidden_ids, open_ids, cols,
                         a_eq, b_eq, eq_rows_of.get(label, []),
                         a_ub, b_ub, ub_rows_of.get(label, []), rng)
    if local is not None:
        result.local_solves = local.solves
    for key, rows in list(result.pins.items()):
        terms = [(system.eq_terms if kind == "eq" else system.ub_terms).row(r)
                 for kind, r in rows]
        result.pins[key] = [[keys[i] for i in row if not hidden_mask[i] and fixed[i] > 0]
                            for row in terms]
    return result


class _ScopeGraph:
    """Which scopes share a relation other than the nation's: the neighbourhood in which a
    cell can move while everything farther away stays at its true value."""

    def __init__(self, partitions: Sequence[tuple[ScopeKey, Sequence[ScopeKey]]]):
        self.near: dict[ScopeKey, set[ScopeKey]] = defaultdict(set)
        for parent, children in partitions:
            parent = tuple(parent)
            if parent[0] == "national":
                continue  # every scope is part of the nation: that would make all of them near
            for child in children:
                self.near[parent].add(tuple(child))
                self.near[tuple(child)].add(parent)

    def regions(self, size: int) -> tuple[dict[ScopeKey, int], list[set[ScopeKey]]]:
        """The sites in runs of `size`, in order of their organisation, each run with the
        scopes its sites are part of; an organisation or municipality belongs to the run that
        holds most of its sites."""
        def organisation(site):
            return min((t for t in self.near[site] if t[0] == "organisation"), default=("", ""))

        sites = sorted((s for s in self.near if s[0] == "site"),
                       key=lambda s: (organisation(s), s))
        region_of: dict[ScopeKey, int] = {}
        regions: list[set[ScopeKey]] = []
        for start in range(0, len(sites), size):
            run = sites[start:start + size]
            regions.append(set(run).union(*(self.near[s] for s in run)))
            region_of.update((s, len(regions) - 1) for s in run)
        for scope, near in self.near.items():
            if scope[0] != "site":
                counts: dict[int, int] = defaultdict(int)
                for t in near:
                    if t in region_of:
                        counts[region_of[t]] += 1
                if counts:
                    region_of[scope] = min(counts, key=lambda r: (-counts[r], r))
        return region_of, regions

    def around(self, scope: ScopeKey, radius: int, limit: int) -> list[ScopeKey]:
        """The scopes at most `radius` relations away, nearest first, at most `limit`."""
        found = {scope: None}
        frontier = [scope]
        for _step in range(radius):
            reached = []
            for here in frontier:
                for there in sorted(self.near.get(here, ())):
                    if there not in found and len(found) < limit:
                        found[there] = None
                        reached.append(there)
            frontier = reached
        return list(found)


# The "near" block (`_Local._block_of`): the scopes at most this many relations away, at most
# this many. Two reach a site's siblings in its organisation, municipality and merged group;
# four also their other organisations and municipalities and the sites of those (measured at 400
# sites: the same cells settled, the audit a little faster than with two).
_NEAR, _NEAR_SCOPES = 4, 120
# An earlier release's scope (mim.publication.releases): `<code>~r<number>`.
_RELEASE = re.compile(r"~r\d+$")
# Sites per region (`_ScopeGraph.regions`): the narrow relaxations' size, whatever the number
# of sites. At 400 sites one region holds them all.
_REGION_SITES = 400
# A component larger than this is not solved whole (the largest holds 13,285 cells at 400
# sites; at 2,000 sites they are several times larger, and a single solve takes minutes): a
# cell the blocks prove neither wide nor narrow counts as narrow, so the publication hides more
# around it and the next round asks again. The audit then never passes a cell it has not
# proven wide; it may hide a little more than needed.
_WHOLE_LIMIT = 15_000
# ... except a few cells in a component up to four times that: an earlier release's cell that
# only moves with cells of both releases (found at 400 sites, the second release of a running
# year: one volunteers cell of a small site, proven wide in its own release's audit, left open
# by every block, and refused). A few bounds of the whole take seconds there; at 2,000 sites,
# where a component is larger still, a cold start alone takes 40 s.
_WHOLE_FEW, _WHOLE_FEW_LIMIT = 4, 60_000
# Random mixtures a block tries before single-cell bounds (as `_solve_component`), while each
# shows at least this many more cells wide: a cell's own bounds show one for two solves.
_BLOCK_MIXTURES, _MIXTURE_PAYS = 40, 2
# ... and at least one more per this many cells of the block: a mixture costs more the larger
# the block (2.8 s on the 27,605 cells of the largest at 2,000 sites, where a cell the
# mixtures leave costs some 0.25 s in relaxations and bounds: a mixture pays from 11 cells).
# Counted in cells, not seconds, so that the audit takes the same steps on any machine.
_CELLS_PER_PAYING_CELL = 2500
# Table blocks solved at once, in threads (`_Local._side_by_side`): one per CPU, at most four.
_THREADS = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))
# The narrow relaxations each stage of `_Local` tries (`_inner`): around the cell's own scope
# ("near", `_outer_near`) and over the block within the cell's region ("region"). A near
# block's cells were all tried around their own scope in the table stage, the same programme
# for the same cell (at demo scale 256 solves that proved nothing when asked again); the
# release stage's cells were tried in both.
_RELAXATIONS = {"table": ("near", "region"), "near": ("region",), "release": ()}
# Near blocks solved side by side (`_Local.settle`), in waves of this many.
_NEAR_WAVE = 8
# Blocks of at least this many cells mix with the interior point method (`_Programme`).
_INTERIOR_FROM = 1500
# HiGHS's presolve rule "dependent equations" (bit 10 of `presolve_rule_off` in HiGHS 1.16).
_DEPENDENT_EQUATIONS = 1 << 10


class _Local:
    """Settles most cells in small blocks, before the whole programme is solved.

    The auditor knows a feasible point of the attacker's programme: the true figures.
    - Wide: hold every cell outside a block at its true value and let the block's cells move.
      Every point of that small programme is a point of the attacker's, so an interval of
      MIN_WIDTH there is at least as wide in the attacker's. Every point found also widens what
      is known of every other cell of the block.
    - Narrow: keep only the relations that touch the block, each with every cell it names free.
      That programme allows everything the attacker's allows and more, so an interval narrower
      than MIN_WIDTH there is at least as narrow in the attacker's.
    A block is the cell's scope and the scopes near it (`_ScopeGraph`, plus the nation), with
    the variables the cell's relations tie it to. Both proofs are exact, so the audit finds
    the same narrow cells as solving the whole programme for every cell: only the cells
    neither proof settles go there (measured in docs/performance.md).
    - A block that holds nothing (whole components: no relation it touches names a cell
      outside it) proves both: its bounds are the attacker's (`_inner`)."""

    def __init__(self, result, keys, hidden_ids, checked, a_eq, b_eq, a_ub, b_ub,
                 truth: dict[Key, int], scopes: _ScopeGraph, labels):
        self.result, self.keys, self.hidden_ids = result, keys, hidden_ids
        self.checked, self.scopes = checked, scopes
        self.n_eq = a_eq.shape[0]
        self.rows = sparse.vstack([a_eq, a_ub]).tocsr()
        self.columns = self.rows.tocsc()
        self.lower = np.concatenate([b_eq, np.full(a_ub.shape[0], -np.inf)])
        self.upper = np.concatenate([b_eq, b_ub])
        self.x = np.array([truth.get(keys[i], 0) for i in hidden_ids], dtype=float)
        # Relations the true figures break (a cell missing from them, say) leave their
        # components to the whole programme: the blocks need a true point to start from.
        found = self.rows @ self.x
        broken = (found < self.lower - _EPS) | (found > self.upper + _EPS)
        self.bad = {int(labels[c]) for r in np.flatnonzero(broken)
                    for c in self.rows.indices[self.rows.indptr[r]:self.rows.indptr[r + 1]]}
        self.bad |= {int(labels[c]) for c in np.flatnonzero((self.x < 0) | (self.x > _UPPER))}
        self.low, self.high = self.x.copy(), self.x.copy()
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_variable: dict[tuple, list[int]] = defaultdict(list)
        self.by_population: dict[tuple, list[int]] = defaultdict(list)
        self.nations: set[ScopeKey] = set()
        self.by_release: dict[str, list[int]] = defaultdict(list)
        for c, i in enumerate(hidden_ids):
            scope, code, variable, _category = keys[i]
            release = _RELEASE.search(code)
            self.by_release[release.group() if release else ""].append(c)
            self.by_name[variable].append(c)
            self.by_variable[(scope, code, variable)].append(c)
            self.by_population[(scope, code, variable.partition(".")[0])].append(c)
            if scope == "national":
                self.nations.add((scope, code))
        self.region_of, self.regions = scopes.regions(_REGION_SITES)
        # Where releases of the year are audited together, a scope's twin is the same scope in
        # the newest earlier release in which it differs from now (`<code>~r<number>`; where
        # it did not change it is the scope now itself), and that one's twin is the scope now:
        # mostly the two the growth rows tie (`grows`). A near block takes the twins of its
        # scopes in, so that a cell may move together with the same cell of the other release.
        # Without them the blocks around a scope held the other release at its true value,
        # and on the demo's running year every cell they were asked about went on to the
        # whole programme (130 of 130 in the second release's first audit; 50 with twins).
        # Only the newest: twins in every release made the near blocks of the tenth release
        # ten times as large, and the build slower.
        self.twins: dict[ScopeKey, list[ScopeKey]] = {}
        if len(self.by_release) > 1:
            newest: dict[ScopeKey, tuple[int, ScopeKey]] = {}
            for scope, code, _variable in self.by_population:
                release = _RELEASE.search(code)
                if release:
                    now = (scope, code[:release.start()])
                    number = int(release.group()[2:])
                    if number > newest.get(now, (0, None))[0]:
                        newest[now] = (number, (scope, code))
            for now, (_number, then) in newest.items():
                self.twins[now], self.twins[then] = [then], [now]
        self.solves = 0
        self.narrow: set[int] = set()  # cells a relaxation proved narrow

    def feasible(self, label) -> bool:
        return int(label) not in self.bad

    def wide(self, c: int) -> bool:
        # `_narrow_seen` for one cell, without making arrays of it (asked some 80,000 times
        # in a build of the demo's seventh release).
        return (math.floor(self.high[c] + _EPS) - math.ceil(self.low[c] - _EPS)
                >= standard.MIN_WIDTH)

    def tables(self, cols: Iterable[int]) -> None:
        """The table blocks of every component at once, side by side (`_side_by_side`): a
        variable's block holds its cells in every component, and the largest blocks of
        different components share the CPUs."""
        keys, ids = self.keys, self.hidden_ids
        blocks: dict[tuple, list[int]] = {}
        for c in sorted((c for c in cols if ids[c] in self.checked), key=lambda c: keys[ids[c]]):
            block = self._block_of(keys[ids[c]], "table")
            if block is not None and not self.wide(c):
                blocks.setdefault(block, []).append(c)
        self._side_by_side(blocks, self.narrow)

    def settle(self, cols: list[int]) -> list[int]:
        """The component's checked cells that neither proof settled, after `tables`."""
        keys, ids = self.keys, self.hidden_ids
        todo = sorted((c for c in cols if ids[c] in self.checked), key=lambda c: keys[ids[c]])
        narrow = self.narrow
        blocks: dict[tuple, list[int]] = {}
        for c in todo:
            if c in narrow or self.wide(c):
                continue
            block = self._block_of(keys[ids[c]], "near")
            if block is not None:
                blocks.setdefault(block, []).append(c)
        # In waves of a fixed number, side by side within a wave: near blocks overlap, and one
        # may show cells of the next wide, so each wave starts from all the waves before it
        # showed. The waves do not depend on the number of threads, so neither does the result
        # (at 2,000 sites: the same cells and solves as one after the other, 36 s sooner).
        items = list(blocks.items())
        for start in range(0, len(items), _NEAR_WAVE):
            self._side_by_side(dict(items[start:start + _NEAR_WAVE]), narrow, "near")
        # Where releases of the year are audited together: what is still open, tried in its
        # own release's cells, every other release's held at the truth. That is the release's
        # own programme with the cells it shares with the others fixed, and it shows wide what
        # its own audit showed wide (a small site's total, which moves only with every
        # variable of its population and sites far away). Found at 400 sites: the two
        # releases' component is past _WHOLE_LIMIT, and an earlier release's cells that no
        # smaller block settled counted as narrow, with nothing to widen: refused.
        if len(self.by_release) > 1:
            blocks = {}
            for c in todo:
                if c not in narrow and not self.wide(c):
                    release = _RELEASE.search(keys[ids[c]][1])
                    blocks.setdefault(("release", release.group() if release else ""),
                                      []).append(c)
            self._side_by_side(blocks, narrow, "release")
        for c in todo:
            if c not in narrow and self.wide(c):
                width = int(np.floor(self.high[c] + _EPS) - np.ceil(self.low[c] - _EPS))
                for name in ("narrowest", "narrowest_passed"):
                    if getattr(self.result, name) is None or width < getattr(self.result, name):
                        setattr(self.result, name, width)
        return [c for c in todo if c not in narrow and not self.wide(c)]

    def _side_by_side(self, blocks: dict[tuple, list[int]], narrow: set[int],
                      stage: str = "table") -> None:
        """Blocks of one stage, `_THREADS` at a time: the table blocks (`tables`) and each wave
        of near blocks (`settle`). They are independent programmes, and HiGHS lets go of
        Python's lock while it solves (two blocks in two threads took half the time of one
        after the other). Each block starts from what was known when the stage (or wave)
        began and only its own cells' bounds change, so the result is the same in whatever
        order the blocks finish, and with any number of threads."""
        low, high = self.low.copy(), self.high.copy()
        work = []
        for block, members in blocks.items():
            members = [c for c in members if not self.wide(c)]
            if members:
                work.append((self._columns(block), members))
        # The largest first, so that no large block is left to run alone at the end.
        work.sort(key=lambda item: -len(item[0]))

        def run(item):
            columns, members = item
            view = copy.copy(self)
            view.low, view.high = low.copy(), high.copy()
            view.result, view.solves, view.narrow = AuditResult(), 0, set()
            found: set[int] = set()
            started = time.perf_counter()
            view._inner(columns, members, found, relax=_RELAXATIONS[stage])
            _log_block(stage, columns, members, view.solves, started)
            return columns, view.low[columns], view.high[columns], found, view.result, \
                view.solves

        with ThreadPoolExecutor(_THREADS) as pool:
            # In the blocks' order: the merge below does not depend on which finished first.
            for columns, low_seen, high_seen, found, result, solves in pool.map(run, work):
                self.low[columns] = np.minimum(self.low[columns], low_seen)
                self.high[columns] = np.maximum(self.high[columns], high_seen)
                narrow |= found
                self.result.narrow.update(result.narrow)
                self.result.pins.update(result.pins)
                self.result.solves += result.solves
                self.solves += solves
                if result.narrowest is not None and (self.result.narrowest is None
                                                     or result.narrowest
                                                     < self.result.narrowest):
                    self.result.narrowest = result.narrowest

    def unsettled(self, cells: list[int]) -> None:
        """Cells no block settled, reported narrow with what the blocks saw of them."""
        for c in cells:
            key = self.keys[self.hidden_ids[c]]
            low = math.ceil(self.low[c] - _EPS)
            high = math.floor(self.high[c] + _EPS)
            self.result.narrow[key] = (low, high)
            if self.result.narrowest is None or high - low < self.result.narrowest:
                self.result.narrowest = high - low

    def _block_of(self, key: Key, stage: str) -> tuple | None:
        """The block a cell is tried in at a stage, or None to skip the stage.

        "table": the cell's variable in every scope, with the relations it shares with other
        variables (its population's total; origin with migrant background). A cell of a site
        usually moves against the same cell of scopes far away (a site, its organisation, a
        municipality it shares with a site of another organisation, and so on around), so the
        block spans all scopes, but one variable keeps it small. (Blocks of a region's scopes,
        everything else held, showed few cells wide where municipalities cross organisations
        at random, as in benchmarks/publication_build.py: most such moves leave the region.)
        "near": every variable of the cell's population in the scopes near it. A total moves
        only with a cell of every variable of its population: a small site's total against a
        site of its merged group, say."""
        scope, code, variable, _category = key
        population, _dot, item = variable.partition(".")
        if stage == "table":
            if item == "total":
                return None  # every other variable holds it at its true value
            names = {variable, f"{population}.total"}
            if item in ("origin", "migrant_background"):
                names |= {f"{population}.origin", f"{population}.migrant_background"}
            return ("table", None, tuple(sorted(names)))
        if scope == "national":
            return None  # near the nation is everything: the whole programme
        linked = {population, *(p for p, leavers in standard.LEAVERS.items()
                                if leavers == population)}
        if population in standard.LEAVERS:
            linked.add(standard.LEAVERS[population])
        return ("near", scope, code, tuple(sorted(linked)))

    def _columns(self, block: tuple) -> np.ndarray:
        if block[0] == "release":
            return np.asarray(self.by_release[block[1]], dtype=np.int64)
        if block[0] == "table":
            found = [c for name in block[2] for c in self.by_name.get(name, ())]
        else:
            _kind, scope, code, populations = block
            around = self.scopes.around((scope, code), _NEAR, _NEAR_SCOPES)
            around += [twin for here in around for twin in self.twins.get(here, ())]
            found = [c for here in around + sorted(self.nations) for population in populations
                     for c in self.by_population.get((*here, population), ())]
        return np.unique(np.asarray(found, dtype=np.int64))

    def _programme(self, rows: np.ndarray, columns: np.ndarray, hold: bool) -> _Programme:
        block = self.rows[rows]
        inside = block[:, columns]
        lower, upper = self.lower[rows], self.upper[rows]
        if hold:  # the cells outside the block at their true values
            outside = block @ self.x - inside @ self.x[columns]
            lower, upper = lower - outside, upper - outside
        return _Programme(None, None, None, None, len(columns), rows=inside, lower=lower,
                          upper=upper)

    def _solve(self, programme: _Programme, objective) -> np.ndarray | None:
        self.solves += 1
        self.result.solves += 1
        return programme.solve(objective)

    def _touching(self, columns: np.ndarray) -> np.ndarray:
        return np.unique(self.columns[:, columns].indices)

    def _inner(self, columns: np.ndarray, members: list[int], narrow: set[int], *,
               relax: tuple[str, ...] = ("near", "region")) -> None:
        """Points of the block's programme, every cell outside held at its true value: random
        mixtures first, then the narrow relaxations named in `relax` (`_RELAXATIONS`) for the
        cells they left open, then each remaining cell's own bounds."""
        rows = self._touching(columns)
        where = {int(c): p for p, c in enumerate(columns)}
        block = self.rows[rows][:, columns]
        lower, upper = self._held(rows, columns, block)

        def seen(x):
            if x is None:
                return
            # An interior point meets the relations only to the solver's tolerance: a point
            # that misses one by more than the rounding allows proves nothing.
            x = np.clip(x, 0.0, _UPPER)
            found = block @ x
            miss = max(float(np.max(lower - found, initial=0.0)),
                       float(np.max(found - upper, initial=0.0)))
            if miss > _EPS:
                logger.debug("audit block: a point %.1e off the relations not counted", miss)
                return
            self.low[columns] = np.minimum(self.low[columns], x)
            self.high[columns] = np.maximum(self.high[columns], x)

        targets = np.array([self.hidden_ids[c] in self.checked for c in columns])
        generator = np.random.default_rng(len(columns))
        count = None
        mixing = None
        pays = max(_MIXTURE_PAYS, len(columns) // _CELLS_PER_PAYING_CELL)
        for _try in range(_BLOCK_MIXTURES):
            open_cells = targets & _narrow_seen(self.low[columns], self.high[columns])
            if count is not None and count - int(open_cells.sum()) < pays:
                break  # a cell's own bounds show as much per second now
            count = int(open_cells.sum())
            if count <= pays:
                break
            if mixing is None:
                mixing = _Programme(None, None, None, None, len(columns), rows=block,
                                    lower=lower, upper=upper,
                                    interior=len(columns) >= _INTERIOR_FROM)
            # Push the open cells of the block each a random way: one solve shows many wide.
            weights = generator.choice((-1.0, 1.0), len(columns)) * open_cells
            seen(self._solve(mixing, weights))
        # What is still open is mostly truly narrow: the relaxation proves that in two solves
        # of a programme no larger, where bounds here would take two and prove nothing.
        still = [c for c in members if not self.wide(c)]
        if "near" in relax:
            narrow |= self._outer_near(still)
        if "region" in relax:
            narrow |= self._outer_region(columns, [c for c in still if c not in narrow])
        # A block that holds nothing (no relation it touches names a cell outside it) is whole
        # components: its bounds are the attacker's, and a cell they leave narrow is narrow.
        # Found at 2,000 sites: a variable's table block is often its whole component, and the
        # component was solved again, whole, for the cells its bounds had left (50 s for 83
        # cells of one of 8,267), or, past `_WHOLE_LIMIT`, counted narrow with no pins.
        closed = np.isin(self.rows[rows].indices, columns).all()
        programme = mixing if mixing is not None and not mixing.interior else None
        unit = np.zeros(len(columns))
        for c in members:
            ends, binding = [], []
            for sign in (-1.0, 1.0):  # largest, then smallest
                if c in narrow or self.wide(c):
                    break
                if programme is None:
                    programme = _Programme(None, None, None, None, len(columns), rows=block,
                                           lower=lower, upper=upper)
                unit[where[c]] = sign
                x = self._solve(programme, unit)
                unit[where[c]] = 0.0
                seen(x)
                if x is not None:
                    ends.append(float(x[where[c]]))
                    binding.append(programme.duals)
            if closed and len(ends) == 2 and not self.wide(c):
                self._narrow(c, math.ceil(ends[1] - _EPS), math.floor(ends[0] + _EPS),
                             binding, rows)
                narrow.add(c)

    def _held(self, rows: np.ndarray, columns: np.ndarray, block) -> tuple:
        """The rows' bounds with every cell outside the block at its true value."""
        outside = self.rows[rows] @ self.x - block @ self.x[columns]
        return self.lower[rows] - outside, self.upper[rows] - outside

    def _outer_near(self, members: list[int]) -> set[int]:
        """The relaxation around each cell's own scope first: what pins a cell is usually
        near it, and these programmes stay small however many sites there are."""
        blocks: dict[tuple, list[int]] = {}
        for c in members:
            scope, code, variable, category = self.keys[self.hidden_ids[c]]
            block = self._block_of((scope, code, variable, category), "table")
            if block is None or scope == "national":
                continue
            blocks.setdefault((scope, code, block[2]), []).append(c)
        narrow = set()
        for (scope, code, names), group in blocks.items():
            around = self.scopes.around((scope, code), _NEAR, _NEAR_SCOPES)
            found = [c for here in around + sorted(self.nations) for name in names
                     for c in self.by_variable.get((*here, name), ())]
            narrow |= self._outer(np.unique(np.asarray(found, dtype=np.int64)), group)
        return narrow

    def _outer_region(self, columns: np.ndarray, members: list[int]) -> set[int]:
        """Then around the block's cells of each cell's region: a relaxation's rows can be any,
        and a region's keep its programmes from growing with the sites."""
        if len(self.regions) == 1:
            return self._outer(columns, members)
        by_region: dict[int | None, list[int]] = defaultdict(list)
        for c in members:
            by_region[self.region_of.get(self.keys[self.hidden_ids[c]][:2])].append(c)
        narrow = set()
        for region, group in sorted(by_region.items(), key=lambda item: item[0] is None):
            if region is None:
                narrow |= self._outer(columns, group)
                continue
            scopes = self.regions[region] | self.nations
            inside = [c for c in columns if self.keys[self.hidden_ids[c]][:2] in scopes]
            narrow |= self._outer(np.asarray(inside, dtype=np.int64), group)
        return narrow

    def _outer(self, columns: np.ndarray, members: list[int]) -> set[int]:
        if not members:
            return set()
        rows = self._touching(columns)
        free = np.unique(self.rows[rows].indices)
        programme = self._programme(rows, free, hold=False)
        where = {int(c): p for p, c in enumerate(free)}
        unit = np.zeros(len(free))
        narrow = set()
        for c in members:
            unit[where[c]] = -1.0
            x_high = self._solve(programme, unit)
            binding = [programme.duals]
            unit[where[c]] = 0.0
            if x_high is None:
                continue  # cannot tell here: the whole programme will
            hi = math.floor(x_high[where[c]] + _EPS)
            # The true figures are a point of the relaxation, so its smallest value is at most
            # the true count: a largest value MIN_WIDTH above that proves nothing narrow, and
            # the smallest is not asked (most cells the mixtures leave are wide: at demo scale
            # this saved about half of the relaxations' solves).
            if hi - math.ceil(self.x[c] - _EPS) >= standard.MIN_WIDTH:
                continue
            unit[where[c]] = 1.0
            x_low = self._solve(programme, unit)
            binding.append(programme.duals)
            unit[where[c]] = 0.0
            if x_low is None:
                continue
            lo = math.ceil(x_low[where[c]] - _EPS)
            if hi - lo >= standard.MIN_WIDTH:
                continue
            narrow.add(c)
            self._narrow(c, lo, hi, binding, rows)
        return narrow

    def _narrow(self, c: int, lo: int, hi: int, binding: list, rows: np.ndarray) -> None:
        """A cell proven narrow, with the relations that pin it (the duals of its bounds)."""
        key = self.keys[self.hidden_ids[c]]
        self.result.narrow[key] = (lo, hi)
        if self.result.narrowest is None or hi - lo < self.result.narrowest:
            self.result.narrowest = hi - lo
        self.result.pins[key] = _pins(binding, [int(r) for r in rows], self.n_eq)


def _log_block(stage: str, columns, members, solves: int, started: float) -> None:
    # Counts and times only: never a cell's key or value.
    logger.debug("audit block %s: %d cells, %d open, %d solves, %.2f s", stage, len(columns),
                 len(members), solves, time.perf_counter() - started)


def _pins(binding, rows: list[int], n_eq: int) -> list[tuple[str, int]]:
    """The relations with a non-zero dual at a narrow cell's bounds, most binding first: what
    the publication opens next (mim.publication.build._widen). A degenerate programme can report
    dozens, and opening each would hide far more than the cell needs."""
    weight: dict[int, float] = {}
    for duals in binding:
        if duals is None:
            continue
        for r in np.flatnonzero(np.abs(duals) > 1e-9):
            weight[int(r)] = max(weight.get(int(r), 0.0), abs(float(duals[r])))
    chosen = sorted(weight, key=lambda r: (-weight[r], r))[:_PINS]
    return [("eq", rows[r]) if rows[r] < n_eq else ("ub", rows[r] - n_eq) for r in chosen]


def _rows_by_component(matrix, labels) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    matrix = matrix.tocsr()
    for r in range(matrix.shape[0]):
        cols = matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]]
        if len(cols):
            found[int(labels[cols[0]])].append(r)
    return found


# Random mixed objectives per component before single-cell bounds: 16 halved the audit at 40
# sites against 40 (each mixture moves the basis far, a single-cell bound barely).
_MIXTURES = 16
# Relations reported per narrow cell, most binding first (mim.publication.build._widen).
_PINS = 4


def _narrow_seen(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Cells whose feasible points seen so far do not yet prove an interval of MIN_WIDTH.

    The smallest feasible value is at most `low` and the largest at least `high`, so whole
    persons range at least from ceil(low) to floor(high)."""
    return (np.floor(high + _EPS) - np.ceil(low - _EPS)) < standard.MIN_WIDTH


_FIRST_HIGHS = True
_FIRST_LOCK = threading.Lock()


def _quiet_highs():
    """A HiGHS instance that writes nothing. The first one a process makes prints a banner on
    standard output from C, past Python's `sys.stdout`, so it landed in the CSV that `mim
    figures` writes there when the year had to be built first; it is made with standard output
    pointed at /dev/null for that moment."""
    import highspy

    global _FIRST_HIGHS
    # One thread at a time (`_Local._side_by_side`): two interleaved redirections would leave
    # standard output pointed at /dev/null.
    with _FIRST_LOCK:
        if _FIRST_HIGHS:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 1)
                    highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _FIRST_HIGHS = False
            highs.setOptionValue("output_flag", False)
            return highs
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


class _Programme:
    """One component's linear programme in HiGHS, kept loaded: each new objective starts from
    the previous optimal basis (a warm start), which is what makes thousands of bound
    questions cheap. SciPy's `linprog` wraps the same solver but rebuilds the model per call."""

    def __init__(self, a_eq, b_eq, a_ub, b_ub, size, *, rows=None, lower=None, upper=None,
                 interior=False):
        import highspy

        self.size = size
        self.highs = _quiet_highs()
        self.interior = interior
        if interior:
            # Random mixtures of a large block: the interior point method without crossover
            # takes about the same time whatever the objective, where the simplex from the last
            # basis walked thousands of vertices to the next mixture's optimum (measured on a
            # 5,418-cell block: 0.14 s a solve against 1 s). Its points are on the optimal face
            # rather than a vertex, which shows cells as wide; `_Local` checks each against the
            # relations before it trusts it.
            self.highs.setOptionValue("solver", "ipm")
            self.highs.setOptionValue("run_crossover", "off")
            # Presolve runs again for every mixture (a new objective changes its reductions),
            # and its search for dependent equations took 2 of the 3.6 s of a mixture on the
            # largest block at 2,000 sites (the partitions of the nation repeat each other);
            # the interior point method copes with them itself: 2.5 s a mixture without it.
            self.highs.setOptionValue("presolve_rule_off", _DEPENDENT_EQUATIONS)
        # Every solve after the first only changes the objective and starts from the last
        # basis; presolving the model again each time costs more than it saves (measured: a
        # third of the audit at 40 sites).
        # The first, cold solve does presolve (measured: a cold solve of a 4,000-cell component
        # took 1.5 s without); `solve` turns it off after.
        self._cold = True
        self._crossed = not interior and size >= _INTERIOR_FROM
        if self._crossed:
            # A large programme's first basis comes from the interior point method and its
            # crossover to a vertex: 6 s on an 18,049-cell block at 2,000 sites, where the dual
            # simplex from nothing took 38 s (16 s without the dependent equations search).
            # The simplex goes on from that basis as from its own.
            self.highs.setOptionValue("solver", "ipm")
            self.highs.setOptionValue("run_crossover", "on")
            self.highs.setOptionValue("presolve_rule_off", _DEPENDENT_EQUATIONS)
        self.inf = self.highs.getInfinity()
        if rows is not None:  # the rows already stacked, with their bounds (`_Local`)
            matrix = rows.tocsc()
            lower = np.where(np.isfinite(lower), lower, -self.inf)
            upper = np.where(np.isfinite(upper), upper, self.inf)
        else:
            parts, lower, upper = [], [], []
            if a_eq is not None:
                parts.append(a_eq)
                lower += list(b_eq)
                upper += list(b_eq)
            if a_ub is not None:
                parts.append(a_ub)
                lower += [-self.inf] * a_ub.shape[0]
                upper += list(b_ub)
            matrix = sparse.vstack(parts).tocsc() if parts else sparse.csc_matrix((0, size))
        lp = highspy.HighsLp()
        lp.num_col_ = size
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.zeros(size)
        lp.col_lower_ = np.zeros(size)
        lp.col_upper_ = np.full(size, float(_UPPER))
        lp.row_lower_ = np.asarray(lower, dtype=float)
        lp.row_upper_ = np.asarray(upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data.astype(float)
        self.highs.passModel(lp)
        self._optimal = highspy.HighsModelStatus.kOptimal
        self._all = np.arange(size, dtype=np.int32)

    def solve(self, objective: np.ndarray) -> np.ndarray | None:
        self.highs.changeColsCost(self.size, self._all, np.asarray(objective, dtype=float))
        self.highs.run()
        if self._cold and not self.interior:
            self._cold = False
            if self._crossed:
                self.highs.setOptionValue("solver", "simplex")
            self.highs.setOptionValue("presolve", "off")
            # From now on only the objective changes, so the last optimal basis stays
            # feasible: the primal simplex goes on from it, where the dual simplex would first
            # repair dual feasibility (measured at 60 sites: the first audit 4.0 s against
            # 7.0 s). The cold solve keeps HiGHS's own choice: primal from scratch is slow.
            self.highs.setOptionValue("simplex_strategy", 4)
        if self.highs.getModelStatus() != self._optimal:
            self.duals = None
            return None
        solution = self.highs.getSolution()
        self.duals = np.asarray(solution.row_dual)
        return np.asarray(solution.col_value)


def _solve_component(result, keys, hidden_ids, checked, cols, a_eq, b_eq, eq_rows, a_ub, b_ub,
                     ub_rows, rng) -> None:
    if not any(hidden_ids[c] in checked for c in cols):
        return  # nothing here to protect (or all of it passed an earlier round)
    sub_eq = a_eq[eq_rows][:, cols] if eq_rows else None
    sub_ub = a_ub[ub_rows][:, cols] if ub_rows else None
    rhs_eq = b_eq[eq_rows] if eq_rows else None
    rhs_ub = b_ub[ub_rows] if ub_rows else None
    size = len(cols)
    low = np.full(size, np.inf)
    high = np.full(size, -np.inf)
    programme = _Programme(sub_eq, rhs_eq, sub_ub, rhs_ub, size)

    def solve(objective) -> np.ndarray | None:
        result.solves += 1
        return programme.solve(objective)

    def seen(x) -> None:
        if x is not None:
            np.minimum(low, x, out=low)
            np.maximum(high, x, out=high)

    wanted = np.array([hidden_ids[c] in checked for c in cols])
    # Extreme points: all down, all up, then random mixtures of up and down. Each solve
    # pushes every cell of the component one way, so a few dozen show most cells wide. With
    # only a few cells to check (a later round's narrow ones) two LPs each are cheaper.
    seen(solve(np.ones(size)))
    seen(solve(-np.ones(size)))
    generator = np.random.default_rng(rng.randrange(2**32))
    mixtures = _MIXTURES if size > 1 and wanted.sum() > 2 * _MIXTURES else 0
    tries, before, total = 0, np.inf, 0
    while tries < mixtures and total < 4 * mixtures:
        if not np.isfinite(low).all():
            break
        open_cells = _narrow_seen(low, high) & wanted
        if open_cells.sum() <= 2:
            break  # two LPs per cell are as cheap now
        tries += 1
        total += 1
        if tries == mixtures and open_cells.sum() < before * 0.9:
            tries -= 4  # still settling a tenth of the open cells per round: four more
        before = open_cells.sum()
        weights = generator.choice((-1.0, 1.0), size) * generator.uniform(0.5, 1.5, size)
        weights[~open_cells] *= 0.01  # settled cells barely count: push the others
        seen(solve(weights))
    if not np.isfinite(low).all():
        # Infeasible would mean the published figures contradict each other: treat every cell
        # of the component as exposed rather than publish something inconsistent.
        for c in cols:
            if hidden_ids[c] in checked:
                result.narrow[keys[hidden_ids[c]]] = (0, 0)
        return
    unit = np.zeros(size)
    for position, c in enumerate(cols):
        if hidden_ids[c] not in checked:
            continue  # a hidden zero, or a helper unknown (a category nobody listed)
        key = keys[hidden_ids[c]]
        if not _narrow_seen(low[position:position + 1], high[position:position + 1])[0]:
            continue
        unit[position] = 1.0
        x_high = solve(-unit)
        binding = [programme.duals] if x_high is not None else []
        seen(x_high)
        x_low = solve(unit) if _narrow_seen(low[position:position + 1],
                                            high[position:position + 1])[0] else None
        if x_low is not None:
            binding.append(programme.duals)
        unit[position] = 0.0
        seen(x_low)
        lo = math.ceil(x_low[position] - _EPS) if x_low is not None else math.ceil(
            low[position] - _EPS)
        hi = math.floor(x_high[position] + _EPS) if x_high is not None else 0
        width = hi - lo
        if result.narrowest is None or width < result.narrowest:
            result.narrowest = width
        if width < standard.MIN_WIDTH:
            result.narrow[key] = (lo, hi)
            len_eq = a_eq.shape[0]  # `_pins` numbers the inequalities after the equations
            rows = list(eq_rows) + [len_eq + r for r in ub_rows]
            result.pins[key] = _pins(binding, rows, len_eq)
        elif result.narrowest_passed is None or width < result.narrowest_passed:
            result.narrowest_passed = width

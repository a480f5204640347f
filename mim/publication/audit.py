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
through the equations they share). A few LPs with random objectives per component find extreme
points that already show most cells to be wide; only the cells left narrow get their own two
LPs. The result is the same as two LPs per hidden cell, at a fraction of the solves.

`attacker_knows` models a coordinator with a wider role: she holds her own site's true figures,
so they are constants for that attack.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from mim.figures import standard
from mim.figures.tidy import Figure

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
          seed: int = 0) -> AuditResult:
    """Attack one year's publication. `published`: every figure in published form; `secret`:
    figures of scopes that are not published at all (sites inside a merged group), whose cells
    the attacker must not learn either; `attacker_knows`: true figures the attacker holds.

    `protect`: the keys of the cells that must keep an interval of MIN_WIDTH (the ones the
    primary rules hide, `suppression.is_primary`); by default every hidden cell. Secondary
    cells hold 0 or at least MIN_CELL persons: narrowing them discloses no small number, and a
    primary cell they stopped covering is checked itself."""
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
    system = _System()
    scopes = {(k[0], k[1]) for k in value}
    for scope in sorted(scopes):
        _scope_relations(system, year, scope, value)
    _published_bases(system, published, value)
    template = standard.template(year)
    for parent, children in partitions:
        if (parent[0], parent[1]) not in scopes:
            continue
        for variable, category in template:
            system.equal([((*parent, variable, category), 1.0),
                          *(((*child, variable, category), -1.0) for child in children)])
    return _solve(system, value, random.Random(seed), protect)


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


def _solve(system: _System, value: dict, rng: random.Random, protect: set | None
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
    a_eq, b_eq = _reduce(system.eq_rows, system.eq_rhs, n, fixed, hidden_mask)
    a_ub, b_ub = _reduce(system.ub_rows, system.ub_rhs, n, fixed, hidden_mask)
    hidden_ids = np.flatnonzero(hidden_mask)
    checked = {i for i in hidden_ids
               if keys[i] in value and (protect is None or keys[i] in protect)}
    result = AuditResult(hidden=len(checked))
    if not len(hidden_ids):
        return result
    a_eq = a_eq[:, hidden_ids].tocsr()
    a_ub = a_ub[:, hidden_ids].tocsr()
    graph = (abs(a_eq).T @ abs(a_eq) + abs(a_ub).T @ abs(a_ub)).tocsr()
    _count, labels = connected_components(graph, directed=False)
    members = defaultdict(list)
    for c, label in enumerate(labels):
        members[label].append(c)
    eq_rows_of = _rows_by_component(a_eq, labels)
    ub_rows_of = _rows_by_component(a_ub, labels)
    for label, cols in members.items():
        _solve_component(result, keys, hidden_ids, checked, cols,
                         a_eq, b_eq, eq_rows_of.get(label, []),
                         a_ub, b_ub, ub_rows_of.get(label, []), rng)
    for key, rows in list(result.pins.items()):
        terms = [system.eq_rows[r] if kind == "eq" else system.ub_rows[r] for kind, r in rows]
        result.pins[key] = [[keys[i] for i, _c in row if not hidden_mask[i] and fixed[i] > 0]
                            for row in terms]
    return result


def _reduce(rows, rhs, n, fixed, hidden_mask):
    """The rows as a sparse matrix with the published cells moved to the right-hand side."""
    data, row_ids, col_ids = [], [], []
    for r, terms in enumerate(rows):
        for i, c in terms:
            row_ids.append(r)
            col_ids.append(i)
            data.append(c)
    matrix = sparse.csr_matrix((data, (row_ids, col_ids)), shape=(len(rows), n))
    b = np.asarray(rhs, dtype=float) - matrix @ np.where(hidden_mask, 0.0, fixed)
    return matrix, b


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


class _Programme:
    """One component's linear programme in HiGHS, kept loaded: each new objective starts from
    the previous optimal basis (a warm start), which is what makes thousands of bound
    questions cheap. SciPy's `linprog` wraps the same solver but rebuilds the model per call."""

    def __init__(self, a_eq, b_eq, a_ub, b_ub, size):
        import highspy

        self.size = size
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        # Every solve after the first only changes the objective and starts from the last
        # basis; presolving the model again each time costs more than it saves (measured: a
        # third of the audit at 40 sites).
        # The first, cold solve does presolve (measured: a cold solve of a 4,000-cell component
        # took 1.5 s without); `solve` turns it off after.
        self._cold = True
        self.inf = self.highs.getInfinity()
        rows, lower, upper = [], [], []
        if a_eq is not None:
            rows.append(a_eq)
            lower += list(b_eq)
            upper += list(b_eq)
        if a_ub is not None:
            rows.append(a_ub)
            lower += [-self.inf] * a_ub.shape[0]
            upper += list(b_ub)
        matrix = sparse.vstack(rows).tocsc() if rows else sparse.csc_matrix((0, size))
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
        if self._cold:
            self._cold = False
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
            weight: dict[int, float] = {}
            for duals in binding:
                if duals is None:
                    continue
                for r in np.flatnonzero(np.abs(duals) > 1e-9):
                    weight[int(r)] = max(weight.get(int(r), 0.0), abs(float(duals[r])))
            # The most binding relations first: a degenerate programme can report dozens, and
            # opening each would hide far more than the cell needs.
            rows = sorted(weight, key=lambda r: (-weight[r], r))[:_PINS]
            result.pins[key] = [("eq", eq_rows[r]) if r < len(eq_rows)
                                else ("ub", ub_rows[r - len(eq_rows)]) for r in rows]
        elif result.narrowest_passed is None or width < result.narrowest_passed:
            result.narrowest_passed = width

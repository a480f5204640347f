"""The small-cell suppression as it was before it was made fast (issue 4), kept as the oracle.

tests/figures/test_suppression_equivalence.py checks that `mim.figures.suppression.suppress`
hides exactly the same cells as the `suppress` of this copy, on random inputs. Do not fix or
optimise this file: its one job is to stay the reference. The rules and the algorithm are
described in mim/figures/suppression.py.
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from mim.figures.tidy import Figure

SENSITIVE_ITEMS = frozenset({"origin", "migrant_background", "mother_circumstances",
                             "baby_circumstances", "income_source", "household"})
# Multi-answer items: a person can have several codes, so the categories do not add up to the base
# and there is no within-variable equation to protect (only the one across scopes).
MULTI_ANSWER_ITEMS = frozenset({"mother_circumstances", "baby_circumstances", "work_experience"})
MIN_POPULATION = 10
MIN_CELL = 5
SMALL = "<5"

# Counts of sites, not of persons: public facts, never suppressed.
_UNSUPPRESSED_POPULATIONS = frozenset({"sites"})
# The codes migrant background is derived from (data standard, "Counting rules").
_DOMESTIC, _UNKNOWN = "dutch", "unknown"

ScopeKey = tuple[str, str]
Quantity = tuple  # ("cell", year, scope, code, variable, category) | ("total"|"known", ..., pop)


def suppress(figures: Iterable[Figure], *,
             children_of: Mapping[ScopeKey, Sequence[ScopeKey]] | None = None) -> list[Figure]:
    """Return the figures as they may be published, in input order.

    `children_of` maps a parent scope key, e.g. ("national", "NL"), to the child scope keys whose
    figures add up to the parent's, e.g. [("site", "A"), ("site", "B")]. Hidden figures get
    count and percent None and suppressed=True; a figure whose base is a hidden population total
    keeps its count but loses base and percent (count / percent would give the base back).
    Cells hidden on input stay hidden. The input is not changed.
    """
    figures = list(figures)
    problem = _Problem(figures, children_of or {})
    problem.hide_primary_cells()
    problem.settle()
    return [problem.published_form(figure) for figure in figures]


def display_count(figure: Figure) -> str:
    """The count as shown to people: the number, or "<5" when it is suppressed.

    Every hidden cell reads "<5", also cells hidden because their population is under 10 or to
    protect a small neighbour (those can be 5 or more): a Figure does not record why it was
    hidden, and telling the kinds apart would tell readers which hidden cells are 5 or more.
    """
    if figure.suppressed or figure.count is None:
        return SMALL
    return str(figure.count)


def recoverable_cells(figures: Iterable[Figure],
                      children_of: Mapping[ScopeKey, Sequence[ScopeKey]] | None = None
                      ) -> list[Figure]:
    """Hidden figures whose count follows from published figures by one subtraction.

    An independent check (it does not reuse the equations of `suppress`), for tests and audits:
    - within a single-answer variable: published base minus the published categories;
    - a hidden population total: the sum of a fully published single-answer breakdown;
    - migrant background: `no` is origin `dutch`, `yes` is the sum of the other known origins;
    - across scopes: published parent minus published children, or the sum of the children.
    Returns the recoverable hidden figures, each once, in input order.
    """
    figures = list(figures)
    index = {_key(f): f for f in figures}
    rows = _rows(figures)
    found: set[tuple] = set()
    found |= _recoverable_within_variables(rows, index)
    found |= _recoverable_from_origin(rows, index)
    found |= _recoverable_across_scopes(figures, index, children_of or {})
    return [f for f in figures if _key(f) in found]


# --- the suppression problem ------------------------------------------------------------------


class _Problem:
    """Quantities, what is hidden, and the equations that tie quantities together."""

    def __init__(self, figures: list[Figure], children_of: Mapping[ScopeKey, Sequence[ScopeKey]]):
        self.figures = [f for f in figures if f.population not in _UNSUPPRESSED_POPULATIONS]
        self.alias = _migrant_aliases(self.figures)
        self.value: dict[Quantity, int] = {}
        self.hidden: set[Quantity] = set()
        self._read_values()
        self.equations: list[tuple[Quantity, tuple[Quantity, ...]]] = []
        self._seen_equations: set[tuple] = set()
        self._add_row_equations()
        self._add_migrant_equations()
        self._add_scope_equations(children_of)

    # quantities

    def quantity(self, year, scope, code, variable, category) -> Quantity:
        population, _, item = variable.partition(".")
        if item == "total":
            return ("total", year, scope, code, population)
        cell = ("cell", year, scope, code, variable, category)
        return self.alias.get(cell, cell)

    def quantity_of(self, figure: Figure) -> Quantity:
        return self.quantity(figure.year, figure.scope, figure.scope_code, figure.variable,
                             figure.category)

    @staticmethod
    def base_of(year, scope, code, variable) -> Quantity:
        population, _, item = variable.partition(".")
        kind = "known" if item == "migrant_background" else "total"
        return (kind, year, scope, code, population)

    def base_quantity_of(self, figure: Figure) -> Quantity:
        return self.base_of(figure.year, figure.scope, figure.scope_code, figure.variable)

    def published(self, quantity: Quantity) -> bool:
        # A quantity nobody supplied a value for (a child scope without figures) is not published.
        return quantity in self.value and quantity not in self.hidden

    def hide(self, quantity: Quantity) -> list[Quantity]:
        """Hide a quantity; returns what became hidden (a total takes its population's bases)."""
        affected = [quantity]
        if quantity[0] == "total":
            # Every base of a population is its total, except migrant background's (known
            # origin = total - unknown origin): hide that too, so no base points at the total.
            affected.append(("known", *quantity[1:]))
        newly = [q for q in affected if q not in self.hidden]
        self.hidden.update(newly)
        return newly

    def _read_values(self) -> None:
        bases: dict[Quantity, int] = {}
        for figure in self.figures:
            quantity = self.quantity_of(figure)
            if figure.suppressed or figure.count is None:
                self.hide(quantity)  # never un-hide what came in hidden
            else:
                self.value.setdefault(quantity, figure.count)
            if figure.base is None:
                self.hide(self.base_quantity_of(figure))  # a base hidden on input stays hidden
            else:
                bases.setdefault(self.base_quantity_of(figure), figure.base)
        # A population total is normally its `.total` figure; the bases stand in when it is absent.
        for quantity, base in bases.items():
            self.value.setdefault(quantity, base)

    # primary suppression (rules 1 and 2): decided on true values

    def hide_primary_cells(self) -> None:
        for quantity, value in list(self.value.items()):
            if quantity[0] in ("total", "known") and 0 < value < MIN_CELL:
                self.hide(quantity)
        for figure in self.figures:
            if figure.item != "total" and _small_cell(figure):
                self.hide(self.quantity_of(figure))

    # equations

    def _add(self, whole: Quantity, parts: Iterable[Quantity]) -> None:
        parts = tuple(dict.fromkeys(p for p in parts if p != whole))
        if not parts or (whole, parts) in self._seen_equations:
            return
        self._seen_equations.add((whole, parts))
        self.equations.append((whole, parts))

    def _add_row_equations(self) -> None:
        """Categories of a single-answer item add up to its base."""
        for (year, scope, code, variable), row in _rows(self.figures).items():
            if variable.partition(".")[2] in MULTI_ANSWER_ITEMS:
                continue
            self._add(self.base_of(year, scope, code, variable),
                      (self.quantity_of(f) for f in row))

    def _add_migrant_equations(self) -> None:
        """Migrant background is origin regrouped (`no` = dutch is an alias, see above)."""
        rows = _rows(self.figures)
        for (year, scope, code, variable), origin_row in rows.items():
            population, _, item = variable.partition(".")
            migrant = rows.get((year, scope, code, f"{population}.migrant_background"))
            if item != "origin" or migrant is None:
                continue
            origin = {f.category: self.quantity_of(f) for f in origin_row}
            foreign = [q for category, q in origin.items() if category not in (_DOMESTIC, _UNKNOWN)]
            for figure in migrant:
                if figure.category == "yes":
                    self._add(self.quantity_of(figure), foreign)
            known = ("known", year, scope, code, population)
            unknown = [origin[_UNKNOWN]] if _UNKNOWN in origin else []
            self._add(("total", year, scope, code, population), [known, *unknown])

    def _add_scope_equations(self, children_of: Mapping[ScopeKey, Sequence[ScopeKey]]) -> None:
        """A parent's cells, totals and bases are the sums of its children's."""
        by_scope: dict[ScopeKey, list[Figure]] = defaultdict(list)
        for f in self.figures:
            by_scope[(f.scope, f.scope_code)].append(f)
        for parent, children in children_of.items():
            for f in by_scope.get(tuple(parent), []):
                self._add(self.quantity_of(f), (
                    self.quantity(f.year, *child, f.variable, f.category) for child in children))
                self._add(self.base_quantity_of(f), (
                    self.base_of(f.year, *child, f.variable) for child in children))

    # secondary suppression (rule 3 within variables, rule 4 across scopes)

    def settle(self) -> None:
        """Hide more quantities until no equation gives a hidden one away.

        Pending equations are taken lowest number first. Equations within a scope were added
        before those across scopes, so a table settles itself before a fix spills over to its
        siblings: a cell hidden there often covers the sibling's leak as well.
        """
        uses: dict[Quantity, list[int]] = defaultdict(list)
        for number, (whole, parts) in enumerate(self.equations):
            for quantity in (whole, *parts):
                uses[quantity].append(number)
        pending = list(range(len(self.equations)))  # already a heap
        queued = set(pending)
        while pending:
            number = heapq.heappop(pending)
            queued.discard(number)
            while (quantity := self._leak_fix(*self.equations[number])) is not None:
                for newly_hidden in self.hide(quantity):
                    for other in uses[newly_hidden]:
                        if other not in queued:
                            heapq.heappush(pending, other)
                            queued.add(other)

    def _leak_fix(self, whole: Quantity, parts: tuple[Quantity, ...]) -> Quantity | None:
        """The quantity to hide so that this equation leaks less, or None if it is safe."""
        terms = (whole, *parts)
        hidden = [q for q in terms if q in self.hidden]
        # A term nobody supplied (a listed child scope without figures) is not published, but
        # readers may know it anyway (an inactive site is all zeros): it must not be left alone
        # as the only unknown, yet it never counts as cover for a hidden cell.
        missing = [q for q in terms if q not in self.value and q not in self.hidden]
        if len(hidden) == 1 or (missing and not hidden):
            # The one hidden term is the published ones subtracted from each other.
            return self._next_part(parts, allow_zero=True) or self._if_published(whole)
        if hidden and self.published(whole):
            hidden_sum = self.value[whole] - sum(self.value[p] for p in parts if self.published(p))
            if 0 < hidden_sum < MIN_CELL:
                # Two hidden cells of 1 and 2 published as "their sum is 3" still disclose them.
                # A zero adds nothing to the sum, so only a non-zero part helps.
                return self._next_part(parts, allow_zero=False) or whole
        return None

    def _if_published(self, quantity: Quantity) -> Quantity | None:
        return quantity if self.published(quantity) else None

    def _next_part(self, parts: tuple[Quantity, ...], *, allow_zero: bool) -> Quantity | None:
        """The smallest published non-zero part (on ties the first: input category order within a
        variable, `children_of` order across scopes).

        With no non-zero part left, a published zero is hidden instead: readers then know the
        hidden cells add up to the published rest, but not how it splits. That rest is 5 or more
        (a whole of 1-4 is hidden itself), so no small number can be read off.
        """
        candidates = [p for p in parts if self.published(p)]
        non_zero = [p for p in candidates if self.value[p] > 0]
        pool = non_zero or (candidates if allow_zero else [])
        return min(pool, key=lambda p: self.value[p], default=None)

    # output

    def published_form(self, figure: Figure) -> Figure:
        if figure.population in _UNSUPPRESSED_POPULATIONS:
            return figure
        if not self.published(self.quantity_of(figure)):
            figure = figure.hidden()
        if not self.published(self.base_quantity_of(figure)) and figure.base is not None:
            figure = replace(figure, base=None, percent=None)
        return figure


def _small_cell(figure: Figure) -> bool:
    """Rules 1 and 2 for one breakdown cell (true values, before anything is hidden)."""
    count, base = figure.count, figure.base
    if count is None:
        return True
    # An empty population (base 0) has only zeros to show: nothing to protect, and hiding them
    # would only force needless secondary suppression on its sibling scopes.
    if base is not None and 0 < base < MIN_POPULATION:
        return True
    if 0 < count < MIN_CELL:
        return True
    return (figure.item in SENSITIVE_ITEMS and base is not None
            and 0 < base - count < MIN_CELL)


def _migrant_aliases(figures: list[Figure]) -> dict[Quantity, Quantity]:
    """Migrant background `no` is exactly origin `dutch`: one quantity, hidden together."""
    present = {_key(f) for f in figures}
    aliases = {}
    for f in figures:
        population, _, item = f.variable.partition(".")
        if item == "migrant_background" and f.category == "no":
            dutch = (f.year, f.scope, f.scope_code, f"{population}.origin", _DOMESTIC)
            if dutch in present:
                aliases[("cell", *_key(f))] = ("cell", *dutch)
    return aliases


# --- shared helpers ---------------------------------------------------------------------------


def _key(f: Figure) -> tuple:
    return (f.year, f.scope, f.scope_code, f.variable, f.category)


def _rows(figures: Iterable[Figure]) -> dict[tuple, list[Figure]]:
    """Breakdown figures (no totals, no site counts) per (year, scope, code, variable)."""
    rows: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        if f.population not in _UNSUPPRESSED_POPULATIONS and f.item != "total":
            rows[(f.year, f.scope, f.scope_code, f.variable)].append(f)
    return rows


def _is_hidden(figure: Figure | None) -> bool:
    return figure is None or figure.suppressed or figure.count is None


# --- the independent checker ------------------------------------------------------------------


def _recoverable_within_variables(rows, index) -> set[tuple]:
    found = set()
    for (year, scope, code, variable), row in rows.items():
        population, _, item = variable.partition(".")
        if item in MULTI_ANSWER_ITEMS:
            continue
        hidden = [f for f in row if _is_hidden(f)]
        total = index.get((year, scope, code, f"{population}.total", "all"))
        row_total = _row_total(row, item, total, index)
        if row_total is not None and len(hidden) == 1:
            found.add(_key(hidden[0]))
        if item != "migrant_background" and not hidden and total is not None \
                and _is_hidden(total):
            found.add(_key(total))  # the total is the sum of a fully published breakdown
    return found


def _row_total(row, item, total, index) -> int | None:
    """What the categories of a row add up to, if readers can see it."""
    bases = [f.base for f in row if f.base is not None]
    if bases:
        return bases[0]
    if item != "migrant_background":
        return None if _is_hidden(total) else total.count
    first = row[0]
    population = first.population
    unknown = index.get((first.year, first.scope, first.scope_code, f"{population}.origin",
                         _UNKNOWN))
    if _is_hidden(total) or _is_hidden(unknown):
        return None
    return total.count - unknown.count


def _recoverable_from_origin(rows, index) -> set[tuple]:
    found = set()
    for (year, scope, code, variable), row in rows.items():
        population, _, item = variable.partition(".")
        if item != "migrant_background":
            continue
        origin = rows.get((year, scope, code, f"{population}.origin"), [])
        by_category = {f.category: f for f in row}
        dutch = index.get((year, scope, code, f"{population}.origin", _DOMESTIC))
        no = by_category.get("no")
        if dutch and no and _is_hidden(dutch) != _is_hidden(no):
            found.add(_key(dutch if _is_hidden(dutch) else no))
        yes = by_category.get("yes")
        foreign = [f for f in origin if f.category not in (_DOMESTIC, _UNKNOWN)]
        if yes and foreign:
            found |= _one_unknown(yes, foreign)
    return found


def _recoverable_across_scopes(figures, index, children_of) -> set[tuple]:
    found = set()
    for f in figures:
        children = children_of.get((f.scope, f.scope_code))
        if not children or f.population in _UNSUPPRESSED_POPULATIONS:
            continue
        parts = [index.get((f.year, *child, f.variable, f.category)) for child in children]
        if any(part is None for part in parts):
            continue  # a child without figures is unknown to readers as well
        found |= _one_unknown(f, parts)
    return found


def _one_unknown(whole: Figure, parts: list[Figure]) -> set[tuple]:
    """The hidden term of `whole = sum(parts)` if it is the only one."""
    hidden = [f for f in (whole, *parts) if _is_hidden(f)]
    return {_key(hidden[0])} if len(hidden) == 1 else set()

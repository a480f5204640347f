"""Small-cell suppression: the one step figures pass when they leave the coordinator role.

The rule is "10/5 with complementary suppression" (guides/security.md, "Small-cell rule"):

1. A population under 10 gets no breakdown; a population total of 1-4 is hidden itself.
2. Counts of 1-4 are hidden; for the sensitive items also when base - count is 1-4.
3. Secondary suppression: no hidden cell may follow by one subtraction from a published row total
   (within a variable) or from a published parent scope (across scopes), and hidden cells that
   share a published total must not add up to 1-4 (that would give the small numbers away).

How it works. Every number that can be published is a *quantity*: a category cell, a population
total (which is also the base of every variable of that population) or the base of
`migrant_background` (persons with a known origin). The figures tie quantities together in
equations `whole = sum(parts)`: the categories of a single-answer item add up to its base, the
child scopes add up to their parent, and migrant background is derived from origin. After the
primary rules (1, 2) hide some quantities, every equation is checked with what an outsider sees
(published values only): one hidden term, or hidden parts of a published whole that add up to
1-4, makes the equation leak, so one more part is hidden (the smallest published non-zero one,
ties broken by input order). Hiding a quantity can make another equation leak, so this repeats
until nothing changes. Hiding only ever grows, so it terminates, and since the checks read
published values only, running it again on its own output changes nothing (idempotent).

Speed (issue 4: a year has some 70,000 figures over 400 sites): every equation keeps running
counts of its hidden and unknown terms and of its published sum, updated only when one of its
own terms is hidden, so a check never rescans the parts (the nation's have one per site). The
result is exactly that of the plain algorithm, which tests/figures/suppression_reference.py keeps
as the oracle for tests/figures/test_suppression_equivalence.py.

A population of 0 keeps its zeros published: there is nothing to protect, and hiding them would
only force needless hiding in its sibling scopes.

Known limits:
- Only single-step deductions are prevented (what `recoverable_cells` checks). Combining three or
  more equations (linear algebra over rows and scopes together) can still pin a hidden cell
  down in rare cases, mostly with many tiny sites; an audit by linear algebra would close that.
- Earlier years and other roles' views are not considered: a coordinator knows her own site's
  true figures and could subtract them from a parent scope; the caller must merge small sites
  (security rule 1) and pass every published child scope in `children_of`.
- `children_of` must list every child scope that makes up the parent, published or not. A listed
  child without figures is protected (parent minus its siblings must not give it away) but never
  shields a hidden sibling, as readers may know it; a child left out of the list is not protected.
"""

import functools
import gc
import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager

from mim.figures.standard import (
    DOMESTIC_ORIGIN,
    HIDDEN_MARK,
    MIN_CELL,
    MIN_POPULATION,
    MULTI_ANSWER_ITEMS,
    SENSITIVE_ITEMS,
    UNKNOWN,
    is_protected,
)
from mim.figures.tidy import Figure

_DOMESTIC, _UNKNOWN = DOMESTIC_ORIGIN, UNKNOWN
SMALL = HIDDEN_MARK  # kept for callers that still say SMALL; the mark is neutral

ScopeKey = tuple[str, str]
Quantity = tuple  # ("cell", year, scope, code, variable, category) | ("total"|"known", ..., pop)


Partition = tuple[ScopeKey, Sequence[ScopeKey]]


def suppress(figures: Iterable[Figure], *,
             children_of: Mapping[ScopeKey, Sequence[ScopeKey]] | None = None,
             partitions: Iterable[Partition] = (),
             force_hidden: Iterable[tuple] = ()) -> list[Figure]:
    """Return the figures as they may be published, in input order.

    `children_of` maps a parent scope key, e.g. ("national", "NL"), to the child scope keys whose
    figures add up to the parent's, e.g. [("site", "A"), ("site", "B")]. Hidden figures get
    count and percent None and suppressed=True; a figure whose base is a hidden population total
    keeps its count but loses base and percent (count / percent would give the base back).
    Cells hidden on input stay hidden. The input is not changed.

    `partitions` are more `(parent, children)` pairs, for a parent that is the sum of more
    than one set of children (the nation is the sum of its sites, of its organisations and of
    its municipalities): each is an equation of its own. `force_hidden` are figure keys
    (year, scope, code, variable, category) to hide before secondary suppression: what the
    attacker's audit (mim.publication.audit) asks for when single-step protection is not
    enough.
    """
    return Suppression(figures, children_of=children_of, partitions=partitions).run(
        force_hidden)


class Suppression:
    """`suppress` for the same figures and partitions with growing `force_hidden`: the
    publication runs it once per round of its audit. The quantities and equations (half the
    work) are made once; each `run` starts again from the primary cells, so it returns exactly
    what `suppress` returns."""

    def __init__(self, figures: Iterable[Figure], *,
                 children_of: Mapping[ScopeKey, Sequence[ScopeKey]] | None = None,
                 partitions: Iterable[Partition] = ()):
        pairs = [*(children_of or {}).items(), *partitions]
        with _cycle_collector_paused():
            self.problem = _Problem(list(figures), pairs)
            self.problem.hide_primary_cells()
            self.primary = set(self.problem.hidden)

    def run(self, force_hidden: Iterable[tuple] = ()) -> list[Figure]:
        problem = self.problem
        with _cycle_collector_paused():
            problem.hidden = set(self.primary)
            for equation in problem.equations:
                equation.reset()
            problem.hide_keys(force_hidden)
            problem.settle()
            return problem.published_forms()


@contextmanager
def _cycle_collector_paused():
    """A year of figures makes several hundred thousand quantity tuples that stay alive until
    the end and hold no reference cycles; while they pile up, Python's cycle collector keeps
    walking them (and the rest of the process) for nothing: a third of the time at 400 sites."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def display_count(figure: Figure) -> str:
    """The count as shown to people: the number, or the neutral mark when it is hidden.

    One mark for every hidden cell, whatever the reason (data standard, "Hidden cells"): cells
    hidden to protect a small neighbour can be 5 or more, and telling the kinds apart would tell
    readers which hidden cells are small.
    """
    if figure.suppressed or figure.count is None:
        return HIDDEN_MARK
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

    def __init__(self, figures: list[Figure], partitions: Sequence[Partition]):
        self.all_figures = figures
        self.figures = [f for f in figures if is_protected(f.variable)]
        self.alias = _migrant_aliases(self.figures)
        # One tuple per quantity, however often it is named (as a figure's own cell, as the
        # base of its variables, as a term of its parents' equations): at 2,000 sites the
        # copies took some 150 MB.
        self._interned: dict[Quantity, Quantity] = {}
        # Each figure's (quantity, base quantity), worked out once: every step below needs them.
        self.terms = [(self.quantity_of(f), self.base_quantity_of(f)) for f in self.figures]
        self.value: dict[Quantity, int] = {}
        self.hidden: set[Quantity] = set()
        self._read_values()
        self.equations: list[_Equation] = []
        # Per whole, the parts of its equations so far (most wholes have one to three): no
        # equation twice, without a set of (whole, parts) pairs beside the equations.
        self._seen_equations: dict[Quantity, list[tuple]] = {}
        rows = self._rows()
        self._add_row_equations(rows)
        self._add_migrant_equations(rows)
        self._add_scope_equations(partitions)
        # Only for making the equations: some 60 MB at 2,000 sites, not kept through the runs.
        self._seen_equations = None
        self._interned = None

    # quantities

    def intern(self, quantity: Quantity) -> Quantity:
        if self._interned is None:  # the equations are made: equal tuples will do
            return quantity
        return self._interned.setdefault(quantity, quantity)

    def quantity(self, year, scope, code, variable, category) -> Quantity:
        population, item = _split(variable)
        if item == "total":
            return self.intern(("total", year, scope, code, population))
        cell = ("cell", year, scope, code, variable, category)
        return self.intern(self.alias.get(cell, cell))

    def quantity_of(self, figure: Figure) -> Quantity:
        return self.quantity(figure.year, figure.scope, figure.scope_code, figure.variable,
                             figure.category)

    def base_of(self, year, scope, code, variable) -> Quantity:
        population, item = _split(variable)
        kind = "known" if item == "migrant_background" else "total"
        return self.intern((kind, year, scope, code, population))

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
        for figure, (quantity, base_quantity) in zip(self.figures, self.terms, strict=True):
            if figure.suppressed or figure.count is None:
                self.hide(quantity)  # never un-hide what came in hidden
            else:
                self.value.setdefault(quantity, figure.count)
            if figure.base is None:
                self.hide(base_quantity)  # a base hidden on input stays hidden
            else:
                bases.setdefault(base_quantity, figure.base)
        # A population total is normally its `.total` figure; the bases stand in when it is absent.
        for quantity, base in bases.items():
            self.value.setdefault(quantity, base)

    # primary suppression (rules 1 and 2): decided on true values

    def hide_primary_cells(self) -> None:
        for quantity, value in list(self.value.items()):
            if quantity[0] in ("total", "known") and 0 < value < MIN_CELL:
                self.hide(quantity)
        for figure, (quantity, _) in zip(self.figures, self.terms, strict=True):
            if figure.item != "total" and _small_cell(figure):
                self.hide(quantity)

    def hide_keys(self, keys: Iterable[tuple]) -> None:
        """Hide the quantities of these figure keys (year, scope, code, variable, category)."""
        for key in keys:
            self.hide(self.quantity(*key))

    # equations

    def _add(self, whole: Quantity, parts: Iterable[Quantity]) -> None:
        distinct = dict.fromkeys(parts)  # in order, each once
        distinct.pop(whole, None)
        parts = tuple(distinct)
        if not parts:
            return
        seen = self._seen_equations.setdefault(whole, [])
        if parts in seen:
            return
        seen.append(parts)
        self.equations.append(_Equation(whole, parts, len(self.equations)))

    def _rows(self) -> dict[tuple, list[tuple[Figure, Quantity]]]:
        """Breakdown figures with their quantities per (year, scope, code, variable)."""
        rows: dict[tuple, list[tuple[Figure, Quantity]]] = defaultdict(list)
        for f, (quantity, _) in zip(self.figures, self.terms, strict=True):
            if quantity[0] != "total":
                rows[(f.year, f.scope, f.scope_code, f.variable)].append((f, quantity))
        return rows

    def _add_row_equations(self, rows) -> None:
        """Categories of a single-answer item add up to its base."""
        for (year, scope, code, variable), row in rows.items():
            if variable.partition(".")[2] in MULTI_ANSWER_ITEMS:
                continue
            self._add(self.base_of(year, scope, code, variable), (q for _, q in row))

    def _add_migrant_equations(self, rows) -> None:
        """Migrant background is origin regrouped (`no` = dutch is an alias, see above)."""
        for (year, scope, code, variable), origin_row in rows.items():
            population, _, item = variable.partition(".")
            migrant = rows.get((year, scope, code, f"{population}.migrant_background"))
            if item != "origin" or migrant is None:
                continue
            origin = {f.category: q for f, q in origin_row}
            foreign = [q for category, q in origin.items() if category not in (_DOMESTIC, _UNKNOWN)]
            for figure, quantity in migrant:
                if figure.category == "yes":
                    self._add(quantity, foreign)
            known = ("known", year, scope, code, population)
            unknown = [origin[_UNKNOWN]] if _UNKNOWN in origin else []
            self._add(("total", year, scope, code, population), [known, *unknown])

    def _add_scope_equations(self, partitions: Sequence[Partition]) -> None:
        """A parent's cells, totals and bases are the sums of its children's."""
        by_scope: dict[ScopeKey, list[tuple[Figure, Quantity, Quantity]]] = defaultdict(list)
        for f, (quantity, base_quantity) in zip(self.figures, self.terms, strict=True):
            by_scope[(f.scope, f.scope_code)].append((f, quantity, base_quantity))
        for parent, children in partitions:
            bases_done = set()  # every variable of a population shares the base equation
            for f, quantity, base_quantity in by_scope.get(tuple(parent), []):
                self._add(quantity, self._in_children(f, children))
                if base_quantity not in bases_done:
                    bases_done.add(base_quantity)
                    kind, year, _, _, population = base_quantity
                    self._add(base_quantity, [self.intern((kind, year, *child, population))
                                              for child in children])

    def _in_children(self, figure: Figure, children: Sequence[ScopeKey]) -> list[Quantity]:
        """`quantity_of` the figure's cell in each child scope (the nation has hundreds)."""
        population, item = _split(figure.variable)
        intern = self.intern
        if item == "total":
            return [intern(("total", figure.year, *child, population)) for child in children]
        cells = [intern(("cell", figure.year, *child, figure.variable, figure.category))
                 for child in children]
        if (item, figure.category) != ("migrant_background", "no"):
            return cells  # only migrant background `no` has an alias
        return [intern(self.alias.get(cell, cell)) for cell in cells]

    # secondary suppression (rule 3 within variables, rule 4 across scopes)

    def settle(self) -> None:
        """Hide more quantities until no equation gives a hidden one away.

        Pending equations are taken lowest number first. Equations within a scope were added
        before those across scopes, so a table settles itself before a fix spills over to its
        siblings: a cell hidden there often covers the sibling's leak as well.

        An equation across scopes has a part per child (the nation's, one per site), so checking
        it must not rescan its parts: each equation keeps running counts of what readers see of
        it, updated only when one of its own terms is hidden.
        """
        uses: dict[Quantity, list[_Equation]] = defaultdict(list)
        for equation in self.equations:
            equation.count(self.value, self.hidden)
            for quantity in equation.terms():
                uses[quantity].append(equation)
        pending = list(range(len(self.equations)))  # already a heap
        queued = set(pending)
        while pending:
            number = heapq.heappop(pending)
            queued.discard(number)
            equation = self.equations[number]
            while (quantity := self._leak_fix(equation)) is not None:
                for newly_hidden in self.hide(quantity):
                    for other in uses[newly_hidden]:
                        other.term_hidden(newly_hidden, self.value)
                        if other.number not in queued:
                            heapq.heappush(pending, other.number)
                            queued.add(other.number)

    def _leak_fix(self, equation: "_Equation") -> Quantity | None:
        """The quantity to hide so that this equation leaks less, or None if it is safe."""
        whole = equation.whole
        # A term nobody supplied (a listed child scope without figures) is not published, but
        # readers may know it anyway (an inactive site is all zeros): it must not be left alone
        # as the only unknown, yet it never counts as cover for a hidden cell.
        if equation.hidden == 1 or (equation.missing and not equation.hidden):
            # The one hidden term is the published ones subtracted from each other.
            return self._next_part(equation, allow_zero=True) or self._if_published(whole)
        if equation.hidden and self.published(whole):
            hidden_sum = self.value[whole] - equation.published_sum
            if 0 < hidden_sum < MIN_CELL:
                # Two hidden cells of 1 and 2 published as "their sum is 3" still disclose them.
                # A zero adds nothing to the sum, so only a non-zero part helps.
                return self._next_part(equation, allow_zero=False) or whole
        return None

    def _if_published(self, quantity: Quantity) -> Quantity | None:
        return quantity if self.published(quantity) else None

    def _next_part(self, equation: "_Equation", *, allow_zero: bool) -> Quantity | None:
        """The smallest published non-zero part (on ties the first: input category order within a
        variable, `children_of` order across scopes).

        With no non-zero part left, a published zero is hidden instead: readers then know the
        hidden cells add up to the published rest, but not how it splits. That rest is 5 or more
        (a whole of 1-4 is hidden itself), so no small number can be read off.
        """
        candidates = equation.candidates(self.value)
        # Parts hidden since the heap was built are dropped here (hiding is never undone).
        while candidates and candidates[0][-1] in self.hidden:
            heapq.heappop(candidates)
        if not candidates:
            return None
        is_zero, _, _, part = candidates[0]
        return part if allow_zero or not is_zero else None

    # output

    def published_forms(self) -> list[Figure]:
        """Every input figure in published form, in input order."""
        terms = iter(self.terms)  # in step with self.figures, which skips the site counts
        return [self._published_form(figure, *next(terms)) if is_protected(figure.variable)
                else figure
                for figure in self.all_figures]

    def _published_form(self, figure: Figure, quantity: Quantity, base_quantity: Quantity
                        ) -> Figure:
        hide_count = not self.published(quantity)
        hide_base = figure.base is not None and not self.published(base_quantity)
        if not (hide_count or hide_base):
            return figure
        # One new Figure, the same as `figure.hidden()` and then base and percent dropped.
        return Figure(figure.year, figure.scope, figure.scope_code, figure.variable,
                      figure.category, count=None if hide_count else figure.count,
                      base=None if hide_base else figure.base, percent=None,
                      suppressed=hide_count or figure.suppressed,
                      provisional=figure.provisional)


class _Equation:
    """`whole = sum(parts)`, with running counts of what readers see of it.

    `hidden` and `missing` count hidden terms and terms nobody supplied a value for (and that
    are not hidden); `published_sum` adds up the published parts. `_candidates` is a heap of the
    published parts, smallest non-zero first (then zeros), ties by position; it is built on
    first use, since most equations never need a part hidden.
    """

    __slots__ = ("whole", "parts", "number", "hidden", "missing", "published_sum",
                 "_candidates")

    def __init__(self, whole: Quantity, parts: tuple[Quantity, ...], number: int):
        self.whole, self.parts, self.number = whole, parts, number
        self._candidates: list | None = None

    def reset(self) -> None:
        """Forget the heap of published parts: it drops parts as they get hidden, so it is
        made again for another run (`count` sets the running counts again)."""
        self._candidates = None

    def terms(self) -> tuple[Quantity, ...]:
        return (self.whole, *self.parts)

    def count(self, value: Mapping[Quantity, int], hidden: set[Quantity]) -> None:
        # Set operations run in C; the terms are distinct (see `_Problem._add`).
        terms = set(self.terms())
        self.hidden = len(terms.intersection(hidden))
        self.missing = len(terms.difference(value, hidden))
        published_parts = set(self.parts).difference(hidden)
        self.published_sum = sum(value[p] for p in published_parts if p in value)

    def term_hidden(self, quantity: Quantity, value: Mapping[Quantity, int]) -> None:
        """Keep the counts right after `quantity`, one of the terms, was hidden."""
        self.hidden += 1
        if quantity not in value:
            self.missing -= 1
        elif quantity != self.whole:
            self.published_sum -= value[quantity]

    def candidates(self, value: Mapping[Quantity, int]) -> list:
        if self._candidates is None:
            # Built lazily: the caller drops the parts that are hidden by now.
            self._candidates = [(value[p] == 0, value[p], position, p)
                                for position, p in enumerate(self.parts) if p in value]
            heapq.heapify(self._candidates)
        return self._candidates


@functools.cache
def _split(variable: str) -> tuple[str, str]:
    """(population, item) of a variable, one pair of strings per variable."""
    population, _, item = variable.partition(".")
    return population, item


def is_primary(figure: Figure) -> bool:
    """Whether the primary rules (1 and 2) hide this figure on its true values: the cells
    suppression exists to protect. Secondary cells (hidden to cover these) hold 0 or at least
    MIN_CELL persons."""
    if not is_protected(figure.variable) or figure.count is None:
        return False
    if figure.item == "total":
        return 0 < figure.count < MIN_CELL
    return figure.count > 0 and _small_cell(figure)


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
        if is_protected(f.variable) and f.item != "total":
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
        if not children or not is_protected(f.variable):
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

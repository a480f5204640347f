"""Comparing figures across codebook versions (mim.codebook.crosswalk).

`to_version(figures, "2008")` collapses current categories onto the 2008 lists where the
crosswalk allows it (one_benefit + two_benefits = benefit) so a recent year can be set beside an
old one; `to_version(figures, "2010")` carries 2008 figures forward where a code maps onto exactly
one current code. Whatever cannot be compared is left out of the mapped figures and listed in
`not_comparable` with the crosswalk's reason, so a table can say "niet vergelijkbaar" instead of
showing a wrong number.

A multi-answer category that several source codes collapse into is never comparable: a person
with two of those codes would be counted twice by adding counts, and the figures do not say how
many persons that is.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mim.codebook import codebooks, crosswalk
from mim.figures.standard import ITEMS, categories
from mim.figures.tidy import Figure


@dataclass(frozen=True)
class Mapped:
    version: str
    figures: list[Figure]
    # (variable, category) of the source or the target -> why it cannot be compared
    not_comparable: dict[tuple[str, str], str]


def _codebook_item(variable: str) -> str | None:
    population, _, item = variable.partition(".")
    return dict(ITEMS.get(population, ())).get(item)


def _target_code(item: str, code: str, source: str, target: str) -> tuple[str | None, str]:
    if source == target:
        return code, "unchanged"
    return (crosswalk.to_2008 if target == "2008" else crosswalk.to_current)(item, code)


def to_version(figures: Iterable[Figure], target: str, *, source: str | None = None) -> Mapped:
    """Map a year's figures onto codebook version `target` (see the module docstring).

    `source` defaults to the version in force for the figures' year."""
    figures = list(figures)
    if not figures:
        return Mapped(target, [], {})
    source = source or codebooks.for_year(figures[0].year).version
    book = codebooks.version(target)
    out: list[Figure] = []
    not_comparable: dict[tuple[str, str], str] = {}
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    order: list[tuple] = []
    for f in figures:
        item = _codebook_item(f.variable)
        if item is None or source == target:
            out.append(f)
            continue
        code, note = _target_code(item, f.category, source, target)
        if code is None or code not in categories(book, item, item):
            not_comparable[(f.variable, f.category)] = note
            continue
        key = (f.year, f.scope, f.scope_code, f.variable, code)
        if key not in groups:
            order.append(key)
        groups[key].append(f)
    for key in order:
        parts = groups[key]
        year, scope, scope_code, variable, code = key
        item = _codebook_item(variable)
        if len(parts) > 1 and book.item(item).multi:
            not_comparable[(variable, code)] = "several codes collapse into one multi-answer code"
            continue
        hidden = any(p.suppressed or p.count is None for p in parts)
        base = parts[0].base
        figure = Figure.of(year=year, scope=scope, scope_code=scope_code, variable=variable,
                           category=code, count=0 if hidden else sum(p.count for p in parts),
                           base=base or 0)
        if hidden:
            figure = figure.hidden()
        if base is None:
            figure = Figure(figure.year, scope, scope_code, variable, code, figure.count, None,
                            None, figure.suppressed)
        out.append(figure)
    return Mapped(target, out, not_comparable)

"""The reviews' independent attacker of a year's releases: SciPy's `linprog` over what every
stored release published (tests/publication/test_review_releases.py `stored_releases`), one
set of unknowns per truth of a site (its fingerprint), every shown cell and base an equation,
categories adding up to the total (at most the total for a multi-answer item), and, as each
test asks, what a reader of two consecutive releases may assume about a site whose truth
moved between them. Written apart from mim.publication (it reads only the stored payloads),
so that it does not share the audit's mistakes."""

import itertools

import numpy as np
from scipy.optimize import linprog

MULTI = {"mothers.mother_circumstances"}


def members(rel, scope, code):
    """The sites a scope of a release adds up, from the release's partitions."""
    if scope == "national":
        return list(rel["sites"])
    if scope == "site" and code in rel["sites"]:
        return [code]
    children = {}
    for parent, parts in rel["partitions"]:
        children.setdefault(tuple(parent), []).append([tuple(c) for c in parts])
    out = []
    for s, c in (children.get((scope, code)) or [[]])[0]:
        out += members(rel, s, c)
    return out


def moved(before, after, code, part, sign) -> bool:
    """Whether no true cell of the site went down (`sign` +1) or up (-1) between the two
    releases, among the cells of `part`: None for every cell of the site, a population
    ("mothers") or a variable ("mothers.origin"). Only then may a reader assume it: where it
    is false, the programme could have no solution."""
    def cells(rel):
        return {(f.variable, f.category): f.count for f in rel["truth"]
                if f.scope == "site" and f.scope_code == code
                and part in (None, f.variable, f.variable.partition(".")[0])}
    old, new = cells(before), cells(after)
    return all(sign * (new.get(c, 0) - old.get(c, 0)) >= 0 for c in {*old, *new})


def interval(rels, variable, target, *, grows=None, shrinks=False, increments=False,
             holds=None):
    """(min, max) of `target` = (release, scope, code, category) of `variable` over every
    release in `rels`.

    `grows`: a site whose truth moved between two consecutive releases and none of whose
    cells of the part named went down ("site": every cell; "population"; "variable") only
    registered, so each cell of `variable` (and its total) is at most the same cell later.
    `shrinks`: a site none of whose cells of the population went up only lost records, each
    cell later at most the same cell before. `increments`: where a site only registered, a
    category of a multi-answer item grew by at most as many as the population. `holds`: the
    code of a site whose true cells in every release the reader knows (her own, as its
    coordinator)."""
    population = variable.partition(".")[0]
    total = (f"{population}.total", "all")
    cats = sorted({f.category for r in rels for f in r["truth"] if f.variable == variable})
    cells = [(variable, c) for c in cats] + [total]
    index = {}

    def var(site, cell):
        return index.setdefault((site, cell), len(index))

    eq, eq_rhs, ub = [], [], []
    for rel in rels:
        for code, mark in rel["sites"].items():
            if variable in MULTI:
                ub += [{var((code, mark), (variable, c)): 1.0, var((code, mark), total): -1.0}
                       for c in cats]
            else:
                row = {var((code, mark), total): -1.0}
                row.update({var((code, mark), (variable, c)): 1.0 for c in cats})
                eq.append(row)
                eq_rhs.append(0.0)
        for f in rel["published"]:
            if f.suppressed or f.count is None:
                continue
            sites = members(rel, f.scope, f.scope_code)
            for cell, value in (((f.variable, f.category), f.count), (total, f.base)):
                if value is None or (cell == total and f.variable != variable) \
                        or (cell != total and cell not in cells) or not sites:
                    continue
                row = {}
                for code in sites:
                    i = var((code, rel["sites"][code]), cell)
                    row[i] = row.get(i, 0.0) + 1.0
                eq.append(row)
                eq_rhs.append(float(value))
    for rel in rels if holds else ():
        mark = rel["sites"].get(holds)
        if mark is None:
            continue
        true = {(f.variable, f.category): f.count for f in rel["truth"]
                if f.scope == "site" and f.scope_code == holds}
        for cell in cells:
            eq.append({var((holds, mark), cell): 1.0})
            eq_rhs.append(float(true.get(cell) or 0))
    part = {None: None, "site": None, "population": population, "variable": variable}
    ordered = sorted(rels, key=lambda r: r["number"])
    for before, after in itertools.pairwise(ordered):
        for code, mark in before["sites"].items():
            later = after["sites"].get(code)
            if later is None or later == mark:
                continue
            old, new = (code, mark), (code, later)
            if grows and moved(before, after, code, part[grows], +1):
                ub += [{var(new, cell): -1.0, var(old, cell): 1.0} for cell in cells]
                if increments and variable in MULTI:
                    ub += [{var(new, (variable, c)): 1.0, var(old, (variable, c)): -1.0,
                            var(new, total): -1.0, var(old, total): 1.0} for c in cats]
            if shrinks and moved(before, after, code, population, -1):
                ub += [{var(old, cell): -1.0, var(new, cell): 1.0} for cell in cells]
    number, scope, code, category = target
    rel = next(r for r in rels if r["number"] == number)
    objective = np.zeros(len(index))
    for site in members(rel, scope, code):
        objective[var((site, rel["sites"][site]), (variable, category))] += 1.0

    def matrix(rows):
        a = np.zeros((len(rows), len(index)))
        for r, row in enumerate(rows):
            for i, v in row.items():
                a[r, i] = v
        return a

    kw = {"A_eq": matrix(eq), "b_eq": eq_rhs, "bounds": [(0, None)] * len(index),
          "method": "highs"}
    if ub:
        kw.update(A_ub=matrix(ub), b_ub=[0.0] * len(ub))
    low, high = linprog(objective, **kw), linprog(-objective, **kw)
    assert low.status == 0 and high.status in (0, 3), (low.message, high.message)
    return round(low.fun, 6), float("inf") if high.status == 3 else round(-high.fun, 6)

"""How results rows (mim.results, docs/results.md) are published: the rule that stands in for
the additive suppression and its audit, which cannot take them (a share of a Kaplan-Meier
curve or a median is not a sum of cells).

For every scope the publication has (the nation, organisations, municipalities, every site
published on its own and every merged group; a small site never: its records count only
inside its group and the scopes above it):

1. *Base.* A group of rows (a curve, or a visits statistic) is shown only when the persons
   behind it number 0 or at least `MIN_POPULATION`; otherwise its value and base are hidden.
2. *Cells.* A row's value is hidden when a count behind it is 1 to `MIN_CELL - 1`: for the
   share still in at t months, the persons seen to leave by t and those still observed after
   t; for the share visited every month, those visited and those not.
3. *Differences.* Bases, and the persons behind a share, add up over the same partitions as
   the counts (the nation = Σ units = Σ organisations = Σ municipalities; an organisation or
   municipality = Σ its sites, a small site being a term nobody publishes) and over a curve's
   start cohorts (`all` = Σ `start_<year>`). Where a relation leaves exactly one hidden term
   with persons in it, or hidden terms whose given sum leaves less than MIN_WIDTH above the
   least they can be, the published term with the fewest persons is hidden too (the parent
   when no term is left), until no relation does (`_close`).
4. *Attackers who hold a site.* Rule 3 again as each coordinator the counts' audit attacks
   as: her own site is no unknown to her (`_close_all`).
5. *Counted totals.* A base that counts the same persons as a total the counts hide is
   hidden (SAME_AS_TOTAL).

Nothing is counted here: the rows come from `YearResults`, computed once per year with the
year's inputs (`YearFigures.results`).
"""

from __future__ import annotations

import functools

import numpy as np

from mim.figures import standard
from mim.figures.tidy import Figure
from mim.results.engine import Result


def scope_members(data, units) -> dict[tuple[str, str], list[str]]:
    """The published scopes of the year and the site codes each is made of."""
    scopes = {key: [s.code for s in members] for key, members in data.scope_keys().items()}
    for code in units.alone:
        scopes[("site", code)] = [code]
    for group in units.groups.values():
        scopes[("site", group.code)] = list(group.members)
    return scopes


def _base_key(f: Figure) -> tuple[str, str]:
    return _base_key_of(f.variable, f.category)


@functools.cache  # a hundred-odd (variable, category) pairs over some 60,000 rows
def _base_key_of(variable: str, category: str) -> tuple[str, str]:
    # Rows of one curve share its base; each visits statistic has its own.
    population = variable.split(".")[1]
    return (variable if population == "visits" else population, category)


def _close(hidden: set, keys: list, size: dict, terms: list, number: dict,
           secret_at: np.ndarray, links: list, *, key_links: list = (),
           known_terms: list = ()) -> set:
    """Rule 3 over every relation, until none is left open:
    - a relation with exactly one unknown term with persons in it gives that term away;
    - a relation whose parent is known and whose unknown terms add up to a sum S gives each
      of them an interval of S less the least the others can be (1 for a hidden base, since a
      base of 0 is shown; 0 for a small site inside a group): narrower than MIN_WIDTH, and it
      pins a small base as surely as a difference does (two hidden sites of 1 under an
      organisation of 14 whose third site shows 12).
    Where either holds, the published term with the fewest persons is hidden too (the parent
    when no term is left). `links` are the partitions of scopes (one key at a time);
    `key_links` the relations between the keys of one scope (a curve's `all` = the sum of its
    start cohorts); `known_terms` the scopes an attacker holds as they are (a coordinator's
    own site): to her they are no unknowns, and hiding them protects nothing. numpy over a
    matrix of terms × keys, so a pass costs a few array operations per relation."""
    persons = np.zeros((len(terms), len(keys)), np.int64)
    unknown = np.zeros((len(terms), len(keys)), bool)
    column = {k: j for j, k in enumerate(keys)}
    for (t, *k), n in size.items():
        persons[number[t], column[tuple(k)]] = n
    for t, *k in hidden:
        if tuple(k) in column:
            unknown[number[t], column[tuple(k)]] = True
    unknown |= secret_at[:, None]
    known = np.zeros_like(unknown)
    for t in known_terms:
        if t in number:
            known[number[t]] = True
    floor = np.broadcast_to((~secret_at).astype(np.int64)[:, None], persons.shape)
    present = persons > 0
    changed = True
    while changed:
        changed = False
        for matrices, relations in (((persons, unknown, known, floor, present), links),
                                    ((persons.T, unknown.T, known.T, floor.T, present.T),
                                     key_links)):
            for parent, children in relations:
                changed |= _close_relation(*matrices, parent, children)
    unknown &= ~secret_at[:, None]
    return {(terms[i], *keys[j]) for i, j in zip(*unknown.nonzero(), strict=True)}


def _close_all(hidden: set, views: list, keys: list, size: dict, terms: list, number: dict,
               secret_at: np.ndarray, links: list) -> set:
    """`_close` as every attacker, again until a whole round hides nothing more: a term one
    of them hides can leave another's relation with a single unknown (her own site, say)."""
    key_links = _cohort_links(keys)
    while True:
        before = len(hidden)
        for view in views:
            hidden = _close(hidden, keys, size, terms, number, secret_at, links,
                            key_links=key_links, known_terms=view)
        if len(hidden) == before:
            return hidden


def _close_relation(persons, unknown, known, floor, present, parent, children) -> bool:
    """One relation (row `parent` = the sum of rows `children`) over every column at once;
    writes the terms it hides into `unknown` and says whether it hid any."""
    rows = np.concatenate(([parent], children))
    seen = unknown & ~known  # what the attacker does not hold
    open_ = present[rows] & seen[rows]
    lone = open_.sum(axis=0) == 1
    kids = present[children] & seen[children]
    spread = (persons[children] * kids).sum(axis=0) - (floor[children] * kids).sum(axis=0)
    tight = ~seen[parent] & (kids.sum(axis=0) >= 2) & (spread < standard.MIN_WIDTH)
    wrong = (lone | tight).nonzero()[0]
    if not len(wrong):
        return False
    cover = present[children][:, wrong] & ~unknown[children][:, wrong] & ~known[children][:, wrong]
    cost = np.where(cover, persons[children][:, wrong], np.iinfo(np.int64).max)
    hid = False
    for j, key in enumerate(wrong):
        if cover[:, j].any():
            unknown[children[int(np.argmin(cost[:, j]))], key] = True
        elif present[parent, key] and not unknown[parent, key] and not known[parent, key]:
            unknown[parent, key] = True
        else:
            continue
        hid = True
    return hid


def _small(n: int | None, threshold: int) -> bool:
    return n is not None and 0 < n < threshold


# A results base that counts the same persons as a total of the counts (volunteers active in
# the year): where the counts hide that total, the base is hidden too, or it would hand the
# counts' hidden total back beside its categories.
SAME_AS_TOTAL = {("results.visits.per_volunteer_month", "all"): "volunteers"}


def _cohort_links(keys: list) -> list:
    """A curve's `all` is the sum of its start cohorts, in every scope: (parent, children) over
    the positions of `keys`."""
    where = {k: j for j, k in enumerate(keys)}
    children: dict[tuple, list[int]] = {}
    for k in keys:
        if k[-1].startswith("start_"):
            children.setdefault((*k[:-1], "all"), []).append(where[k])
    return [(where[parent], np.array(found, np.int64)) for parent, found in children.items()
            if parent in where]


def publish(year: int, data, units, partitions, provisional: dict | None = None, *,
            hidden_totals: set = frozenset(), attackers: tuple = ()) -> list[Figure]:
    """The results rows of every published scope, in published form; with `provisional`
    (scope key -> flag) each row carries its scope's flag, made so once rather than copied
    afterwards (at 2,000 sites some 400,000 rows).

    `hidden_totals`: the (scope, code, population) whose total the counts hide
    (SAME_AS_TOTAL). `attackers`: the codes of the sites whose coordinator the counts' audit
    attacks as (mim.publication.build: a coordinator with a wider role, or inside a merged
    group); she holds her own site's rows, so rule 3 runs once more as each of them."""
    results = data.results
    # The small sites inside groups: terms of partitions that nobody publishes.
    secret = {("site", code) for code in units.group_of}
    published = scope_members(data, units)
    found = results.rows_by_scope({**{("site", code): [code] for code in units.group_of},
                                   **published})
    rows: dict[tuple[str, str], list[Result]] = {key: found[key] for key in published}
    base_of: dict[tuple, int] = {}
    persons: dict[tuple, int] = {}  # the persons behind a value (for picking the cheapest)
    hidden_bases: set[tuple] = set()
    hidden_values: set[tuple] = set()
    for key, results_rows in rows.items():
        for r in results_rows:
            f = r.figure
            bkey = (key, *_base_key(f))
            base_of[bkey] = f.base or 0
            persons[(key, f.variable, f.category)] = f.base or 0
            if _small(f.base, standard.MIN_POPULATION):
                hidden_bases.add(bkey)
            same = SAME_AS_TOTAL.get(_base_key(f))
            if same is not None and (*key, same) in hidden_totals:
                hidden_bases.add(bkey)
            if any(_small(c, standard.MIN_CELL) for c in r.cells):
                hidden_values.add((key, f.variable, f.category))
    for key in secret:
        for r in found[key]:
            base_of[(key, *_base_key(r.figure))] = r.figure.base or 0
            persons[(key, r.figure.variable, r.figure.category)] = r.figure.base or 0
    del found  # `rows` holds what is published; the rest may go
    terms = sorted({k[0] for k in base_of} | {tuple(t) for p, c in partitions for t in (p, *c)})
    number = {t: i for i, t in enumerate(terms)}
    secret_at = np.array([t in secret for t in terms], bool)
    links = [(number[tuple(p)], np.array([number[tuple(c)] for c in children], np.int64))
             for p, children in partitions]
    base_keys = sorted({k[1:] for k in base_of})
    # Anyone with the published rows first, then each coordinator who holds her own site's.
    views = [(), *([("site", code)] for code in attackers)]
    hidden_bases = _close_all(hidden_bases, views, base_keys, base_of, terms, number, secret_at,
                              links)
    value_keys = sorted({k[1:] for k in persons})
    # A value whose base is hidden is hidden with it: an unknown of the value's partitions.
    hidden_values |= {(t, variable, category) for t in terms for variable, category in value_keys
                      if (t, *_base_key_of(variable, category)) in hidden_bases}
    hidden_values = _close_all(hidden_values, views, value_keys, persons, terms, number,
                               secret_at, links)
    out = []
    for key in list(rows):
        # Each scope's rows let go as they are published: never all of them twice.
        results_rows = rows.pop(key)
        flag = provisional.get(key) if provisional is not None else None
        for r in results_rows:
            f = r.figure
            mark = f.provisional if flag is None else flag
            if (key, *_base_key(f)) in hidden_bases:
                out.append(Figure(f.year, f.scope, f.scope_code, f.variable, f.category,
                                  f.count, None, f.percent, True, None, mark))
            elif (key, f.variable, f.category) in hidden_values:
                out.append(Figure(f.year, f.scope, f.scope_code, f.variable, f.category,
                                  f.count, f.base, f.percent, True, None, mark))
            elif f.provisional != mark:
                out.append(Figure(f.year, f.scope, f.scope_code, f.variable, f.category,
                                  f.count, f.base, f.percent, f.suppressed, f.value, mark))
            else:
                out.append(f)
    return out

"""The fast suppression hides exactly the cells the previous implementation hid.

`suppression_reference.py` is a frozen copy of the algorithm before it was made fast (issue 4);
it is the oracle. The inputs are shaped like a year of `YearFigures.published`: many sites, most
of them small, inside overlapping organisations and municipalities and the nation, with
`children_of`; some also with cells hidden on input, missing bases, listed children without
figures, two years, or shuffled order.
"""

import random
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mim.figures.suppression import Suppression, suppress
from mim.figures.tidy import Figure
from tests.figures import suppression_reference
from tests.figures.test_suppression import build, property_settings, regions

YEAR = 2024
ORIGINS = ("dutch", "turkish", "moroccan", "surinamese", "europe_other", "unknown")
# population -> (item, categories, multi-answer); migrant background is derived from origin.
ITEMS = {
    "mothers": (("origin", ORIGINS, False), ("migrant_background", ("yes", "no"), False),
                ("education", ("lbo_or_lower", "mbo", "hbo", "unknown"), False),
                ("household", ("cohabiting", "single", "with_parents", "unknown"), False),
                ("mother_circumstances", ("poor_social_network", "single_parenthood", "other"),
                 True)),
    "mothers_ended": (("end_reason", ("completed", "moved", "other"), False),),
    "volunteers": (("origin", ("dutch", "turkish", "unknown"), False),
                   ("migrant_background", ("yes", "no"), False),
                   ("work_experience", ("care", "education", "other"), True)),
}


def _split(rng, n, categories):
    counts = dict.fromkeys(categories, 0)
    for category in rng.choices(categories, k=n):
        counts[category] += 1
    return counts


def _population_size(rng):
    return rng.choice((0, rng.randint(1, 4), rng.randint(5, 9), rng.randint(10, 40),
                       rng.randint(40, 300)))


def site_counts(rng) -> dict[tuple[str, str], tuple[int, int]]:
    """(variable, category) -> (count, base) of one site."""
    counts = {}
    sizes = {"mothers": _population_size(rng), "volunteers": _population_size(rng)}
    sizes["mothers_ended"] = rng.randint(0, sizes["mothers"])
    for population, items in ITEMS.items():
        total = sizes[population]
        counts[(f"{population}.total", "all")] = (total, total)
        origin = {}
        for item, categories, multi in items:
            variable = f"{population}.{item}"
            if item == "migrant_background":
                known = total - origin["unknown"]
                values = {"yes": known - origin["dutch"], "no": origin["dutch"]}
                counts.update({(variable, c): (n, known) for c, n in values.items()})
                continue
            if multi:
                values = {c: rng.randint(0, total) for c in categories}
            else:
                values = _split(rng, total, categories)
            if item == "origin":
                origin = values
            counts.update({(variable, c): (n, total) for c, n in values.items()})
    return counts


def _figures(year, scope_key, counts):
    scope, code = scope_key
    return [Figure.of(year=year, scope=scope, scope_code=code, variable=variable,
                      category=category, count=count, base=base)
            for (variable, category), (count, base) in counts.items()]


def _sum(parts):
    keys = parts[0].keys()
    return {key: (sum(p[key][0] for p in parts), sum(p[key][1] for p in parts)) for key in keys}


def year_of(rng, year):
    """Figures of every site, organisation, municipality and the nation, and `children_of`."""
    n_sites = rng.randint(1, 60)
    sites = {f"s{n}": site_counts(rng) for n in range(n_sites)}
    codes = list(sites)
    groups = {("national", "NL"): codes}
    for scope, count in (("organisation", rng.randint(1, 8)), ("municipality", rng.randint(1, 12))):
        for code in codes:
            groups.setdefault((scope, f"{scope[0]}{rng.randrange(count)}"), []).append(code)
    # A site that is in the sums but has no figures of its own (rule: it stays protected).
    ghosts = {code for code in codes if rng.random() < 0.05}
    figures = []
    for key, members in groups.items():
        figures.append(Figure.of(year=year, scope=key[0], scope_code=key[1],
                                 variable="sites.active", category="all", count=len(members),
                                 base=len(members)))
        figures += _figures(year, key, _sum([sites[c] for c in members]))
    for code in codes:
        if code not in ghosts:
            figures += _figures(year, ("site", code), sites[code])
    children_of = {key: [("site", c) for c in members] for key, members in groups.items()}
    return figures, children_of


def random_input(seed):
    rng = random.Random(seed)
    figures, children_of = year_of(rng, YEAR)
    if rng.random() < 0.2:
        earlier, earlier_children = year_of(rng, YEAR - 1)
        figures += earlier
        for key, children in earlier_children.items():
            children_of.setdefault(key, []).extend(
                c for c in children if c not in children_of.get(key, []))
    if rng.random() < 0.3:
        figures = [f.hidden() if rng.random() < 0.02 else f for f in figures]
    if rng.random() < 0.2:
        figures = [replace(f, base=None, percent=None) if rng.random() < 0.01 else f
                   for f in figures]
    if rng.random() < 0.1:
        figures += rng.sample(figures, min(5, len(figures)))  # duplicates: first one counts
    if rng.random() < 0.3:
        rng.shuffle(figures)
    return figures, children_of


def assert_same(figures, children_of):
    expected = suppression_reference.suppress(figures, children_of=children_of)
    assert suppress(figures, children_of=children_of) == expected


@pytest.mark.parametrize("seed", range(150))
def test_it_hides_the_same_cells_as_the_previous_implementation(seed):
    assert_same(*random_input(seed))


def test_it_hides_the_same_cells_without_children():
    figures, _ = random_input(7)
    assert_same(figures, None)


@property_settings
@given(regions(), st.data())
def test_it_agrees_with_the_previous_implementation_on_small_regions(region, data):
    figures, children_of = build(*region)
    chosen = data.draw(st.sets(st.integers(0, len(figures) - 1), max_size=5))
    figures = [f.hidden() if i in chosen else f for i, f in enumerate(figures)]
    assert_same(figures, children_of)


@pytest.mark.parametrize("seed", range(40))
def test_it_gives_what_suppress_gives_when_run_again_with_more_hidden(seed):
    # The publication runs one Suppression once per round of its audit, hiding more each
    # round: every run must equal a fresh suppress() with the same cells forced hidden.
    figures, children_of = random_input(seed)
    rng = random.Random(seed)
    prepared = Suppression(figures, children_of=children_of)
    keys = [(f.year, f.scope, f.scope_code, f.variable, f.category) for f in figures]
    force: set[tuple] = set()
    for _round in range(3):
        got = prepared.run(force)
        assert got == suppress(figures, children_of=children_of, force_hidden=force)
        force |= {k for k in keys if rng.random() < 0.03}

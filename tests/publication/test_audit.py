"""The audit proves most cells wide or narrow in small blocks around the true figures
(`audit._Local`); it must find exactly the cells that solving the whole programme finds."""

import contextlib
import random
from dataclasses import replace

import pytest

from mim.publication import audit as attacker
from mim.publication import build as builder
from tests.figures.conftest import YEAR
from tests.publication.test_attacks import _records, crossed_sites

pytestmark = pytest.mark.django_db

REAL_AUDIT = attacker.audit


def _audits_of_a_build(monkeypatch) -> list[tuple[tuple, dict]]:
    """The arguments of every audit one build runs (its rounds, its attackers)."""
    calls = []

    def recording(*args, **kwargs):
        calls.append((args, kwargs))
        return REAL_AUDIT(*args, **kwargs)

    monkeypatch.setattr(attacker, "audit", recording)
    builder.build(YEAR)
    return calls


def _year(seed: int) -> None:
    rng = random.Random(seed)
    sites = crossed_sites(rng, 16, 5, 6)
    _records(rng, sites, [rng.choice([3, 6, 8, 12, 25, 40, 90, 160]) for _ in sites])


@pytest.mark.parametrize(("seed", "region_sites"), [(4, 400), (9, 400), (4, 5)])
def test_it_finds_the_same_narrow_cells_as_the_whole_programme(seed, region_sites,
                                                               monkeypatch):
    # Regions of 5 sites: the narrow relaxations of a year of many sites, on 16.
    monkeypatch.setattr(attacker, "_REGION_SITES", region_sites)
    _year(seed)
    calls = _audits_of_a_build(monkeypatch)
    narrow = local_solves = 0
    # The attack over everything published gets the true figures; a grouped coordinator's
    # small programme over the public view is solved whole (build.py), nothing to compare.
    assert calls[0][1].get("truth"), "the build gives the audit the true figures"
    for args, kwargs in calls:
        if not kwargs.get("truth"):
            assert kwargs.get("attacker_knows"), "only a grouped coordinator's is solved whole"
            continue
        local = REAL_AUDIT(*args, **kwargs)
        whole = REAL_AUDIT(*args, **{**kwargs, "truth": ()})
        assert set(local.narrow) == set(whole.narrow)
        assert whole.local_solves == 0
        narrow += len(whole.narrow)
        local_solves += local.local_solves
    # The first round's pattern leaves cells narrow (the build widens them), so the comparison
    # compares something, and the blocks did the work.
    assert narrow > 0
    assert local_solves > 0


def test_it_finds_the_same_narrow_cells_as_the_whole_programme_over_two_releases(monkeypatch):
    """With an earlier release in the programme (`build(earlier=...)`: its scopes, the ties
    of unchanged sites, the growth rows between the two truths) the blocks add the release
    stage and near blocks that take in a scope's twin in the other release: they must still
    find what solving the whole programme finds."""
    import datetime as dt

    from mim.publication import releases
    from mim.publication.selectors import current_publication
    from tests.factories import MotherFactory

    rng = random.Random(4)
    sites = crossed_sites(rng, 16, 5, 6)
    _records(rng, sites, [rng.choice([3, 6, 8, 12, 25, 40, 90, 160]) for _ in sites])
    assert current_publication(YEAR).number == 1
    for n, site in enumerate(sites[::2]):  # a month's registrations at half the sites
        for k in range(2):
            MotherFactory(site=site, start_date=dt.date(YEAR, 11, 1), ref=f"LATER{n}-{k}",
                          origin=rng.choice(["dutch", "turkish", "moroccan"]))
    calls = []

    def recording(*args, **kwargs):
        calls.append((args, kwargs))
        return REAL_AUDIT(*args, **kwargs)

    monkeypatch.setattr(attacker, "audit", recording)
    twins = []
    real_init = attacker._Local.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        twins.append(len(self.twins))

    monkeypatch.setattr(attacker._Local, "__init__", init)
    # The rounds' audits are what is compared, whether or not the last one left cells narrow.
    with contextlib.suppress(builder.PublicationRefused):
        builder.build(YEAR, earlier=releases.load(YEAR))
    joint = [(args, kwargs) for args, kwargs in calls if kwargs.get("grows")]
    assert joint, "the first release and its growth rows are in the programme"
    narrow = 0
    for args, kwargs in joint:
        local = REAL_AUDIT(*args, **kwargs)
        whole = REAL_AUDIT(*args, **{**kwargs, "truth": ()})
        assert set(local.narrow) == set(whole.narrow)
        narrow += len(whole.narrow)
    assert narrow > 0, "cells left narrow: the comparison compares something"
    assert max(twins) > 0, "near blocks had twins to take in"


def test_it_finds_the_same_narrow_cells_with_the_large_blocks_solvers(monkeypatch):
    """Blocks of `_INTERIOR_FROM` cells or more mix with the interior point method, bound the
    cells left from its crossover to a vertex, and ask more of a mixture the larger they are.
    The test year's blocks are smaller than that, so the thresholds come down to them."""
    monkeypatch.setattr(attacker, "_INTERIOR_FROM", 40)
    monkeypatch.setattr(attacker, "_CELLS_PER_PAYING_CELL", 25)
    made = []
    real_init = attacker._Programme.__init__

    def recording(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made.append((self.interior, self._crossed))

    monkeypatch.setattr(attacker._Programme, "__init__", recording)
    _year(9)
    narrow = 0
    for args, kwargs in _audits_of_a_build(monkeypatch):
        local = REAL_AUDIT(*args, **kwargs)
        whole = REAL_AUDIT(*args, **{**kwargs, "truth": ()})
        assert set(local.narrow) == set(whole.narrow)
        narrow += len(whole.narrow)
    assert narrow > 0
    assert (True, False) in made, "a block mixed with the interior point method"
    assert (False, True) in made, "a programme started from the crossover"


def test_it_solves_the_whole_programme_where_the_true_figures_break_a_relation(monkeypatch):
    _year(4)
    args, kwargs = _audits_of_a_build(monkeypatch)[0]
    expected = REAL_AUDIT(*args, **{**kwargs, "truth": ()})
    # A true figure that contradicts the published ones (as a figure missing from them would):
    # the blocks cannot start from it, so those cells go to the whole programme.
    truth = [replace(f, count=f.count + 7) if f.variable.endswith(".total") and f.count
             else f for f in kwargs["truth"]]
    broken = REAL_AUDIT(*args, **{**kwargs, "truth": truth})
    assert set(broken.narrow) == set(expected.narrow)
    assert broken.local_solves == 0


def _one_organisation(true: dict, hidden) -> tuple[list, list, list]:
    """Published figures, true figures and partitions of sites in one organisation "o": the
    age cells of `true` ({site code: {category: count}}), each site's and the organisation's
    cells and totals, every total published; `hidden(code, category)` says which site cells
    are hidden."""
    from mim.figures.tidy import Figure

    def cell(scope, code, category, count, hidden=False, variable="mothers.age_group"):
        return Figure(YEAR, scope, code, variable, category, None if hidden else count,
                      None, None, suppressed=hidden)

    published, truth = [], []
    organisation = {}
    for code, counts in true.items():
        for category, count in counts.items():
            published.append(cell("site", code, category, count, hidden=hidden(code, category)))
            truth.append(cell("site", code, category, count))
            organisation[category] = organisation.get(category, 0) + count
        total = cell("site", code, "all", sum(counts.values()), variable="mothers.total")
        published.append(total)
        truth.append(total)
    for category, count in organisation.items():
        published.append(cell("organisation", "o", category, count))
        truth.append(cell("organisation", "o", category, count))
    total = cell("organisation", "o", "all", sum(organisation.values()),
                 variable="mothers.total")
    published.append(total)
    truth.append(total)
    return published, truth, [(("organisation", "o"), [("site", code) for code in true])]


def test_it_proves_a_determined_cell_narrow_in_a_block():
    """Two sites in one organisation; the organisation's cell and one site's are published,
    so the other site's hidden cell is their difference."""
    published, truth, partitions = _one_organisation(
        {"a": {"under_20": 2, "20_24": 30}, "b": {"under_20": 9, "20_24": 20}},
        hidden=lambda code, category: code == "a" and category == "under_20")
    key = ("site", "a", "mothers.age_group", "under_20")
    result = attacker.audit(YEAR, published, partitions=partitions, truth=truth)
    assert key in result.narrow and result.narrow[key] == (2, 2)
    assert result.local_solves > 0


def test_it_counts_what_no_block_settles_as_narrow_in_a_component_too_large(monkeypatch):
    """Above `_WHOLE_LIMIT` cells (15,000) a component is not solved whole: a cell the blocks leave
    open counts as narrow. The audit may then hide more, never pass a cell the whole programme
    finds narrow, and the build still ends in a publication."""
    monkeypatch.setattr(attacker, "_WHOLE_LIMIT", 0)
    _year(9)
    calls = _audits_of_a_build(monkeypatch)  # raises PublicationRefused if it never passes
    assert len(calls) > 1, "the first round left cells narrow: the rounds were exercised"
    for args, kwargs in calls:
        blocks_only = REAL_AUDIT(*args, **kwargs)
        whole = REAL_AUDIT(*args, **{**kwargs, "truth": ()})
        assert set(whole.narrow) <= set(blocks_only.narrow)


def test_it_writes_nothing_on_standard_output():
    """HiGHS prints a banner from C when a process makes its first instance; it landed in the
    CSV that `mim figures` writes on standard output whenever the year had to be built."""
    import subprocess
    import sys

    code = ("from mim.publication.audit import _quiet_highs; _quiet_highs(); _quiet_highs(); "
            "print('only this')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**__import__("os").environ,
                                           "DJANGO_SETTINGS_MODULE": "mim.settings"})
    assert done.stdout == "only this\n"


def test_it_gives_the_same_result_with_any_number_of_threads(monkeypatch):
    """The table blocks run side by side in threads (`_Local._side_by_side`). With no component
    solved whole, what the blocks show is the whole result: it must not depend on how many
    threads there are or which block finished first."""
    _year(4)
    args, kwargs = _audits_of_a_build(monkeypatch)[0]
    # Only now: the build is here only for the first round's inputs, and a build that may
    # solve nothing whole can leave cells open after its last round and refuse the year (it
    # did on the AMD EPYC machine of 2026-12-06 evening, with the code before too).
    monkeypatch.setattr(attacker, "_WHOLE_LIMIT", 0)
    results = []
    for threads in (1, 3, 1):
        monkeypatch.setattr(attacker, "_THREADS", threads)
        result = REAL_AUDIT(*args, **kwargs)
        results.append((result.narrow, result.pins, result.solves, result.local_solves,
                        result.narrowest, result.narrowest_passed))
    assert results[0][0], "cells left narrow: the comparison compares something"
    assert results[0] == results[1] == results[2]


def test_it_asks_a_relaxation_once_per_cell_and_its_smallest_value_only_when_needed(
        monkeypatch):
    """A narrow relaxation (`_Local._outer`) is asked a cell's largest value first; the true
    figures are one of its points, so a largest value MIN_WIDTH above the true count already
    shows the relaxation cannot prove the cell narrow, and its smallest is not asked. And no
    stage asks the same relaxation about the same cell again (the near stage asked each cell's
    relaxation around its own scope a second time, to the same answer). The cells found
    narrow stay those of the whole programme."""
    monkeypatch.setattr(attacker, "_BLOCK_MIXTURES", 0)  # every cell reaches the relaxations
    _year(4)
    args, kwargs = _audits_of_a_build(monkeypatch)[0]
    asked, members, solves = [], 0, 0
    real_outer, real_solve = attacker._Local._outer, attacker._Local._solve
    inside, relaxed_narrow = [], []

    def outer(self, columns, cells):
        nonlocal members
        asked.extend((tuple(int(c) for c in columns), int(c)) for c in cells)
        members += len(cells)
        inside.append(True)
        try:
            found = real_outer(self, columns, cells)
        finally:
            inside.pop()
        relaxed_narrow.append(len(found))
        return found

    def solve(self, programme, objective):
        nonlocal solves
        solves += bool(inside)
        return real_solve(self, programme, objective)

    monkeypatch.setattr(attacker._Local, "_outer", outer)
    monkeypatch.setattr(attacker._Local, "_solve", solve)
    local = REAL_AUDIT(*args, **kwargs)
    whole = REAL_AUDIT(*args, **{**kwargs, "truth": ()})
    assert set(local.narrow) == set(whole.narrow) and whole.narrow
    assert members > len(local.narrow), "wide cells reached the relaxations"
    assert len(asked) == len(set(asked)), "a relaxation asked twice about one cell"
    # Every cell asked its largest value, the ones a relaxation proved narrow their smallest
    # too, and some wide ones not (two solves each before).
    assert members + sum(relaxed_narrow) <= solves < members * 2


def test_it_writes_nothing_on_standard_output_from_two_threads_at_once():
    """Two threads making the process's first instances at once must not leave standard output
    pointed at /dev/null (the redirection of one restored inside the other's)."""
    import subprocess
    import sys

    code = ("import threading; from mim.publication.audit import _quiet_highs\n"
            "ts = [threading.Thread(target=_quiet_highs) for _ in range(4)]\n"
            "[t.start() for t in ts]; [t.join() for t in ts]\n"
            "print('only this')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**__import__("os").environ,
                                           "DJANGO_SETTINGS_MODULE": "mim.settings"})
    assert done.stdout == "only this\n"


def test_it_switches_off_the_presolve_rule_it_means(tmp_path):
    """`_DEPENDENT_EQUATIONS` is a bit of HiGHS's `presolve_rule_off`, numbered by HiGHS's
    list of rules: a HiGHS that numbers them otherwise would have the mixtures switch off some
    other rule. HiGHS names the rules it switches off in its log."""
    import numpy as np

    log = tmp_path / "highs.log"
    highs = attacker._quiet_highs()
    highs.setOptionValue("output_flag", True)
    highs.setOptionValue("log_to_console", False)
    highs.setOptionValue("log_file", str(log))
    highs.setOptionValue("presolve_rule_off", attacker._DEPENDENT_EQUATIONS)
    highs.addVar(0.0, 10.0)
    highs.addVar(0.0, 10.0)
    highs.addRow(1.0, 1.0, 2, np.array([0, 1], dtype=np.int32), np.array([1.0, 1.0]))
    highs.run()
    switched_off = [line for line in log.read_text().splitlines() if "(set bit" in line]
    assert len(switched_off) == 1
    assert switched_off[0].strip().endswith("Dependent equations")


def test_it_proves_narrow_in_a_block_that_is_whole_components_what_its_bounds_leave(
        monkeypatch):
    """A block whose relations name no cell outside it holds nothing at its true value: it is
    whole components, its bounds are the attacker's, and a cell they leave narrow is proven
    narrow there, with its pins. It does not go on to the whole programme (at 2,000 sites that
    solved a component of 8,267 cells again, 50 s, for 83 cells its table block had bounded),
    nor, past `_WHOLE_LIMIT`, is it counted narrow without pins.

    Two sites in one organisation, every total published, a rectangle of four hidden age
    cells: site a's 2 under 20 can trade with site b's 1, so it lies anywhere in 0-3."""
    published, truth, partitions = _one_organisation(
        {"a": {"under_20": 2, "20_24": 30, "25_29": 14},
         "b": {"under_20": 1, "20_24": 20, "25_29": 17}},
        hidden=lambda code, category: category in ("under_20", "20_24"))
    # Without the narrow relaxations, which would prove it first: the block's bounds must.
    monkeypatch.setattr(attacker, "_RELAXATIONS", {"table": (), "near": (), "release": ()})
    sent_whole = []
    real_component = attacker._solve_component

    def solve_component(result, keys, hidden_ids, checked, cols, *args):
        sent_whole.extend(keys[hidden_ids[c]] for c in cols if hidden_ids[c] in checked)
        return real_component(result, keys, hidden_ids, checked, cols, *args)

    monkeypatch.setattr(attacker, "_solve_component", solve_component)
    local = attacker.audit(YEAR, published, partitions=partitions, truth=truth)
    key = ("site", "a", "mothers.age_group", "under_20")
    assert local.narrow[key] == (0, 3)
    assert local.pins[key], "with the relations that pin it"
    assert not sent_whole, "a cell its block had bounded went on to the whole programme"
    whole = attacker.audit(YEAR, published, partitions=partitions)
    assert local.narrow == whole.narrow
    assert sent_whole, "the whole programme, without the true figures, did solve it"


def test_it_gives_the_same_result_with_the_relations_kept_between_its_calls(monkeypatch):
    """A build keeps the attacker's relations between its rounds and attackers (`cache`,
    `audit._Relations`). Every call must give what a call that builds them afresh gives, and
    a call over other cells or other partitions must not take relations kept for another."""
    _year(9)
    calls = _audits_of_a_build(monkeypatch)
    assert len(calls) >= 3, "rounds and attackers: something to keep relations between"
    assert all(isinstance(kwargs.get("cache"), dict) for _args, kwargs in calls)

    def outcome(result):
        return (result.narrow, result.pins, result.solves, result.narrowest,
                result.narrowest_passed)

    kept: dict = {}  # one dict for every call, whatever its view: the signature must decide
    args, kwargs = calls[0]
    fewer = {**kwargs, "partitions": []}  # an attacker who does not know what adds up to what
    sequence = [*calls, (args, fewer), calls[0], (args, fewer)]
    for args, kwargs in sequence:
        fresh = REAL_AUDIT(*args, **{**kwargs, "cache": None})
        reused = REAL_AUDIT(*args, **{**kwargs, "cache": kept})
        assert outcome(reused) == outcome(fresh)
    # The last calls alternate between the same cells with and without the partitions: each
    # was compared to a fresh build above, and the two must differ for that to mean anything.
    assert len(kept) == 1
    narrow_first = REAL_AUDIT(*calls[0][0], **{**calls[0][1], "cache": None}).narrow
    narrow_fewer = REAL_AUDIT(*args, **{**fewer, "cache": None}).narrow
    assert narrow_first != narrow_fewer, "without the partitions the attacker finds less"


def test_it_adds_the_columns_a_published_base_names_that_no_relation_does():
    """The published bases' rows are added per audit to the relations kept (`_Relations
    .with_bases`); a base that names a cell none of them has gets a column of its own rather
    than a row over a cell of the wrong number."""
    from mim.figures.tidy import Figure

    dutch = Figure.of(year=YEAR, scope="site", scope_code="a", variable="mothers.origin",
                      category="dutch", count=7, base=12)
    kept = attacker._Relations(YEAR, {}, [], ())
    assert not kept.index
    rows = kept.with_bases([dutch], {})
    total = ("site", "a", "mothers.total", "all")
    assert list(rows.index) == [total]
    assert rows.eq.toarray().tolist() == [[1.0]] and rows.eq_rhs.tolist() == [12.0]
    assert not kept.index, "the relations kept are left as they were"
    # Over the same cells the kept numbering serves, and the row is the same.
    same = attacker._Relations(YEAR, {("site", "a", "mothers.origin", "dutch"): None}, [], ())
    assert total in same.index
    rows = same.with_bases([dutch], {})
    assert rows.index is same.index
    # ... where it always stood: after the scope's own relations.
    assert rows.eq.shape[0] == same.eq.shape[0] + 1
    assert rows.eq[same.head, same.index[total]] == 1.0 and rows.eq_rhs[same.head] == 12.0

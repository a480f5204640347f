"""Second review of the joint audit of a year's releases (mim.publication.releases, 9e24dd0).

The attacker holds every stored release of the year (`stored_releases` of
test_review_releases.py). The independent linear programme (tests/publication/reader.py) is
the one of test_review_releases.py (`lp_interval`), extended with bases (a shown cell's base is its
scope's population total) and multi-answer items (each category at most the total), and,
where a test says so, with what a reader of two releases knows about a site whose figures
moved between them only by registrations: none of its cells went down.

That last relation was the one the joint audit left out (each truth of a site a set of
unknowns of its own). Since rules v14 it has it between the newest release and the new figures
(mim.publication.releases `_grew`), not chained over older releases: the cases that need the
chain are a known, open leak (docs/publication.md, "What the joint audit does not cover"),
kept as strict expected failures (`OPEN`): they fail the suite once it is closed, so the mark
has to go."""

import datetime as dt

import pytest

from mim.figures import standard
from mim.publication.selectors import current_publication
from tests.factories import MotherFactory, SiteFactory
from tests.publication.reader import interval
from tests.publication.test_review_releases import stored_releases

pytestmark = pytest.mark.django_db

YEAR = 2024


def lp_interval(rels, variable, target, *, grows=False):
    """tests/publication/reader.py `interval`; `grows`: a site whose truth changed from one
    release to the next, none of its cells down, did so by registrations only."""
    return interval(rels, variable, target, grows="site" if grows else None)


def five_sites(world):
    """Sites A (4 Turkish, 11 Dutch), B (3, 9) and three more of 12-20 mothers, each alone in
    its organisation and municipality."""
    a, b = world.site_a, world.site_b
    _mothers(a, turkish=4, dutch=11)
    _mothers(b, turkish=3, dutch=9)
    _mothers(SiteFactory(code="u"), turkish=6, dutch=14)
    _mothers(SiteFactory(code="v"), turkish=7, dutch=13)
    _mothers(SiteFactory(code="w"), turkish=2, dutch=10)
    return a, b


def _mothers(site, **origins):
    for origin, n in origins.items():
        for _ in range(n):
            MotherFactory(site=site, start_date=dt.date(YEAR, 2, 1), origin=origin)


OPEN = pytest.mark.xfail(strict=True, reason="the audit has 'no cell went down' only between "
                         "the newest release and the new figures, not chained over older ones")


def test_it_keeps_a_hidden_cell_when_two_sites_only_register_between_releases(world):
    """Five sites of 12-20 mothers, each alone in its organisation and municipality. Release 1
    hides site A's 4 Turkish mothers (and its 11 Dutch, to cover them). Then one Turkish mother
    is registered at A and one at B (a month of registrations, released together: the normal
    held release; here the read after both). Release 2 shows A whole: 5 Turkish, 11 Dutch,
    total 16. Without the growth rows the joint audit took A's truth in release 2 as a fresh
    set of unknowns, unrelated to release 1's, and the nation's difference (+2 Turkish) spread
    over A and B; release 2 now hides enough of A (or B) that the difference stays open.

    Whoever read both sees A's total go from 15 to 16, B's from 12 to 13, every other site's
    cells unchanged, the nation +2 Turkish and +0 Dutch: A registered one Turkish mother, so
    release 1's hidden cell was 5 - 1 = 4 (with only "no cell went down": exactly 4)."""
    a, b = five_sites(world)
    assert current_publication(YEAR).number == 1
    MotherFactory(site=a, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    MotherFactory(site=b, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    assert current_publication(YEAR).number == 2
    rels = stored_releases()
    shown = {(r["number"], f.scope_code, f.category): f for r in rels for f in r["published"]
             if f.scope == "site" and f.variable == "mothers.origin"}
    assert shown[(1, a.code, "turkish")].suppressed  # the primary cell: 4 of 15
    target = (1, "site", a.code, "turkish")
    # Without the relation between a site's two truths the cell is wide (the audit's model):
    low, high = lp_interval(rels, "mothers.origin", target)
    assert high - low >= standard.MIN_WIDTH
    low, high = lp_interval(rels, "mothers.origin", target, grows=True)
    assert high - low >= standard.MIN_WIDTH, (low, high)


@pytest.mark.parametrize("seed", [101, 107, 113, 131, pytest.param(2, marks=OPEN)])
def test_it_gives_no_hidden_cell_away_to_a_reader_who_assumes_registrations_only(
        world, client, seed):
    """Random years of nine steps (tests/publication/test_review_releases.py `_replay`),
    attacked by the independent programme that also assumes every site whose truth moved
    between two releases only grew: no primary cell of origin or circumstances comes back.
    Seed 2 is the chain left open: site s1's Moroccan cell of releases 1, 2, 5 and 6 narrows
    to (2, 3) with the growth of releases 1, 4 and 6 together, and to nothing with any two of
    them (seed 107 was the example until rules v14's release stage hid differently)."""
    from mim.figures.suppression import is_primary
    from tests.publication.test_review_releases import _replay

    log = _replay(world, client, seed, 9)
    assert all(step[0] != "refused" for step in log), log
    rels = stored_releases()
    for variable in ("mothers.origin", "mothers.mother_circumstances"):
        for rel in rels:
            for f in rel["truth"]:
                if f.variable != variable or not is_primary(f):
                    continue
                low, high = lp_interval(rels, variable, (rel["number"], f.scope,
                                                         f.scope_code, f.category), grows=True)
                assert high - low >= standard.MIN_WIDTH, (variable, f, low, high, log)

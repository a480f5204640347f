"""Second review of rules v14's growth rows (releases._grew, audit `grows`), 2026-12-07; both
tests failed on c539b5b and pass since the rows follow each population's total both ways and
bound a multi-answer category's growth by its population's.

The attacker is tests/publication/reader.py `interval` with "registrations only" per
population (a site's mothers only grew between two releases, whatever happened to its
volunteers) and two more things a reader of two releases may assume, each true in the
sequences below (neither was in the audit when the review found these):

- `shrinks`: a site whose total went down and none of whose cells went up lost records only
  (an undo, a mother moved to another site): each cell now is at most the same cell before.
  The mirror of v14's "registrations only".
- `increments`: a site that only registered gained at most as many persons in a category of
  a multi-answer item (mother_circumstances) as it gained persons. For a single-answer item
  that follows from "no cell went down"; for a multi-answer item it does not."""

import datetime as dt

import pytest

from mim.figures import standard
from mim.figures.suppression import is_primary
from mim.publication.selectors import current_publication
from tests.factories import MotherFactory, SiteFactory, answer
from tests.publication.reader import interval
from tests.publication.test_review_releases import stored_releases

pytestmark = pytest.mark.django_db

YEAR = 2024


def lp(rels, variable, target, *, grows=True, shrinks=False, increments=False):
    """tests/publication/reader.py `interval`, "registrations only" per population."""
    return interval(rels, variable, target, grows="population" if grows else None,
                    shrinks=shrinks, increments=increments)


def _narrow(rels, variable, **kw):
    out = []
    for rel in rels:
        for f in rel["truth"]:
            if f.variable != variable or not is_primary(f):
                continue
            low, high = lp(rels, variable, (rel["number"], f.scope, f.scope_code, f.category),
                           **kw)
            if high - low < standard.MIN_WIDTH:
                out.append((rel["number"], f.scope, f.scope_code, f.category, f.count,
                            (low, high)))
    return out


def _mothers(site, when=dt.date(YEAR, 2, 1), circ=(), **origins):
    made = []
    for origin, n in origins.items():
        for _ in range(n):
            m = MotherFactory(site=site, start_date=when, origin=origin)
            for code in circ:
                answer(m, "mother_circumstances", code)
            made.append(m)
    return made


def _rest():
    _mothers(SiteFactory(code="u"), turkish=6, dutch=14)
    _mothers(SiteFactory(code="v"), turkish=7, dutch=13)
    _mothers(SiteFactory(code="w"), turkish=2, dutch=10)


def test_it_keeps_a_hidden_cell_when_two_sites_only_lose_a_mother(world):
    """The mirror of the review's two-release case. Release 1 shows A whole (5 Turkish, 11
    Dutch; B has 5 Turkish, 9 Dutch); then one Turkish mother is deleted at A and one at B
    (entered twice, or moved to a site of another year). Release 2 hides A's Turkish 4. Whoever read
    both sees A's and B's totals go down by one, every other site unchanged, the nation -2
    Turkish: assuming only removals (no cell went up), A lost one Turkish mother, so A's
    hidden cell is 4 or 5. The audit ties the two truths only by "no cell went down" (for
    the cells that did not), so it does not see this."""
    a, b = world.site_a, world.site_b
    ta = _mothers(a, turkish=5)
    _mothers(a, dutch=11)
    tb = _mothers(b, turkish=5)
    _mothers(b, dutch=9)
    _rest()
    assert current_publication(YEAR).number == 1
    ta[0].delete()
    tb[0].delete()
    assert current_publication(YEAR).number == 2
    rels = stored_releases()
    assert _narrow(rels, "mothers.origin") == []  # v14's reader: nothing
    assert _narrow(rels, "mothers.origin", shrinks=True) == []  # got (3, 5) for A's 4


def test_it_keeps_a_hidden_multi_answer_cell_when_sites_only_register(world):
    """Release 1 hides A's 4 and B's 3 undocumented mothers (of 15 and 12). Then A registers
    one undocumented mother and B five, all undocumented (a month's registrations). Release 2
    shows B's 8 undocumented of 17. Whoever read both, assuming registrations only: B gained
    5 mothers, so at most 5 undocumented: B had at least 3 in release 1; the nation's +6 and
    A's at most +1 leave B's at most 3: release 1's hidden 3, exactly."""
    a, b = world.site_a, world.site_b
    _mothers(a, circ=["undocumented"], dutch=4)
    _mothers(a, dutch=11)
    _mothers(b, circ=["undocumented"], dutch=3)
    _mothers(b, dutch=9)
    for code, n, m in (("u", 6, 14), ("v", 7, 13), ("w", 2, 10)):
        site = SiteFactory(code=code)
        _mothers(site, circ=["undocumented"], dutch=n)
        _mothers(site, dutch=m)
    assert current_publication(YEAR).number == 1
    _mothers(a, when=dt.date(YEAR, 11, 1), circ=["undocumented"], dutch=1)
    _mothers(b, when=dt.date(YEAR, 11, 1), circ=["undocumented"], dutch=5)
    assert current_publication(YEAR).number == 2
    rels = stored_releases()
    variable = "mothers.mother_circumstances"
    assert _narrow(rels, variable) == []  # v14's reader: nothing
    assert _narrow(rels, variable, increments=True) == []  # got B's 3 exactly (3, 3)

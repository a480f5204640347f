"""Review of rules v14's growth rows (releases._grew, audit `grows`) between the newest
earlier release and the new figures (2026-12-07). Its first version decided "only grew" for
the site as a whole: any cell that went down at the site (a volunteer record deleted, an
education filled in) dropped every row of it, and the two-release leak was back. Both tests
failed on that version with the hidden 4 recovered exactly; the rows are now cell by cell."""

import datetime as dt

import pytest

from mim.figures import standard
from mim.publication.selectors import current_publication
from tests.factories import MotherFactory, VolunteerFactory
from tests.publication.reader import interval
from tests.publication.test_review2_releases import five_sites
from tests.publication.test_review_releases import stored_releases

pytestmark = pytest.mark.django_db

YEAR = 2024


def lp(rels, variable, target, per="population"):
    """tests/publication/reader.py `interval`, the reader assuming "registrations only" per
    population (a site's mothers only grew, whatever happened to its volunteers) or, `per=
    "variable"`, per variable (no origin cell went down, whatever else was corrected)."""
    return interval(rels, variable, target, grows=per)


def test_it_keeps_the_growth_rows_of_a_sites_mothers_when_a_volunteer_leaves(world):
    """The review's two-release case (test_review2_releases, two_sites_only_register), and
    in the same month one of site A's volunteers is deleted (a record entered twice, say). A's
    mothers still only grew (one Turkish registration), but `_grew` asks it of every protected
    cell of the site, volunteers included, so release 2 has no growth row for A; the reader
    who assumes "only registrations" of mothers gets release 1's hidden 4 back."""
    a, b = five_sites(world)
    volunteers = [VolunteerFactory(site=site) for site in (a, b) for _ in range(12)]
    assert current_publication(YEAR).number == 1
    volunteers[0].delete()  # at A
    volunteers[-1].delete()  # at B
    MotherFactory(site=a, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    MotherFactory(site=b, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    assert current_publication(YEAR).number == 2
    rels = stored_releases()
    low, high = lp(rels, "mothers.origin", (1, "site", a.code, "turkish"))
    assert high - low >= standard.MIN_WIDTH, (low, high)


def test_it_keeps_the_growth_rows_of_origin_when_an_education_is_filled_in(world):
    """The same two releases; in the month between them the coordinators of A and B also
    fill in a mother's education that they registered as unknown (an ordinary completion of
    an intake, not a deletion). Education `unknown` went down at both sites, so `_grew` adds
    no row for either, although no origin cell went down: a reader who assumes only that
    origins are never taken back (every change of origin is a registration) gets release 1's
    hidden 4 back."""
    a, b = five_sites(world)
    late = [MotherFactory(site=site, start_date=dt.date(YEAR, 2, 1), education="unknown")
            for site in (a, b)]  # Dutch: A is 4 Turkish, 12 Dutch
    assert current_publication(YEAR).number == 1
    for mother in late:
        mother.education = "mbo"
        mother.save()
    MotherFactory(site=a, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    MotherFactory(site=b, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    assert current_publication(YEAR).number == 2
    rels = stored_releases()
    low, high = lp(rels, "mothers.origin", (1, "site", a.code, "turkish"), per="variable")
    assert high - low >= standard.MIN_WIDTH, (low, high)


def test_it_ties_a_site_to_its_last_other_truth_when_it_did_not_change_since(world):
    """The review's two-release case, then a third release in which only another site
    registered: site A is the same in releases 2 and 3, so its newest truth before now is the
    one of release 1, and "no cell went down" ties that to the new figures (a reader of
    releases 1 and 3 has the pair of releases 1 and 2). Tied to release 2 only, A would have
    no row at all in release 3's audit, which could then show what release 2 hid of A."""
    a, b = five_sites(world)
    u = world.site_a.__class__.objects.get(code="u")
    assert current_publication(YEAR).number == 1
    MotherFactory(site=a, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    MotherFactory(site=b, start_date=dt.date(YEAR, 11, 1), origin="turkish")
    assert current_publication(YEAR).number == 2
    MotherFactory(site=u, start_date=dt.date(YEAR, 12, 1), origin="dutch")
    assert current_publication(YEAR).number == 3
    rels = stored_releases()
    assert rels[1]["sites"][a.code] == rels[2]["sites"][a.code]
    primary = [(r["number"], f.category) for r in rels for f in r["truth"]
               if f.scope == "site" and f.scope_code == a.code
               and f.variable == "mothers.origin" and 0 < f.count < standard.MIN_CELL]
    assert (1, "turkish") in primary
    for number, category in primary:
        low, high = interval(rels, "mothers.origin", (number, "site", a.code, category),
                             grows="site")
        assert high - low >= standard.MIN_WIDTH, (number, category, low, high)

"""What changes for the mother: the paired change per aim from intake to end, its interval,
the share of ended mothers with an end measurement, and the publication rule."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from scipy import stats

from mim.figures import standard
from mim.publication.selectors import published_assessment
from mim.registry.models import SelfAssessment
from mim.results import assessment
from tests.factories import MotherFactory, OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db
YEAR = 2024
ENDED = dt.date(2024, 9, 30)


def _mother(site, intake: dict | None, end: dict | None, *, end_date=ENDED, ref=None):
    mother = MotherFactory(site=site, start_date=dt.date(2023, 3, 1), end_date=end_date,
                           end_reason="completed" if end_date else "",
                           **({"ref": ref} if ref else {}))
    for moment, answers, day in ((SelfAssessment.INTAKE, intake, dt.date(2023, 3, 1)),
                                 (SelfAssessment.END, end, end_date or dt.date(2024, 9, 1))):
        if answers is not None:
            SelfAssessment.objects.create(mother=mother, moment=moment, date=day, version="1",
                                          **answers)
    return mother


# Intake and end of confidence for ten mothers; the changes are 2,1,1,2,1,0,1,1,1,2.
INTAKE = [2, 3, 2, 1, 3, 2, 4, 3, 2, 3]
END = [4, 4, 3, 3, 4, 2, 5, 4, 3, 5]


def _ten(site):
    for before, after in zip(INTAKE, END, strict=True):
        _mother(site, {"confidence": before, "support": 3}, {"confidence": after})


def _row(rows, variable, scope_code=None):
    return next(r for r in rows if r.variable == variable
                and (scope_code is None or r.scope_code == scope_code))


def test_it_computes_the_mean_paired_change_and_a_bootstrap_interval_like_scipy(db):
    site = SiteFactory()
    _ten(site)
    rows = assessment.figures(YEAR, {("site", site.code): [site.pk]})
    change = _row(rows, "results.assessment.confidence.change")
    # (2+1+1+2+1+0+1+1+1+2) / 10, by hand
    assert change.value == Decimal("1.2") and change.base == 10
    # the pairs' mean answers: 25 / 10 at intake, 37 / 10 at the end, by hand
    assert _row(rows, "results.assessment.confidence.intake_mean").value == Decimal("2.5")
    assert _row(rows, "results.assessment.confidence.end_mean").value == Decimal("3.7")
    expected = stats.bootstrap((np.array([2, 1, 1, 2, 1, 0, 1, 1, 1, 2], dtype=float),),
                               np.mean, confidence_level=0.95, n_resamples=9_999,
                               method="BCa",
                               rng=np.random.default_rng(assessment.SEED)).confidence_interval
    low = _row(rows, "results.assessment.confidence.ci_low").value
    high = _row(rows, "results.assessment.confidence.ci_high").value
    assert float(low) == pytest.approx(expected.low, abs=0.005)
    assert float(high) == pytest.approx(expected.high, abs=0.005)
    assert low < change.value < high
    pairs = _row(rows, "results.assessment.confidence.pairs")
    assert (pairs.count, pairs.base) == (10, 10)
    # support was answered at intake only: no pair
    assert _row(rows, "results.assessment.support.pairs").count == 0


def test_it_gives_the_same_interval_on_every_run_and_a_point_when_nothing_varies():
    changes = [1, 0, 2, -1, 1, 1, 0, 3, 1, 2, 0, 1]
    assert assessment.confidence_interval(changes) == assessment.confidence_interval(changes)
    assert assessment.confidence_interval([1] * 12) == (1, 1)
    assert assessment.confidence_interval([2]) is None


def test_it_counts_pairs_of_ended_mothers_and_the_share_measured_at_the_end(db):
    site, other = SiteFactory(), SiteFactory()
    _mother(site, {"confidence": 2}, {"confidence": 4})  # a pair
    _mother(site, {"confidence": 2}, {"support": 4})  # end measured, no confidence pair
    _mother(site, {"confidence": 3}, None)  # ended without an end measurement
    _mother(site, {"confidence": 3}, {"confidence": 5}, end_date=None)  # still running
    _mother(site, {"confidence": 3}, {"confidence": 5}, end_date=dt.date(2023, 12, 31))
    _mother(other, {"confidence": 1}, {"confidence": 5})  # another site
    rows = assessment.figures(YEAR, {("site", site.code): [site.pk]})
    pairs = _row(rows, "results.assessment.confidence.pairs")
    assert (pairs.count, pairs.base) == (1, 3)
    end = _row(rows, standard.ASSESSMENT_END_MEASURED)
    assert (end.count, end.base, end.percent) == (2, 3, Decimal("66.7"))
    assert _row(rows, "results.assessment.confidence.change").value == 2


def test_it_reads_every_scope_in_two_queries(db, django_assert_num_queries):
    sites = [SiteFactory() for _ in range(3)]
    for site in sites:
        _ten(site)
    scopes = {("site", s.code): [s.pk] for s in sites}
    scopes[("national", "NL")] = [s.pk for s in sites]
    # The ended mothers counted per site, and the answers of those who have any.
    with django_assert_num_queries(2):
        rows = assessment.figures(YEAR, scopes)
    national = _row(rows, "results.assessment.confidence.pairs", "NL")
    assert national.count == 30


def test_it_publishes_an_aim_from_10_pairs_and_shows_a_scope_with_9_as_hidden(db):
    big, small = SiteFactory(code="big"), SiteFactory(code="small")
    _ten(big)
    for before, after in zip(INTAKE[:9], END[:9], strict=True):
        _mother(small, {"confidence": before}, {"confidence": after})
    scopes = {("site", "big"): [big.pk], ("site", "small"): [small.pk]}
    rows = assessment.publication_figures(YEAR, scopes, published=list(scopes))
    shown = _row(rows, "results.assessment.confidence.change", "big")
    hidden = [r for r in rows if r.scope_code == "small"
              and r.variable.startswith("results.assessment.confidence.")]
    assert not shown.suppressed and shown.value == Decimal("1.2")
    assert len(hidden) == len(standard.ASSESSMENT_STATISTICS)
    assert all(r.suppressed and r.count is None and r.value is None for r in hidden)
    # nine ended mothers: the share measured at the end is hidden too
    assert _row(rows, standard.ASSESSMENT_END_MEASURED, "small").suppressed
    assert not _row(rows, standard.ASSESSMENT_END_MEASURED, "big").suppressed


def test_it_hides_a_neighbour_when_a_difference_would_give_a_hidden_result_away(db):
    a, b, c = SiteFactory(code="a"), SiteFactory(code="b"), SiteFactory(code="c")
    _ten(a)
    _ten(b)
    for before, after in zip(INTAKE[:3], END[:3], strict=True):  # three pairs only
        _mother(c, {"confidence": before}, {"confidence": after})
    keys = [("site", "a"), ("site", "b"), ("site", "c"), ("national", "NL")]
    scopes = {keys[0]: [a.pk], keys[1]: [b.pk], keys[2]: [c.pk],
              keys[3]: [a.pk, b.pk, c.pk]}
    rows = assessment.publication_figures(
        YEAR, scopes, published=keys, partitions=[(keys[3], keys[:3])])

    def shown(code):
        return not _row(rows, "results.assessment.confidence.change", code).suppressed

    # The nation minus a and b would be c's three mothers: one of a and b goes too.
    assert shown("NL") and not shown("c")
    assert shown("a") != shown("b")


def test_it_stores_the_results_with_the_publication_and_reads_them_through_it(world):
    office, coordinator = world.office, world.coordinator_a
    organisation = OrganisationFactory(name="Eén organisatie")
    world.site_a.organisation = organisation
    world.site_a.save()
    sites = [world.site_a, *[SiteFactory(organisation=organisation) for _ in range(2)]]
    for site in sites:
        _ten(site)
    national = published_assessment(office, YEAR, "national", "NL")
    change = _row(national, "results.assessment.confidence.change")
    assert not change.suppressed and change.value == Decimal("1.2")
    assert _row(national, "results.assessment.confidence.pairs").count == 30
    # a new end measurement moves the publication's inputs: it is rebuilt
    _mother(world.site_a, {"confidence": 1}, {"confidence": 5})
    again = published_assessment(office, YEAR, "national", "NL")
    assert _row(again, "results.assessment.confidence.pairs").count == 31
    # her own site, to its coordinator: from the publication too, as every role sees it
    own = published_assessment(coordinator, YEAR, "site", world.site_a.code)
    assert _row(own, "results.assessment.confidence.pairs").count == 11


def test_it_keeps_a_coordinator_from_reading_the_other_site_of_her_group_or_a_hidden_total(db):
    """Found in review: the rule checked differences only as somebody without any site's
    rows. A coordinator of site a holds a's rows: the group's less a's would be b's (three
    pairs). And a scope whose ended mothers the counts hide shows no row: each states that
    number as its base."""
    a, b, c = SiteFactory(code="a"), SiteFactory(code="b"), SiteFactory(code="c")
    _ten(a)
    _ten(c)
    for before, after in zip(INTAKE[:3], END[:3], strict=True):
        _mother(b, {"confidence": before}, {"confidence": after})
    group, keys = ("site", "overig:NL"), [("site", "a"), ("site", "b")]
    scopes = {keys[0]: [a.pk], keys[1]: [b.pk], group: [a.pk, b.pk], ("site", "c"): [c.pk]}
    published = [group, ("site", "c")]

    def shown(rows, code):
        return not _row(rows, "results.assessment.confidence.change", code).suppressed

    anyone = assessment.publication_figures(YEAR, scopes, published=published,
                                            partitions=[(group, keys)])
    assert shown(anyone, "overig:NL")  # 13 pairs: to somebody without a's rows, nothing given
    held = assessment.publication_figures(YEAR, scopes, published=published,
                                          partitions=[(group, keys)], attackers=[keys[0]])
    assert not shown(held, "overig:NL")
    tied = assessment.publication_figures(YEAR, scopes, published=published,
                                          hidden_ended=[("site", "c")])
    assert all(r.suppressed and r.base is None for r in tied if r.scope_code == "c")

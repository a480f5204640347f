"""Attacks on the results rows (mim/publication/results.py, rule 3), found in review: each
subtraction below gave a hidden base back before the rule closed the relations it now closes.
The attacker holds only what the API gives her role (or her own site, for a coordinator)."""

import datetime as dt

import pytest

from mim.accounts.models import Role
from mim.api.services import api_token_create
from mim.figures.standard import MIN_WIDTH
from mim.publication import build as builder
from mim.publication.inputs import YearFigures
from mim.publication.selectors import read_scope
from tests.factories import (
    MotherFactory,
    OrganisationFactory,
    SiteFactory,
    VolunteerFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
PER_VOLUNTEER = ("results.visits.per_volunteer_month", "all")


def _site(code, organisation, mothers, volunteers):
    site = SiteFactory(code=code, organisation=organisation)
    for i in range(mothers):
        MotherFactory(site=site, start_date=dt.date(2025, 1, 6) + dt.timedelta(days=7 * i))
    for i in range(volunteers):
        VolunteerFactory(site=site, start_date=dt.date(2024, 1 + i % 12, 1))
    return site


def _mothers(site, n, start, ended=0):
    for i in range(n):
        begun = start + dt.timedelta(days=7 * i)
        MotherFactory(site=site, start_date=begun,
                      end_date=begun + dt.timedelta(days=40 + i) if i < ended else None,
                      end_reason="moved" if i < ended else "")


def _api(client, user):
    _id, raw = api_token_create(user=user, name="attack")

    def get(scope, code):
        found = client.get(f"/api/v1/figures?year={YEAR}&scope={scope}&code={code}",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        return {(f["variable"], f["category"]): f for f in found["figures"]}

    return get


def _interval_of_hidden(parent: int | None, children: list[int | None]) -> int | None:
    """What the relation parent = Σ children tells of its hidden children: the width of
    each one's interval (a hidden base is at least 1, a shown 0 being shown), or None when
    it tells nothing (the parent hidden, or no child hidden)."""
    hidden = [c for c in children if c is None]
    if parent is None or not hidden:
        return None
    rest = parent - sum(c for c in children if c is not None)
    return 0 if len(hidden) == 1 else rest - len(hidden)


def test_it_keeps_a_small_start_cohort_from_being_all_less_the_other_cohorts(client, world):
    site = SiteFactory(code="target", organisation=OrganisationFactory(name="Doel"))
    _mothers(site, 15, dt.date(2023, 1, 2), ended=15)
    _mothers(site, 15, dt.date(2024, 1, 1))
    _mothers(site, 3, dt.date(2025, 2, 3))  # the cohort of 2025: 3 mothers
    _mothers(world.site_b, 20, dt.date(2024, 3, 4))
    rows = _api(client, world.office)("site", "target")
    bases = {c: rows[("results.mothers.median_months", c)]["base"]
             for c in ("all", "start_2023", "start_2024", "start_2025")}
    assert bases["start_2025"] is None
    width = _interval_of_hidden(bases["all"], [bases[f"start_{y}"] for y in (2023, 2024, 2025)])
    assert width is None or width >= MIN_WIDTH, bases


def test_it_keeps_two_hidden_sites_that_add_up_to_a_small_sum_apart(client):
    """Two hidden sites of 1 volunteer each under an organisation of 14 whose third site
    showed 12: each was pinned to 1. The counts hid the third site's total for the same
    reason, and the results base handed it back."""
    organisation, other = OrganisationFactory(name="O"), OrganisationFactory(name="P")
    _site("s1", organisation, 12, 1)
    _site("s2", organisation, 12, 1)
    _site("s3", organisation, 12, 12)
    _site("s4", other, 15, 20)
    viewer = user_with_role(Role.ORGANISATION_VIEWER, "org_o", organisation=organisation)
    get = _api(client, viewer)
    org, sites = get("organisation", "O"), [get("site", c) for c in ("s1", "s2", "s3")]
    assert sites[0][PER_VOLUNTEER]["suppressed"] and sites[1][PER_VOLUNTEER]["suppressed"]
    # Where the counts hide a total, the base that counts the same persons is hidden too.
    for rows in (org, *sites):
        if rows[("volunteers.total", "all")]["suppressed"]:
            assert rows[PER_VOLUNTEER]["base"] is None
    width = _interval_of_hidden(org[PER_VOLUNTEER]["base"],
                                [rows[PER_VOLUNTEER]["base"] for rows in sites])
    assert width is None or width >= MIN_WIDTH


def test_it_gives_a_coordinator_in_a_merged_group_no_base_of_the_other_site():
    """The group's base less her own site's gave the other site's 3 volunteers exactly."""
    a = _site("small-a", OrganisationFactory(name="A"), 6, 8)
    b = _site("small-b", OrganisationFactory(name="B"), 5, 3)
    _site("big-c", OrganisationFactory(name="C"), 15, 20)
    _site("big-d", OrganisationFactory(name="D"), 14, 12)
    user_with_role(Role.COORDINATOR, "coord_a", site=a)
    user_with_role(Role.COORDINATOR, "coord_b", site=b)
    assert read_scope(YEAR, "site", "small-b").merged_into
    units = builder.plan_units(YearFigures(YEAR))
    group = read_scope(YEAR, "site", units.group_of["small-b"])
    assert set(units.groups[units.group_of["small-b"]].members) == {"small-a", "small-b"}
    # Each coordinator holds her own site's true rows: in a group of two, whatever base the
    # group showed would be the other site's exactly (a site under 10, rule 1).
    true = YearFigures(YEAR).results.rows_by_scope({("site", c): [c] for c in ("small-a",
                                                                                "small-b")})
    assert any(r.figure.base for r in true[("site", "small-b")])  # there was something to hide
    shown = [f for f in group.figures if f.variable.startswith("results.") and f.base]
    assert shown == []

"""A site's status in a year (data standard version 2): the office marks a site not delivered,
with a reason, audited and reversible; the office ends a site."""

import pytest

from mim.audit.models import AuditEntry
from mim.organisations.services import SiteEndRefused, site_end
from mim.publication.inputs import figures_for
from mim.returns import services
from mim.returns.models import AnnualReturn, EventKind, Status
from tests.returns.conftest import YEAR, fill_records


def test_it_marks_a_site_without_a_return_not_delivered_with_its_reason(world, return_year):
    marked = services.return_not_delivered(site=world.site_b, year=YEAR, user=world.office,
                                           reason="gestopt")
    assert marked.status == Status.NOT_DELIVERED and marked.not_delivered_reason == "gestopt"
    event = marked.events.get()
    assert event.kind == EventKind.NOT_DELIVERED and event.reason == "gestopt"
    assert AuditEntry.objects.filter(object_type="annualreturn", object_ref=str(marked.pk),
                                     detail__contains="not_delivered").exists()


def test_it_takes_over_a_draft_and_refuses_a_submitted_return(world, ready, submitted):
    with pytest.raises(services.ReturnRefused):
        services.return_not_delivered(site=world.site_a, year=YEAR, user=world.office,
                                      reason="gestopt")
    assert AnnualReturn.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_it_marks_a_draft_not_delivered(world, ready):
    marked = services.return_not_delivered(site=world.site_a, year=YEAR, user=world.office,
                                           reason="geen coördinator", expected_version=ready.version)
    assert marked.pk == ready.pk and marked.status == Status.NOT_DELIVERED


@pytest.mark.parametrize("persona", ["coordinator_a", "organisation_viewer", "funder"])
def test_it_lets_only_the_office_mark_a_site_not_delivered(world, return_year, persona):
    with pytest.raises(services.ReturnRefused):
        services.return_not_delivered(site=world.site_a, year=YEAR, user=world.persona(persona),
                                      reason="gestopt")
    assert not AnnualReturn.objects.exists()


def test_it_needs_a_reason(world, return_year):
    with pytest.raises(services.ReturnRefused):
        services.return_not_delivered(site=world.site_a, year=YEAR, user=world.office,
                                      reason="  ")


def test_it_undoes_not_delivered_by_reopening(world, return_year):
    marked = services.return_not_delivered(site=world.site_a, year=YEAR, user=world.office,
                                           reason="vergissing")
    back = services.return_reopen(annual_return=marked, user=world.office,
                                  expected_version=marked.version, reason="levert toch")
    assert back.status == Status.DRAFT and back.not_delivered_reason == ""


def test_it_counts_a_not_delivered_site_as_expected_without_its_records(world, return_year):
    fill_records(world.site_a)
    fill_records(world.site_b)
    services.return_not_delivered(site=world.site_b, year=YEAR, user=world.office,
                                  reason="gestopt")
    national = figures_for(YEAR, "national", "NL")
    assert national.get("sites.active").count == 2
    assert national.get("sites.delivered").count == 1
    assert national.get("sites.not_delivered").count == 1
    assert {r.code: r.status for r in national.sites}["site-b"] == "not_delivered"
    assert national.completeness.not_delivered == 1 and not national.completeness.final


def test_it_names_a_submitted_aggregate_return_as_submitted(world, return_year):
    world.site_b.keeps_records = False
    world.site_b.save()
    AnnualReturn.objects.create(site=world.site_b, year=YEAR, status=Status.SUBMITTED,
                                source="aggregate", submitted_at="2025-02-01T00:00Z")
    national = figures_for(YEAR, "national", "NL")
    assert {r.code: r.status for r in national.sites}["site-b"] == "submitted"


def test_it_ends_a_site_audited(world):
    site_end(site=world.site_a, last_year=YEAR, user=world.office)
    world.site_a.refresh_from_db()
    assert world.site_a.last_year == YEAR and not world.site_a.active_in(YEAR + 1)
    assert AuditEntry.objects.filter(object_type="site", object_ref="site-a").exists()


def test_it_refuses_to_end_a_site_before_a_year_it_has_a_return_for(world, ready):
    with pytest.raises(SiteEndRefused):
        site_end(site=world.site_a, last_year=YEAR - 1, user=world.office)
    world.site_a.refresh_from_db()
    assert world.site_a.last_year is None

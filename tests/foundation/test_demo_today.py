"""The demo lives today (issue 11, item 9): records run up to the demo's day, the previous
year's returns are in every state, the current year is open, and nothing lies in the
future, on whatever day it is built."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from mim.accounts.models import User
from mim.organisations.models import Site
from mim.registry.models import Mother, Visit
from mim.registry.selectors import dashboards
from mim.returns.models import AnnualReturn, ReturnEvent, ReturnYear, Status

DAY = dt.date(2031, 3, 15)


@pytest.fixture
def demo_in_2031(db):
    with time_machine.travel(dt.datetime(2031, 3, 15, 11, tzinfo=dt.UTC), tick=False):
        call_command("demo", "--seed", "5", verbosity=0)
        yield


def test_it_runs_the_records_up_to_the_day_it_is_built(demo_in_2031):
    assert timezone.localdate() == DAY
    last_visit = Visit.objects.order_by("-date").values_list("date", flat=True).first()
    assert DAY - dt.timedelta(days=42) < last_visit <= DAY
    assert Mother.objects.filter(start_date__year=2031).exists()
    assert not Mother.objects.filter(start_date__gt=DAY).exists()
    assert not Mother.objects.filter(end_date__gt=DAY).exists()
    # the stopped site stopped the year before the previous one
    assert Site.objects.get(code="best").last_year == 2029


def test_it_shows_the_coordinator_a_home_page_like_a_real_site(demo_in_2031):
    coordinator = User.objects.get(username="coordinator")
    sites = Site.objects.filter(role_assignments__user=coordinator)
    for board in dashboards(sites):
        assert board.active_mothers > 20
        assert board.overdue <= board.active_mothers * .2, (board.site, board.overdue)


def test_it_puts_the_previous_year_under_review_in_every_state_and_opens_this_year(
        demo_in_2031):
    assert list(ReturnYear.objects.order_by("year").values_list("year", flat=True)) == list(
        range(2026, 2032))
    statuses = set(AnnualReturn.objects.filter(year=2030).values_list("status", flat=True))
    # Every state a return goes through; not_delivered is the office's decision for a site
    # that delivers nothing, and every demo site delivers.
    assert statuses == set(Status.values) - {Status.NOT_DELIVERED}
    delivering = AnnualReturn.objects.filter(year=2030).values("site")
    assert Site.objects.filter(first_year__lte=2030, last_year__isnull=True,
                               keeps_records=True).exclude(pk__in=delivering).exists()
    assert not AnnualReturn.objects.filter(year=2031).exists()
    assert set(AnnualReturn.objects.filter(year__lt=2030).values_list("status", flat=True)) == {
        Status.APPROVED}
    now = dt.datetime(2031, 3, 15, 11, tzinfo=dt.UTC)
    assert not ReturnEvent.objects.filter(at__gt=now).exists()
    assert not AnnualReturn.objects.filter(approved_at__gt=now).exists()
    for r in AnnualReturn.objects.filter(year=2030, status=Status.APPROVED):
        steps = list(r.events.order_by("at", "pk").values_list("kind", flat=True))
        assert steps == ["started", "submitted", "approved"]


def test_it_makes_the_same_demo_for_the_same_seed_and_day(db):
    def fingerprint():
        return list(Mother.objects.order_by("site__code", "ref").values_list(
            "site__code", "ref", "start_date", "end_date"))

    call_command("demo", "--seed", "2", "--today", "2027-01-02", verbosity=0)
    first = fingerprint()
    assert max(end for *_r, end in first if end) <= dt.date(2027, 1, 2)
    call_command("demo", "--reset", "--seed", "2", "--today", "2027-01-02", verbosity=0)
    assert fingerprint() == first
    # on 2 January the previous year's steps are squeezed into one day, still in order
    for r in AnnualReturn.objects.filter(year=2026).exclude(status=Status.DRAFT):
        times = list(r.events.order_by("pk").values_list("at", flat=True))
        assert times == sorted(times)
        assert times[-1] <= dt.datetime(2027, 1, 2, tzinfo=dt.UTC)

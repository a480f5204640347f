"""`mim returns-remind`: the sites that have not submitted, read-only and repeatable."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mim.returns.models import AnnualReturn, ReturnYear, Status
from tests.factories import SiteFactory


def remind(*args) -> str:
    out = StringIO()
    call_command("returns-remind", *args, stdout=out)
    return out.getvalue()


def test_it_lists_sites_not_submitted_by_the_deadline(world):
    ReturnYear.objects.create(year=2024, deadline=dt.date(2025, 3, 1))
    AnnualReturn.objects.create(site=world.site_b, year=2024, status=Status.SUBMITTED,
                                submitted_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC))
    draft = SiteFactory(code="site-c", name="Locatie C")
    AnnualReturn.objects.create(site=draft, year=2024)
    SiteFactory(code="site-d", first_year=2025)  # not active in 2024
    out = remind("--year", "2024")
    assert out.splitlines()[0] == "2024: deadline 2025-03-01 has passed; 2 site(s) not submitted"
    assert "site-a\tLocatie A\tnot started\tdeadline 2025-03-01" in out
    assert "site-c\tLocatie C\tdraft" in out
    assert "site-b" not in out and "site-d" not in out
    assert remind("--year", "2024") == out  # idempotent: it only reads
    assert remind() == out  # the latest year with a deadline


@pytest.mark.django_db
def test_it_refuses_without_a_year_when_none_has_a_deadline():
    with pytest.raises(CommandError, match="no year has a deadline") as excinfo:
        remind()
    assert excinfo.value.returncode == 1

"""`mim return STEP` and `mim end-site` (spec/cli.md, additions): the office's services from the
command line, with their events and access log."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mim.audit.models import AuditEntry
from mim.returns.models import AnnualReturn, Status
from tests.returns.conftest import YEAR


def test_it_marks_a_site_not_delivered_from_the_command_line(world, return_year):
    call_command("return", "not-delivered", "--site", "site-b", "--year", str(YEAR),
                 "--reason", "gestopt")
    marked = AnnualReturn.objects.get(site=world.site_b, year=YEAR)
    assert marked.status == Status.NOT_DELIVERED and marked.not_delivered_reason == "gestopt"
    entry = AuditEntry.objects.get(object_ref=str(marked.pk))
    assert entry.client == "cli" and entry.user is None


def test_it_needs_a_reason_to_mark_not_delivered_or_reopen(world, return_year):
    for step in ("not-delivered", "reopen"):
        with pytest.raises(CommandError) as refused:
            call_command("return", step, "--site", "site-b", "--year", str(YEAR))
        assert refused.value.returncode == 2
    assert not AnnualReturn.objects.exists()


def test_it_submits_approves_and_reopens_from_the_command_line(world, ready):
    call_command("return", "submit", "--site", "site-a", "--year", str(YEAR))
    assert AnnualReturn.objects.get(pk=ready.pk).status == Status.SUBMITTED
    call_command("return", "approve", "--site", "site-a", "--year", str(YEAR))
    assert AnnualReturn.objects.get(pk=ready.pk).status == Status.APPROVED
    call_command("return", "reopen", "--site", "site-a", "--year", str(YEAR),
                 "--reason", "correctie")
    reopened = AnnualReturn.objects.get(pk=ready.pk)
    assert reopened.status == Status.DRAFT
    assert [e.kind for e in reopened.events.all()][-3:] == ["submitted", "approved", "reopened"]


def test_it_refuses_a_step_the_return_is_not_ready_for_with_exit_1(world, ready):
    with pytest.raises(CommandError) as refused:
        call_command("return", "approve", "--site", "site-a", "--year", str(YEAR))
    assert refused.value.returncode == 1
    assert AnnualReturn.objects.get(pk=ready.pk).status == Status.DRAFT


def test_it_refuses_an_unknown_site_with_exit_1(world, return_year):
    with pytest.raises(CommandError) as refused:
        call_command("return", "approve", "--site", "nowhere", "--year", str(YEAR))
    assert refused.value.returncode == 1


def test_it_ends_a_site_from_the_command_line(world):
    call_command("end-site", "site-a", "--last-year", str(YEAR))
    world.site_a.refresh_from_db()
    assert world.site_a.last_year == YEAR
    assert AuditEntry.objects.filter(object_type="site", client="cli").exists()


def test_it_refuses_to_end_a_site_before_its_first_year(world):
    with pytest.raises(CommandError) as refused:
        call_command("end-site", "site-a", "--last-year", str(world.site_a.first_year - 1))
    assert refused.value.returncode == 1

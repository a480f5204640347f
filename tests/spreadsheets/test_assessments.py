"""The `assessments` sheet (issue 13): the mother's self-assessment per moment in the record
files, read all or nothing, each stored one keeping the version it was answered in."""

import datetime as dt

import pytest
import time_machine

from mim.audit.models import AuditEntry
from mim.registry.models import SelfAssessment
from mim.spreadsheets.services import records_import
from tests.factories import MotherFactory, SiteFactory
from tests.spreadsheets.conftest import csv_upload, mother_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2025, 6, 16, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


def _row(ref="M-OLD", moment="intake", date="2024-01-10", **answers):
    return {"mother_ref": ref, "moment": moment, "assessment_date": date, "version": "",
            "confidence": "", "independence": "", "self_care": "", "support": "",
            "finding_help": "", **answers}


def test_it_imports_assessments_of_registered_mothers_and_of_the_files_own():
    site = SiteFactory()
    MotherFactory(site=site, ref="M-OLD", start_date=dt.date(2024, 1, 8))
    result = records_import(site=site, uploads=[
        csv_upload("mothers", [mother_row("M-NEW", start_date="2024-03-01")]),
        csv_upload("assessments", [_row(confidence="2", support="4"),
                                   _row("M-NEW", "einde", "2025-05-01", confidence="5")])])
    assert result.ok, [str(p) for p in result.problems]
    stored = sorted(SelfAssessment.objects.values_list("mother__ref", "moment", "version",
                                                       "confidence", "support"))
    assert stored == [("M-NEW", "end", "1", 5, None), ("M-OLD", "intake", "1", 2, 4)]
    details = list(AuditEntry.objects.filter(detail__startswith="import: assessment").values_list(
        "object_ref", "detail"))
    assert ("M-OLD", "import: assessment.intake.confidence, assessment.intake.support") in details
    assert not any("=2" in d or ": 2" in d for _ref, d in details)


def test_it_refuses_the_whole_file_for_one_wrong_row_with_dutch_messages():
    site = SiteFactory()
    MotherFactory(site=site, ref="M-OLD", start_date=dt.date(2024, 1, 8))
    result = records_import(site=site, uploads=[csv_upload("assessments", [
        _row(confidence="3"),
        _row(moment="halverwege", confidence="3"),
        _row(moment="end", confidence="6"),
        _row(moment="month9", date="2023-12-01", confidence="3"),
        _row(ref="M-NONE", confidence="3"),
        _row(confidence="4"),
        _row(moment="end", version="9", confidence="4"),
    ])])
    lines = [str(p) for p in result.problems]
    assert not result.written and not SelfAssessment.objects.exists()
    assert "assessments.csv row 3, column moment: 'halverwege' is geen moment (toegestaan: " \
           "intake, month9, end)" in lines
    assert "assessments.csv row 4, column confidence: '6' is geen antwoord van 1 tot en met 5" \
        in lines
    assert any(line.startswith("assessments.csv row 5, column assessment_date: de datum ligt "
                               "voor de startdatum") for line in lines)
    assert any(line.startswith("assessments.csv row 6, column mother_ref: M-NONE staat niet")
               for line in lines)
    assert any("row 7, column moment: dezelfde meting" in line for line in lines)
    assert any(line.startswith("assessments.csv row 8, column version: '9' is geen versie")
               for line in lines)


def test_it_updates_an_assessment_in_the_version_it_was_answered_in():
    site = SiteFactory()
    mother = MotherFactory(site=site, ref="M-OLD", start_date=dt.date(2024, 1, 8))
    SelfAssessment.objects.create(mother=mother, moment="intake", date=dt.date(2024, 1, 10),
                                  version="1", confidence=2, support=3)
    same = records_import(site=site, uploads=[csv_upload(
        "assessments", [_row(confidence="2", support="3")])])
    assert same.counts["assessments.csv"].unchanged == 1
    changed = records_import(site=site, uploads=[csv_upload(
        "assessments", [_row(confidence="4", support="3")])])
    assert changed.ok and changed.counts["assessments.csv"].updated == 1
    row = SelfAssessment.objects.get()
    assert (row.confidence, row.support, row.version, row.revision) == (4, 3, "1", 2)

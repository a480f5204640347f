import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from mim.audit.models import AuditEntry
from mim.audit.services import audit_record
from mim.registry import classification, models
from tests.factories import MotherFactory, SiteFactory


def test_it_classifies_every_field_of_every_record_model():
    for model in (models.Mother, models.MotherAnswer, models.Volunteer, models.VolunteerAnswer,
                  models.MotherContact, models.VolunteerContact, models.Match, models.Visit):
        fields = {f.name for f in model._meta.concrete_fields}
        assert fields == set(classification.CLASSIFICATION[model.__name__]), model.__name__


@pytest.mark.django_db
def test_it_keeps_refs_unique_per_site_but_not_across_sites():
    site = SiteFactory()
    MotherFactory(site=site, ref="M1")
    MotherFactory(site=SiteFactory(), ref="M1")
    with pytest.raises(IntegrityError), transaction.atomic():
        MotherFactory(site=site, ref="M1")


@pytest.mark.django_db
def test_it_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        MotherFactory(start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 4, 30),
                      end_reason="moved")


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("origin", "martian"), ("education", "phd"),
                                              ("household", "x"), ("pregnant_at_start", "ja"),
                                              ("end_reason", "bored")])
def test_it_refuses_codes_outside_the_codebook_in_the_database(field, value):
    extra = {"end_date": dt.date(2025, 1, 1)} if field == "end_reason" else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        MotherFactory(**{field: value, **extra})


@pytest.mark.django_db
def test_it_refuses_an_end_reason_without_an_end_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        MotherFactory(end_reason="moved")


@pytest.mark.django_db
def test_it_keeps_contact_details_apart_from_the_statistics():
    mother = MotherFactory()
    models.MotherContact.objects.create(mother=mother, name="Test Persoon", phone="06-1")
    stats = {f.name for f in models.Mother._meta.concrete_fields}
    assert not stats & {"name", "address", "phone", "email", "postcode"}


@pytest.mark.django_db
def test_it_makes_the_audit_log_append_only():
    entry = audit_record(event="view", object_type="mother", object_ref="M1")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(detail="changed")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with (pytest.raises(Exception, match="append-only"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


@pytest.mark.django_db
def test_it_installs_the_triggers_through_its_migration():
    from django.db.migrations.executor import MigrationExecutor

    applied = MigrationExecutor(connection).loader.applied_migrations
    assert ("audit", "0002_append_only") in applied


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field"), [
    ({"end_date": dt.date(2024, 1, 1)}, "end_date"),
    ({"end_reason": "moved"}, "end_reason"),
    ({"birth_year": 2020}, "birth_year"),
    ({"income_source": "benefit"}, "income_source"),  # a 2008 code, not valid in 2024
    ({"start_date": dt.date(1990, 1, 1)}, "start_date"),
])
def test_it_validates_cross_field_rules_and_the_years_codebook(changes, field):
    from django.core.exceptions import ValidationError

    mother = MotherFactory.build(site=SiteFactory(), **{"start_date": dt.date(2024, 3, 1),
                                                        **changes})
    with pytest.raises(ValidationError) as excinfo:
        mother.full_clean()
    assert field in excinfo.value.message_dict


@pytest.mark.django_db
def test_it_accepts_a_2008_code_for_a_2008_registration():
    mother = MotherFactory.build(site=SiteFactory(), start_date=dt.date(2008, 3, 1),
                                 birth_year=1980, income_source="benefit")
    mother.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [models.Mother, models.Volunteer, models.MotherContact,
                                   models.VolunteerContact, models.Match, models.Visit])
def test_it_refuses_bulk_writes_on_records_outside_an_audited_write(model):
    from mim.audit.services import UnauditedWrite, audited_write

    with pytest.raises(UnauditedWrite):
        model.objects.all().update(id=1)
    with pytest.raises(UnauditedWrite):
        model.objects.all().delete()
    with audited_write():
        assert model.objects.all().delete()[0] == 0

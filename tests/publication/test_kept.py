"""Each site's figures kept per year (mim.publication.kept): a change at one site recounts that
site alone, and what is kept always equals a recount, whatever path wrote the records."""

import datetime as dt
import random

import pytest
from django.db import connection, transaction

from mim.accounts.models import Role
from mim.audit.services import audited_write
from mim.codebook import codebooks
from mim.figures import engine
from mim.publication import kept
from mim.publication.models import KeptSiteFigures, SiteStamp
from mim.registry import services
from mim.registry.models import Mother, MotherAnswer, Volunteer, VolunteerAnswer
from mim.spreadsheets.services import records_import
from tests.factories import MotherFactory, SiteFactory, answer, user_with_role
from tests.figures.conftest import YEAR, random_records
from tests.spreadsheets.conftest import csv_upload, mother_row

pytestmark = pytest.mark.django_db
CIRCUMSTANCE = codebooks.for_year(YEAR).codes("mother_circumstances")[0]


@pytest.fixture
def sites():
    sites = [SiteFactory(first_year=2010) for _ in range(3)]
    random_records(random.Random(7), sites, 90, 30)
    return sites


def _same_as_a_recount(sites) -> bool:
    def rows(figures):
        return sorted((f.scope_code, f.variable, f.category, f.count, f.base, f.percent)
                      for f in figures)
    return rows(kept.site_figures(YEAR, sites)) == rows(engine.site_figures(YEAR, sites))


def _coordinator(site):
    return user_with_role(Role.COORDINATOR, site=site)


def _web_create(sites):
    services.mother_create(site=sites[0], values={
        "ref": "K1", "start_date": dt.date(YEAR, 2, 1), "birth_year": 1996, "origin": "turkish",
        "education": "mbo", "household": "single", "income_source": "own_income",
        "child_order": "first", "pregnant_at_start": "no"},
        answers={"mother_circumstances": [CIRCUMSTANCE]}, contact={},
        user=_coordinator(sites[0]))


def _web_update(sites):
    mother = Mother.objects.filter(site=sites[0]).order_by("pk").first()
    services.mother_update(mother=mother, version=mother.version,
                           values={"origin": "moroccan" if mother.origin != "moroccan"
                                   else "dutch"}, answers={}, contact={},
                           user=_coordinator(sites[0]))


def _web_end(sites):
    mother = Mother.objects.filter(site=sites[1], end_date__isnull=True).first()
    services.mother_end(mother=mother, version=mother.version, end_date=dt.date(YEAR, 5, 1),
                        end_reason="moved", user=_coordinator(sites[1]))


def _erasure(sites):
    mother = Mother.objects.filter(site=sites[2]).first()
    services.mother_erase(mother=mother, user=_coordinator(sites[2]))
    volunteer = Volunteer.objects.filter(site=sites[2]).first()
    services.volunteer_erase(volunteer=volunteer, user=_coordinator(sites[2]))


def _import(sites):
    result = records_import(site=sites[1], uploads=[csv_upload("mothers", [
        mother_row("IMP1", start_date=f"{YEAR}-04-01", origin="asia"),
        mother_row("IMP2", start_date=f"{YEAR}-06-01", education="hbo")])])
    assert result.ok, [str(p) for p in result.problems]


def _retention(sites):
    # Contact details are erased on schedule; the records stay and so do their figures.
    services.contacts_erase_expired(months=0, on=dt.date(YEAR + 5, 1, 1))
    MotherFactory(site=sites[0], start_date=f"{YEAR}-03-01", origin="africa")


def _bulk_update(sites):
    with audited_write():
        Mother.objects.filter(site=sites[1]).update(education="hbo")


def _bulk_delete(sites):
    with audited_write():
        Mother.objects.filter(site=sites[2], end_date__isnull=True).delete()


def _answers(sites):
    mother = Mother.objects.filter(site=sites[0], end_date__isnull=True).first()
    MotherAnswer.objects.filter(mother=mother).delete()
    answer(mother, "mother_circumstances", CIRCUMSTANCE)
    VolunteerAnswer.objects.filter(volunteer__site=sites[1]).delete()


def _raw_sql(sites):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_mother SET household = 'single' WHERE site_id = %s",
                       [sites[2].pk])


def _moves_site(sites):
    # A mother registered at the wrong site moves: both sites change.
    with audited_write():
        Mother.objects.filter(pk=Mother.objects.filter(site=sites[0]).first().pk).update(
            site=sites[1])


def _site_itself(sites):
    sites[0].first_year = YEAR + 1  # no longer active in the year
    sites[0].save()


WRITES = [_web_create, _web_update, _web_end, _erasure, _import, _retention, _bulk_update,
          _bulk_delete, _answers, _raw_sql, _moves_site, _site_itself]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__.strip("_") for w in WRITES])
def test_it_keeps_figures_that_always_equal_a_recount(sites, write):
    assert _same_as_a_recount(sites)  # counts and keeps
    assert KeptSiteFigures.objects.filter(year=YEAR).count() == len(sites)
    write(sites)
    assert _same_as_a_recount(sites)


def test_it_recounts_only_the_site_whose_records_changed(sites, django_assert_num_queries):
    kept.site_figures(YEAR, sites)
    before = {k.site_id: k.stamp for k in KeptSiteFigures.objects.all()}
    MotherFactory(site=sites[1], start_date=f"{YEAR}-03-01", origin="asia")
    stamps = dict(SiteStamp.objects.values_list("site_id", "value"))
    assert stamps[sites[1].pk] != before[sites[1].pk]
    assert all(stamps.get(s.pk, 0) == before[s.pk] for s in (sites[0], sites[2]))
    counted = []
    real = engine.site_figures

    def spy(year, given):
        counted.append([s.code for s in given])
        return real(year, given)

    kept.engine.site_figures = spy
    try:
        assert _same_as_a_recount(sites)
    finally:
        kept.engine.site_figures = real
    # The kept figures counted the one site; the recount beside them counted all three.
    assert counted == [[sites[1].code], [s.code for s in sites]]
    with django_assert_num_queries(2):  # stamps, kept rows: nothing counted
        kept.site_figures(YEAR, sites)


def test_it_keeps_nothing_of_a_write_that_was_rolled_back(sites):
    kept.site_figures(YEAR, sites)
    with pytest.raises(RuntimeError), transaction.atomic():
        MotherFactory(site=sites[0], start_date=f"{YEAR}-03-01", origin="asia")
        assert _same_as_a_recount(sites)  # counted inside the transaction, with the mother
        raise RuntimeError
    assert _same_as_a_recount(sites)  # the kept count went with the rollback
    # A later write raises the stamp to the value the rolled-back one had: what this process
    # remembers of the rolled-back count must not come back (kept rows carry a new token).
    MotherFactory(site=sites[0], start_date=f"{YEAR}-04-01", origin="africa")
    assert _same_as_a_recount(sites)


def test_it_counts_again_when_the_engine_version_changes(sites, monkeypatch):
    kept.site_figures(YEAR, sites)
    KeptSiteFigures.objects.update(figures=[])  # what an older engine might have kept
    monkeypatch.setattr(kept, "VERSION", "another")
    assert _same_as_a_recount(sites)

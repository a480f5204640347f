"""Stored publications: built once per change of their inputs, read with a fixed number of
queries, and never older than the data behind them, whatever path wrote it."""

import random

import pytest
from django.db import connection

from mim.audit.services import audited_write
from mim.codebook import codebooks
from mim.publication import build as builder
from mim.publication.inputs import YearFigures
from mim.publication.models import STAMP_KEY, InputStamp, Publication
from mim.publication.selectors import current_publication, read_scope
from mim.registry.models import Mother, MotherAnswer
from mim.returns.models import AnnualReturn
from tests.factories import MotherFactory, OrganisationFactory, SiteFactory, answer
from tests.figures.conftest import YEAR, random_records

pytestmark = pytest.mark.django_db
CIRCUMSTANCE = codebooks.for_year(YEAR).codes("mother_circumstances")[0]


@pytest.fixture
def sites():
    sites = [SiteFactory(first_year=2010) for _ in range(4)]
    random_records(random.Random(5), sites, 160, 50)
    return sites


def fresh() -> bool:
    """The stored publication is the one a recount of the live data would build."""
    publication = current_publication(YEAR)
    return publication.digest == builder.digest_of(YearFigures(YEAR))


def stamp() -> int:
    return InputStamp.objects.get(key=STAMP_KEY).value


def test_it_builds_once_and_reads_the_stored_publication(sites):
    first = current_publication(YEAR)
    again = current_publication(YEAR)
    assert first.pk == again.pk and Publication.objects.filter(year=YEAR).count() == 1
    assert first.audit["narrow"] == 0 and first.audit["hidden"] > 0


def test_it_reads_a_scope_with_a_fixed_number_of_queries(sites, django_assert_num_queries):
    read_scope(YEAR, "national", "NL")
    with django_assert_num_queries(3):  # stamp, publication, scope
        read_scope(YEAR, "national", "NL")
    with django_assert_num_queries(3):
        read_scope(YEAR, "site", sites[0].code)
    for _ in range(6):  # more sites, more rows: the same queries
        site = SiteFactory(first_year=2010)
        random_records(random.Random(9), [site], 40, 10)
    read_scope(YEAR, "national", "NL")
    with django_assert_num_queries(3):
        read_scope(YEAR, "national", "NL")


def test_it_keeps_the_publication_when_a_write_changes_no_figure(sites):
    first = current_publication(YEAR)
    mother = Mother.objects.filter(site=sites[0]).first()
    mother.save()  # the same values: the stamp moves, the digest does not
    assert current_publication(YEAR).pk == first.pk


def _service_write(sites):
    MotherFactory(site=sites[0], start_date=f"{YEAR}-03-01", origin="turkish")


def _bulk_update(sites):
    with audited_write():
        Mother.objects.filter(site=sites[1]).update(origin="moroccan")


def _bulk_delete(sites):
    with audited_write():
        Mother.objects.filter(site=sites[2], end_date__isnull=True).delete()


def _answers(sites):
    mother = Mother.objects.filter(site=sites[0], end_date__isnull=True).first()
    MotherAnswer.objects.filter(mother=mother).delete()
    answer(mother, "mother_circumstances", CIRCUMSTANCE)


def _raw_sql(sites):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_mother SET education = 'hbo' WHERE site_id = %s",
                       [sites[3].pk])


def _site_moves(sites):
    sites[0].organisation = OrganisationFactory()
    sites[0].save()


def _return_approved(sites):
    from django.utils import timezone

    from mim.figures import engine
    from mim.returns.models import ReturnFigure, Status

    annual = AnnualReturn.objects.create(site=sites[1], year=YEAR, status=Status.APPROVED,
                                         submitted_at=timezone.now(),
                                         approved_at=timezone.now())
    ReturnFigure.objects.bulk_create(
        ReturnFigure(annual_return=annual, variable=f.variable, category=f.category,
                     count=f.count, base=f.base)
        for f in engine.site_figures(YEAR, [sites[1]]))


@pytest.mark.parametrize("write", [_service_write, _bulk_update, _bulk_delete, _answers,
                                   _raw_sql, _site_moves, _return_approved])
def test_it_never_serves_figures_older_than_the_data(sites, write):
    current_publication(YEAR)
    before = stamp()
    write(sites)
    assert stamp() > before  # the database trigger saw the write, whatever path made it
    assert fresh()


def test_it_has_a_stamp_trigger_on_every_input_table():
    from mim.publication import triggers

    with connection.cursor() as cursor:
        for table in triggers.TABLES:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                               "AND NOT tgisinternal", [table])
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                               "AND tbl_name = %s", [table])
            names = {row[0] for row in cursor.fetchall()}
            assert {n for n in names if "pub" in n}, table


def test_it_keeps_only_the_asked_rows_of_every_scope_and_reads_the_others_when_asked(
        sites, django_assert_num_queries):
    """The national report reads three rows of every site: read_all keeps only those (380 MB
    of payloads at 2,000 sites otherwise), and a site read from that cache still answers any
    row, the same as a full read, at one query."""
    from mim.publication.selectors import read_all

    code = sites[0].code
    whole = read_scope(YEAR, "site", code)
    cache: dict = {}
    read_all(YEAR, "site", cache, rows=[("mothers.total", "all")])
    with django_assert_num_queries(0):
        partial = read_scope(YEAR, "site", code, cache=cache)
        assert partial.get("mothers.total") == whole.get("mothers.total")
        assert partial.has_data
    with django_assert_num_queries(1):  # a row the partial read left out
        assert partial.get("mothers.origin", "dutch") == whole.get("mothers.origin", "dutch")
    with django_assert_num_queries(0):  # read once, then held
        assert partial.get("volunteers.total") == whole.get("volunteers.total")
    assert partial.figures == whole.figures

    other = read_scope(YEAR, "site", sites[1].code, cache=cache)
    assert other.figures == read_scope(YEAR, "site", sites[1].code).figures
    assert len(other.figures) > 1


def test_it_reads_every_site_of_the_national_report_in_a_fixed_number_of_queries(sites):
    """The rows the national report keeps of each site are all it asks of them: no site is read
    again one by one, which would make its queries grow with the sites."""
    from django.test.utils import CaptureQueriesContext

    from mim.reports.assemble import national_report

    def queries() -> int:
        national_report(YEAR)  # builds what a change made stale
        with CaptureQueriesContext(connection) as captured:
            national_report(YEAR)
        return len(captured)

    before = queries()
    for seed in range(3):
        site = SiteFactory(first_year=2010)
        random_records(random.Random(11 + seed), [site], 60, 20)
    assert queries() == before


@pytest.mark.django_db(transaction=True)
def test_it_builds_a_year_once_when_several_reads_find_it_stale(monkeypatch):
    """Reads that find the inputs moved at the same moment (after a return's approval: the
    office's page, a coordinator's dashboard, the nightly job) build the publication once; the
    others wait and read what the first stored. Before, each built it beside the others and
    all but one store was thrown away."""
    import threading
    import time

    from django.db import connections

    sites = [SiteFactory(first_year=2010) for _ in range(4)]
    random_records(random.Random(5), sites, 160, 50)
    builds = []
    real = builder.build

    def slow_build(*args, **kwargs):
        builds.append(threading.get_ident())
        time.sleep(0.5)  # the others arrive while it builds
        return real(*args, **kwargs)

    monkeypatch.setattr(builder, "build", slow_build)
    start, read, failed = threading.Barrier(3), {}, []

    def reader(name):
        try:
            start.wait()
            read[name] = current_publication(YEAR).pk
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            failed.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # The builds first: without the lock the shared in-memory SQLite database of the tests
    # also refuses the losers' stores ("database table is locked"), after they built.
    assert len(builds) == 1, f"{len(builds)} builds of one publication"
    assert not failed, failed
    assert len(set(read.values())) == 1 and len(read) == 3
    assert Publication.objects.filter(year=YEAR).count() == 1

"""The record files' services: import, export and template. The `mim` commands and the
upload pages call these and nothing else."""

from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mim.audit.models import Event
from mim.audit.services import audit_each, audit_record
from mim.codebook import assessment, codebooks
from mim.organisations.models import Site
from mim.registry.models import Match, SelfAssessment, Visit

from . import importing, reading
from .columns import MOTHERS, MULTI, VOLUNTEERS, PersonSheet
from .importing import ImportResult, Problem, Progress
from .reading import Upload
from .workbook import write_workbook

__all__ = ["ImportResult", "Problem", "Upload", "records_export", "records_import",
           "template_write"]


def records_import(*, site: Site, uploads: list[Upload], dry_run: bool = False, user=None,
                   request=None, progress: Progress | None = None) -> ImportResult:
    """Validate the record files against the site's records and, when every row is valid
    and this is no dry run, write them all in one transaction. Nothing is written when any
    row anywhere is invalid; the result lists every problem (up to MAX_PROBLEMS)."""
    result = ImportResult(dry_run=dry_run)
    sources, refusals, workbooks = reading.open_sources(uploads)
    try:
        for file, message in refusals:
            result.add(Problem(file, message))
        if not sources:
            return result
        result.detected = {source.label: source.detected for source in sources}
        with transaction.atomic():
            if not dry_run:
                # Two imports for one site run one after the other, not interleaved.
                Site.objects.select_for_update().filter(pk=site.pk).exists()
            plan = importing.validate(site=site, sources=sources, result=result,
                                      progress=progress)
            if result.ok and not dry_run:
                importing.write(site=site, plan=plan, user=user, request=request,
                                progress=progress)
                audit_record(event=Event.IMPORT, user=user, request=request, site=site,
                             object_type="records", detail=_summary_detail(result))
                result.written = True
    except IntegrityError:
        # Someone changed the site's records between our read and our write.
        result.written = False
        result.add(Problem("", _("de registratie is tijdens het inlezen door iemand anders "
                                 "gewijzigd; er is niets opgeslagen. Probeer het opnieuw.")))
    finally:
        for workbook in workbooks:
            workbook.close()
    return result


def _summary_detail(result: ImportResult) -> str:
    return "; ".join(f"{label}: {n.created} new, {n.updated} updated, {n.unchanged} unchanged"
                     for label, n in result.counts.items())


def records_export(*, site: Site, out, user=None, request=None) -> dict[str, int]:
    """Write the site's records to `out` in the import format (codes, no contact details),
    and log the export. Returns the number of rows per sheet."""
    counts: dict[str, int] = {}
    refs: dict[str, list[str]] = {"mothers": [], "volunteers": []}

    def counted(sheet: str, rows: Iterator[list]) -> Iterator[list]:
        counts[sheet] = 0
        for row in rows:
            counts[sheet] += 1
            if sheet in refs:
                refs[sheet].append(row[0])  # the ref, the first column of a person sheet
            yield row

    write_workbook(out, labels=False, rows={
        "mothers": counted("mothers", _person_rows(site, MOTHERS)),
        "volunteers": counted("volunteers", _person_rows(site, VOLUNTEERS)),
        "matches": counted("matches", _match_rows(site)),
        "visits": counted("visits", _visit_rows(site)),
        "assessments": counted("assessments", _assessment_rows(site)),
    })
    audit_record(event=Event.EXPORT, user=user, request=request, site=site,
                 object_type="records",
                 detail=", ".join(f"{sheet}: {n}" for sheet, n in counts.items()))
    audit_each(event=Event.EXPORT, user=user, request=request, site=site, shown=[
        (object_type, ref, "records export")
        for sheet, object_type in (("mothers", "mother"), ("volunteers", "volunteer"))
        for ref in refs[sheet]])
    return counts


def _person_rows(site: Site, sheet: PersonSheet) -> Iterator[list]:
    # Only the columns of the data standard are selected: contact details live in other
    # tables and cannot come along by accident.
    fields = [column.code for column in sheet.columns[1:] if column.kind != MULTI]
    multi = [column.code for column in sheet.columns if column.kind == MULTI]
    order = {item: {code: i for i, code in enumerate(codebooks.all_codes(item))}
             for item in multi}
    answers: dict[int, dict[str, list[str]]] = {}
    owner = f"{sheet.owner_field}_id"
    for pk, item, code in sheet.answer_model.objects.filter(
            **{f"{sheet.owner_field}__site": site}).values_list(owner, "item", "code"):
        answers.setdefault(pk, {}).setdefault(item, []).append(code)
    positions = [column.code for column in sheet.columns]
    rows = sheet.model.objects.filter(site=site).order_by("ref").values_list(
        "id", "ref", *fields)
    for pk, ref, *values in rows.iterator(chunk_size=2000):
        record = dict(zip(fields, values, strict=True))
        record[sheet.ref_column] = ref
        for item in multi:
            codes = answers.get(pk, {}).get(item, [])
            record[item] = ";".join(sorted(codes, key=lambda code, item=item: order[item].get(
                code, len(order[item]))))
        yield [record[name] for name in positions]


def _match_rows(site: Site) -> Iterator[list]:
    rows = Match.objects.filter(site=site).order_by(
        "mother__ref", "start_date", "volunteer__ref").values_list(
        "mother__ref", "volunteer__ref", "start_date", "end_date")
    for row in rows.iterator(chunk_size=2000):
        yield list(row)


def _visit_rows(site: Site) -> Iterator[list]:
    # Never the note: free text, not part of the data standard.
    rows = Visit.objects.filter(mother__site=site).order_by(
        "mother__ref", "date", "pk").values_list("mother__ref", "date", "volunteer__ref")
    for mother, date, volunteer in rows.iterator(chunk_size=2000):
        yield [mother, date, volunteer or ""]


def _assessment_rows(site: Site) -> Iterator[list]:
    rows = SelfAssessment.objects.filter(mother__site=site).order_by(
        "mother__ref", "date", "pk").values_list("mother__ref", "moment", "date", "version",
                                                 *assessment.AIMS)
    for row in rows.iterator(chunk_size=2000):
        yield list(row)


def template_write(*, out) -> None:
    """The empty record template: drop-down lists with the Dutch labels."""
    write_workbook(out, labels=True)

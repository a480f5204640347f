"""Reads of the site's records: lists, the coordinator's dashboard, subject access.

Every function takes a site that the caller obtained through
mim.accounts.selectors.record_site (or record_sites), and only ever reads inside it.
The query count of a list or dashboard does not grow with rows: counts and "latest"
values are annotations and subqueries, never a loop over people.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from mim.audit.models import AuditEntry
from mim.codebook import assessment, codebooks
from mim.registry import rules
from mim.registry.models import Match, Mother, SelfAssessment, Visit, Volunteer

PROGRAMME_MONTHS = 18
VOG_VALID_YEARS = 3
VISIT_INTERVAL = dt.timedelta(weeks=6)
# A volunteer with fewer active matches than this has room for another mother.
MAX_LOAD = 2
PAGE_SIZE = 50
# The self-assessment's reminders: the 9-month measurement is due from 8 to 10 months after
# the start; the end measurement when she passes 18 months or ends, and for an ended mother
# only this long after her end (a reminder of years ago helps nobody).
MONTH9_WINDOW = (8, 10)
END_GRACE_MONTHS = 3


def today() -> dt.date:
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (0 when end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def language() -> str:
    return "en" if (translation.get_language() or "nl").startswith("en") else "nl"


def book_for(start_date: dt.date | None) -> codebooks.Codebook:
    """The codebook to read a record with: its start year's, or the current one."""
    if start_date is None:
        return codebooks.CURRENT
    try:
        return codebooks.for_record(start_date.year)
    except codebooks.UnknownYear:
        return codebooks.CURRENT


def label(item: str, code: str, start_date: dt.date | None = None) -> str:
    if not code:
        return ""
    return book_for(start_date).label(item, code, language())


def vog_due_date(vog_date: dt.date | None) -> dt.date | None:
    return add_months(vog_date, 12 * VOG_VALID_YEARS) if vog_date else None


def vog_due(volunteer: Volunteer, on: dt.date | None = None) -> bool:
    """Renewal due: no VOG seen, or the one seen is older than three years."""
    due = vog_due_date(volunteer.vog_date)
    return volunteer.end_date is None and (due is None or due <= (on or today()))


@dataclass(frozen=True)
class Clock:
    """The 18-month programme clock of a mother."""

    months: int
    due_date: dt.date
    past: bool


def clock(mother: Mother, on: dt.date | None = None) -> Clock:
    on = on or today()
    until = min(mother.end_date, on) if mother.end_date else on
    due = add_months(mother.start_date, PROGRAMME_MONTHS)
    return Clock(months=months_between(mother.start_date, until), due_date=due,
                 past=mother.end_date is None and due <= on)


# Conditions shared by the lists and the dashboard --------------------------------------

def _active_match(prefix: str = "") -> Q:
    return Q(**{f"{prefix}end_date__isnull": True})


def _mother_flags(qs: QuerySet, on: dt.date) -> QuerySet:
    active_matches = Match.objects.filter(mother=OuterRef("pk"), end_date__isnull=True)
    settled = on - VISIT_INTERVAL
    return qs.annotate(
        is_matched=Exists(active_matches),
        settled_match=Exists(active_matches.filter(start_date__lte=settled)),
        recent_visit=Exists(Visit.objects.filter(mother=OuterRef("pk"), date__gt=settled)),
    )


def _overdue() -> Q:
    # A match younger than six weeks has not had time to miss a visit yet.
    return Q(end_date__isnull=True, settled_match=True, recent_visit=False)


def _past_clock(on: dt.date) -> Q:
    return Q(end_date__isnull=True, start_date__lte=add_months(on, -PROGRAMME_MONTHS))


def _vog_due(on: dt.date) -> Q:
    return Q(end_date__isnull=True) & (
        Q(vog_date__isnull=True) | Q(vog_date__lte=add_months(on, -12 * VOG_VALID_YEARS)))


def _measured(moment: str) -> Exists:
    return Exists(SelfAssessment.objects.filter(mother=OuterRef("pk"), moment=moment))


def _month9_due(on: dt.date) -> Q:
    """Running, between 8 and 10 months after her start, without a 9-month measurement.
    Used on a queryset annotated by `_assessment_flags`."""
    low, high = MONTH9_WINDOW
    return Q(end_date__isnull=True, has_month9=False,
             start_date__lte=add_months(on, -low), start_date__gte=add_months(on, -high))


def _end_due(on: dt.date) -> Q:
    """Without an end measurement: running past her 18 months, or ended (recently)."""
    return Q(has_end=False) & (
        _past_clock(on) | Q(end_date__isnull=False,
                            end_date__gte=add_months(on, -END_GRACE_MONTHS)))


def _assessment_flags(qs: QuerySet) -> QuerySet:
    return qs.annotate(has_month9=_measured(SelfAssessment.MONTH9),
                       has_end=_measured(SelfAssessment.END))


# Lists -------------------------------------------------------------------------------

MOTHER_FILTERS = ("active", "ended", "unmatched", "overdue", "past_clock", "defaulted",
                  "month9_due", "end_due")
VOLUNTEER_FILTERS = ("active", "stopped", "vog_due", "defaulted")


def defaulted(model) -> Q:
    """Records whose every single-answer item holds the first category of its list, and
    that were not saved since through the form that starts empty.

    Until the intake form started empty, each drop-down opened on its first category, so a
    mother entered with only a reference and a start date was stored as Nederlands, LBO,
    samenwonend, inkomen partner, eerste kind, zwanger: ja. Such a record is not wrong for
    certain, but it is what a skipped form looks like: the coordinator reviews it, and
    saving it (corrected or confirmed) takes it off the list. The edit form read the
    codebook of the start year, so the first categories are those of that year's version."""
    condition = Q(pk__in=[])
    for book in codebooks.CODEBOOKS:
        firsts = {field: book.codes(item)[0] for field, item in model.CODED_FIELDS.items()}
        years = Q(start_date__year__gte=book.first_year)
        if book.last_year is not None:
            years &= Q(start_date__year__lte=book.last_year)
        condition |= years & Q(**firsts)
    condition &= Q(answers_confirmed_at__isnull=True)
    if "country_of_birth" in model.LISTED_FIELDS:
        # Typed as free text before the list ("TU" for Turkije): not a country, and the
        # export of it would not re-import. The form refuses to save it until it is chosen.
        condition |= ~Q(country_of_birth="") & ~Q(country_of_birth__in=rules.country_codes())
    return condition


def defaulted_records(site) -> dict[str, QuerySet]:
    """Per kind (mothers, volunteers), the site's records to review (see `defaulted`)."""
    return {"mothers": site.mothers.filter(defaulted(Mother)).order_by("ref"),
            "volunteers": site.volunteers.filter(defaulted(Volunteer)).order_by("ref")}


def _search(qs: QuerySet, q: str) -> QuerySet:
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(Q(ref__icontains=q) | Q(contact__name__icontains=q))


# The columns a work list can be sorted on (URL value → fields); "-" before the value
# sorts the other way. The ref comes last, so equal values keep a stable order.
MOTHER_SORTS = {"ref": ("ref",), "start": ("start_date",), "volunteer": ("volunteer_ref",),
                "last_visit": ("last_visit",), "end": ("end_date",)}
VOLUNTEER_SORTS = {"ref": ("ref",), "start": ("start_date",), "load": ("load",),
                   "vog": ("vog_date",), "end": ("end_date",)}


_EMPTY_FIRST = {"vog_date"}


def _sorted(qs: QuerySet, sort: str, sorts: dict) -> QuerySet:
    descending = sort.startswith("-")
    fields = sorts.get(sort.lstrip("-"))
    if not fields:
        return qs.order_by("ref")
    # Empty values (no visit) go last either way; but no VOG seen at all is the most
    # overdue renewal, so it comes first in the VOG order.
    order = [F(name).desc(nulls_last=True) if descending
             else F(name).asc(nulls_first=True) if name in _EMPTY_FIRST
             else F(name).asc(nulls_last=True) for name in fields]
    return qs.order_by(*order, "ref")


def mother_list(site, *, q: str = "", status: str = "", sort: str = "",
                on: dt.date | None = None) -> QuerySet:
    on = on or today()
    current = Match.objects.filter(mother=OuterRef("pk"), end_date__isnull=True).order_by(
        "-start_date", "-pk")
    qs = _assessment_flags(_mother_flags(site.mothers.all(), on)).select_related(
        "contact").annotate(
        volunteer_ref=Subquery(current.values("volunteer__ref")[:1]),
        # The coordinator works with her volunteers by name, as with her mothers.
        volunteer_name=Subquery(current.values("volunteer__contact__name")[:1]),
        last_visit=Subquery(Visit.objects.filter(mother=OuterRef("pk")).order_by("-date")
                            .values("date")[:1]),
    )
    qs = _search(qs, q)
    conditions = {
        "active": Q(end_date__isnull=True),
        "ended": Q(end_date__isnull=False),
        "unmatched": Q(end_date__isnull=True, is_matched=False),
        "overdue": _overdue(),
        "past_clock": _past_clock(on),
        "defaulted": defaulted(Mother),
        "month9_due": _month9_due(on),
        "end_due": _end_due(on),
    }
    if status in conditions:
        qs = qs.filter(conditions[status])
    return _sorted(qs, sort, MOTHER_SORTS)


def _last_visit() -> Subquery:
    return Subquery(Visit.objects.filter(mother=OuterRef("pk")).order_by("-date")
                    .values("date")[:1])


def mothers_to_close(site, *, on: dt.date | None = None) -> QuerySet:
    on = on or today()
    return site.mothers.filter(_past_clock(on)).select_related("contact").annotate(
        last_visit=_last_visit()).order_by("start_date", "ref")


def proposed_end(mother: Mother, on: dt.date | None = None) -> dt.date:
    """The end date proposed for a mother whose 18 months are over: her last visit (the
    programme ended when the visits did, and an earlier date would leave visits after her
    end), or without visits the day the 18 months ended (today at the latest)."""
    last = getattr(mother, "last_visit", None)
    if last is None and not hasattr(mother, "last_visit"):
        last = mother.visits.order_by("-date").values_list("date", flat=True).first()
    return last or min(clock(mother, on).due_date, on or today())


def visits_after_end(site) -> QuerySet:
    """Ended mothers with a visit after their end date (entered or imported before the
    rule, or an end date set too early): for the coordinator to correct."""
    later = Visit.objects.filter(mother=OuterRef("pk"), date__gt=OuterRef("end_date"))
    return (site.mothers.filter(end_date__isnull=False).filter(Exists(later))
            .annotate(last_visit=_last_visit()).order_by("ref"))


def _load() -> Coalesce:
    return Coalesce(Subquery(
        Match.objects.filter(volunteer=OuterRef("pk"), end_date__isnull=True)
        .order_by().values("volunteer").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField()), 0)


def volunteer_list(site, *, q: str = "", status: str = "", sort: str = "",
                   on: dt.date | None = None) -> QuerySet:
    on = on or today()
    qs = _search(site.volunteers.select_related("contact").annotate(load=_load()), q)
    conditions = {
        "active": Q(end_date__isnull=True),
        "stopped": Q(end_date__isnull=False),
        "vog_due": _vog_due(on),
        "defaulted": defaulted(Volunteer),
    }
    if status in conditions:
        qs = qs.filter(conditions[status])
    if status == "vog_due" and not sort:
        sort = "vog"  # the renewal longest overdue first: none seen at all, then the oldest
    return _sorted(qs, sort, VOLUNTEER_SORTS)


@dataclass(frozen=True)
class Candidate:
    volunteer: Volunteer
    load: int
    suggested: bool
    origin: str


def match_candidates(mother: Mother) -> list[Candidate]:
    """The site's active volunteers with their current load; those with the mother's
    origin and room for another mother are suggested, and come first."""
    volunteers = (Volunteer.objects.filter(site_id=mother.site_id, end_date__isnull=True)
                  .select_related("contact").annotate(load=_load()).order_by("ref"))
    known_origin = mother.origin != "unknown"
    candidates = [Candidate(v, v.load, known_origin and v.origin == mother.origin
                            and v.load < MAX_LOAD, label("origin", v.origin, v.start_date))
                  for v in volunteers]
    return sorted(candidates, key=lambda c: (not c.suggested, c.load, c.volunteer.ref))


# The monthly visit sheet ----------------------------------------------------------------

def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month that `month` falls in."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass
class SheetRow:
    """One mother on the visit sheet: her volunteers in the month and her visits in it, and
    the self-assessment moment due in the month ("" when none)."""

    mother: Mother
    volunteers: list
    visits: list
    due: str = ""


def due_moment(mother: Mother, first: dt.date, last: dt.date, measured: set[str]) -> str:
    """The self-assessment moment due in the month [first, last], or "": the end when she
    ends in it or her 18 months are over by its end, else the 9-month one when its window
    (8-10 months after her start) touches the month, else the intake when she started in it.
    A moment already measured is not due."""
    end_due = (mother.end_date is not None and first <= mother.end_date <= last) or (
        mother.end_date is None and add_months(mother.start_date, PROGRAMME_MONTHS) <= last)
    if end_due and SelfAssessment.END not in measured:
        return SelfAssessment.END
    low, high = MONTH9_WINDOW
    opens, closes = add_months(mother.start_date, low), add_months(mother.start_date, high)
    if (SelfAssessment.MONTH9 not in measured and opens <= last and closes >= first
            and not end_due):
        return SelfAssessment.MONTH9
    if SelfAssessment.INTAKE not in measured and first <= mother.start_date <= last:
        return SelfAssessment.INTAKE
    return ""


def visit_sheet(site, month: dt.date, *, volunteer: Volunteer | None = None) -> list[SheetRow]:
    """A row per mother who runs and is matched in the month (to `volunteer`, when given),
    in two queries whatever the number of mothers: the matches, then the month's visits."""
    first, last = month_bounds(month)
    matches = (Match.objects.filter(site=site, start_date__lte=last,
                                    mother__start_date__lte=last)
               .exclude(end_date__lt=first).exclude(mother__end_date__lt=first)
               .select_related("mother__contact", "volunteer__contact")
               # Her measured moments come along, so the sheet's queries stay two.
               .annotate(**{f"measured_{moment}": Exists(SelfAssessment.objects.filter(
                   mother=OuterRef("mother_id"), moment=moment))
                   for moment in assessment.MOMENTS})
               .order_by("mother__ref", "start_date", "pk"))
    if volunteer is not None:
        matches = matches.filter(volunteer=volunteer)
    rows: dict[int, SheetRow] = {}
    for match in matches:
        row = rows.setdefault(match.mother_id, SheetRow(match.mother, [], []))
        measured = {m for m in assessment.MOMENTS if getattr(match, f"measured_{m}")}
        row.due = due_moment(match.mother, first, last, measured)
        if match.volunteer not in row.volunteers:
            row.volunteers.append(match.volunteer)
    for visit in (Visit.objects.filter(mother_id__in=list(rows), date__range=(first, last))
                  .order_by("date", "pk")):
        rows[visit.mother_id].visits.append(visit)
    return list(rows.values())


def sheet_volunteers(site, month: dt.date) -> QuerySet:
    """The volunteers with a match in the month: the choices of the sheet per volunteer."""
    first, last = month_bounds(month)
    matched = (Match.objects.filter(site=site, start_date__lte=last)
               .exclude(end_date__lt=first).values("volunteer"))
    return site.volunteers.filter(pk__in=matched).select_related("contact").order_by("ref")


def matched_volunteer(mother: Mother, date: dt.date) -> Volunteer | None:
    """The volunteer matched to the mother on that date (the latest match), or None."""
    match = (mother.matches.filter(start_date__lte=date).exclude(end_date__lt=date)
             .select_related("volunteer").order_by("-start_date", "-pk").first())
    return match.volunteer if match else None


# One record ---------------------------------------------------------------------------

def mother_detail(site, pk: int) -> Mother:
    return site.mothers.select_related("contact").get(pk=pk)


def volunteer_detail(site, pk: int) -> Volunteer:
    return site.volunteers.select_related("contact").get(pk=pk)


def contact_of(person):
    """The contact row, or None (erased on schedule, or never given)."""
    try:
        return person.contact
    except person.__class__.contact.RelatedObjectDoesNotExist:
        return None


def answers_of(person) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {item: [] for item in person.answers.model.ITEMS}
    for item, code in person.answers.order_by("item", "code").values_list("item", "code"):
        result.setdefault(item, []).append(code)
    return result


def matches_of_mother(mother: Mother) -> QuerySet:
    return mother.matches.select_related("volunteer").order_by("-start_date", "-pk")


def matches_of_volunteer(volunteer: Volunteer) -> QuerySet:
    return volunteer.matches.select_related("mother").order_by("-start_date", "-pk")


def current_match(mother: Mother) -> Match | None:
    return mother.matches.filter(end_date__isnull=True).select_related("volunteer").order_by(
        "-start_date", "-pk").first()


def visits_of(mother: Mother) -> QuerySet:
    return mother.visits.select_related("volunteer").order_by("-date", "-pk")


def assessments_of(mother: Mother) -> dict[str, SelfAssessment]:
    """Her self-assessments by moment."""
    return {a.moment: a for a in mother.assessments.all()}


@dataclass
class AssessmentView:
    """One moment of her self-assessment as the page shows it: the questions in the wording
    of the version it was answered in (the current one for a moment not measured yet)."""

    moment: str
    label: str
    stored: SelfAssessment | None
    version: assessment.AssessmentVersion
    rows: list  # (question text, shown answer)


def assessment_views(mother: Mother, on: dt.date | None = None) -> list[AssessmentView]:
    lang = language()
    stored = assessments_of(mother)
    labels = dict(SelfAssessment.MOMENT_CHOICES)
    views = []
    for moment in assessment.MOMENTS:
        found = stored.get(moment)
        version = (assessment.version(found.version) if found
                   else assessment.for_date(on or today()))
        rows = [(q.text(lang), version.scale_label(getattr(found, q.aim), lang) if found else "")
                for q in version.questions]
        views.append(AssessmentView(moment, str(labels[moment]), found, version, rows))
    return views


# The coordinator's home page ----------------------------------------------------------

@dataclass
class Dashboard:
    site: object
    active_mothers: int = 0
    active_volunteers: int = 0
    unmatched: int = 0
    overdue: int = 0
    vog_due: int = 0
    to_close: int = 0
    defaulted_mothers: int = 0
    defaulted_volunteers: int = 0
    month9_due: int = 0
    end_due: int = 0


def dashboards(sites, *, on: dt.date | None = None) -> list[Dashboard]:
    """One summary per site, in two queries whatever the number of sites or records."""
    on = on or today()
    sites = list(sites)
    result = {site.pk: Dashboard(site) for site in sites}
    mothers = (_assessment_flags(_mother_flags(Mother.objects.filter(site__in=sites), on))
               .order_by().values("site").annotate(
                   month9_due=Count("pk", filter=_month9_due(on)),
                   end_due=Count("pk", filter=_end_due(on)),
                   active=Count("pk", filter=Q(end_date__isnull=True)),
                   unmatched=Count("pk", filter=Q(end_date__isnull=True, is_matched=False)),
                   overdue=Count("pk", filter=_overdue()),
                   to_close=Count("pk", filter=_past_clock(on)),
                   defaulted=Count("pk", filter=defaulted(Mother))))
    for row in mothers:
        board = result[row["site"]]
        board.active_mothers, board.unmatched = row["active"], row["unmatched"]
        board.overdue, board.to_close = row["overdue"], row["to_close"]
        board.defaulted_mothers = row["defaulted"]
        board.month9_due, board.end_due = row["month9_due"], row["end_due"]
    volunteers = (Volunteer.objects.filter(site__in=sites).order_by().values("site").annotate(
        active=Count("pk", filter=Q(end_date__isnull=True)),
        vog_due=Count("pk", filter=_vog_due(on)),
        defaulted=Count("pk", filter=defaulted(Volunteer))))
    for row in volunteers:
        board = result[row["site"]]
        board.active_volunteers, board.vog_due = row["active"], row["vog_due"]
        board.defaulted_volunteers = row["defaulted"]
    return list(result.values())


# Subject access (GDPR Art. 15) --------------------------------------------------------

def _record_fields(person) -> dict:
    book = book_for(person.start_date)
    fields = {}
    for field in person._meta.concrete_fields:
        if field.name in {"id", "site", "version", "created_at", "updated_at",
                          "answers_confirmed_at"}:
            continue
        value = getattr(person, field.attname)
        item = person.CODED_FIELDS.get(field.name) or (
            person.END_REASON_ITEM if field.name == "end_reason" else None)
        if item and value:
            fields[field.name] = {"code": value, "label": book.label(item, value, "nl")}
        else:
            fields[field.name] = value.isoformat() if isinstance(value, dt.date) else value
    return fields


def subject_access(person) -> dict:
    """Everything held about one person, for her request under GDPR Art. 15."""
    kind = person._meta.model_name
    contact = contact_of(person)
    data = {
        "type": kind,
        "site": person.site.code,
        "ref": person.ref,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "record": _record_fields(person),
        "contact": ({name: getattr(contact, name)
                     for name in ("name", "address", "postcode", "phone", "email")}
                    if contact else None),
        "answers": answers_of(person),
    }
    if isinstance(person, Mother):
        data["matches"] = [{"volunteer": m.volunteer.ref, "start_date": m.start_date.isoformat(),
                            "end_date": m.end_date.isoformat() if m.end_date else None}
                           for m in matches_of_mother(person)]
        data["visits"] = [{"date": v.date.isoformat(), "note": v.note,
                           "volunteer": v.volunteer.ref if v.volunteer else None}
                          for v in visits_of(person)]
        data["assessments"] = [
            {"moment": a.moment, "date": a.date.isoformat(), "version": a.version,
             **{aim: getattr(a, aim) for aim in assessment.AIMS}}
            for a in person.assessments.order_by("date", "pk")]
    else:
        data["matches"] = [{"mother": m.mother.ref, "start_date": m.start_date.isoformat(),
                            "end_date": m.end_date.isoformat() if m.end_date else None}
                           for m in matches_of_volunteer(person)]
        data["visits"] = [{"date": v.date.isoformat(), "mother": v.mother.ref}
                          for v in person.visits.select_related("mother").order_by("-date")]
    data["audit"] = [{"at": e.at.isoformat(timespec="seconds"), "event": e.event,
                      "user": e.username, "client": e.client, "detail": e.detail}
                     for e in audit_about(person)]
    return data


def audit_about(person) -> QuerySet:
    return AuditEntry.objects.filter(site_id=person.site_id, object_type=person._meta.model_name,
                                     object_ref=person.ref).order_by("at", "id")


def subject_access_xlsx(data: dict) -> bytes:
    """The same content as the JSON, one sheet per part; no cell can act as a formula."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "record"
    sheet.append(["field", "value"])
    for key in ("type", "site", "ref", "exported_at"):
        sheet.append([key, _inert(data[key])])
    for name, value in data["record"].items():
        sheet.append([name, _inert(value["code"] if isinstance(value, dict) else value),
                      _inert(value["label"]) if isinstance(value, dict) else None])
    sheet = book.create_sheet("contact")
    sheet.append(["field", "value"])
    for name, value in (data["contact"] or {}).items():
        sheet.append([name, _inert(value)])
    sheet = book.create_sheet("answers")
    sheet.append(["item", "code"])
    for item, codes in data["answers"].items():
        for code in codes:
            sheet.append([item, code])
    for part in ("matches", "visits", "assessments", "audit"):
        if part not in data:
            continue  # a volunteer has no self-assessment
        sheet = book.create_sheet(part)
        rows = data[part]
        if rows:
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append([_inert(v) for v in row.values()])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def work_list_xlsx(headers: list[str], rows: list[list]) -> bytes:
    """A work list as one sheet: bold frozen header, dates as dates, and every text a
    text cell, quoted when it starts like a formula (as the record export does)."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("lijst")
    sheet.freeze_panes = "A2"
    for index in range(len(headers)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18

    def cell(value):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            text = WriteOnlyCell(sheet, value)
            text.data_type = "s"  # never a formula, whatever it starts with
            text.quotePrefix = value.startswith(("=", "+", "-", "@", "\t", "\r"))
            return text
        if isinstance(value, dt.date):
            date = WriteOnlyCell(sheet, value)
            date.number_format = "dd-mm-yyyy"
            return date
        return value

    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, text) for text in headers]
    for head in header:
        head.font = bold
    sheet.append(header)
    for row in rows:
        sheet.append([cell(value) for value in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _inert(value):
    """Text that a spreadsheet would read as a formula is prefixed with a quote (ASVS 1.2.10)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# The site's access log ----------------------------------------------------------------

def site_log(site, *, ref: str = "") -> QuerySet:
    qs = AuditEntry.objects.filter(site_id=site.pk)
    ref = (ref or "").strip()
    if ref:
        qs = qs.filter(object_ref__iexact=ref)
    return qs.order_by("-at", "-id")

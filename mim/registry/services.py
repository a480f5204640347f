"""Writes to the site's records. Every write is validated (full_clean), atomic, and
written to the access log with field names only, never values.

Callers pass the site or record they obtained through mim.accounts.selectors, so a
write can never reach another site: the site is never taken from user input.

Lost updates (security guide D4): Mother and Volunteer carry a `version`. An edit
names the version it started from; the UPDATE is conditional on it, and a save that
started from an older version raises Conflict instead of overwriting.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mim.audit.models import Event
from mim.audit.services import audit_record, audited_write
from mim.codebook import assessment
from mim.organisations.models import Site
from mim.organisations.services import site_cover_records
from mim.registry import selectors
from mim.registry.models import (
    Match,
    Mother,
    MotherAnswer,
    MotherContact,
    SelfAssessment,
    Visit,
    Volunteer,
    VolunteerAnswer,
    VolunteerContact,
)

MOTHER_FIELDS = ("ref", "start_date", "birth_year", "origin", "country_of_birth", "education",
                 "household", "income_source", "child_order", "pregnant_at_start")
VOLUNTEER_FIELDS = ("ref", "start_date", "birth_year", "origin", "education",
                    "former_mim_mother", "vog_date", "agreement_signed")
CONTACT_FIELDS = ("name", "address", "postcode", "phone", "email")

_SPEC = {
    Mother: (MOTHER_FIELDS, MotherAnswer, MotherContact, "mother"),
    Volunteer: (VOLUNTEER_FIELDS, VolunteerAnswer, VolunteerContact, "volunteer"),
}

Person = Mother | Volunteer


class Conflict(Exception):
    """The record changed (or was erased) since the form was opened."""


# Shared steps ---------------------------------------------------------------------------

def _check_answers(person: Person, answers: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    book = selectors.book_for(person.start_date)
    clean: dict[str, set[str]] = {}
    errors = {}
    for item in _SPEC[type(person)][1].ITEMS:
        codes = set(answers.get(item, ()))
        wrong = sorted(c for c in codes if c not in book.item(item))
        if wrong:
            errors[item] = _("Geen geldige code voor %(year)s.") % {"year": person.start_date.year}
        clean[item] = codes
    if errors:
        raise ValidationError(errors)
    return clean


def _set_answers(person: Person, answers: dict[str, set[str]]) -> list[str]:
    """Replace the multi-answer rows; returns the items that changed."""
    model = person.answers.model
    owner = _SPEC[type(person)][3]
    current = selectors.answers_of(person)
    changed = [item for item, codes in answers.items() if set(current.get(item, ())) != codes]
    if changed:
        person.answers.filter(item__in=changed).delete()
        model.objects.bulk_create([model(**{owner: person}, item=item, code=code)
                                   for item in changed for code in sorted(answers[item])])
    return changed


def _check_contact(person: Person, contact: Mapping[str, str]) -> MotherContact | VolunteerContact:
    model, owner = _SPEC[type(person)][2], _SPEC[type(person)][3]
    row = selectors.contact_of(person) if person.pk else None
    row = row or model(**{owner: person})
    for name in CONTACT_FIELDS:
        setattr(row, name, (contact.get(name) or "").strip())
    row.full_clean(exclude=[owner])
    return row


def _save_contact(person: Person, row, before: dict[str, str]) -> list[str]:
    """Save the contact row; returns the names of the fields that changed."""
    changed = [name for name in CONTACT_FIELDS if getattr(row, name) != before.get(name, "")]
    if not changed:
        return []
    setattr(row, _SPEC[type(person)][3], person)
    row.save()
    return [f"contact.{name}" for name in changed]


def _contact_values(person: Person) -> dict[str, str]:
    row = selectors.contact_of(person)
    return {name: getattr(row, name) for name in CONTACT_FIELDS} if row else {}


def _fields_detail(names: Iterable[str]) -> str:
    return ("fields: " + ", ".join(names))[:500]


def _conditional_update(person: Person, version: int, values: Mapping) -> None:
    """The one UPDATE that may change a record's own row: only from the version the
    user saw. Zero rows updated means somebody else saved (or erased) it first."""
    with audited_write():  # the callers log the change (field names) per record
        updated = type(person).objects.filter(pk=person.pk, version=version).update(
            **values, version=version + 1, updated_at=timezone.now())
    if updated != 1:
        raise Conflict
    person.version = version + 1


def _require_version(person: Person, version: int) -> None:
    if not type(person).objects.filter(pk=person.pk, version=version).exists():
        raise Conflict


def _create(model, *, site, values: Mapping, answers: Mapping, contact: Mapping, user,
            request) -> Person:
    fields = _SPEC[model][0]
    person = model(site=site, **{name: values[name] for name in fields if name in values})
    person.answers_confirmed_at = timezone.now()
    person.full_clean()
    clean_answers = _check_answers(person, answers)
    row = _check_contact(person, contact)
    person.save()
    site_cover_records(site, person.start_date.year)
    _set_answers(person, clean_answers)
    _save_contact(person, row, {})
    audit_record(event=Event.CREATE, user=user, request=request, obj=person, site=site)
    return person


def _update(person: Person, *, version: int, values: Mapping, answers: Mapping,
            contact: Mapping, user, request) -> Person:
    _require_version(person, version)
    fields = [name for name in _SPEC[type(person)][0] if name in values]
    changed = [name for name in fields if getattr(person, name) != values[name]]
    for name in fields:
        setattr(person, name, values[name])
    person.full_clean()
    clean_answers = _check_answers(person, answers)
    before = _contact_values(person)
    row = _check_contact(person, contact)
    # Saved through the form that starts empty: what it holds was seen and kept.
    _conditional_update(person, version, {**{name: values[name] for name in fields},
                                          "answers_confirmed_at": timezone.now()})
    site_cover_records(person.site, person.start_date.year)
    changed += _set_answers(person, clean_answers)
    changed += _save_contact(person, row, before)
    audit_record(event=Event.UPDATE, user=user, request=request, obj=person,
                 detail=_fields_detail(changed or ["-"]))
    return person


def _end_open_matches(person: Person, end_date: dt.date, *, user, request) -> None:
    """Ending a person ends her open matches on the same day, and says so in the log
    of the other person of each match (a bulk write is audited like any other)."""
    matches = list(person.matches.filter(end_date__isnull=True).select_related(
        "mother", "volunteer"))
    if any(m.start_date > end_date for m in matches):
        raise ValidationError({"end_date": _(
            "Er loopt een koppeling die na deze datum begon; kies een latere einddatum.")})
    with audited_write():
        Match.objects.filter(pk__in=[m.pk for m in matches]).update(end_date=end_date)
    for match in matches:
        other = match.volunteer if isinstance(person, Mother) else match.mother
        audit_record(event=Event.UPDATE, user=user, request=request, obj=other,
                     detail=_fields_detail(["match.end_date"]))


def _end(person: Person, *, version: int, end_date: dt.date, end_reason: str, user,
         request) -> Person:
    _require_version(person, version)
    person.end_date, person.end_reason = end_date, end_reason
    person.full_clean()
    _end_open_matches(person, end_date, user=user, request=request)
    _conditional_update(person, version, {"end_date": end_date, "end_reason": end_reason})
    audit_record(event=Event.UPDATE, user=user, request=request, obj=person,
                 detail=_fields_detail(["end_date", "end_reason"]))
    return person


def _erase(person: Person, *, user, request) -> None:
    site, kind, ref = person.site, person._meta.model_name, person.ref
    # The cascade removes contact details, answers, matches and (for a mother) visits;
    # a volunteer's visits stay with the mother, without her. Each other person whose record
    # the cascade changes gets her own entry, as when a person is ended (found in review:
    # the mothers of an erased volunteer lost her from their visits without a word).
    if isinstance(person, Mother):
        others = {("volunteer", m.volunteer.ref, "matches")
                  for m in person.matches.select_related("volunteer")}
    else:
        others = {("mother", m.mother.ref, "matches")
                  for m in person.matches.select_related("mother")}
        others |= {("mother", v.mother.ref, "visits.volunteer")
                   for v in person.visits.select_related("mother")}
    person.delete()
    audit_record(event=Event.ERASE, user=user, request=request, site=site,
                 object_type=kind, object_ref=ref)
    for object_type, other, field in sorted(others):
        audit_record(event=Event.UPDATE, user=user, request=request, site=site,
                     object_type=object_type, object_ref=other,
                     detail=_fields_detail([field]) + f" (the {kind} erased)")


# Mothers --------------------------------------------------------------------------------

@transaction.atomic
def mother_create(*, site, values: Mapping, answers: Mapping[str, Iterable[str]],
                  contact: Mapping[str, str], user, request=None) -> Mother:
    return _create(Mother, site=site, values=values, answers=answers, contact=contact,
                   user=user, request=request)


@transaction.atomic
def mother_update(*, mother: Mother, version: int, values: Mapping,
                  answers: Mapping[str, Iterable[str]], contact: Mapping[str, str], user,
                  request=None) -> Mother:
    return _update(mother, version=version, values=values, answers=answers, contact=contact,
                   user=user, request=request)


@transaction.atomic
def mother_end(*, mother: Mother, version: int, end_date: dt.date, end_reason: str, user,
               request=None) -> Mother:
    return _end(mother, version=version, end_date=end_date, end_reason=end_reason, user=user,
                request=request)


@transaction.atomic
def mother_erase(*, mother: Mother, user, request=None) -> None:
    _erase(mother, user=user, request=request)


@transaction.atomic
def mothers_complete(*, site, ends: Mapping[str, tuple[Mother, int, dt.date]], user,
                     request=None) -> int:
    """Close many mothers at once as "completed" (the 18 months are over), all or nothing.

    `ends` maps the caller's key (a form row) to (mother, version, end date); every row's
    error is collected under its key and, if there is any, nothing is written (the
    transaction is rolled back). An end date before one of her visits is refused: the
    visit would lie after her end."""
    errors = {}
    done = 0
    for key, (mother, version, end_date) in ends.items():
        if mother.site_id != site.pk:
            errors[key] = _("Deze moeder hoort niet bij deze locatie.")
            continue
        if end_date > selectors.today():
            errors[key] = _("Deze datum ligt in de toekomst.")
            continue
        last = mother.visits.filter(date__gt=end_date).order_by("-date").values_list(
            "date", flat=True).first()
        if last:
            errors[key] = _("Er is een bezoek na deze datum (%(date)s); kies die datum of "
                            "een latere.") % {"date": last.strftime("%d-%m-%Y")}
            continue
        try:
            _end(mother, version=version, end_date=end_date, end_reason="completed",
                 user=user, request=request)
        except Conflict:
            errors[key] = _("Iemand anders heeft deze gegevens intussen gewijzigd.")
        except ValidationError as error:
            errors[key] = " ".join(error.messages)
        else:
            done += 1
    if errors:
        raise ValidationError(errors)
    return done


# Volunteers -----------------------------------------------------------------------------

@transaction.atomic
def volunteer_create(*, site, values: Mapping, answers: Mapping[str, Iterable[str]],
                     contact: Mapping[str, str], user, request=None) -> Volunteer:
    return _create(Volunteer, site=site, values=values, answers=answers, contact=contact,
                   user=user, request=request)


@transaction.atomic
def volunteer_update(*, volunteer: Volunteer, version: int, values: Mapping,
                     answers: Mapping[str, Iterable[str]], contact: Mapping[str, str], user,
                     request=None) -> Volunteer:
    return _update(volunteer, version=version, values=values, answers=answers,
                   contact=contact, user=user, request=request)


@transaction.atomic
def volunteer_end(*, volunteer: Volunteer, version: int, end_date: dt.date, end_reason: str,
                  user, request=None) -> Volunteer:
    return _end(volunteer, version=version, end_date=end_date, end_reason=end_reason,
                user=user, request=request)


@transaction.atomic
def volunteer_erase(*, volunteer: Volunteer, user, request=None) -> None:
    _erase(volunteer, user=user, request=request)


# Matches and visits ---------------------------------------------------------------------

@transaction.atomic
def match_create(*, mother: Mother, volunteer: Volunteer, start_date: dt.date, user,
                 request=None) -> Match:
    if volunteer.site_id != mother.site_id:
        # Unreachable through the views (the choices are the site's); kept as a guard.
        raise ValidationError({"volunteer": _("Deze vrijwilliger hoort niet bij deze locatie.")})
    errors = {}
    if mother.end_date or volunteer.end_date:
        errors["volunteer"] = _("Alleen lopende moeders en vrijwilligers kunnen worden gekoppeld.")
    elif mother.matches.filter(end_date__isnull=True).exists():
        errors["volunteer"] = _("Deze moeder is al gekoppeld; beëindig eerst de huidige koppeling.")
    if start_date < max(mother.start_date, volunteer.start_date):
        errors["start_date"] = _("De koppeling kan niet beginnen voor de start van de moeder "
                                 "en de vrijwilliger.")
    if errors:
        raise ValidationError(errors)
    match = Match(site_id=mother.site_id, mother=mother, volunteer=volunteer,
                  start_date=start_date)
    match.full_clean()
    match.save()
    for person in (mother, volunteer):
        audit_record(event=Event.UPDATE, user=user, request=request, obj=person,
                     detail=_fields_detail(["match"]))
    return match


@transaction.atomic
def match_end(*, match: Match, end_date: dt.date, user, request=None) -> Match:
    if match.end_date is not None:
        raise ValidationError({"end_date": _("Deze koppeling is al beëindigd.")})
    match.end_date = end_date
    match.full_clean()
    with audited_write():
        ended = Match.objects.filter(pk=match.pk, end_date__isnull=True).update(
            end_date=end_date)
    if ended != 1:
        raise Conflict
    for person in (match.mother, match.volunteer):
        audit_record(event=Event.UPDATE, user=user, request=request, obj=person,
                     detail=_fields_detail(["match.end_date"]))
    return match


def _visit_errors(mother: Mother, date: dt.date) -> str:
    if date < mother.start_date:
        return _("Het bezoek ligt voor de startdatum van de moeder.")
    if mother.end_date and date > mother.end_date:
        return _("Het bezoek ligt na de einddatum van de moeder.")
    return ""


@transaction.atomic
def visit_create(*, mother: Mother, date: dt.date, note: str = "", user, request=None) -> Visit:
    error = _visit_errors(mother, date)
    if error:
        raise ValidationError({"date": error})
    visit = Visit(mother=mother, volunteer=selectors.matched_volunteer(mother, date), date=date,
                  note=note.strip())
    visit.full_clean()
    visit.save()
    audit_record(event=Event.UPDATE, user=user, request=request, obj=mother,
                 detail=_fields_detail(["visit"]))
    return visit


@transaction.atomic
def visits_record(*, site, month: dt.date, visits: Mapping[str, tuple[Mother, dt.date]], user,
                  request=None) -> int:
    """The visits of one month for many mothers at once (the visit sheet), all or nothing.

    `visits` maps the caller's key (a form field) to (mother, date), so every error lands
    on the field it came from: ValidationError({key: message}) and nothing is written.
    A visit already recorded on that date is not recorded twice, so saving the same
    sheet again changes nothing. Returns the number of visits recorded."""
    first, last = selectors.month_bounds(month)
    on = selectors.today()
    errors = {}
    for key, (mother, date) in visits.items():
        if mother.site_id != site.pk:
            # Unreachable through the view (its rows are the site's); kept as a guard.
            errors[key] = _("Deze moeder hoort niet bij deze locatie.")
        elif not first <= date <= last:
            errors[key] = _("Deze datum ligt niet in de gekozen maand.")
        elif date > on:
            errors[key] = _("Deze datum ligt in de toekomst.")
        elif message := _visit_errors(mother, date):
            errors[key] = message
    if errors:
        raise ValidationError(errors)
    mothers = {mother.pk: mother for mother, _date in visits.values()}
    seen = set(Visit.objects.filter(mother_id__in=list(mothers), date__range=(first, last))
               .values_list("mother_id", "date"))
    new = []
    for mother, date in sorted(visits.values(), key=lambda v: (v[0].ref, v[1])):
        if (mother.pk, date) in seen:
            continue
        seen.add((mother.pk, date))
        visit = Visit(mother=mother, volunteer=selectors.matched_volunteer(mother, date),
                      date=date)
        visit.full_clean()
        new.append(visit)
    Visit.objects.bulk_create(new)
    for pk in sorted({visit.mother_id for visit in new}):
        audit_record(event=Event.UPDATE, user=user, request=request, obj=mothers[pk],
                     detail=_fields_detail(["visit"]))
    return len(new)


# The self-assessment ----------------------------------------------------------------------

def _assessment_errors(mother: Mother, moment: str, date: dt.date | None,
                       answers: Mapping[str, int | None]) -> dict[str, str]:
    errors = {}
    if moment not in assessment.MOMENTS:
        errors["moment"] = _("Geen geldig moment.")
    if date is None:
        errors["date"] = _("Vul de datum van de zelfevaluatie in.")
    elif date > selectors.today():
        errors["date"] = _("Deze datum ligt in de toekomst.")
    elif date < mother.start_date:
        errors["date"] = _("De datum ligt voor de startdatum van de moeder.")
    for aim in assessment.AIMS:
        value = answers.get(aim)
        if value is not None and value not in assessment.SCALE:
            errors[aim] = _("Kies een antwoord van 1 tot en met 5.")
    if not any(answers.get(aim) is not None for aim in assessment.AIMS) and not errors:
        errors["__all__"] = _("Vul minstens één vraag in.")
    return errors


def _assessment_detail(moment: str, aims) -> str:
    # Field names only: the answers themselves never go into the access log.
    return _fields_detail([f"assessment.{moment}.{aim}" for aim in aims] or
                          [f"assessment.{moment}"])


@transaction.atomic
def assessment_save(*, mother: Mother, moment: str, date: dt.date | None,
                    answers: Mapping[str, int | None], revision: int | None = None, user,
                    request=None) -> SelfAssessment:
    """Record or correct her self-assessment at one moment, all or nothing.

    A new assessment is answered in the version of the questions in use on its date; a
    correction keeps the version it was answered in. `revision` is the one the form
    showed (None for a new one): a save that started from an older one raises Conflict."""
    answers = {aim: answers.get(aim) for aim in assessment.AIMS}
    errors = _assessment_errors(mother, moment, date, answers)
    if errors:
        raise ValidationError(errors)
    current = SelfAssessment.objects.filter(mother=mother, moment=moment).first()
    if current is None:
        if revision:
            raise Conflict  # the form showed one that has been removed since
        row = SelfAssessment(mother=mother, moment=moment, date=date,
                             version=assessment.for_date(date).version, **answers)
        row.full_clean()
        row.save()
        changed = [aim for aim, value in answers.items() if value is not None]
        audit_record(event=Event.UPDATE, user=user, request=request, obj=mother,
                     detail=_assessment_detail(moment, ["date", *changed]))
        return row
    if revision != current.revision:
        raise Conflict
    changed = [aim for aim, value in answers.items() if getattr(current, aim) != value]
    if current.date != date:
        changed.insert(0, "date")
    with audited_write():  # logged below, on the mother
        updated = SelfAssessment.objects.filter(pk=current.pk, revision=revision).update(
            date=date, **answers, revision=revision + 1, updated_at=timezone.now())
    if updated != 1:
        raise Conflict
    if changed:
        audit_record(event=Event.UPDATE, user=user, request=request, obj=mother,
                     detail=_assessment_detail(moment, changed))
    current.refresh_from_db()
    return current


@transaction.atomic
def assessments_record(*, site, entries: Mapping[str, tuple], user, request=None) -> int:
    """New self-assessments of many mothers at once (the visit sheet), all or nothing.

    `entries` maps the caller's key (a form row) to (mother, moment, date, answers); every
    row's errors come back under `<key>_<field>` and nothing is written. A moment that is
    measured already is refused (it is corrected on her own page)."""
    errors = {}
    measured = set(SelfAssessment.objects.filter(
        mother__in=[m for m, *_rest in entries.values()]).values_list("mother_id", "moment"))
    for key, (mother, moment, date, answers) in entries.items():
        if mother.site_id != site.pk:
            errors[f"{key}_date"] = _("Deze moeder hoort niet bij deze locatie.")
            continue
        if (mother.pk, moment) in measured:
            errors[f"{key}_date"] = _("Deze meting is al vastgelegd; pas haar aan op de "
                                      "pagina van de moeder.")
            continue
        for field, message in _assessment_errors(mother, moment, date, answers).items():
            errors[f"{key}_{'date' if field == '__all__' else field}"] = message
    if errors:
        raise ValidationError(errors)
    rows = []
    for mother, moment, date, answers in entries.values():
        row = SelfAssessment(mother=mother, moment=moment, date=date,
                             version=assessment.for_date(date).version,
                             **{aim: answers.get(aim) for aim in assessment.AIMS})
        row.full_clean()
        rows.append(row)
    SelfAssessment.objects.bulk_create(rows)
    for row in rows:
        audit_record(event=Event.UPDATE, user=user, request=request, obj=row.mother,
                     detail=_assessment_detail(row.moment, [
                         "date", *[aim for aim in assessment.AIMS
                                   if getattr(row, aim) is not None]]))
    return len(rows)


# Retention ------------------------------------------------------------------------------

@transaction.atomic
def contacts_erase_expired(*, months: int, on: dt.date, dry_run: bool = False
                           ) -> dict[str, int]:
    """Erase the contact details of mothers and volunteers whose record ended at least
    `months` ago. Idempotent: a second run finds nothing left to erase."""
    cutoff = selectors.add_months(on, -months)
    counts = {}
    for model, owner in ((MotherContact, "mother"), (VolunteerContact, "volunteer")):
        expired = model.objects.filter(**{f"{owner}__end_date__lte": cutoff})
        rows = list(expired.values_list(f"{owner}__ref", f"{owner}__site"))
        counts[owner] = len(rows)
        if dry_run or not rows:
            continue
        sites = Site.objects.in_bulk({site_id for _ref, site_id in rows})
        # The log entries first: if the delete failed, the transaction takes both back.
        for ref, site_id in rows:
            audit_record(event=Event.ERASE, site=sites[site_id], object_type=owner,
                         object_ref=ref, detail="contact (retention)")
        with audited_write():
            expired.delete()
    counts["visit_notes"] = _visit_notes_erase(cutoff=cutoff, dry_run=dry_run)
    return counts


def _visit_notes_erase(*, cutoff: dt.date, dry_run: bool) -> int:
    """Visit notes are free text and may name people or health matters: they go with the
    contact details, once the mother's record ended `months` ago."""
    noted = Visit.objects.filter(mother__end_date__lte=cutoff).exclude(note="")
    mothers = list(noted.values_list("mother__ref", "mother__site").distinct())
    if dry_run or not mothers:
        return noted.count()
    sites = Site.objects.in_bulk({site_id for _ref, site_id in mothers})
    for ref, site_id in mothers:
        audit_record(event=Event.ERASE, site=sites[site_id], object_type="mother",
                     object_ref=ref, detail="visit notes (retention)")
    with audited_write():
        return noted.update(note="")

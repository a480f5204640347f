from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from mim.audit.models import Event
from mim.audit.services import audit_record
from mim.codebook import codebooks
from mim.organisations.models import (
    YES_NO_UNKNOWN,
    Coordinator,
    CoordinatorAssignment,
    Municipality,
    Organisation,
    OrganisationYear,
    Site,
    SiteYear,
)


class SiteExists(ValueError):
    pass


@transaction.atomic
def site_create(*, code: str, name: str, organisation: str, municipality: str,
                cbs_code: str = "", first_year: int, last_year: int | None = None,
                keeps_records: bool = True, user=None, request=None) -> Site:
    """Add a site, and its organisation and municipality when they are new.

    With a user (the programme office's screen) the new site goes to the access log; the
    CLI and the demo generator call it without one, as before."""
    if Site.objects.filter(code=code).exists():
        raise SiteExists(f"a site with code {code!r} exists already")
    blank = {field: ["may not be empty"] for field, value in
             (("organisation", organisation), ("municipality", municipality))
             if not value.strip()}
    if blank:
        raise ValidationError(blank)
    # "utrecht" is the existing Utrecht, not a second municipality beside it
    org, _created = Organisation.objects.get_or_create(name__iexact=organisation.strip(),
                                                defaults={"name": organisation.strip()})
    mun, created = Municipality.objects.get_or_create(
        name__iexact=municipality.strip(),
        defaults={"name": municipality.strip(), "cbs_code": cbs_code})
    if not created and cbs_code and not mun.cbs_code:
        mun.cbs_code = cbs_code
        mun.save(update_fields=["cbs_code"])
    site = Site(code=code, name=name.strip(), organisation=org, municipality=mun,
                first_year=first_year, last_year=last_year, keeps_records=keeps_records)
    site.full_clean()
    site.save()
    if user is not None:
        audit_record(event=Event.CREATE, user=user, request=request, site=site,
                     object_type="site", object_ref=site.code,
                     detail=f"site of {org.name} in {mun.name}, from {first_year}")
    return site


@transaction.atomic
def organisation_create(*, name: str, user=None, request=None) -> Organisation:
    name = name.strip()
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Deze organisatie bestaat al.")})
    org = Organisation(name=name)
    org.full_clean()
    org.save()
    audit_record(event=Event.CREATE, user=user, request=request, object_type="organisation",
                 object_ref=str(org.pk), detail="organisation added")
    return org


@transaction.atomic
def municipality_create(*, name: str, cbs_code: str = "", user=None,
                        request=None) -> Municipality:
    name = name.strip()
    if Municipality.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Deze gemeente bestaat al.")})
    mun = Municipality(name=name, cbs_code=cbs_code.strip())
    mun.full_clean()
    mun.save()
    audit_record(event=Event.CREATE, user=user, request=request, object_type="municipality",
                 object_ref=str(mun.pk), detail="municipality added")
    return mun


def site_cover_records(site: Site, first_record_year: int | None) -> None:
    """A site is active from the year of its earliest record on.

    `mim create-site` starts a site in the current year, and a coordinator then registers
    (or imports) the mothers she has had for years: without this, those years would leave
    her site out of the figures and the "sites expected" of completeness. A site's end
    (`last_year`) is a decision of the programme office and is left alone."""
    if first_record_year is not None:
        # A record from before the first year of the series (a volunteer since 2001) makes
        # the site active from that first year: no year before it has figures or a codebook.
        first_record_year = max(first_record_year, codebooks.FIRST_YEAR)
    if first_record_year is not None and first_record_year < site.first_year:
        Site.objects.filter(pk=site.pk, first_year__gt=first_record_year).update(
            first_year=first_record_year)
        site.first_year = first_record_year


class SiteEndRefused(ValueError):
    """The site cannot end then; the message is Dutch, for the user as is."""


@transaction.atomic
def site_end(*, site: Site, last_year: int | None, user=None, request=None) -> Site:
    """End a site: active to and including `last_year` (None: active again without end).

    A decision of the programme office (or the operator at the command line, without a user);
    audited. Refused before the site's first year, and when the site has a return for a later
    year: that return shows the site ran then, so ending earlier would contradict it."""
    from mim.audit.models import Event
    from mim.audit.services import audit_record

    site = Site.objects.select_for_update().get(pk=site.pk)
    if last_year is not None:
        if last_year < site.first_year:
            raise SiteEndRefused(gettext("%(site)s is pas actief vanaf %(year)s.")
                                 % {"site": site.name, "year": site.first_year})
        if site.returns.filter(year__gt=last_year).exists():
            raise SiteEndRefused(gettext("%(site)s heeft een jaaropgave over een jaar na "
                                         "%(year)s.") % {"site": site.name, "year": last_year})
    before = site.last_year
    site.last_year = last_year
    site.full_clean()
    site.save(update_fields=["last_year"])
    audit_record(event=Event.UPDATE, user=user, request=request, site=site,
                 object_type="site", object_ref=site.code,
                 detail=f"last_year {before} -> {last_year}")
    return site


SITE_FACT_ITEMS = ("financing", "variant", "group_activities")
ORGANISATION_FACT_ITEMS = ("reimbursement",)
COORDINATOR_ITEMS = {"experience": "coordinator_experience", "training": "coordinator_training"}


def _check_codes(book, lists: dict[str, tuple[str, list[str] | None]]) -> dict[str, str]:
    """Field -> message for codes that are not the codebook item's, or exclude each other.
    None (not known) has no codes to check."""
    errors = {}
    for field, (item, codes) in lists.items():
        if codes is None:
            continue
        unknown = [c for c in codes if c not in book.item(item)]
        if unknown:
            errors[field] = gettext("geen code van %(item)s: %(codes)s") % {
                "item": item, "codes": ", ".join(unknown)}
        elif contradiction := book.contradiction(item, codes):
            errors[field] = contradiction
    return errors


def _ordered(book, item: str, codes) -> list[str] | None:
    # In codebook order, without doubles: the same facts always look the same. None stays
    # None: not known is not "none of them".
    if codes is None:
        return None
    return [c for c in book.codes(item) if c in set(codes)]


def _audit_facts(*, user, request, object_type: str, object_ref: str, site=None,
                 detail: str) -> None:
    # Only the office's screens pass a user; the return's facts are logged with the return's
    # step, and the facts import by its command.
    if user is not None:
        audit_record(event=Event.UPDATE, user=user, request=request, site=site,
                     object_type=object_type, object_ref=object_ref, detail=detail)


@transaction.atomic
def site_year_save(*, site: Site, year: int, target_group: str = "",
                   financing: list[str] | None = (), variant: list[str] | None = (),
                   group_activities: list[str] | None = (),
                   coordinator_background: str | None = None, user=None,
                   request=None) -> SiteYear:
    """Write a site's facts for a year (its coordinator, its organisation or the office; also
    for a site marked not delivered). A list given as None is "niet bekend" (counted as
    `unknown`); an empty list is known: none of the codes.

    Codes are checked against the codebook in force for the year; a wrong one is a
    ValidationError naming the field, and nothing is written. With a user (the office's
    screen) the change goes to the access log."""
    book = codebooks.for_year(year)
    lists = {"financing": financing, "variant": variant, "group_activities": group_activities}
    errors = _check_codes(book, {f: (f, codes) for f, codes in lists.items()})
    if errors:
        raise ValidationError(errors)
    facts, _created = SiteYear.objects.get_or_create(site=site, year=year)
    for field, codes in lists.items():
        setattr(facts, field, _ordered(book, field, codes))
    facts.target_group = target_group.strip()
    if coordinator_background is not None:
        facts.coordinator_background = coordinator_background.strip()
    facts.full_clean()
    facts.save()
    _audit_facts(user=user, request=request, site=site, object_type="siteyear",
                 object_ref=f"{site.code}/{year}", detail=f"site facts {year} saved")
    return facts


@transaction.atomic
def organisation_year_save(*, organisation: Organisation, year: int,
                           reimbursement: list[str] | None = (),
                           volunteer_agreement: str = "unknown",
                           vog_required: str = "unknown", user=None,
                           request=None) -> OrganisationYear:
    """Write an organisation's policies for its volunteers in a year (for all its sites).
    `reimbursement` None is "niet bekend"; a yes/no policy not known is `unknown`."""
    book = codebooks.for_year(year)
    errors = _check_codes(book, {"reimbursement": ("reimbursement", reimbursement)})
    for field, code in (("volunteer_agreement", volunteer_agreement),
                        ("vog_required", vog_required)):
        if code not in YES_NO_UNKNOWN:
            errors[field] = gettext("kies ja, nee of onbekend")
    if errors:
        raise ValidationError(errors)
    policy, _created = OrganisationYear.objects.get_or_create(organisation=organisation,
                                                              year=year)
    policy.reimbursement = _ordered(book, "reimbursement", reimbursement)
    policy.volunteer_agreement = volunteer_agreement
    policy.vog_required = vog_required
    policy.full_clean()
    policy.save()
    _audit_facts(user=user, request=request, object_type="organisationyear",
                 object_ref=f"{organisation.pk}/{year}",
                 detail=f"policies of organisation {organisation.pk} for {year} saved")
    return policy


@transaction.atomic
def coordinator_save(*, organisation: Organisation, ref: str, name: str | None = None,
                     experience: list[str] | None = None, training: list[str] | None = None
                     ) -> Coordinator:
    """Add a coordinator to an organisation, or update the one with this ref. Lists left
    None stay as they are."""
    ref = ref.strip()
    if not ref:
        raise ValidationError({"ref": gettext("vul een code in")})
    book = codebooks.CURRENT
    lists = {f: (item, codes) for f, item in COORDINATOR_ITEMS.items()
             if (codes := {"experience": experience, "training": training}[f]) is not None}
    errors = _check_codes(book, lists)
    if errors:
        raise ValidationError(errors)
    person, _created = Coordinator.objects.get_or_create(organisation=organisation, ref=ref)
    if name is not None:
        person.name = name.strip()
    for field, (item, codes) in lists.items():
        setattr(person, field, _ordered(book, item, codes))
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def site_coordinators_set(*, site: Site, year: int,
                          lines: list[tuple[Coordinator, Decimal]]) -> None:
    """Who coordinates at a site in a year and for how many hours: replaces the site's
    assignments of that year. A coordinator of another organisation is refused."""
    people = [person for person, _hours in lines]
    if any(person.organisation_id != site.organisation_id for person in people):
        raise ValidationError({"coordinator": gettext(
            "een coördinator van een andere organisatie kan hier niet werken")})
    if len({p.pk for p in people}) != len(people):
        raise ValidationError({"coordinator": gettext("een coördinator staat er twee keer")})
    CoordinatorAssignment.objects.filter(site=site, year=year).delete()
    for person, hours in lines:
        line = CoordinatorAssignment(coordinator=person, site=site, year=year,
                                     hours_per_week=hours)
        line.full_clean()
        line.save()


@transaction.atomic
def coordinator_enter(*, organisation: Organisation, year: int, ref: str, name: str,
                      experience: list[str], training: list[str],
                      hours: dict[Site, Decimal | None], pk: int | None = None, user,
                      request=None) -> Coordinator:
    """The office's coordinator form, all or nothing: the person (new when `pk` is None,
    else the organisation's coordinator `pk`) and her hours per week at the organisation's
    sites in `year` (None or absent: she does not work there that year). Her assignments of
    other years and other coordinators' lines are left alone. Empty experience or training
    is "niet bekend". Audited (the ref and the number of sites; the name is contact data)."""
    ref = ref.strip()
    clash = Coordinator.objects.filter(organisation=organisation, ref=ref)
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if ref and clash.exists():
        raise ValidationError({"ref": gettext("Deze code heeft al een andere coördinator van "
                                              "%(organisation)s.")
                                      % {"organisation": organisation.name}})
    if any(site.organisation_id != organisation.pk for site in hours):
        raise ValidationError({"coordinator": gettext(
            "een coördinator van een andere organisatie kan hier niet werken")})
    inactive = [site.name for site, h in hours.items() if h and not site.active_in(year)]
    if inactive:
        raise ValidationError({"coordinator": gettext(
            "%(sites)s was in %(year)s niet actief.") % {"sites": ", ".join(inactive),
                                                         "year": year}})
    created = pk is None
    if not created:
        person = Coordinator.objects.select_for_update().get(pk=pk, organisation=organisation)
        if person.ref != ref and ref:
            person.ref = ref
            person.full_clean()
            person.save(update_fields=["ref"])
    person = coordinator_save(organisation=organisation, ref=ref, name=name,
                              experience=list(experience), training=list(training))
    CoordinatorAssignment.objects.filter(coordinator=person, year=year).delete()
    working = {site: h for site, h in hours.items() if h}
    for site, h in working.items():
        line = CoordinatorAssignment(coordinator=person, site=site, year=year,
                                     hours_per_week=h)
        line.full_clean()
        line.save()
    audit_record(event=Event.CREATE if created else Event.UPDATE, user=user, request=request,
                 object_type="coordinator", object_ref=person.ref,
                 detail=f"coordinator of organisation {organisation.pk}: works at "
                        f"{len(working)} site(s) in {year}")
    return person


__all__ = ["SiteEndRefused", "SiteExists", "ValidationError", "coordinator_enter",
           "coordinator_save",
           "municipality_create", "organisation_create", "organisation_year_save",
           "site_coordinators_set", "site_create", "site_end", "site_year_save"]

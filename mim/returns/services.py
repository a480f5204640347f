"""Writes on annual returns: the workflow, the site's facts, aggregate uploads, deadlines.

Every transition runs in one transaction, locks the return, checks the version the user
started from (optimistic locking: two people acting at once get a clear message, not a lost
update) and the current status, and logs a ReturnEvent plus an access-log entry. Refusals are
ReturnRefused with a Dutch message for the user; nothing is written then.

    draft --submit (after its summary is confirmed)--> submitted
    submitted --query (about a part)--> queried --answer--> submitted
    queried --correct the part asked about (facts or figures)--> queried
    submitted --approve (never while a question is open)--> approved
    submitted|queried|approved --reopen (with a reason)--> draft
    (none)|draft --not_delivered (office, with a reason)--> not_delivered --reopen--> draft

The office's steps may also be taken by the operator on the server (`mim return STEP`):
`operator=True` and no user; the access log then says "cli".
"""

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mim.accounts.selectors import is_office, record_sites
from mim.audit.models import Event
from mim.audit.services import audit_record
from mim.codebook import codebooks
from mim.figures.tidy import Figure
from mim.organisations import services as organisation_services
from mim.organisations.models import Site
from mim.returns import checks, selectors
from mim.returns.checks import Finding
from mim.returns.models import (
    AnnualReturn,
    EventKind,
    MessageKind,
    ReturnEvent,
    ReturnExplanation,
    ReturnFigure,
    ReturnMessage,
    ReturnYear,
    Source,
    Status,
    Subject,
)
from mim.returns.upload import parse_aggregate


class ReturnRefused(Exception):
    """A step that may not be taken now; `message` is shown to the user as is."""

    def __init__(self, message: str, *, findings: Sequence[Finding] = (),
                 errors: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.findings = list(findings)
        self.errors = list(errors)


class StaleReturn(ReturnRefused):
    pass


def _may_act_for_site(user, site: Site) -> bool:
    return record_sites(user).filter(pk=site.pk).exists()


def _require_coordinator(user, site: Site) -> None:
    if not _may_act_for_site(user, site):
        raise ReturnRefused(_("Alleen de coördinator van de locatie kan dit doen."))


def _require_office(user, operator: bool = False) -> None:
    if operator and user is None:
        return  # the operator at the server's command line, who may do anything there
    if not is_office(user):
        raise ReturnRefused(_("Alleen het programmabureau kan dit doen."))


def _locked(annual_return: AnnualReturn, expected_version: int) -> AnnualReturn:
    """The return, locked for this transaction, if nobody changed it since the user loaded
    it."""
    current = (AnnualReturn.objects.select_for_update().select_related("site")
               .get(pk=annual_return.pk))
    if current.version != expected_version:
        raise StaleReturn(_("Iemand anders heeft deze jaaropgave intussen gewijzigd. Bekijk de "
                            "nieuwe stand en probeer het opnieuw."))
    return current


def _require_status(annual_return: AnnualReturn, allowed: Sequence[str], action: str) -> None:
    if annual_return.status not in allowed:
        raise ReturnRefused(_("%(action)s kan niet: de jaaropgave is %(status)s.") % {
            "action": action, "status": annual_return.get_status_display()})


def open_subjects(annual_return: AnnualReturn) -> set[str]:
    """The parts of the return the office's open questions ask about."""
    return set(annual_return.messages.filter(is_open=True).values_list("subject", flat=True))


def _require_draft_or_asked(annual_return: AnnualReturn, subject: str, action: str) -> bool:
    """A draft may be changed; a queried return only in the part an open question asks
    about (the office reopened it for the site). True when the return is queried."""
    if annual_return.status == Status.QUERIED and subject in open_subjects(annual_return):
        return True
    if annual_return.status == Status.QUERIED:
        raise ReturnRefused(_("%(action)s kan niet: de vraag van het programmabureau gaat "
                              "niet over dit deel van de jaaropgave.") % {"action": action})
    _require_status(annual_return, [Status.DRAFT], action)
    return False


def _step(annual_return: AnnualReturn, *, kind: str, user, to: str | None = None,
          reason: str = "", request=None, now: dt.datetime | None = None) -> AnnualReturn:
    """Move to `to` (or stay), bump the version, log the step twice (event and access log)."""
    before = annual_return.status
    annual_return.status = to or before
    annual_return.version += 1  # the row is locked and its version checked (_locked)
    annual_return.full_clean()
    annual_return.save()
    ReturnEvent.objects.create(annual_return=annual_return, kind=kind, from_status=before,
                               to_status=annual_return.status, user=user,
                               at=now or timezone.now(), reason=reason)
    audit_record(event=Event.UPDATE if kind != EventKind.STARTED else Event.CREATE,
                 user=user, request=request, site=annual_return.site,
                 object_type="annualreturn", object_ref=str(annual_return.pk),
                 detail=f"return {annual_return.year} {kind}: {before} -> {annual_return.status}")
    return annual_return


# --- the coordinator ----------------------------------------------------------------------


@transaction.atomic
def return_start(*, site: Site, year: int, user, request=None) -> AnnualReturn:
    """Open the site's return for the year as a draft (or give back the one there is)."""
    _require_coordinator(user, site)
    existing = AnnualReturn.objects.filter(site=site, year=year).first()
    if existing is not None:
        return existing
    if not site.active_in(year):
        raise ReturnRefused(_("De locatie was in %(year)s niet actief.") % {"year": year})
    if not codebooks.FIRST_YEAR <= year <= timezone.localdate().year:
        raise ReturnRefused(_("Voor %(year)s kan geen jaaropgave worden gemaakt.")
                            % {"year": year})
    annual_return = AnnualReturn(site=site, year=year,
                                 source=Source.RECORDS if site.keeps_records else Source.AGGREGATE)
    annual_return.full_clean()
    annual_return.save()
    ReturnEvent.objects.create(annual_return=annual_return, kind=EventKind.STARTED,
                               to_status=Status.DRAFT, user=user, at=timezone.now())
    audit_record(event=Event.CREATE, user=user, request=request, site=site,
                 object_type="annualreturn", object_ref=str(annual_return.pk),
                 detail=f"return {year} started")
    return annual_return


@transaction.atomic
def return_facts_save(*, annual_return: AnnualReturn, user, expected_version: int,
                      facts: Mapping, coordinators: Sequence[tuple[str, str, Decimal]],
                      request=None) -> AnnualReturn:
    """Save the site's facts for the return's year: in a draft, or while a question of the
    office about the facts is open (the submitted snapshot is then replaced, so the office
    reviews the corrected facts); otherwise submitted facts are frozen. The site's own facts,
    its organisation's policies (the organisation's coordinators may set them), and who of the
    organisation's coordinators works here with how many hours (`coordinators`: (pk of one of
    them or "", a new one's name, hours))."""
    from mim.organisations.models import Coordinator

    _require_coordinator(user, annual_return.site)
    annual_return = _locked(annual_return, expected_version)
    queried = _require_draft_or_asked(annual_return, Subject.FACTS,
                                      _("Locatiegegevens wijzigen"))
    site, year = annual_return.site, annual_return.year
    facts = dict(facts)
    policy = {f: facts.pop(f) for f in ("reimbursement", "volunteer_agreement", "vog_required")
              if f in facts}
    organisation_services.site_year_save(site=site, year=year, **facts)
    if policy:
        organisation_services.organisation_year_save(organisation=site.organisation,
                                                     year=year, **policy)
    people = {str(p.pk): p for p in Coordinator.objects.filter(
        organisation_id=site.organisation_id)}
    lines = []
    for pk, name, hours in coordinators:
        person = people.get(pk)
        if person is None:
            # A new coordinator of the organisation; a ref nobody has yet.
            n = len(people) + 1
            while any(p.ref == f"{site.code}-{n}" for p in people.values()):
                n += 1
            person = organisation_services.coordinator_save(
                organisation=site.organisation, ref=f"{site.code}-{n}", name=name)
            people[str(person.pk)] = person
        lines.append((person, hours))
    organisation_services.site_coordinators_set(site=site, year=year, lines=lines)
    if queried:
        annual_return.facts_snapshot = selectors.facts_snapshot(annual_return.site,
                                                                annual_return.year)
        return _step(annual_return, kind=EventKind.CORRECTED, user=user, request=request,
                     reason=str(Subject.FACTS.label))
    return _step(annual_return, kind=EventKind.FACTS, user=user, request=request)


@transaction.atomic
def return_source_set(*, annual_return: AnnualReturn, user, expected_version: int,
                      source: str, request=None) -> AnnualReturn:
    _require_coordinator(user, annual_return.site)
    annual_return = _locked(annual_return, expected_version)
    _require_status(annual_return, [Status.DRAFT], _("De bron wijzigen"))
    if source not in Source.values:
        raise ReturnRefused(_("Onbekende bron."))
    if source == Source.RECORDS and not annual_return.site.keeps_records:
        raise ReturnRefused(_("Deze locatie registreert niet in het systeem; lever "
                              "totaalcijfers aan."))
    annual_return.source = source
    return _step(annual_return, kind=EventKind.SOURCE, user=user, request=request,
                 reason=annual_return.get_source_display())


@transaction.atomic
def return_aggregate_upload(*, annual_return: AnnualReturn, user, expected_version: int,
                            filename: str, content: bytes, request=None) -> list[Finding]:
    """Replace the return's aggregate figures with those of a tidy CSV file, all or nothing.

    Refused (ReturnRefused with `errors`, each `<file> row <n>, column <code>: <message>`)
    when any row is invalid or the figures do not add up; returns the warnings otherwise."""
    _require_coordinator(user, annual_return.site)
    annual_return = _locked(annual_return, expected_version)
    queried = _require_draft_or_asked(annual_return, Subject.FIGURES, _("Cijfers aanleveren"))
    if annual_return.source != Source.AGGREGATE:
        raise ReturnRefused(_("Deze jaaropgave komt uit de registratie; kies eerst "
                              "'totaalcijfers aanleveren' als bron."))
    parsed = parse_aggregate(filename=filename, content=content, year=annual_return.year,
                             site_code=annual_return.site.code)
    if parsed.errors:
        raise ReturnRefused(_("Het bestand is niet ingelezen; er is niets opgeslagen."),
                            errors=parsed.errors)
    _freeze_figures(annual_return, parsed.figures)
    annual_return.balances = parsed.balances
    _step(annual_return, kind=EventKind.CORRECTED if queried else EventKind.UPLOADED, user=user,
          request=request, reason=filename[:100])
    site, year = annual_return.site, annual_return.year
    # Add-up and completeness were checked while reading; what is left are the warnings.
    return ([f for f in checks.check_balances(year, parsed.figures, parsed.balances)
             if not f.is_error]
            + checks.check_carry_over(parsed.balances, selectors.previous_balances(site, year))
            + checks.check_jumps(year, parsed.figures, selectors.site_history(site, year)))


def pending_findings(annual_return: AnnualReturn) -> list[Finding]:
    """The checks over what the return would hold if it were submitted now."""
    site, year = annual_return.site, annual_return.year
    return checks.run_checks(
        year=year, figures=selectors.current_figures(annual_return),
        balances=selectors.current_balances(annual_return),
        history=selectors.site_history(site, year),
        previous_balances=selectors.previous_balances(site, year),
        facts=selectors.return_facts(annual_return))


def fingerprint(figures: Sequence[Figure], facts: Mapping | None) -> str:
    """A short digest of what a submission would freeze: the summary the coordinator confirms
    carries it, so figures or facts that moved in between are not submitted unseen."""
    rows = sorted(f"{f.variable}|{f.category}|{f.count}|{f.base}" for f in figures
                  if f.population != "sites")
    text = "\n".join(rows) + "\n" + repr(sorted((facts or {}).items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _to_submit(annual_return: AnnualReturn):
    site, year = annual_return.site, annual_return.year
    if annual_return.source == Source.RECORDS:
        figures = selectors.live_site_figures(site, year)
        balances = selectors.record_balances(site, year)
    else:
        figures, balances = selectors.frozen_figures(annual_return), annual_return.balances
    facts = selectors.facts_snapshot(site, year)
    findings = checks.run_checks(year=year, figures=figures, balances=balances,
                                 history=selectors.site_history(site, year),
                                 previous_balances=selectors.previous_balances(site, year),
                                 facts=facts)
    return figures, balances, facts, findings


def submit_summary(annual_return: AnnualReturn) -> dict:
    """What submitting now would freeze, for the coordinator to confirm: the population
    totals (her own site's, unsuppressed: she holds the records), the number of figures, the
    errors and warnings, and the fingerprint the confirmation must carry. Writes nothing."""
    figures, balances, facts, findings = _to_submit(annual_return)
    totals = {f.variable: f.count for f in figures if f.category == "all"
              and f.item == "total" and f.population != "sites"}
    return {"totals": totals, "figure_count": sum(1 for f in figures if f.population != "sites"),
            "balances": balances, "has_facts": facts is not None,
            "coordinators": len((facts or {}).get("coordinators", [])),
            "errors": [f for f in findings if f.is_error],
            "warnings": [f for f in findings if not f.is_error],
            "fingerprint": fingerprint(figures, facts)}


def submit_preview(*, annual_return: AnnualReturn, user,
                   explanations: Mapping[str, str]) -> dict:
    """The summary to confirm before submitting (submit_summary), refused the way
    return_submit would refuse now: errors first, then unexplained warnings. Writes
    nothing."""
    _require_coordinator(user, annual_return.site)
    _require_status(annual_return, [Status.DRAFT], _("Indienen"))
    summary = submit_summary(annual_return)
    if summary["errors"]:
        raise ReturnRefused(_("Indienen kan niet: los eerst de fouten op."),
                            findings=summary["errors"])
    unexplained = [f for f in summary["warnings"]
                   if not (explanations.get(f.key) or "").strip()]
    if unexplained:
        raise ReturnRefused(_("Indienen kan niet: licht eerst elke waarschuwing toe."),
                            findings=unexplained)
    summary["explained"] = [(f, explanations[f.key].strip()) for f in summary["warnings"]]
    return summary


def refresh_findings(annual_return: AnnualReturn) -> list[Finding]:
    """The checks over the site's live records, for a queried return whose figures the
    office asks about (what return_figures_refresh would freeze)."""
    return _to_submit(annual_return)[3]


@transaction.atomic
def return_submit(*, annual_return: AnnualReturn, user, expected_version: int,
                  explanations: Mapping[str, str], confirmed: str | None = None, request=None,
                  operator: bool = False) -> AnnualReturn:
    """Run the checks; with no errors and every warning explained, freeze the figures, the
    balances, the facts and the codebook version, and submit.

    `confirmed` is the fingerprint of the summary the coordinator confirmed (the web always
    passes it; the operator's command and the tests may leave it out): when what would be
    frozen now differs from what she saw, nothing is submitted."""
    if not (operator and user is None):
        _require_coordinator(user, annual_return.site)
    annual_return = _locked(annual_return, expected_version)
    _require_status(annual_return, [Status.DRAFT], _("Indienen"))
    year = annual_return.year
    figures, balances, facts, findings = _to_submit(annual_return)
    if confirmed is not None and confirmed != fingerprint(figures, facts):
        raise StaleReturn(_("De cijfers of locatiegegevens zijn veranderd sinds u de "
                            "samenvatting zag. Bekijk de nieuwe samenvatting en bevestig "
                            "opnieuw."))
    errors = [f for f in findings if f.is_error]
    if errors:
        raise ReturnRefused(_("Indienen kan niet: los eerst de fouten op."), findings=errors)
    unexplained = [f for f in findings if not (explanations.get(f.key) or "").strip()]
    if unexplained:
        raise ReturnRefused(_("Indienen kan niet: licht eerst elke waarschuwing toe."),
                            findings=unexplained)
    annual_return.explanations.all().delete()
    ReturnExplanation.objects.bulk_create(
        ReturnExplanation(annual_return=annual_return, key=f.key, message=f.message,
                          text=explanations[f.key].strip()[:2000]) for f in findings)
    if annual_return.source == Source.RECORDS:
        _freeze_figures(annual_return, figures)
    annual_return.balances = balances
    annual_return.facts_snapshot = facts
    annual_return.codebook_version = codebooks.for_year(year).version
    annual_return.submitted_at, annual_return.submitted_by = timezone.now(), user
    return _step(annual_return, kind=EventKind.SUBMITTED, to=Status.SUBMITTED, user=user,
                 request=request)


@transaction.atomic
def return_figures_refresh(*, annual_return: AnnualReturn, user, expected_version: int,
                           explanations: Mapping[str, str], request=None) -> AnnualReturn:
    """While a question of the office about the figures is open, freeze the figures and
    balances of the site's records anew (she corrected her records), with the same checks as
    at submission: no errors, every warning explained (an earlier explanation counts)."""
    _require_coordinator(user, annual_return.site)
    annual_return = _locked(annual_return, expected_version)
    _require_draft_or_asked(annual_return, Subject.FIGURES, _("De cijfers bijwerken"))
    if annual_return.status != Status.QUERIED:
        raise ReturnRefused(_("De cijfers bijwerken kan alleen bij een vraag over de cijfers; "
                              "een concept neemt de registratie vanzelf mee."))
    if annual_return.source != Source.RECORDS:
        raise ReturnRefused(_("Deze jaaropgave bestaat uit totaalcijfers; lever een nieuw "
                              "bestand aan."))
    site, year = annual_return.site, annual_return.year
    figures = selectors.live_site_figures(site, year)
    balances = selectors.record_balances(site, year)
    findings = checks.run_checks(year=year, figures=figures, balances=balances,
                                 history=selectors.site_history(site, year),
                                 previous_balances=selectors.previous_balances(site, year),
                                 facts=selectors.return_facts(annual_return))
    errors = [f for f in findings if f.is_error]
    if errors:
        raise ReturnRefused(_("Bijwerken kan niet: los eerst de fouten op."), findings=errors)
    given = {**selectors.explanations(annual_return),
             **{k: v for k, v in explanations.items() if (v or "").strip()}}
    unexplained = [f for f in findings if not (given.get(f.key) or "").strip()]
    if unexplained:
        raise ReturnRefused(_("Bijwerken kan niet: licht eerst elke waarschuwing toe."),
                            findings=unexplained)
    annual_return.explanations.all().delete()
    ReturnExplanation.objects.bulk_create(
        ReturnExplanation(annual_return=annual_return, key=f.key, message=f.message,
                          text=given[f.key].strip()[:2000]) for f in findings)
    _freeze_figures(annual_return, figures)
    annual_return.balances = balances
    return _step(annual_return, kind=EventKind.CORRECTED, user=user, request=request,
                 reason=str(Subject.FIGURES.label))


def _freeze_figures(annual_return: AnnualReturn, figures: Sequence[Figure]) -> None:
    annual_return.figures.all().delete()
    ReturnFigure.objects.bulk_create(
        ReturnFigure(annual_return=annual_return, variable=f.variable, category=f.category,
                     count=f.count, base=f.base)
        for f in figures if f.population != "sites")


@transaction.atomic
def return_answer(*, annual_return: AnnualReturn, user, expected_version: int, text: str,
                  request=None) -> AnnualReturn:
    """The site answers the open questions; the return goes back to the office."""
    _require_coordinator(user, annual_return.site)
    text = _required_text(text, _("Schrijf een antwoord."))
    annual_return = _locked(annual_return, expected_version)
    _require_status(annual_return, [Status.QUERIED], _("Antwoorden"))
    now = timezone.now()
    annual_return.messages.filter(is_open=True).update(is_open=False)
    ReturnMessage.objects.create(annual_return=annual_return, kind=MessageKind.ANSWER,
                                 author=user, text=text, created_at=now)
    return _step(annual_return, kind=EventKind.ANSWERED, to=Status.SUBMITTED, user=user,
                 request=request, now=now)


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReturnRefused(message)
    return text[:4000]


# --- the programme office -----------------------------------------------------------------


@transaction.atomic
def return_query(*, annual_return: AnnualReturn, user, expected_version: int, question: str,
                 subject: str = Subject.GENERAL, request=None) -> AnnualReturn:
    """Ask the site a question about a part of the return (`subject`); while it is open the
    site may correct that part (facts or figures) before answering."""
    _require_office(user)
    question = _required_text(question, _("Schrijf de vraag."))
    if subject not in Subject.values:
        raise ReturnRefused(_("Kies waar de vraag over gaat."))
    annual_return = _locked(annual_return, expected_version)
    _require_status(annual_return, [Status.SUBMITTED, Status.QUERIED], _("Een vraag stellen"))
    now = timezone.now()
    ReturnMessage.objects.create(annual_return=annual_return, kind=MessageKind.QUESTION,
                                 subject=subject, author=user, text=question, created_at=now,
                                 is_open=True)
    return _step(annual_return, kind=EventKind.QUERIED, to=Status.QUERIED, user=user,
                 request=request, now=now, reason=str(Subject(subject).label))


@transaction.atomic
def return_approve(*, annual_return: AnnualReturn, user, expected_version: int,
                   request=None, operator: bool = False) -> AnnualReturn:
    _require_office(user, operator)
    annual_return = _locked(annual_return, expected_version)
    _require_status(annual_return, [Status.SUBMITTED, Status.QUERIED], _("Goedkeuren"))
    if annual_return.messages.filter(is_open=True).exists():
        # The site may still be correcting the part asked about: approving now would settle
        # figures or facts nobody has checked. The office waits, or reopens the return.
        raise ReturnRefused(_("Goedkeuren kan niet: er staat nog een vraag open. Wacht op het "
                              "antwoord van de locatie, of heropen de jaaropgave."))
    annual_return.approved_at, annual_return.approved_by = timezone.now(), user
    return _step(annual_return, kind=EventKind.APPROVED, to=Status.APPROVED, user=user,
                 request=request)


@transaction.atomic
def return_reopen(*, annual_return: AnnualReturn, user, expected_version: int, reason: str,
                  request=None, operator: bool = False) -> AnnualReturn:
    """Back to draft, so the site can correct it; the frozen figures stay until the next
    submission replaces them (the events keep the history). Also undoes "not delivered"."""
    _require_office(user, operator)
    reason = _required_text(reason, _("Geef een reden voor het heropenen."))
    annual_return = _locked(annual_return, expected_version)
    _require_status(annual_return, [Status.SUBMITTED, Status.QUERIED, Status.APPROVED,
                                    Status.NOT_DELIVERED], _("Heropenen"))
    annual_return.not_delivered_reason = ""
    annual_return.messages.filter(is_open=True).update(is_open=False)
    annual_return.submitted_at = annual_return.submitted_by = None
    annual_return.approved_at = annual_return.approved_by = None
    return _step(annual_return, kind=EventKind.REOPENED, to=Status.DRAFT, user=user,
                 request=request, reason=reason)


@transaction.atomic
def return_not_delivered(*, site: Site, year: int, user, reason: str,
                         expected_version: int | None = None, request=None,
                         operator: bool = False) -> AnnualReturn:
    """The office records that the site delivers nothing for the year, and why.

    Without a return yet, one is made in this status; a draft is taken over (its version must
    be the one the user saw). A submitted or approved return must be reopened first: the office
    then decides on purpose to set the site's figures aside."""
    _require_office(user, operator)
    reason = _required_text(reason, _("Geef een reden waarom de locatie niets aanlevert."))[:500]
    if not site.active_in(year):
        raise ReturnRefused(_("De locatie was in %(year)s niet actief.") % {"year": year})
    existing = AnnualReturn.objects.filter(site=site, year=year).first()
    if existing is None:
        annual_return = AnnualReturn(site=site, year=year, status=Status.NOT_DELIVERED,
                                     not_delivered_reason=reason,
                                     source=Source.RECORDS if site.keeps_records
                                     else Source.AGGREGATE)
        annual_return.full_clean()
        annual_return.save()
        ReturnEvent.objects.create(annual_return=annual_return, kind=EventKind.NOT_DELIVERED,
                                   to_status=Status.NOT_DELIVERED, user=user,
                                   at=timezone.now(), reason=reason)
        audit_record(event=Event.CREATE, user=user, request=request, site=site,
                     object_type="annualreturn", object_ref=str(annual_return.pk),
                     detail=f"return {year} not_delivered")
        return annual_return
    # No version: the user saw no return, and one was started since (a stale page).
    annual_return = _locked(existing, -1 if expected_version is None else expected_version)
    _require_status(annual_return, [Status.DRAFT], _("Niet aangeleverd"))
    annual_return.not_delivered_reason = reason
    return _step(annual_return, kind=EventKind.NOT_DELIVERED, to=Status.NOT_DELIVERED,
                 user=user, request=request, reason=reason)


@transaction.atomic
def return_year_set_deadline(*, year: int, deadline: dt.date, user, request=None) -> ReturnYear:
    _require_office(user)
    try:
        codebooks.for_year(year)
    except codebooks.UnknownYear as exc:
        raise ReturnRefused(_("Voor %(year)s is geen codeboek.") % {"year": year}) from exc
    if deadline < dt.date(year, 12, 31):
        raise ReturnRefused(_("De uiterste datum moet na het einde van het jaar liggen."))
    row, _created = ReturnYear.objects.update_or_create(year=year,
                                                        defaults={"deadline": deadline})
    audit_record(event=Event.UPDATE, user=user, request=request, object_type="returnyear",
                 object_ref=str(year), detail=f"deadline {deadline.isoformat()}")
    return row


__all__ = ["ReturnRefused", "StaleReturn", "ValidationError", "pending_findings",
           "return_aggregate_upload", "return_answer", "return_approve", "return_facts_save",
           "return_figures_refresh", "open_subjects", "submit_summary", "fingerprint",
           "submit_preview", "refresh_findings",
           "return_not_delivered", "return_query", "return_reopen", "return_source_set", "return_start",
           "return_submit", "return_year_set_deadline"]

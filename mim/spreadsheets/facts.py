"""Site facts and coordinators files (data standard version 2): `facts` and `coordinators`,
as CSV files or sheets of one workbook, read by the same safe reader as the record files.

All or nothing: every row is checked first and every error is listed as
`<file> row <n>, column <code>: <message>`; only a file without errors is written, in one
transaction. A facts row names a `site`, or an `organisation` for facts that hold for all of
its sites; the volunteers' policies (reimbursement, volunteer agreement, VOG) are always the
organisation's (mim.figures.standard.FACT_UNITS), also when a site row gives them. A
coordinators row is one coordinator at one site: a coordinator at three sites has three rows
and is one person. The sites named in the coordinators file get exactly the file's
coordinators for the year (their earlier assignments of that year are replaced).

A facts row writes only the cells it fills in (`UNKNOWN_WORDS`): an empty cell leaves what is
stored, "niet bekend" and "geen" say so in words, and an organisation's row reaches each of
its sites fact by fact under the site's own row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from mim.codebook import codebooks
from mim.figures import standard
from mim.organisations import services as organisation_services
from mim.organisations.models import (
    CoordinatorAssignment,
    Organisation,
    OrganisationYear,
    Site,
    SiteYear,
    active_in,
)
from mim.organisations.names import sort_key
from mim.spreadsheets.importing import MAX_PROBLEMS, Problem
from mim.spreadsheets.reading import Upload, open_sources

SHEETS = ("facts", "coordinators")
FACT_COLUMNS = ("site", "organisation", "year", "target_group", "financing", "variant",
                "reimbursement", "group_activities", "volunteer_agreement", "vog_required")
COORDINATOR_COLUMNS = ("coordinator_ref", "year", "organisation", "site", "hours_per_week",
                       "experience", "training")
COLUMNS = {"facts": FACT_COLUMNS, "coordinators": COORDINATOR_COLUMNS}
MULTI = {"financing", "variant", "reimbursement", "group_activities"}
COORDINATOR_LISTS = {"experience": "coordinator_experience", "training": "coordinator_training"}


@dataclass(frozen=True)
class FactChange:
    """One stored fact the file changes, in stored form: text, a code, a code list (None is
    "niet bekend"), or for "coordinators" the (ref, hours) of the site's coordinators.
    `stored` is False where nothing is stored for the site or organisation yet."""
    subject: str  # the site's or the organisation's name
    field: str  # a field of SiteYear or OrganisationYear, or "coordinators"
    before: object
    after: object
    stored: bool = True


@dataclass
class FactsResult:
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    sites: int = 0  # sites whose facts are written
    organisations: int = 0  # organisations whose policies are written
    coordinators: int = 0
    assignments: int = 0
    written: bool = False
    changes: list[FactChange] = field(default_factory=list)  # of a dry run without errors

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def omitted(self) -> int:
        return self.problem_count - len(self.problems)

    def add(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, message, row, column))


def _text(raw) -> str:
    return "" if raw is None else str(raw).strip()


def facts_import(*, year: int, uploads: list[Upload], dry_run: bool = False) -> FactsResult:
    """Read, check and (unless `dry_run` or any error) write facts and coordinators files for
    `year`. codebooks.UnknownYear for a year without a codebook."""
    book = codebooks.for_year(year)
    result = FactsResult(dry_run=dry_run)
    sources, refusals, workbooks = open_sources(uploads, SHEETS)
    try:
        for file, message in refusals:
            result.add(file, message)
        sites = {s.code: s for s in Site.objects.select_related("organisation")}
        organisations = {o.name: o for o in Organisation.objects.all()}
        site_facts: dict[str, dict] = {}  # site code -> facts
        spread: dict[str, dict] = {}  # organisation -> site facts for all its sites
        policies: dict[str, tuple[dict, str]] = {}  # organisation -> (policy, where first)
        people: dict[tuple[str, str], dict] = {}  # (organisation, ref) -> lists
        assigned: dict[str, dict[str, Decimal]] = {}  # site -> ref -> hours
        for source in sources:
            header = [_text(h).lower() for h in source.header]
            known = COLUMNS[source.sheet]
            for column in header:
                if column and column not in known:
                    result.add(source.label, _("onbekende kolom '%(column)s' (bekend: "
                                               "%(known)s)") % {"column": column[:40],
                                                                 "known": ", ".join(known)})
            for number, cells in source.rows:
                row = {h: cells[i] if i < len(cells) else None for i, h in enumerate(header)
                       if h in known}
                if not any(_text(v) for v in row.values()):
                    continue
                problem = _problem_adder(result, source.label, number)
                _year_ok(row, year, problem)
                if source.sheet == "facts":
                    _fact_row(row, book, sites, organisations, problem, number, site_facts,
                              spread, policies)
                else:
                    _coordinator_row(row, year, sites, organisations, problem, people,
                                     assigned)
        if not result.ok or dry_run:
            _count(result, year, sites, site_facts, spread, policies, people, assigned)
            if result.ok:
                result.changes = _changes(year, site_facts, spread, policies, assigned, sites)
            return result
        with transaction.atomic():
            _write(year, site_facts, spread, policies, people, assigned, sites, organisations)
        _count(result, year, sites, site_facts, spread, policies, people, assigned)
        result.written = True
        return result
    finally:
        for workbook in workbooks:
            workbook.close()


def _problem_adder(result: FactsResult, label: str, number: int):
    def add(column: str, message: str):
        result.add(label, message, number, column)
    return add


def _year_ok(row, year, problem) -> None:
    raw = _text(row.get("year"))
    if raw != str(year):
        problem("year", _("het jaar moet %(year)s zijn (het jaar van de import)")
                % {"year": year} if raw else _("vul het jaar in"))


# A list cell may say "not known" or "none of these" in words: an empty cell says nothing (the
# stored answer stays; for a site or organisation with nothing stored it is "niet bekend"),
# so a row that gives an organisation's policies never wipes its sites' facts, and a blank is
# never counted as "geen" (a pre-selected answer by another name).
UNKNOWN_WORDS = frozenset({"niet bekend", "onbekend", "unknown", "not known"})
NONE_WORDS = frozenset({"geen", "geen van deze", "none of these"})


def _given(row, facts) -> dict:
    """The facts of `facts` whose cell in the row is not empty."""
    return {fact: row.get(fact) for fact in facts if _text(row.get(fact))}


def _list_fact(book, item: str, raw, column: str, problem):
    words = _text(raw).casefold()
    if words in UNKNOWN_WORDS:
        return None
    if words in NONE_WORDS:
        return []
    return _codes(book, item, raw, column, problem, multi=True)


def _codes(book, item: str, raw, column: str, problem, *, multi: bool):
    try:
        if multi:
            codes = sorted(book.parse_multi(item, raw))
            if contradiction := book.contradiction(item, codes):
                problem(column, contradiction)
                return None
            return codes
        return book.parse(item, raw)
    except codebooks.InvalidValue as exc:
        problem(column, str(exc))
        return None


def _fact_row(row, book, sites, organisations, problem, number, site_facts, spread,
              policies) -> None:
    site_code, organisation = _text(row.get("site")), _text(row.get("organisation"))
    if bool(site_code) == bool(organisation):
        problem("site", _("vul óf site óf organisation in"))
        return
    site = sites.get(site_code) if site_code else None
    if site_code and site is None:
        problem("site", _("onbekende locatie '%(code)s'") % {"code": site_code[:40]})
        return
    if organisation and organisation not in organisations:
        problem("organisation", _("onbekende organisatie '%(name)s'") % {"name": organisation[:60]})
        return
    owner = site.organisation.name if site else organisation
    # Only what the row gives: an empty cell leaves the stored answer (UNKNOWN_WORDS).
    facts = {}
    if target_group := _text(row.get("target_group")):
        facts["target_group"] = target_group[:4000]
    for fact, raw in _given(row, standard.SITE_FACTS).items():
        facts[fact] = _list_fact(book, fact, raw, fact, problem)
    policy = {}
    for fact, raw in _given(row, standard.ORGANISATION_FACTS).items():
        if fact in standard.YES_NO_FACTS:
            policy[fact] = ("unknown" if _text(raw).casefold() in UNKNOWN_WORDS
                            else _codes(book, "yes_no", raw, fact, problem, multi=False))
        else:
            policy[fact] = _list_fact(book, fact, raw, fact, problem)
    if policy:
        before = policies.get(owner)
        differ = [f for f in policy if before is not None and f in before[0]
                  and _plain(before[0][f]) != _plain(policy[f])]
        if differ:
            problem(differ[0], _(
                "het beleid van %(organisation)s staat al anders in %(where)s; het geldt voor "
                "de hele organisatie") % {"organisation": owner, "where": before[1]})
        elif before is not None:
            before[0].update(policy)  # rows may each give a part of the policies
        else:
            policies[owner] = (policy, _("rij %(n)s") % {"n": number})
    if not facts:
        return  # the row gives policies only
    target = site_facts if site else spread
    key = site.code if site else organisation
    if key in target:
        problem("site" if site else "organisation", _("staat al in een eerdere rij"))
    target[key] = facts


def _coordinator_row(row, year, sites, organisations, problem, people, assigned) -> None:
    ref = _text(row.get("coordinator_ref"))
    if not ref:
        problem("coordinator_ref", _("vul een code in"))
    elif len(ref) > 40:
        problem("coordinator_ref", _("hoogstens 40 tekens"))
    organisation = _text(row.get("organisation"))
    site = sites.get(_text(row.get("site")))
    if organisation not in organisations:
        problem("organisation", _("onbekende organisatie '%(name)s'") % {"name": organisation[:60]}
                if organisation else _("vul de organisatie in"))
    if site is None:
        problem("site", _("onbekende locatie '%(code)s'") % {"code": _text(row.get("site"))[:40]}
                if _text(row.get("site")) else _("vul de locatie in"))
    elif organisation and site.organisation.name != organisation:
        problem("site", _("%(site)s hoort niet bij %(organisation)s")
                % {"site": site.code, "organisation": organisation[:60]})
    raw = _text(row.get("hours_per_week")).replace(",", ".")
    try:
        hours = Decimal(raw)
        if not Decimal(0) < hours <= Decimal(40) or hours != hours.quantize(Decimal("0.1")):
            raise InvalidOperation
    except InvalidOperation:
        hours = None
        problem("hours_per_week", _("uren per week: een getal groter dan 0 en hoogstens 40, "
                                    "met hoogstens één decimaal"))
    book = codebooks.CURRENT
    lists = {}  # an empty cell gives nothing: the coordinator's stored list stays
    for column, item in COORDINATOR_LISTS.items():
        if _text(row.get(column)):
            lists[column] = _codes(book, item, row.get(column), column, problem, multi=True)
    if not ref or site is None or hours is None or organisation not in organisations:
        return
    if ref in assigned.setdefault(site.code, {}):
        problem("coordinator_ref", _("%(ref)s staat al bij %(site)s in dit jaar")
                % {"ref": ref, "site": site.code})
        return
    assigned[site.code][ref] = hours
    person = people.setdefault((organisation, ref), {"experience": None, "training": None})
    for column, codes in lists.items():
        person[column] = (person[column] or set()) | set(codes or ())


def _site_targets(year, site_facts, spread, sites) -> list[tuple[Site, dict]]:
    """Each site the file gives facts for, with them: an organisation's row goes to every
    site of it active in the year, a site's own row overriding it fact by fact."""
    targets = []
    for organisation, facts in spread.items():
        for site in Site.objects.filter(active_in(year), organisation__name=organisation):
            targets.append((site, {**facts, **site_facts.get(site.code, {})}))
    mine = {site.code for site, _facts in targets}
    targets += [(sites[code], facts) for code, facts in site_facts.items() if code not in mine]
    return targets


def _write(year, site_facts, spread, policies, people, assigned, sites, organisations) -> None:
    # The services write every field: what a row leaves empty is filled in with what is
    # stored, or "niet bekend" where nothing is.
    targets = _site_targets(year, site_facts, spread, sites)
    stored = {y.site_id: y for y in SiteYear.objects.filter(
        year=year, site__in=[site for site, _facts in targets])}
    for site, facts in targets:
        now = stored.get(site.pk)
        full = {"target_group": now.target_group if now else "",
                **{f: getattr(now, f) if now else None for f in standard.SITE_FACTS}, **facts}
        if facts:
            organisation_services.site_year_save(site=site, year=year, **full)
    policy_of = {y.organisation.name: y for y in OrganisationYear.objects.filter(
        year=year, organisation__name__in=list(policies)).select_related("organisation")}
    for organisation, (policy, _where) in policies.items():
        now = policy_of.get(organisation)
        full = {f: getattr(now, f) if now else ("unknown" if f in standard.YES_NO_FACTS
                                                 else None)
                for f in standard.ORGANISATION_FACTS}
        organisation_services.organisation_year_save(
            organisation=organisations[organisation], year=year, **{**full, **policy})
    saved = {}
    for (organisation, ref), lists in people.items():
        saved[(organisation, ref)] = organisation_services.coordinator_save(
            organisation=organisations[organisation], ref=ref,
            **{f: None if codes is None else sorted(codes) for f, codes in lists.items()})
    for code, hours in assigned.items():
        site = sites[code]
        organisation_services.site_coordinators_set(
            site=site, year=year,
            lines=[(saved[(site.organisation.name, ref)], h) for ref, h in hours.items()])


def _count(result, year, sites, site_facts, spread, policies, people, assigned) -> None:
    # The sites whose facts are written: an organisation's row reaches each of its sites.
    result.sites = len({site.pk for site, _facts in _site_targets(year, site_facts, spread,
                                                                   sites)})
    result.organisations = len(policies)
    result.coordinators = len(people)
    result.assignments = sum(len(h) for h in assigned.values())


def _changes(year, site_facts, spread, policies, assigned, sites) -> list[FactChange]:
    """What confirming the file would change in what is stored for the year, field by field:
    the preview shows it before anything is written. Three queries, and one per
    organisation row (its sites, as `_write` finds them)."""
    changes: list[FactChange] = []

    def compare(subject, now, new: dict) -> None:
        for name, after in new.items():
            before = getattr(now, name) if now is not None else None
            if now is None and after in ("", None):
                continue  # nothing stored and nothing given
            if now is None or _plain(before) != _plain(after):
                changes.append(FactChange(subject, name, before, after, now is not None))

    targets = sorted(_site_targets(year, site_facts, spread, sites),
                     key=lambda item: sort_key(item[0].name))
    stored = {y.site_id: y for y in SiteYear.objects.filter(
        year=year, site__in=[site for site, _facts in targets])}
    for site, facts in targets:
        compare(site.name, stored.get(site.pk), facts)
    policy_of = {y.organisation.name: y for y in OrganisationYear.objects.filter(
        year=year, organisation__name__in=list(policies)).select_related("organisation")}
    for organisation in sorted(policies, key=sort_key):
        compare(organisation, policy_of.get(organisation), policies[organisation][0])
    lines: dict[str, list[tuple[str, Decimal]]] = {}
    for line in CoordinatorAssignment.objects.filter(
            year=year, site__code__in=list(assigned)).select_related("coordinator", "site"):
        lines.setdefault(line.site.code, []).append((line.coordinator.ref, line.hours_per_week))
    for code in sorted(assigned, key=lambda c: sort_key(sites[c].name)):
        before = sorted(lines.get(code, []))
        after = sorted(assigned[code].items())
        if before != after:
            changes.append(FactChange(sites[code].name, "coordinators", before, after,
                                      bool(before)))
    return changes


def _plain(value):
    """A stored list compares as a set of codes (the order it was saved in says nothing)."""
    return sorted(value) if isinstance(value, list | tuple) else value

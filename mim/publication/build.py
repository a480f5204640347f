"""Building a year's publication: merged small sites, joint suppression of every linked table,
the attacker's audit, and the scopes as they are stored.

1. Units (security rule 1). A delivered site with fewer than `MIN_POPULATION` mothers is
   published only inside a merged group: its organisation's "overige locaties" when the
   organisation's small sites together reach the minimum, else the national one. A national
   group still under the minimum takes in the smallest organisation groups, then the smallest
   sites, until it reaches it. Small sites get no scope of their own outside their coordinator.
2. Joint suppression (mim.figures.suppression) over the nation, every organisation, every
   municipality and every unit at once, with each partition an equation: the nation = Σ units
   = Σ organisations = Σ municipalities; an organisation = Σ its units; a municipality = Σ its
   sites. A small site inside a partition is a term nobody publishes, so nothing may leave it
   the only unknown.
3. The audit (mim.publication.audit) attacks the result, also as a coordinator who holds a
   wider role and knows her own site, and as the coordinator of a site inside a merged group,
   who knows her own site and sees what every role sees (`_public_view`): the group's total
   less her own must not give her group's other sites. Cells it finds too narrow get a
   neighbour hidden and suppression runs again; a publication that still fails after `ROUNDS`
   is refused.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mim.figures import engine, standard
from mim.figures.suppression import Suppression, is_primary
from mim.figures.tidy import Figure
from mim.publication import releases
from mim.publication.inputs import NATIONAL_CODE, YearFigures

# Raise when grouping, suppression or the audit change: every stored publication is rebuilt.
# v13: each publication audited together with the year's earlier releases (releases.py)
# v14: and with what a reader of two releases may assume of each site (releases._grew), and
#      a wider role's coordinator attacking the releases together
RULES_VERSION = "2026-12-v14"
ROUNDS = 12
GROUP_PREFIX = "overig:"


class PublicationRefused(Exception):
    """The audit could still recover hidden cells: nothing of the year is published."""

    def __init__(self, year: int, narrow: int):
        self.year, self.narrow = year, narrow
        super().__init__(
            _("De cijfers van %(year)s worden niet gepubliceerd: de privacycontrole vond "
              "%(n)s verborgen cellen die nog te herleiden zijn. De beheerder kan met "
              "'mim figures --unsuppressed' nagaan waar het knelt.") % {"year": year, "n": narrow})


@dataclass
class Group:
    code: str
    label: str
    organisation: str | None  # None: the national group
    members: list[str] = field(default_factory=list)


@dataclass
class Units:
    alone: list[str]  # site codes published on their own
    groups: dict[str, Group]
    group_of: dict[str, str]  # small site code -> group code


def plan_units(data: YearFigures) -> Units:
    """Which delivered sites are published on their own and which inside a group."""
    delivered = [s for s in data.sites if s.code in data.site_figures]
    mothers = {s.code: _total(data.site_figures[s.code], "mothers") for s in delivered}
    small = [s for s in delivered if mothers[s.code] < standard.MIN_POPULATION]
    alone = [s.code for s in delivered if mothers[s.code] >= standard.MIN_POPULATION]
    groups: dict[str, Group] = {}
    national = Group(f"{GROUP_PREFIX}{NATIONAL_CODE}", _("Overige locaties"), None)
    by_organisation: dict[str, list] = {}
    for site in small:
        by_organisation.setdefault(site.organisation.name, []).append(site)
    for organisation, sites in sorted(by_organisation.items()):
        if len(sites) > 1 and sum(mothers[s.code] for s in sites) >= standard.MIN_POPULATION:
            code = f"{GROUP_PREFIX}{organisation}"
            groups[code] = Group(code, _("Overige locaties van %(organisation)s")
                                 % {"organisation": organisation}, organisation,
                                 [s.code for s in sites])
        else:
            national.members += [s.code for s in sites]

    def size(codes):
        return sum(mothers[c] for c in codes)

    if national.members:
        while size(national.members) < standard.MIN_POPULATION and groups:
            smallest = min(groups.values(), key=lambda g: (size(g.members), g.code))
            national.members += smallest.members
            del groups[smallest.code]
        while size(national.members) < standard.MIN_POPULATION and alone:
            smallest = min(alone, key=lambda c: (mothers[c], c))
            alone.remove(smallest)
            national.members.append(smallest)
        groups[national.code] = national
    group_of = {code: g.code for g in groups.values() for code in g.members}
    return Units(alone=alone, groups=groups, group_of=group_of)


def _total(figures, population) -> int:
    return next((f.count or 0 for f in figures if f.variable == f"{population}.total"), 0)


@dataclass
class Built:
    year: int
    digest: str
    units: Units
    figures: list[Figure]  # every published scope, in published form
    secret: list[Figure]  # the small sites' figures (never stored)
    partitions: list
    audit: dict
    seconds: float
    # Kept beside the stored publication for the joint audit of later releases (releases.py):
    # each site's fingerprint, the true figures, and the partitions as the audit took them.
    sites: dict = field(default_factory=dict)
    truth: list[Figure] = field(default_factory=list)
    audited_partitions: list = field(default_factory=list)


def digest_of(data: YearFigures) -> str:
    """What the publication depends on: the unsuppressed site figures, which sites belong to
    which organisation and municipality, and the rules."""
    h = _inputs_hash(data, live=True)
    for part in data.results.digest_parts():  # durations and visits move without the counts
        h.update(part)
    h.update(_assessment_digest(data).encode())
    return h.hexdigest()


def structure_of(data: YearFigures) -> str:
    """What the digest covers (`digest_of`) except what moves with the provisional sites' live
    records: their counts, durations, visits and self-assessments. The same structure with
    another digest is a coordinator's week of registrations; anything else (a return's step,
    a site moved, a wider role, the rules) is released at the next read."""
    return _inputs_hash(data, live=False).hexdigest()


def _inputs_hash(data: YearFigures, *, live: bool):
    """The rules, every site's place and status, its figures (the provisional sites' only
    with `live`), the coordinators and facts, and who attacks with a wider role."""
    h = hashlib.sha256(RULES_VERSION.encode())
    for site in data.sites:
        h.update(json.dumps([site.code, site.name, site.organisation.name,
                             site.municipality.name, data.status(site.code)]).encode())
        if not live and site.code in data.provisional:
            continue
        for f in data.site_figures.get(site.code, ()):
            h.update(f"{f.variable}|{f.category}|{f.count}|{f.base};".encode())
    h.update(json.dumps(data.units.digest_rows()).encode())
    h.update(json.dumps(sorted(_wider_role_sites())).encode())
    return h


def _wider_role_sites() -> set[str]:
    """Sites whose coordinator also holds a role that sees other scopes: she can subtract her
    own true figures from what that role sees, so the audit attacks as her too."""
    from mim.accounts.models import Role, RoleAssignment

    wider = RoleAssignment.objects.exclude(role=Role.COORDINATOR).values("user_id")
    return set(RoleAssignment.objects.filter(role=Role.COORDINATOR, user_id__in=wider)
               .values_list("site__code", flat=True))


def _public_view(published: list[Figure]) -> list[Figure]:
    """What every role sees, a coordinator without another role too: the national figures and
    the totals of every scope (the national report's site and municipality tables). The
    breakdowns of organisations, municipalities and units are their viewers' and the office's.
    Her attack over this view finds what her own site gives away inside her group, without
    counting as narrow what only a wider role could see."""
    return [f for f in published if f.scope == "national" or f.item == "total"]


def build(year: int, data: YearFigures | None = None, earlier: Sequence = ()) -> Built:
    """`earlier`: the year's releases already read (releases.load); the attacker holds them
    too, so the new figures are audited together with them."""
    # Imported here: the attacker's solver (SciPy, HiGHS) and the results rule (numpy) are
    # needed only when a year is built, not by every process that reads a publication.
    from mim.publication import audit as attacker
    from mim.publication import results as results_rule

    started = time.perf_counter()
    data = data or YearFigures(year)
    units = plan_units(data)
    scopes = data.scope_keys()
    figures: list[Figure] = []
    partitions: list = []
    for (scope, code), members in scopes.items():
        figures += data._aggregate(scope, code, members)
    unit_keys = [("site", c) for c in units.alone] + [("site", g) for g in units.groups]
    for code in units.alone:
        figures += data.site_figures[code]
    for group in units.groups.values():
        parts = [data.site_figures[c] for c in group.members]
        figures += engine.add_up(year, "site", group.code, parts)
    provisional = _provisional_flags(data, units)
    figures = _marked(figures, provisional, data, units)
    secret = [f for code in units.group_of for f in data.site_figures[code]]

    partitions.append((("national", NATIONAL_CODE), unit_keys))
    organisations = [k for k in scopes if k[0] == "organisation"]
    municipalities = [k for k in scopes if k[0] == "municipality"]
    partitions.append((("national", NATIONAL_CODE), organisations))
    partitions.append((("national", NATIONAL_CODE), municipalities))
    for (scope, code), members in scopes.items():
        if scope == "national":
            continue
        children = []
        for site in members:
            if site.code not in data.site_figures:
                continue  # delivered nothing: in no sum
            group = units.groups.get(units.group_of.get(site.code, ""))
            if scope == "organisation" and group and group.organisation == code:
                children.append(("site", group.code))  # the organisation's own group
            else:
                children.append(("site", site.code))  # inside a group: a term nobody sees
        partitions.append(((scope, code), list(dict.fromkeys(children))))
    group_partitions = [(("site", g.code), [("site", c) for c in g.members])
                        for g in units.groups.values()]
    knows = _wider_role_sites() & set(data.site_figures)
    protect = {attacker.key_of(f) for f in figures + secret if is_primary(f)}
    force: set[tuple] = set()
    # Who attacks: anyone with the published figures (None), each coordinator with a wider
    # role, who also holds her own site's true figures, and each coordinator of a site inside
    # a merged group, who holds hers and sees what every role sees. What each must not narrow:
    # the primary cells, for the first outside the scopes her own site is part of; for the
    # second the other sites of her group, every total of theirs too (each is under the
    # minimum population: rule 1), found from the group's total less her own (found in review:
    # a group of two gave the other site away to either coordinator).
    # Every grouped site, whether or not it has a coordinator today: one appointed later reads
    # the figures already published, and those cannot be taken back (found in review: a group
    # total shown before her appointment, less her own site, was the other site's total).
    grouped = set(units.group_of) - knows
    attackers = [None, *sorted(knows), *sorted(grouped)]
    truth = figures + secret  # the auditor's feasible point (mim.publication.audit._Local)
    sites_now = {code: releases.fingerprint(f) for code, f in data.site_figures.items()}
    # Whoever holds the published figures holds the year's earlier releases too: her programme
    # takes them in (releases.py). Only the new figures change over the rounds.
    joint = releases.joint(year, list(earlier), sites_now,
                           {(f.scope, f.scope_code) for f in truth},
                           partitions + group_partitions, truth_now=truth)
    pending = {None: set(protect) | joint.protect}
    holds: dict[str, list[Figure]] = {}  # a wider role's coordinator: her site in every release
    for code in knows:
        ours = _scopes_of(code, data, partitions + group_partitions)
        own, theirs = _releases_of(code, joint)
        pending[code] = {k for k in protect if k[:2] not in ours} \
            | {k for k in joint.protect if k[:2] not in theirs}
        holds[code] = [*data.site_figures[code], *joint.knows,
                       *(f for f in joint.truth if (f.scope, f.scope_code) in own)]
    for code in grouped:
        others = {("site", c) for c in units.groups[units.group_of[code]].members if c != code}
        pending[code] = {attacker.key_of(f) for f in secret if (f.scope, f.scope_code) in others
                         and (is_primary(f) or (f.item == "total" and (f.count or 0) > 0))}
    solves, narrowest, narrow, pins = 0, None, {}, {}
    # The figures and partitions stay the same over the rounds, only `force` grows: the
    # suppression problem is set up once (mim.figures.suppression.Suppression).
    suppression = Suppression(figures, partitions=partitions)
    # The attacker's relations, built once for the rounds and attackers over the same cells
    # (mim.publication.audit `_Relations`): one for the full view, one for the public view.
    relations: dict[bool, dict] = {False: {}, True: {}}
    for _round in range(ROUNDS):
        published = suppression.run(force)
        narrow = {}
        for who in attackers:
            if not pending[who]:
                continue  # passed an earlier round: hiding more cannot narrow anything
            public = who is not None and who not in knows
            # A grouped coordinator's programme is the public view, small, and she protects a
            # few cells of her group: solved whole, cell by cell, it is exact and a fraction of
            # the blocks' set-up (which suits the many cells of the other attackers).
            if joint and (who is None or who in knows):
                # A coordinator with a wider role reads the earlier releases too, and holds her
                # own site's true figures in each (found in testing: audited release by release
                # she could subtract two releases and her own site's change between them).
                result = attacker.audit(
                    year, [*published, *joint.published], secret=[*secret, *joint.secret],
                    partitions=partitions + group_partitions + joint.partitions,
                    attacker_knows=joint.knows if who is None else holds[who],
                    protect=pending[who], truth=[*truth, *joint.truth], grows=joint.grew,
                    cache=relations[False])
            else:
                result = attacker.audit(year, _public_view(published) if public else published,
                                        secret=secret, partitions=partitions + group_partitions,
                                        attacker_knows=data.site_figures[who] if who else (),
                                        protect=pending[who], truth=() if public else truth,
                                        cache=relations[public])
            solves += result.solves
            if result.narrowest_passed is not None:
                narrowest = min(narrowest or result.narrowest_passed, result.narrowest_passed)
            pending[who] = set(result.narrow)
            if result.narrow:
                # An earlier release's cell narrowed by the new figures widens where the new
                # figures hold the same scope's cell.
                narrow = {releases.current_key(k): v for k, v in result.narrow.items()}
                pins = {releases.current_key(k): [[releases.current_key(t) for t in relation]
                                                  for relation in relations]
                        for k, relations in result.pins.items()}
                break  # widen first; the attackers after this one run on the wider pattern
        if not narrow:
            break
        # Every round keeps what the last one hid and hides more. Hiding a cell turns one of the
        # attacker's constants into an unknown, so every point that was feasible stays feasible
        # and no interval gets narrower: the cells that passed stay passed, and the next round
        # only attacks the narrow ones again. At 40 sites that made the rounds after the first
        # a few solves each instead of a full audit (17 s to 3 s for the build).
        force |= {(year, f.scope, f.scope_code, f.variable, f.category)
                  for f in published if f.suppressed}
        force |= _widen(year, published, narrow, partitions + group_partitions,
                        _round, known={("site", c) for c in knows}, pins=pins)
    # The suppression problem (a few hundred MB at 2,000 sites) is not needed past here, nor
    # the attacker's relations.
    suppression = relations = None
    if narrow:
        raise PublicationRefused(year, len(narrow))
    published = _with_derived_rows(year, published, data, units)
    hidden_totals = {(f.scope, f.scope_code, f.population) for f in published
                     if f.item == "total" and f.suppressed}
    holders = sorted(knows | grouped)  # who holds a site's true rows: the results' attackers too
    published += _assessment_rows(year, data, units, partitions + group_partitions,
                                  provisional, hidden_ended={
                                      (scope, code) for scope, code, population in hidden_totals
                                      if population == "mothers_ended"},
                                  attackers=[("site", c) for c in holders])
    published += _marked(results_rule.publish(year, data, units, partitions + group_partitions,
                                              provisional, hidden_totals=hidden_totals,
                                              attackers=tuple(holders)),
                         provisional, data, units)
    summary = {"hidden": len(protect & _hidden_keys(published)), "narrow": 0,
               "solves": solves, "narrowest": narrowest, "min_width": standard.MIN_WIDTH,
               "rounds": _round + 1, "releases": len(earlier)}
    return Built(year=year, digest=digest_of(data), units=units, figures=published,
                 secret=secret, partitions=partitions, audit=summary,
                 seconds=time.perf_counter() - started, sites=sites_now, truth=truth,
                 audited_partitions=[[list(p), [list(c) for c in cs]]
                                     for p, cs in partitions + group_partitions])


def _hidden_keys(figures) -> set:
    from mim.publication import audit as attacker

    return {attacker.key_of(f) for f in figures if f.suppressed}


def _sites_behind(scope: str, code: str, data: YearFigures, units: Units) -> list[str]:
    """The codes of the sites whose records a scope's figures count."""
    if scope == "site":
        return units.groups[code].members if code in units.groups else [code]
    return [s.code for s in data.members(scope, code)]


def _provisional_flags(data: YearFigures, units: Units) -> dict[tuple[str, str], bool]:
    """Whether any site behind a scope counts from live records (`_sites_behind`), for every
    published scope, worked out once: asked per figure, finding a scope's sites scanned every
    site (some 200,000 figures times 400 sites)."""
    live = data.provisional
    flags = {key: any(s.code in live for s in members)
             for key, members in data.scope_keys().items()}
    for code in [*units.alone, *units.groups]:
        flags[("site", code)] = any(c in live for c in _sites_behind("site", code, data, units))
    return flags


def _marked(figures, flags: dict, data: YearFigures, units: Units) -> list[Figure]:
    """The figures with `provisional` set from their scope's flag; a figure that already has
    the right flag is kept as it is (figures are immutable), the others made anew without
    `dataclasses.replace`, which cost a second at 400 sites."""
    out = []
    for f in figures:
        flag = flags.get((f.scope, f.scope_code))
        if flag is None:  # a scope not published on its own (a site inside a group)
            flag = flags[(f.scope, f.scope_code)] = any(
                c in data.provisional for c in _sites_behind(f.scope, f.scope_code, data, units))
        out.append(f if f.provisional == flag else _mark(f, flag))
    return out


def _scopes_of(code: str, data: YearFigures, partitions) -> set[tuple[str, str]]:
    """The scopes whose figures include the site's (its own, its group, its organisation,
    its municipality, the nation)."""
    found = {("site", code), ("national", NATIONAL_CODE)}
    for parent, children in partitions:
        if ("site", code) in [tuple(c) for c in children]:
            found.add(tuple(parent))
    site = next(s for s in data.sites if s.code == code)
    found |= {("organisation", site.organisation.name), ("municipality", site.municipality.name)}
    return found


def _releases_of(code: str, joint) -> tuple[set, set]:
    """The site's own scopes in the earlier releases (`<code>~r<number>`, or the site now
    where its truth did not change), and every scope of theirs whose figures include it
    (through the releases' partitions: its group, organisation, municipality, the nation).
    Her own are what its coordinator holds; a group's true figures she does not (found in
    testing: holding them, she pinned her group's other sites and every release was
    refused)."""
    own = {("site", code)}
    own |= {(f.scope, f.scope_code) for f in joint.truth
            if f.scope == "site" and releases.current_key(("site", f.scope_code, "", ""))[1]
            == code}
    parents: dict[tuple, set] = {}
    for parent, children in joint.partitions:
        for child in children:
            parents.setdefault(tuple(child), set()).add(tuple(parent))
    found, todo = set(own), list(own)
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return own, found


def _widen(year, published, narrow, partitions, round_number: int, known=frozenset(),
           pins=None) -> set[tuple]:
    """Published neighbours to hide so that the narrow cells widen.

    First what pins each narrow cell: in every relation the attacker's programme found binding
    at the cell's bounds (a non-zero dual), the smallest published non-zero term, outside the
    national figures where the relation has another. That opens the rectangle the cell needs
    (in the demo, two sites' cells pinned by their rows and a column of a third site, which the
    rules below missed for eight rounds). The rules below are the fallback, for a cell whose
    relations have no published term left, and from the fourth round on.

    For each narrow cell, in each relation it is part of (its variable's row, and every
    partition its scope is the parent or a child of), the smallest published non-zero term.
    From the fourth round on the whole row of the cell goes too, and from the sixth the cell in
    every member of its partitions: slower to converge means the cell is pinned by several
    relations at once. From the ninth, the cell's variable is hidden in every scope."""
    index = {(f.scope, f.scope_code, f.variable, f.category): f for f in published}
    rows: dict[tuple, list[Figure]] = {}
    for f in published:
        rows.setdefault((f.scope, f.scope_code, f.variable), []).append(f)
    containing: dict[tuple, list] = {}
    for parent, children in partitions:
        for member in (parent, *children):
            containing.setdefault(tuple(member), []).append([parent, *children])

    def shown(f):
        # A site some attacker knows (her own) gives no cover by being hidden.
        return f is not None and not f.suppressed and f.count \
            and (f.scope, f.scope_code) not in known

    force = set()

    def hide(f):
        force.add((year, f.scope, f.scope_code, f.variable, f.category))

    index_by_key = {(f.scope, f.scope_code, f.variable, f.category): f for f in published}
    pinned = set()
    for cell, relations in (pins or {}).items():
        for relation in relations:
            terms = [f for f in (index_by_key.get(k) for k in relation) if shown(f)]
            local = [f for f in terms if f.scope != "national"]
            if local or (terms and round_number >= 2):
                hide(min(local or terms, key=lambda f: (f.count, f.scope, f.scope_code)))
                pinned.add(cell)
    if round_number < 3:
        narrow = [cell for cell in narrow if cell not in pinned]
    stubborn = {variable for _s, _c, variable, _cat in narrow} if round_number >= 8 else set()
    for f in published:
        if f.variable in stubborn and shown(f):
            hide(f)  # the last resort: the variable is published nowhere this year
    for scope, code, variable, category in narrow:
        row = [f for f in rows.get((scope, code, variable), []) if shown(f)
               and f.category != category]
        if row:
            for f in (row if round_number >= 3 else [min(row, key=lambda f: f.count)]):
                hide(f)
        for members in containing.get((scope, code), []):
            terms = [index.get((*m, variable, category)) for m in members
                     if tuple(m) != (scope, code)]
            terms = [f for f in terms if shown(f)]
            if terms and round_number >= 5:
                for f in terms:  # pinned through several partitions: open them all
                    hide(f)
            elif terms:
                # The national figures are what most readers read: cover elsewhere first, and
                # in the first two rounds not there at all (the cell's own row and its other
                # partitions widen it too; measured on a 2014-like year: 2 national cells
                # hidden instead of 6, with the audit passing in the same rounds).
                local = [f for f in terms if f.scope != "national"]
                if local or round_number >= 2:
                    hide(min(local or terms, key=lambda f: (f.count, f.scope, f.scope_code)))
        if not row:
            total = index.get((scope, code, f"{variable.partition('.')[0]}.total", "all"))
            if shown(total):
                hide(total)
    return force


# --- the self-assessment's results (issue 13; mim.results.assessment) ----------------------------


def _assessment_sites(data: YearFigures) -> dict[str, int]:
    """Delivered sites that keep their records here: the only ones with self-assessments."""
    return {s.code: s.pk for s in data.sites if s.code in data.site_figures and s.keeps_records}


def _assessment_digest(data: YearFigures) -> str:
    return data.measures_digest  # kept per site with the results (kept_results)


def _assessment_rows(year: int, data: YearFigures, units: Units, partitions,
                     provisional: dict | None = None, *, hidden_ended: set = frozenset(),
                     attackers: list = ()) -> list[Figure]:
    """Every published scope's rows, under the same units as every other figure: a small site
    only inside its merged group, and the partitions' sums so no difference of scopes gives a
    hidden result away (docs/results-assessment.md)."""
    from mim.results import assessment

    ids = _assessment_sites(data)
    scopes = {key: [ids[s.code] for s in members if s.code in ids]
              for key, members in data.scope_keys().items()}
    scopes.update({("site", code): [pk] for code, pk in ids.items()})
    scopes.update({("site", g.code): [ids[c] for c in g.members if c in ids]
                   for g in units.groups.values()})
    published = [*data.scope_keys(), *(("site", c) for c in units.alone),
                 *(("site", g) for g in units.groups)]
    rows = assessment.publication_figures(year, scopes, published=published,
                                          partitions=partitions, measures=data.measures,
                                          hidden_ended=hidden_ended, attackers=attackers)
    return _marked(rows, {} if provisional is None else provisional, data, units)


# --- derived rows (data standard version 2) -----------------------------------------------------


def _with_derived_rows(year, published, data: YearFigures, units: Units) -> list[Figure]:
    out = list(published) + _unit_rows(published, data, units)
    national = [f for f in published if f.scope == "national"]
    provisional = bool(data.provisional)
    delivered = len(data.site_figures)
    alone = set(units.alone)  # a list: `in` it per site figure cost minutes at 2,000 sites
    # Sites published on their own whose count is shown and not 0: a count over the published
    # cells only, so it says nothing they do not. Counting grouped or hidden sites too gave
    # each of them a lower bound of 1 when all counted (found in review: a group of two with
    # its count of 5 shown put each member in [1, 4]) and pinned them all to 0 when none did.
    # A lower bound for the year, then; the report says so (reports/national/mothers.py).
    with_second = sum(1 for f in published
                      if f.scope == "site" and f.scope_code in alone
                      and f.variable == standard.SECOND_CHILD[0]
                      and f.category == standard.SECOND_CHILD[1]
                      and not f.suppressed and f.count)
    out.append(Figure(year, "national", NATIONAL_CODE, standard.SITES_WITH_SECOND_CHILD, "all",
                      with_second, delivered, None if not delivered else
                      Figure.of(year=year, scope="", scope_code="", variable="", category="",
                                count=with_second, base=delivered).percent,
                      provisional=provisional))
    shares = [f.percent for f in published
              if f.scope == "site" and f.variable == standard.SECOND_CHILD[0]
              and f.category == standard.SECOND_CHILD[1] and f.scope_code in alone
              and f.percent is not None]
    for category, pick in (("min", min), ("max", max)):
        row = Figure.statistic(year=year, scope="national", scope_code=NATIONAL_CODE,
                               variable=standard.SECOND_CHILD_SHARE, category=category,
                               value=pick(shares) if shares else None, base=len(shares))
        out.append(_mark(row, provisional))
    countries, known = _countries_of_birth(year, data)
    total = next((f for f in national if f.variable == "mothers.total"), None)
    hide = known < standard.MIN_POPULATION or total is None or total.suppressed
    # No base: the mothers with a known country are a count of persons that no relation of
    # the audit holds, and the national total less it was the total of the sites that keep
    # no records here (found in review: one such site's hidden total of 6). It decides only
    # whether the row is shown.
    row = Figure(year, "national", NATIONAL_CODE, standard.COUNTRIES_OF_BIRTH, "all",
                 None if hide else countries, None, None, suppressed=hide,
                 provisional=provisional)
    out.append(row)
    return out


def _unit_rows(published, data: YearFigures, units: Units) -> list[Figure]:
    """Coordinators and facts of every published scope (not persons under protection: added
    after suppression, as counted); volunteers per coordinator from the published total."""
    by_scope: dict[tuple[str, str], list[Figure]] = {}
    for f in published:
        by_scope.setdefault((f.scope, f.scope_code), []).append(f)
    scopes = dict(data.scope_keys())
    # Each scope's sites in the order of data.sites, found in one pass (asking
    # data.members per site scanned every site for each).
    by_code = {s.code: s for s in data.sites}
    for code in units.alone:
        scopes[("site", code)] = [by_code[code]] if code in by_code else []
    in_group: dict[str, list] = {g.code: [] for g in units.groups.values()}
    for site in data.sites:
        if site.code in units.group_of:
            in_group[units.group_of[site.code]].append(site)
    for group in units.groups.values():
        scopes[("site", group.code)] = in_group[group.code]
    out = []
    for (scope, code), members in scopes.items():
        provisional = any(s.code in data.provisional for s in members)
        out += [f if f.provisional == provisional else _mark(f, provisional) for f in
                data.unit_figures(scope, code, members, by_scope.get((scope, code), []))]
    return out


def _mark(f: Figure, provisional: bool) -> Figure:
    # What dataclasses.replace(f, provisional=...) makes, at a fraction of its cost.
    return Figure(f.year, f.scope, f.scope_code, f.variable, f.category, f.count, f.base,
                  f.percent, f.suppressed, f.value, provisional)


def _countries_of_birth(year: int, data: YearFigures) -> tuple[int, int]:
    """Distinct countries of birth, and mothers with a known one, among the mothers reached at
    the delivered sites that keep their records here. One aggregate query; no country is read.
    A distinct count is not a sum, so it has no subtraction to protect against."""
    import datetime as dt

    from mim.registry.models import Mother

    keeping = [s.pk for s in data.sites if s.code in data.site_figures and s.keeps_records]
    if not keeping:
        return 0, 0
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found = (Mother.objects.filter(site_id__in=keeping, start_date__lte=last)
             .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
             .exclude(country_of_birth="")
             .aggregate(n=Count("country_of_birth", distinct=True), known=Count("pk")))
    return found["n"] or 0, found["known"] or 0

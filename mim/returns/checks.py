"""Checks on a site's figures for a year, before submission and on upload.

Pure functions over tidy figures, balance counts and the site's own history: no database,
so the same rules run on live figures, on an uploaded file and in tests. Each returns
findings; an error blocks submission, a warning asks the site for an explanation.

The rules:

- add-up (error): the categories of a single-answer item add up to the population total
  and their base is that total; migrant background `yes` + `no` is the total minus unknown
  origin and `no` equals origin `dutch`. Multi-answer items: every count <= base, and the base
  is the population total. Any count above its base is an error.
- balance (error): for mothers and volunteers, start (active on 1 January) + new (started in
  the year) = active in the year, and start + new - left (ended/stopped in the year) = end
  (active on 31 December). Balance counts missing (an aggregate upload without them): warning.
- carry-over (warning): this year's start differs from the end of the previous year's approved
  return (records changed afterwards, or a count was wrong then).
- jumps (warning): each population total against the same figure of the site's previous
  approved returns (at most the last `HISTORY_YEARS`), by the robust z-score
  |x - median| / (1.4826 * MAD) > 3.5 (Iglewicz and Hoaglin). See `robust_score` for MAD = 0
  and short histories.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mim.figures import standard
from mim.figures.tidy import Figure

ERROR, WARNING = "error", "warning"
MAD_SCALE = 1.4826  # makes the MAD estimate the standard deviation of normal data
MEAN_AD_SCALE = 1.2533  # the same for the mean absolute deviation (sqrt(pi/2))
THRESHOLD = 3.5
MIN_HISTORY = 3
HISTORY_YEARS = 5
# A count's spread is never taken as less than one person: with a perfectly flat history
# every change would otherwise be "infinitely" unusual.
MIN_SCALE = 1.0
JUMP_VARIABLES = ("mothers.total", "mothers_ended.total", "volunteers.total",
                  "volunteers_stopped.total")


@dataclass(frozen=True)
class Finding:
    key: str  # stable within a return, so an explanation stays with its warning
    severity: str
    message: str
    variable: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def _by_variable(figures: Iterable[Figure]) -> dict[str, dict[str, Figure]]:
    rows: dict[str, dict[str, Figure]] = defaultdict(dict)
    for f in figures:
        rows[f.variable][f.category] = f
    return rows


def _count(rows, variable: str, category: str = "all") -> int | None:
    figure = rows.get(variable, {}).get(category)
    return None if figure is None else figure.count


def check_complete(year: int, figures: Sequence[Figure]) -> list[Finding]:
    """Every variable of the standard is present (an empty return is refused)."""
    rows = _by_variable(figures)
    missing = [v for v in standard.variables(year) if v not in rows]
    if not figures:
        return [Finding("complete", ERROR, _("Er zijn nog geen cijfers."))]
    return [Finding(f"complete:{v}", ERROR,
                    _("%(item)s ontbreekt.") % {"item": capfirst(standard.variable_label(year, v))}, v)
            for v in missing]


def check_add_up(year: int, figures: Sequence[Figure]) -> list[Finding]:
    rows = _by_variable(figures)
    findings: list[Finding] = []
    for name, spec in standard.variables(year).items():
        row = rows.get(name)
        total = _count(rows, f"{spec.population}.total")
        if not row or total is None or spec.is_total:
            continue
        label = capfirst(standard.variable_label(year, name))
        findings += _over_base(year, name, row.values(), label)
        if spec.item == "migrant_background":
            findings += _migrant(name, row, rows, spec.population, total, label)
            continue
        bases = {f.base for f in row.values()}
        if bases != {total}:
            shown = ", ".join(str(b) for b in sorted(b for b in bases if b is not None))
            findings.append(Finding(f"base:{name}", ERROR, _(
                "%(item)s: de basis (%(base)s) is niet het totaal (%(total)s).")
                % {"item": label, "base": shown, "total": total}, name))
        if spec.multi:
            continue
        summed = sum(f.count or 0 for f in row.values())
        if summed != total:
            findings.append(Finding(f"add_up:{name}", ERROR, _(
                "%(item)s: de categorieën tellen op tot %(sum)s, het totaal is %(total)s.")
                % {"item": label, "sum": summed, "total": total}, name))
    return findings


def _over_base(year, name, row, label) -> list[Finding]:
    return [Finding(f"over_base:{name}:{f.category}", ERROR, _(
        "%(item)s, %(category)s: het aantal (%(count)s) is groter dan de basis (%(base)s).")
        % {"item": label, "category": standard.category_label(year, name, f.category),
           "count": f.count, "base": f.base}, name)
        for f in row if f.count is not None and f.base is not None and f.count > f.base]


def _migrant(name, row, rows, population, total, label) -> list[Finding]:
    unknown = _count(rows, f"{population}.origin", "unknown") or 0
    dutch = _count(rows, f"{population}.origin", "dutch")
    known = total - unknown
    yes, no = (row.get(c) for c in ("yes", "no"))
    findings = []
    summed = sum(f.count or 0 for f in (yes, no) if f is not None)
    if summed != known or any(f is not None and f.base != known for f in (yes, no)):
        findings.append(Finding(f"add_up:{name}", ERROR, _(
            "%(item)s: ja en nee tellen op tot %(sum)s, het aantal met bekende herkomst is "
            "%(known)s.") % {"item": label, "sum": summed, "known": known}, name))
    if no is not None and dutch is not None and no.count != dutch:
        findings.append(Finding(f"migrant_dutch:{name}", ERROR, _(
            "%(item)s: 'nee' (%(no)s) hoort gelijk te zijn aan herkomst Nederlands (%(dutch)s).")
            % {"item": label, "no": no.count, "dutch": dutch}, name))
    return findings


def check_balances(year: int, figures: Sequence[Figure],
                   balances: Mapping[str, Mapping[str, int]]) -> list[Finding]:
    rows = _by_variable(figures)
    findings = []
    for population, leavers in standard.LEAVERS.items():
        label = capfirst(str(standard.POPULATION_LABELS[population]))
        counts = balances.get(population) or {}
        total = _count(rows, f"{population}.total")
        left = _count(rows, f"{leavers}.total")
        if total is None or left is None:
            continue
        if not all(isinstance(counts.get(c), int) for c in standard.BALANCE_CATEGORIES):
            findings.append(Finding(f"balance_missing:{population}", WARNING, _(
                "%(population)s: begin- en eindstand ontbreken, dus de balans (begin + nieuw - "
                "vertrokken = eind) kan niet worden gecontroleerd.") % {"population": label}))
            continue
        start, new, end = (counts[c] for c in standard.BALANCE_CATEGORIES)
        values = {"population": label, "start": start, "new": new, "total": total,
                  "left": left, "end": end, "sum": start + new, "balance": start + new - left}
        if start + new != total:
            findings.append(Finding(f"balance_total:{population}", ERROR, _(
                "%(population)s: begin %(start)s + nieuw %(new)s = %(sum)s, maar het totaal "
                "in het jaar is %(total)s.") % values, f"{population}.total"))
        if start + new - left != end:
            findings.append(Finding(f"balance:{population}", ERROR, _(
                "%(population)s: begin %(start)s + nieuw %(new)s - vertrokken %(left)s = "
                "%(balance)s, maar de eindstand is %(end)s.") % values, f"{population}.total"))
    return findings


def check_carry_over(balances: Mapping[str, Mapping[str, int]],
                     previous: Mapping[str, Mapping[str, int]] | None) -> list[Finding]:
    """This year's start against the end of last year's approved return."""
    findings = []
    for population in standard.LEAVERS:
        start = (balances.get(population) or {}).get("start_of_year")
        end = ((previous or {}).get(population) or {}).get("end_of_year")
        if start is None or end is None or start == end:
            continue
        findings.append(Finding(f"carry_over:{population}", WARNING, _(
            "%(population)s: de beginstand (%(start)s) wijkt af van de eindstand in de "
            "goedgekeurde jaaropgave van vorig jaar (%(end)s).")
            % {"population": capfirst(str(standard.POPULATION_LABELS[population])), "start": start,
               "end": end}, f"{population}.total"))
    return findings


def robust_score(value: float, previous: Sequence[float]) -> float | None:
    """The robust z-score of `value` against earlier values, or None when there is too
    little history to call anything unusual.

    - Fewer than `MIN_HISTORY` (3) earlier values: None. With one or two years a median and a
      spread say nothing; the site is not bothered with flags it cannot learn from.
    - Scale: 1.4826 * MAD. When the MAD is 0 (half or more of the earlier years are equal),
      1.2533 * the mean absolute deviation instead, as Iglewicz and Hoaglin advise; and never
      less than one person (`MIN_SCALE`), so a flat history still tolerates a change of a
      few persons (> 3.5 persons is flagged).
    """
    if len(previous) < MIN_HISTORY:
        return None
    median = statistics.median(previous)
    deviations = [abs(x - median) for x in previous]
    scale = MAD_SCALE * statistics.median(deviations)
    if scale == 0:
        scale = MEAN_AD_SCALE * statistics.fmean(deviations)
    scale = max(scale, MIN_SCALE)
    return abs(value - median) / scale


def check_jumps(year: int, figures: Sequence[Figure],
                history: Mapping[int, Mapping[str, int]]) -> list[Finding]:
    """Population totals against the site's previous approved returns (`history`: year ->
    variable -> count). Only totals: categories are small numbers whose yearly noise would
    bury the real jumps under flags."""
    rows = _by_variable(figures)
    years = sorted(y for y in history if y < year)[-HISTORY_YEARS:]
    findings = []
    for variable in JUMP_VARIABLES:
        value = _count(rows, variable)
        previous = [history[y][variable] for y in years if variable in history[y]]
        if value is None:
            continue
        score = robust_score(value, previous)
        if score is None or score <= THRESHOLD:
            continue
        findings.append(Finding(f"jump:{variable}", WARNING, _(
            "%(item)s: %(value)s wijkt sterk af van eerdere jaren (mediaan %(median)s over "
            "%(n)s jaar). Licht de verandering toe.")
            % {"item": capfirst(standard.variable_label(year, variable)), "value": value,
               "median": _number(statistics.median(previous)), "n": len(previous)}, variable))
    return findings


def without_numbers(key: str, year: int) -> str:
    """What a finding is about, without its numbers: for the programme office, which gets
    the site's figures only suppressed (the numbers in a finding are unsuppressed counts,
    and balances are never published at all). The coordinator sees the full message."""
    kind, _sep, subject = key.partition(":")
    if kind in ("balance_missing", "carry_over", "balance", "balance_total"):
        population = capfirst(str(standard.POPULATION_LABELS.get(subject, subject)))
        return {
            "balance_missing": _("%(population)s: begin- en eindstand ontbreken."),
            "carry_over": _("%(population)s: de beginstand wijkt af van de eindstand in de "
                            "goedgekeurde jaaropgave van vorig jaar."),
        }.get(kind, _("%(population)s: de balans sluit niet.")) % {"population": population}
    if kind == "jump":
        return _("%(item)s: wijkt sterk af van eerdere jaren.") % {
            "item": capfirst(standard.variable_label(year, subject))}
    return _("Controle %(key)s") % {"key": key}


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}".replace(".", ",")


def check_facts(facts: Mapping | None) -> list[Finding]:
    """The site's facts for the year (a snapshot dict, see selectors.facts_snapshot)."""
    if not facts:
        return [Finding("facts", ERROR, _("De locatiegegevens van dit jaar zijn nog niet "
                                          "ingevuld."))]
    # No coordinator line is required: a coordinator is a person of the organisation, and
    # the office may enter her for any site (data standard version 2).
    return []


def run_checks(*, year: int, figures: Sequence[Figure],
               balances: Mapping[str, Mapping[str, int]],
               history: Mapping[int, Mapping[str, int]],
               previous_balances: Mapping[str, Mapping[str, int]] | None,
               facts: Mapping | None) -> list[Finding]:
    """Every check, errors first."""
    figures = list(figures)
    findings = check_facts(facts) + check_complete(year, figures)
    findings += check_add_up(year, figures) + check_balances(year, figures, balances)
    findings += check_carry_over(balances, previous_balances) + check_jumps(year, figures, history)
    return sorted(findings, key=lambda f: f.severity != ERROR)

"""Figures and facts shaped for the returns pages (labels from the codebook, no logic)."""

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext

from mim.codebook import codebooks
from mim.figures import standard
from mim.figures.standard import HIDDEN_MARK
from mim.figures.suppression import display_count
from mim.figures.tidy import Figure
from mim.returns.forms import YES_NO_UNKNOWN, SiteFactsForm


def _signed(value, decimals: int = 0) -> str:
    """A change as people read it: +3, −2, 0 (the minus sign, not a hyphen)."""
    if value is None:
        return ""
    text = number_format(abs(value), decimals)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def _compared_cells(compared) -> dict:
    """Last year's count and the change, as text; empty when there is nothing to compare."""
    if compared is None:
        return {"previous": "", "change": "", "point_change": ""}
    return {"previous": display_count(compared.previous) if compared.previous else "–",
            "change": _signed(compared.change),
            "point_change": _signed(compared.point_change, 1)}


def figure_sections(year: int, figures: list[Figure], compared=None) -> list[dict]:
    """Per population: its total and each variable's categories, in the standard's order.

    `compared` (publication.selectors.Compared rows, this year's figures in the same order)
    adds last year's count and the change to each row; the figures are then theirs."""
    by_key = {}
    if compared is not None:
        figures = [c.figure for c in compared]
        by_key = {(c.figure.variable, c.figure.category): c for c in compared}
    if not figures:
        return []
    by_variable: dict[str, list[Figure]] = {}
    for f in figures:
        by_variable.setdefault(f.variable, []).append(f)
    sections = []
    for population in standard.ITEMS:
        total = next(iter(by_variable.get(f"{population}.total", [])), None)
        variables = []
        for name, spec in standard.variables(year).items():
            if spec.population != population or spec.is_total or name not in by_variable:
                continue
            variables.append({
                "name": name,
                "label": standard.variable_label(year, name),
                "multi": spec.multi,
                "rows": [{"category": standard.category_label(year, name, f.category),
                          "count": display_count(f),
                          # a base left out hides a count too: the same neutral mark
                          "base": HIDDEN_MARK if f.base is None else f.base,
                          "percent": f.percent, "suppressed": f.suppressed,
                          **_compared_cells(by_key.get((f.variable, f.category)))}
                         for f in by_variable[name]],
            })
        sections.append({"population": population,
                         "label": standard.POPULATION_LABELS[population],
                         "total": display_count(total) if total else "",
                         "total_compared": _compared_cells(
                             by_key.get((total.variable, total.category)) if total else None),
                         "variables": variables})
    return sections


def facts_rows(year: int, facts: dict | None) -> list[tuple[str, str]]:
    """The site's facts as (label, value) pairs for reading."""
    if not facts:
        return []
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    book = codebooks.for_year(year)
    fields = SiteFactsForm(year=year).fields
    yes_no = dict(YES_NO_UNKNOWN)
    rows = [(str(fields["target_group"].label), facts.get("target_group") or "–")]
    def codes(item: str) -> str:
        # None: entered as not known by the office, apart from nothing chosen ("–")
        if item in facts and facts[item] is None:
            return gettext("onbekend")
        return ", ".join(book.label(item, c, lang) for c in facts.get(item) or []) or "–"

    for item in ("financing", "variant", "reimbursement"):
        rows.append((str(fields[item].label), codes(item)))
    for item in ("volunteer_agreement", "vog_required"):
        rows.append((str(fields[item].label), str(yes_no.get(facts.get(item), "–"))))
    rows.append((str(fields["group_activities"].label), codes("group_activities")))
    hours = [f"{c.get('ref', c.get('label', ''))} ({c['hours_per_week']})"
             for c in facts.get("coordinators") or []]
    rows.append((gettext("Coördinatoren (uren per week op deze locatie)"),
                 ", ".join(hours) or "–"))
    return rows


def summary_totals(year: int, totals: dict[str, int]) -> list[tuple[str, int]]:
    """The population totals of a submission summary, labelled, in the standard's order."""
    return [(str(standard.POPULATION_LABELS[p]).capitalize(), totals[f"{p}.total"])
            for p in standard.ITEMS if f"{p}.total" in totals]

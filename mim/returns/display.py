"""Figures and facts shaped for the returns pages (labels from the codebook, no logic)."""

from django.utils.translation import get_language, gettext

from mim.codebook import codebooks
from mim.figures import standard
from mim.figures.suppression import display_count
from mim.figures.tidy import Figure
from mim.returns.forms import YES_NO_UNKNOWN, SiteFactsForm


def figure_sections(year: int, figures: list[Figure]) -> list[dict]:
    """Per population: its total and each variable's categories, in the standard's order."""
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
                          "count": display_count(f), "base": "" if f.base is None else f.base,
                          "percent": f.percent, "suppressed": f.suppressed}
                         for f in by_variable[name]],
            })
        sections.append({"population": population,
                         "label": standard.POPULATION_LABELS[population],
                         "total": display_count(total) if total else "",
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
    for item in ("financing", "variant", "reimbursement"):
        rows.append((str(fields[item].label),
                     ", ".join(book.label(item, c, lang) for c in facts.get(item, [])) or "–"))
    for item in ("volunteer_agreement", "vog_required"):
        rows.append((str(fields[item].label), str(yes_no.get(facts.get(item), "–"))))
    rows.append((str(fields["group_activities"].label),
                 ", ".join(book.label("group_activities", c, lang)
                           for c in facts.get("group_activities", [])) or "–"))
    hours = [f"{c.get('ref', c.get('label', ''))} ({c['hours_per_week']})"
             for c in facts.get("coordinators") or []]
    rows.append((gettext("Coördinatoren (uren per week op deze locatie)"),
                 ", ".join(hours) or "–"))
    return rows

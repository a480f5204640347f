"""The data standard in one place: populations, variables, categories, labels, which items are
multi-answer or sensitive, and the small-cell thresholds (../shared/spec/data-standard.md,
"Tidy figures" and "Additions (version 2)"; guides/security.md, "Small-cell rule").

Everything that needs to know what a figure *is* reads it here: the engine that counts, the
returns that check uploads, suppression and the attacker's audit, the dashboards and the
reports. The codes themselves live in the codebook (mim.codebook), per version; this module
says how the tidy table is built from them.
"""

from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mim.codebook import assessment as assessment_items
from mim.codebook import codebooks

# Population -> (item of the figure, codebook item it is read with), in the order figures are
# listed. `migrant_background` is derived from origin and has no codebook item.
ITEMS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "mothers": (("origin", "origin"), ("migrant_background", None), ("age_group", "age_group"),
                ("education", "education"), ("household", "household"),
                ("income_source", "income_source"), ("child_order", "child_order"),
                ("pregnant_at_start", "yes_no"),
                ("mother_circumstances", "mother_circumstances"),
                ("baby_circumstances", "baby_circumstances")),
    "mothers_ended": (("end_reason", "mother_end_reason"),),
    "volunteers": (("origin", "origin"), ("migrant_background", None), ("age_group", "age_group"),
                   ("education", "education"), ("former_mim_mother", "yes_no"),
                   ("work_experience", "work_experience")),
    "volunteers_stopped": (("end_reason", "volunteer_end_reason"),),
}
PERSON_POPULATIONS = tuple(ITEMS)
# The population whose members leave (ended/stopped) in the year: a subset of the first.
LEAVERS = {"mothers": "mothers_ended", "volunteers": "volunteers_stopped"}
MIGRANT = ("yes", "no")
# Migrant background is origin other than these (data standard, "Counting rules").
DOMESTIC_ORIGIN, UNKNOWN = "dutch", "unknown"
# The age band of each age_group code as (lowest, highest) age; None is open-ended.
AGE_BANDS = {"under_20": (None, 19), "20_24": (20, 24), "25_29": (25, 29), "30_34": (30, 34),
             "35_39": (35, 39), "40_plus": (40, None)}

# Multi-answer items: a person can have several codes, so the categories do not add up to the
# base (a category is at most the base). The codebook says the same per version (`multi`).
MULTI_ANSWER_ITEMS = frozenset({"mother_circumstances", "baby_circumstances", "work_experience"})
# Items whose complement is protected too (security rule 2): origin, circumstances, income,
# household.
SENSITIVE_ITEMS = frozenset({"origin", "migrant_background", "mother_circumstances",
                             "baby_circumstances", "income_source", "household"})
# Counts of sites, coordinators and facts: not persons under protection; published through the
# same step (so nothing bypasses it) but never hidden.
UNPROTECTED_POPULATIONS = frozenset({"sites", "coordinators", "facts", "ratios"})

# The small-cell rule (guides/security.md): a population under MIN_POPULATION gets no
# breakdown and a site that small is published only inside a merged group; counts under
# MIN_CELL are hidden; the attacker's interval of a hidden cell must be at least MIN_WIDTH wide.
MIN_POPULATION = 10
MIN_CELL = 5
MIN_WIDTH = 5

# One neutral mark for every hidden cell, whatever the reason it was hidden (data standard,
# "Hidden cells"): "<5" would be false on a secondary cell and tell which cells are small.
HIDDEN_MARK = "×"
HIDDEN_LEGEND = _("niet getoond om de privacy te beschermen")

# Derived rows of version 2 (counted by the publication layer, not by the engine).
COUNTRIES_OF_BIRTH = "mothers.countries_of_birth"
SITES_WITH_SECOND_CHILD = "sites.with_second_child"
SECOND_CHILD_SHARE = "mothers.second_child_share"
SECOND_CHILD = ("mothers.child_order", "second")

# What changes for the mother (issue 13): the self-assessment's paired change per aim from
# intake to end, over the mothers ended in the year (mim.results.assessment). The aims are
# the codebook's (mim.codebook.assessment), whose versions hold their wording.
ASSESSMENT_AIMS = assessment_items.AIMS
ASSESSMENT_PREFIX = "results.assessment"
ASSESSMENT_STATISTICS = ("pairs", "intake_mean", "end_mean", "change", "ci_low", "ci_high")
ASSESSMENT_END_MEASURED = f"{ASSESSMENT_PREFIX}.end_measured"


def assessment_variable(aim: str, statistic: str) -> str:
    """`results.assessment.<aim>.<statistic>`: pairs (count, base: ended mothers),
    intake_mean and end_mean (value: the pairs' mean answer at intake and at the end, base:
    pairs), change (value: the mean paired change end - intake, base: pairs), ci_low and
    ci_high (value: its 95% confidence interval)."""
    return f"{ASSESSMENT_PREFIX}.{aim}.{statistic}"


ASSESSMENT_VARIABLES = frozenset(
    {assessment_variable(aim, stat) for aim in ASSESSMENT_AIMS for stat in ASSESSMENT_STATISTICS}
    | {ASSESSMENT_END_MEASURED})

# Rows of person populations that are not counts of persons in a category: the publication
# layer derives them from published figures (or protects them on their own) after suppression.
DERIVED_VARIABLES = frozenset({COUNTRIES_OF_BIRTH, SECOND_CHILD_SHARE}) | ASSESSMENT_VARIABLES

# Coordinators and facts (data standard version 2; counted by mim.figures.coordination).
# Each fact is counted per site or per organisation (the standard's `scope_unit`): the
# volunteers' policies are the organisation's, for all its sites; the others the site's own.
SITE_FACTS = ("financing", "variant", "group_activities")
ORGANISATION_FACTS = ("reimbursement", "volunteer_agreement", "vog_required")
FACTS = ("financing", "variant", "reimbursement", "group_activities", "volunteer_agreement",
         "vog_required")
FACT_UNITS = {**{f: "site" for f in SITE_FACTS}, **{f: "organisation"
                                                     for f in ORGANISATION_FACTS}}
YES_NO_FACTS = frozenset({"volunteer_agreement", "vog_required"})
# (variable, codebook item, attribute of the coordinator)
COORDINATOR_LISTS = (("coordinators.experience", "coordinator_experience", "experience"),
                     ("coordinators.training", "coordinator_training", "training"))
COORDINATOR_HOURS = "coordinators.hours_per_week"
VOLUNTEERS_PER_COORDINATOR = "ratios.volunteers_per_coordinator"


def fact_categories(book: codebooks.Codebook, fact: str) -> list[str]:
    """A fact's categories: its codes, and `unknown` for the units of which nothing is known
    (so that "not known" is its own row, never read as "no")."""
    codes = list(MIGRANT) if fact in YES_NO_FACTS else book.codes(fact)
    return [*codes, UNKNOWN]


def fact_unit(variable: str) -> str | None:
    """"site" or "organisation" for a `facts.*` variable (the standard's scope_unit)."""
    population, item = split(variable) if "." in variable else ("", "")
    return FACT_UNITS.get(item) if population == "facts" else None


# Results rows (mim.results, docs/results.md): statistics of time in the programme and of
# visits, not counts in a category; the publication protects them by a rule of their own
# (mim.publication.results).
RESULTS_POPULATION = "results"


def is_protected(variable: str) -> bool:
    """Whether a tidy row is a count of persons that suppression protects."""
    population = variable.partition(".")[0]
    return (population not in UNPROTECTED_POPULATIONS and population != RESULTS_POPULATION
            and variable not in DERIVED_VARIABLES)


POPULATION_LABELS = {
    "mothers": _("moeders"),
    "mothers_ended": _("afgesloten moeders"),
    "volunteers": _("vrijwilligers"),
    "volunteers_stopped": _("gestopte vrijwilligers"),
}
ITEM_LABELS = {
    "total": _("totaal"),
    "migrant_background": _("migratieachtergrond"),
    "pregnant_at_start": _("zwanger bij start"),
    "former_mim_mother": _("voormalig MIM-moeder"),
    "end_reason": _("reden van afsluiten"),
}
MIGRANT_LABELS = {"yes": _("ja"), "no": _("nee")}

# Extra counts an aggregate return may carry for its balance (start + new - left = end); not
# tidy figures, kept apart.
BALANCE_CATEGORIES = ("start_of_year", "new", "end_of_year")
BALANCE_ITEM = "balance"
BALANCE_LABELS = {
    "start_of_year": _("actief op 1 januari"),
    "new": _("nieuw in het jaar"),
    "end_of_year": _("actief op 31 december"),
}


def split(variable: str) -> tuple[str, str]:
    """("mothers", "origin") for "mothers.origin"."""
    population, _sep, item = variable.partition(".")
    return population, item


def is_multi(variable_or_item: str) -> bool:
    return variable_or_item.rpartition(".")[2] in MULTI_ANSWER_ITEMS


def categories(book: codebooks.Codebook, item: str, codebook_item: str | None) -> list[str]:
    """The categories of one variable in a codebook version, in codebook order."""
    if codebook_item is None:
        return list(MIGRANT)
    spec = book.item(codebook_item)
    codes = spec.code_list
    if not spec.multi and UNKNOWN not in codes:
        codes = [*codes, UNKNOWN]  # the categories must add up to the base
    return codes


@cache
def template(year: int) -> tuple[tuple[str, str], ...]:
    """Every (variable, category) of a person-population figure set for the year, in order.

    Raises codebooks.UnknownYear for a year without a codebook."""
    book = codebooks.for_year(year)
    keys = []
    for population, items in ITEMS.items():
        keys.append((f"{population}.total", "all"))
        for item, codebook_item in items:
            keys += [(f"{population}.{item}", c) for c in categories(book, item, codebook_item)]
    return tuple(keys)


@dataclass(frozen=True)
class Variable:
    name: str  # e.g. "mothers.origin"
    population: str
    item: str
    codebook_item: str | None
    categories: tuple[str, ...]
    multi: bool

    @property
    def is_total(self) -> bool:
        return self.item == "total"


@cache
def variables(year: int) -> dict[str, Variable]:
    """Every tidy person variable of a scope's figures for the year, in the standard's order."""
    book = codebooks.for_year(year)
    found: dict[str, Variable] = {}
    for population, items in ITEMS.items():
        found[f"{population}.total"] = Variable(f"{population}.total", population, "total", None,
                                                ("all",), False)
        for item, book_item in items:
            name = f"{population}.{item}"
            multi = book_item is not None and book.item(book_item).multi
            found[name] = Variable(name, population, item, book_item,
                                   tuple(categories(book, item, book_item)), multi)
    return found


def codebook_item(variable: str) -> str | None:
    population, item = split(variable)
    return dict(ITEMS.get(population, ())).get(item)


def balance_variables() -> dict[str, tuple[str, ...]]:
    """Variables of the balance rows an aggregate upload may carry (`mothers.balance`, ...)."""
    return {f"{population}.{BALANCE_ITEM}": BALANCE_CATEGORIES for population in LEAVERS}


def language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def item_label(year: int, variable: str) -> str:
    """The name of a variable's item in the interface language, such as "herkomst"."""
    _population, item = split(variable)
    spec = variables(year).get(variable)
    if item in ITEM_LABELS:
        return str(ITEM_LABELS[item])
    if spec and spec.codebook_item:
        return codebooks.for_year(year).item(spec.codebook_item).label(language())
    return item


def variable_label(year: int, variable: str) -> str:
    """A Dutch (or English) name of a variable, such as "herkomst (moeders)"."""
    population, _item = split(variable)
    return f"{item_label(year, variable)} ({POPULATION_LABELS.get(population, population)})"


def category_label(year: int, variable: str, category: str) -> str:
    _population, item = split(variable)
    if category == "all":
        return str(ITEM_LABELS["total"])
    if item == BALANCE_ITEM:
        return str(BALANCE_LABELS.get(category, category))
    if item == "migrant_background":
        return str(MIGRANT_LABELS.get(category, category))
    spec = variables(year).get(variable)
    book = codebooks.for_year(year)
    book_item = spec.codebook_item if spec and spec.codebook_item else "yes_no"
    return book.label(book_item, category, language())

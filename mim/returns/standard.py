"""The site figures of the data standard, as the returns app reads them: which variables a
site's return holds for a year, their categories (from that year's codebook) and labels.

The tidy table itself (mim.figures.tidy) carries no knowledge of items; uploads and checks
need it, so it is spelled out here once, from `data-standard.md` ("Tidy figures").
"""

from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mim.codebook import codebooks
from mim.figures import engine

# Population -> its items: the engine's list, so both read the same standard.
POPULATION_ITEMS = engine.ITEMS
# The population whose members leave (ended/stopped) in the year, for the balances.
LEAVERS = {"mothers": "mothers_ended", "volunteers": "volunteers_stopped"}
# Extra counts for the balance (start + new - left = end); not tidy figures, kept apart.
BALANCE_CATEGORIES = ("start_of_year", "new", "end_of_year")
BALANCE_ITEM = "balance"

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
    BALANCE_ITEM: _("begin- en eindstand"),
}
BALANCE_LABELS = {
    "start_of_year": _("actief op 1 januari"),
    "new": _("nieuw in het jaar"),
    "end_of_year": _("actief op 31 december"),
}


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
    """Every tidy variable of a site's figures for the year, in the standard's order."""
    book = codebooks.for_year(year)
    found: dict[str, Variable] = {}
    for population, items in POPULATION_ITEMS.items():
        found[f"{population}.total"] = Variable(f"{population}.total", population, "total", None,
                                                ("all",), False)
        for item, book_item in items:
            name = f"{population}.{item}"
            multi = book_item is not None and book.item(book_item).multi
            found[name] = Variable(name, population, item, book_item,
                                   tuple(engine.categories(book, item, book_item)), multi)
    return found


def balance_variables() -> dict[str, tuple[str, ...]]:
    """Variables of the balance rows an aggregate upload may carry (`mothers.balance`, ...)."""
    return {f"{population}.{BALANCE_ITEM}": BALANCE_CATEGORIES for population in LEAVERS}


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def variable_label(year: int, variable: str) -> str:
    """A Dutch (or English) name of a variable, such as "herkomst (moeders)"."""
    population, _sep, item = variable.partition(".")
    spec = variables(year).get(variable)
    if item in ITEM_LABELS:
        name = str(ITEM_LABELS[item])
    elif spec and spec.codebook_item:
        name = codebooks.for_year(year).item(spec.codebook_item).label(_lang())
    else:
        name = item
    return f"{name} ({POPULATION_LABELS.get(population, population)})"


def category_label(year: int, variable: str, category: str) -> str:
    population, _sep, item = variable.partition(".")
    if category == "all":
        return str(ITEM_LABELS["total"])
    if item == BALANCE_ITEM:
        return str(BALANCE_LABELS.get(category, category))
    spec = variables(year).get(variable)
    book = codebooks.for_year(year)
    book_item = spec.codebook_item if spec and spec.codebook_item else "yes_no"
    return book.label(book_item, category, _lang())

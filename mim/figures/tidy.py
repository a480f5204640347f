"""The one figures representation: the tidy table of the data standard.

Dashboard, report, exports and API all read lists of `Figure`. Nothing else about
figures travels between modules.
"""

import functools
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

SCOPES = ("site", "organisation", "municipality", "national")
# Data standard version 2: `value` holds statistics that are not counts (a median, a ratio);
# `provisional` is true when any site behind the row counts from live records.
COLUMNS = ("year", "scope", "scope_code", "variable", "category", "count", "base", "percent",
           "value", "suppressed", "provisional")


def exact_share(count: int, base: int) -> Decimal | None:
    """count in percent of base, not rounded (None without a base)."""
    if not base:
        return None
    return Decimal(count) * 100 / Decimal(base)


def rounded(value: Decimal | int | float, places: int = 0) -> Decimal:
    """THE rounding of every percentage shown anywhere: half up (as people round), from the
    exact share, once. The tidy table's `percent` (one decimal), the exports, the dashboards'
    whole percents and every table cell and sentence of a report go through here, so a sentence
    can never say 10% beside an 11% in its table (a share rounded twice: 10,46 -> 10,5 -> 11)."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=1 << 16)  # a year repeats a few thousand (count, base) pairs
def percent_of(count: int, base: int, places: int = 1) -> Decimal | None:
    """Share in percent rounded once from the counts: one decimal in the tidy table, whole
    percents in reports (`places=0`)."""
    share = exact_share(count, base)
    return None if share is None else rounded(share, places)


@dataclass(frozen=True, slots=True)
class Figure:
    year: int
    scope: str
    scope_code: str
    variable: str  # e.g. "mothers.origin"
    category: str  # a codebook code, or "all" for totals
    count: int | None
    base: int | None
    percent: Decimal | None
    suppressed: bool = False
    value: Decimal | None = None
    provisional: bool = False

    @classmethod
    def of(cls, *, year, scope, scope_code, variable, category, count, base) -> "Figure":
        return cls(year, scope, scope_code, variable, category, count, base,
                   percent_of(count, base))

    @classmethod
    def statistic(cls, *, year, scope, scope_code, variable, category, value,
                  base=None) -> "Figure":
        """A row whose number is not a count (`value`: a median, a ratio, a share)."""
        return cls(year, scope, scope_code, variable, category, None, base, None,
                   value=None if value is None else Decimal(value))

    @property
    def population(self) -> str:
        """'mothers', 'mothers_ended', 'volunteers', 'volunteers_stopped' or 'sites'."""
        return self.variable.split(".", 1)[0]

    @property
    def item(self) -> str:
        return self.variable.split(".", 1)[1]

    @property
    def share(self) -> Decimal | None:
        """The exact share of the base (not rounded); None when hidden or without a base.

        Reports round it once, with `rounded`; never round `percent` (already rounded) again."""
        if self.suppressed or self.count is None or not self.base or self.percent is None:
            return None
        return exact_share(self.count, self.base)

    def hidden(self) -> "Figure":
        return replace(self, count=None, percent=None, value=None, suppressed=True)

    def as_row(self) -> dict:
        return {
            "year": self.year,
            "scope": self.scope,
            "scope_code": self.scope_code,
            "variable": self.variable,
            "category": self.category,
            "count": "" if self.count is None else self.count,
            "base": "" if self.base is None else self.base,
            "percent": "" if self.percent is None else f"{self.percent:.1f}",
            "value": "" if self.value is None else plain(self.value),
            "suppressed": "true" if self.suppressed else "false",
            "provisional": "true" if self.provisional else "false",
        }

    @classmethod
    def from_row(cls, row: dict) -> "Figure":
        """The inverse of `as_row` (a stored publication is kept as rows)."""
        def number(text, kind=int):
            return None if text in ("", None) else kind(text)
        return cls(int(row["year"]), row["scope"], row["scope_code"], row["variable"],
                   row["category"], number(row["count"]), number(row["base"]),
                   number(row["percent"], Decimal), row["suppressed"] == "true",
                   number(row.get("value", ""), Decimal), row.get("provisional") == "true")


def plain(value: Decimal) -> str:
    """A statistic without exponent or trailing zeros: 12.5, 3, 0.25."""
    text = format(value.normalize(), "f")
    return text

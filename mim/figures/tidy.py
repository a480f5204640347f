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


@functools.lru_cache(maxsize=1 << 16)  # a year repeats a few thousand (count, base) pairs
def percent_of(count: int, base: int) -> Decimal | None:
    """Share in percent with one decimal, rounded half up (as people round)."""
    if not base:
        return None
    return (Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
            "value": "" if self.value is None else _plain(self.value),
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


def _plain(value: Decimal) -> str:
    """A statistic without exponent or trailing zeros: 12.5, 3, 0.25."""
    text = format(value.normalize(), "f")
    return text

"""The one figures representation: the tidy table of the data standard.

Dashboard, report, exports and API all read lists of `Figure`. Nothing else about
figures travels between modules.
"""

import functools
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

SCOPES = ("site", "organisation", "municipality", "national")
COLUMNS = ("year", "scope", "scope_code", "variable", "category", "count", "base", "percent",
           "suppressed")


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

    @classmethod
    def of(cls, *, year, scope, scope_code, variable, category, count, base) -> "Figure":
        return cls(year, scope, scope_code, variable, category, count, base,
                   percent_of(count, base))

    @property
    def population(self) -> str:
        """'mothers', 'mothers_ended', 'volunteers', 'volunteers_stopped' or 'sites'."""
        return self.variable.split(".", 1)[0]

    @property
    def item(self) -> str:
        return self.variable.split(".", 1)[1]

    def hidden(self) -> "Figure":
        return replace(self, count=None, percent=None, suppressed=True)

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
            "suppressed": "true" if self.suppressed else "false",
        }

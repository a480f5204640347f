"""The shapes figures travel in between modules: a scope's figures with what is known about
them (`FigureSet`), a site row of an aggregate scope, completeness.

Computing them is the publication layer's work (mim.publication): `inputs` for the
unsuppressed figures of a year, `selectors` for the one road by which they leave the
coordinator role.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from mim.figures.tidy import Figure

NATIONAL_CODE = "NL"
NATIONAL_LABEL = _("Nederland")


class UnknownScope(LookupError):
    """A scope that does not exist (no such site, organisation or municipality)."""


@dataclass(frozen=True)
class Completeness:
    expected: int  # sites active in the year
    delivered: int  # approved plus provisional
    approved: int
    not_delivered: int = 0  # marked by the office: expected, and settled without data

    @property
    def provisional(self) -> int:
        return self.delivered - self.approved

    @property
    def complete(self) -> bool:
        return self.delivered == self.expected

    @property
    def final(self) -> bool:
        """Every expected site approved or not delivered: the year's figures are settled."""
        return self.expected > 0 and self.approved + self.not_delivered >= self.expected


@dataclass(frozen=True)
class SiteRow:
    """One site inside an aggregate scope, as the dashboard's site table shows it."""

    code: str
    name: str
    status: str  # approved, not_delivered, provisional, submitted or missing
    mothers: Figure | None = None
    volunteers: Figure | None = None
    # A merged group ("overige locaties") lists the names of the sites it holds; a site that
    # is published only inside a group has the group's code here.
    members: tuple[str, ...] = ()
    group: str = ""
    reason: str = ""  # why a not_delivered site delivers nothing (the office's words)
    stopped: bool = False  # the site's last year is this year

    @property
    def is_group(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True)
class FigureSet:
    year: int
    scope: str
    code: str
    label: str
    figures: tuple[Figure, ...]
    provisional: frozenset[str]  # codes of the sites counted from live records
    completeness: Completeness
    codebook_version: str
    suppressed: bool = False  # True once it has passed suppression
    sites: tuple[SiteRow, ...] = ()  # only the sites the reader may see, in published form
    merged_into: str = ""  # a small site's scope: the label of the group that publishes it
    publication: int | None = None  # the number of the stored publication it was read from
    published_at: datetime.datetime | None = None  # when that publication was released
    _index: dict = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_index", {(f.variable, f.category): f for f in self.figures})

    def get(self, variable: str, category: str = "all") -> Figure | None:
        return self._index.get((variable, category))

    def variable(self, variable: str) -> list[Figure]:
        return [f for f in self.figures if f.variable == variable]

    @property
    def has_data(self) -> bool:
        return bool(self.figures) and self.completeness.delivered > 0

"""The national series: shipped history (2004-2014, from earlier reports) joined with the years
the system computes.

The shipped facts are in `data/national-history.csv`, copied from spec/national-history.csv.
A year that has data in the system (at least one site delivered) is computed and wins over a
shipped row of the same year: the system's own counting is the one that is checked. Years with
neither are shown as missing. Shipped notes stay with their year, including 2014's: its 69%
migrant mothers counted origin 'not specified' as migrant background, which our counting never
does, so that year is not comparable with computed ones.
"""

import csv
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from mim.codebook import codebooks
from mim.figures.tidy import Figure

HISTORY_CSV = Path(__file__).resolve().parent / "data" / "national-history.csv"

# The shipped notes as the interface shows them (the file keeps its English source text).
NOTES = {
    2005: _("voetnoten in de bron onleesbaar; locaties met gegevens op volgorde gelezen"),
    2006: _("voetnoten in de bron onleesbaar; locaties met gegevens op volgorde gelezen"),
    2007: _("de tekst van hetzelfde rapport noemt 22 locaties (gemeenten geteld vóór 2008); "
            "1 locatie leverde geen gegevens"),
    2008: _("de tekst van hetzelfde rapport noemt 709 moeders"),
    2009: _("geen gepubliceerde cijfers in de beschikbare rapporten"),
    2010: _("locaties = locaties met geregistreerde gegevens"),
    2011: _("locaties = locaties met geregistreerde gegevens"),
    2012: _("locaties = locaties met geregistreerde gegevens"),
    2013: _("21 locaties en 21 coördinatoren volgens de tekst; 93 vrijwilligers gestopt"),
    2014: _("18 coördinatoren (14 leverden gegevens); 98 vrijwilligers gestopt; 367 moeders "
            "gestopt (148 afgerond); de 69% telt herkomst 'niet vermeld' (10%) als "
            "migratieachtergrond"),
}


@dataclass(frozen=True)
class HistoryRow:
    year: int
    sites: int | None
    sites_with_data: int | None
    mothers: int | None
    pct_migrant_mothers: Decimal | None
    volunteers: int | None
    pct_migrant_volunteers: Decimal | None
    note: str  # the shipped note (English source text), or empty
    source: str  # "registratie-2008", "registratie-2014", "computed" or "" (missing)
    provisional: bool = False  # computed from live records of at least one site

    @property
    def missing(self) -> bool:
        return self.mothers is None and self.volunteers is None

    @property
    def display_note(self) -> str:
        if self.source == "computed":
            return str(_("berekend; voorlopig")) if self.provisional else str(_("berekend"))
        if self.year in NOTES and self.note:
            return str(NOTES[self.year])
        return self.note or (str(_("geen gegevens")) if self.missing else "")


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


@functools.cache
def shipped() -> dict[int, HistoryRow]:
    """The shipped national series by year."""
    rows = {}
    with HISTORY_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pct_m, pct_v = row["pct_migrant_mothers"], row["pct_migrant_volunteers"]
            rows[int(row["year"])] = HistoryRow(
                year=int(row["year"]), sites=_int(row["sites"]),
                sites_with_data=_int(row["sites_with_data"]), mothers=_int(row["mothers"]),
                pct_migrant_mothers=Decimal(pct_m) if pct_m else None,
                volunteers=_int(row["volunteers"]),
                pct_migrant_volunteers=Decimal(pct_v) if pct_v else None,
                note=row["note"], source=row["source"])
    return rows


def computed_row(year: int, figures: list[Figure], *, provisional: bool = False
                 ) -> HistoryRow | None:
    """A history row from a year's national figures, or None when no site delivered."""
    by_key = {(f.variable, f.category): f for f in figures}

    def count(variable, category="all"):
        f = by_key.get((variable, category))
        return None if f is None else f.count

    def pct(variable):
        f = by_key.get((variable, "yes"))
        return None if f is None else f.percent

    if not count("sites.delivered"):
        return None
    return HistoryRow(year=year, sites=count("sites.active"),
                      sites_with_data=count("sites.delivered"), mothers=count("mothers.total"),
                      pct_migrant_mothers=pct("mothers.migrant_background"),
                      volunteers=count("volunteers.total"),
                      pct_migrant_volunteers=pct("volunteers.migrant_background"),
                      note="", source="computed", provisional=provisional)


def history(last_year: int, span: int = 5, *,
            national: Callable[[int], tuple[list[Figure], bool]]) -> list[HistoryRow]:
    """The series of `span` years ending with `last_year`, oldest first.

    `national(year)` gives a year's national figures as published (there is no unsuppressed
    default: the series is shown to every role) and whether any of them are provisional.
    """
    rows = []
    for year in range(last_year - span + 1, last_year + 1):
        row = None
        if codebooks.FIRST_YEAR <= year <= codebooks.last_known_year():
            figures, provisional = national(year)
            row = computed_row(year, figures, provisional=provisional)
        row = row or shipped().get(year) or HistoryRow(year, None, None, None, None, None, None,
                                                       "", "")
        rows.append(row)
    return rows

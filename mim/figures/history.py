"""The national series: shipped history (2004-2014, from earlier reports) joined with the years
the system computes.

The shipped facts are in `data/national-history.csv`, copied from spec/national-history.csv.
A year that has data in the system (at least one site delivered) is computed; it replaces a
shipped row of the same year only when it is at least as complete: at least as many sites
delivered as the published report had data of, each with an approved return. Back-dated
live records must not replace the published 647 mothers of 2004 with 12; once the returns of
a year are all approved, the system's own (checked) counting wins. Each row says which source it
has, and a shipped row kept over a less complete computed one says so. Years with neither
are shown as missing. Shipped notes stay with their year, including 2014's: its 69%
migrant mothers counted origin 'not specified' as migrant background, which our counting never
does, so that year is not comparable with computed ones.
"""

import csv
import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    # A computed row: the exact shares (not rounded), so a report rounds them once.
    share_migrant_mothers: Decimal | None = None
    share_migrant_volunteers: Decimal | None = None
    # A shipped row kept although the system computes the year: how many sites delivered there.
    computed_sites: int | None = None
    computed_provisional: bool = False

    @property
    def missing(self) -> bool:
        return self.mothers is None and self.volunteers is None

    @property
    def source_label(self) -> str:
        """Where the year's figures come from, in a word or two."""
        if self.source == "computed":
            return str(_("berekend, voorlopig")) if self.provisional else str(_("berekend"))
        if self.source.startswith("registratie-"):
            return str(_("rapport %(year)s") % {"year": self.source.removeprefix("registratie-")})
        return "–"

    @property
    def display_note(self) -> str:
        if self.source == "computed":
            if self.provisional:
                return str(_("berekend uit de jaaropgaven en de lopende registratie; voorlopig"))
            return str(_("berekend uit de goedgekeurde jaaropgaven"))
        note = str(NOTES[self.year]) if self.year in NOTES and self.note else self.note
        if self.computed_sites is not None:
            if self.computed_provisional:
                kept = ngettext(
                    "de gepubliceerde cijfers; het systeem heeft over dit jaar gegevens van "
                    "%(n)s locatie, niet uit een goedgekeurde jaaropgave",
                    "de gepubliceerde cijfers; het systeem heeft over dit jaar gegevens van "
                    "%(n)s locaties, niet alle uit goedgekeurde jaaropgaven",
                    self.computed_sites) % {"n": self.computed_sites}
            else:
                kept = str(_("de gepubliceerde cijfers; in het systeem hebben maar %(n)s van "
                             "de %(published)s locaties gegevens over dit jaar")
                           % {"n": self.computed_sites, "published": self.sites_with_data})
            note = f"{note}; {kept}" if note else kept
        return note or (str(_("geen gegevens")) if self.missing else "")


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

    def share(variable):
        f = by_key.get((variable, "yes"))
        return None if f is None else f.share

    if not count("sites.delivered"):
        return None
    return HistoryRow(year=year, sites=count("sites.active"),
                      sites_with_data=count("sites.delivered"), mothers=count("mothers.total"),
                      pct_migrant_mothers=pct("mothers.migrant_background"),
                      volunteers=count("volunteers.total"),
                      pct_migrant_volunteers=pct("volunteers.migrant_background"),
                      note="", source="computed", provisional=provisional,
                      share_migrant_mothers=share("mothers.migrant_background"),
                      share_migrant_volunteers=share("volunteers.migrant_background"))


def prefer(computed: HistoryRow | None, published: HistoryRow | None) -> HistoryRow | None:
    """The computed row when it is at least as complete as the published one: at least as many
    sites delivered, every one of them with an approved return (a published report counted
    settled figures; live records back-dated into an old year are not). Else the published
    row, marked with what the system has of the year."""
    if computed is None or published is None or published.missing:
        return computed or published
    if not computed.provisional and (published.sites_with_data is None
                                     or computed.sites_with_data >= published.sites_with_data):
        return computed
    return replace(published, computed_sites=computed.sites_with_data,
                   computed_provisional=computed.provisional)


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
        row = prefer(row, shipped().get(year)) or HistoryRow(year, None, None, None, None, None,
                                                             None, "", "")
        rows.append(row)
    return rows

"""Dutch sentences of the report's "Resultaten" section (mim.reports.results_section): pure
and deterministic, like mim.reports.text, whose number formats they use.

A value is a Decimal, `SUPPRESSED` (hidden by the publication's rule for results) or None
(not known: nobody was followed that long, or the median was not reached yet).
"""

from __future__ import annotations

import datetime as dt

from mim.figures.standard import HIDDEN_MARK
from mim.reports.text import (
    HIDDEN_TEXT,
    PRIVACY,
    Suppressed,
    fmt_decimal,
    fmt_pct,
    list_phrase,
)

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]
NOT_KNOWN = "nog niet bekend"
DASH_TEXT = "–"  # the tables' mark for "not known" (mim.reports.building.DASH)


def day_text(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def share_text(value) -> str:
    if isinstance(value, Suppressed):
        return HIDDEN_TEXT
    return NOT_KNOWN if value is None else fmt_pct(value)


def months_text(value) -> str:
    if isinstance(value, Suppressed):
        return HIDDEN_TEXT
    return NOT_KNOWN if value is None else f"{fmt_decimal(value)} maanden"


def scope_sentence(cohorts: tuple[int, ...], cutoff: dt.date, who: str) -> str:
    years = list_phrase(str(y) for y in cohorts)
    return (f"Deze resultaten gaan over de {who} die in {years} begonnen, gevolgd tot en met "
            f"{day_text(cutoff)}.")


def retention_sentence(who: str, still: str, shares: list[tuple[int, object]]) -> str:
    """'Van de moeders was na 6 maanden 58% nog in het programma, na 12 maanden 39% en ...'"""
    parts = []
    for months, value in shares:
        text = share_text(value)
        parts.append(f"na {months} maanden {text}")
    sentence = f"Van de {who} was {list_phrase(parts)} {still}."
    notes = []
    if any(isinstance(v, Suppressed) for _m, v in shares):
        notes.append(f"Een aandeel dat niet getoond wordt, is weggelaten {PRIVACY}.")
    if any(v is None for _m, v in shares):
        notes.append("Een aandeel dat nog niet bekend is, vraagt een langere waarneming dan "
                     "er tot nu toe is.")
    return " ".join([sentence, *notes])


def median_sentence(who: str, left: str, still: str, value) -> str:
    if isinstance(value, Suppressed):
        return f"De mediane duur van de {who} is niet getoond {PRIVACY}."
    if value is None:
        return (f"Aan het eind van de waarneming was nog meer dan de helft van de {who} "
                f"{still}; de mediane duur is dus nog niet bekend.")
    return (f"De helft van de {who} {left} binnen {fmt_decimal(value)} maanden (de mediane "
            f"duur).")


def end_groups_sentence(completed, early) -> str:
    return (f"Moeders die het hele programma afrondden, waren {_median(completed)} in het "
            f"programma; moeders die eerder stopten {_median(early)}.")


def _median(value) -> str:
    if isinstance(value, Suppressed):
        return f"een duur die niet getoond wordt {PRIVACY}"
    if value is None:
        return "een duur die nog niet bekend is"
    return f"mediaan {fmt_decimal(value)} maanden"


def visits_sentences(per_volunteer, per_mother, monthly) -> list[tuple[int, str]]:
    """The sentences on the visits, each with the index of the statistic it states (0: per
    volunteer, 1: per mother, 2: the monthly share), the row of the table it points to."""
    out = []
    if per_volunteer is not None:
        out.append((0, _rate("Een actieve vrijwilliger legde", per_volunteer, "bezoeken per "
                             "maand af, gerekend over de maanden dat zij actief was")))
    if per_mother is not None:
        out.append((1, _rate("Een gekoppelde moeder kreeg", per_mother, "bezoeken per maand, "
                             "gerekend over de maanden dat zij gekoppeld was")))
    if monthly is not None:
        if isinstance(monthly, Suppressed):
            out.append((2, f"Het aandeel gekoppelde moeders dat elke volle maand van de "
                           f"koppeling bezocht werd, is niet getoond {PRIVACY}."))
        else:
            out.append((2, f"{fmt_pct(monthly)} van de gekoppelde moeders werd elke volle maand "
                           f"van de koppeling minstens één keer bezocht."))
    return out


def _rate(subject: str, value, rest: str) -> str:
    if isinstance(value, Suppressed):
        return f"{subject} een aantal {rest}; het is niet getoond {PRIVACY}."
    # two decimals, as the table and the published row have them
    return f"{subject} gemiddeld {fmt_decimal(value, 2)} {rest}."


def can_and_cannot(cohorts: tuple[int, ...], cutoff: dt.date) -> list[str]:
    """What the figures can and cannot show: the careful words of the section."""
    return [
        "Wat deze cijfers laten zien: hoe lang moeders in het programma bleven en "
        "vrijwilligers actief waren, en hoe vaak er bezocht werd, zoals de locaties dat "
        "registreerden.",
        "Wat ze niet laten zien: of het programma iets veranderde voor de moeders. Er is geen "
        "vergelijkingsgroep van moeders die niet aan MIM deelnamen, dus een verschil of een "
        "verandering is geen effect van het programma. Wie eerder stopte, deed dat om "
        "uiteenlopende redenen (verhuizen, werk, genoeg vooruitgang), niet alleen omdat het "
        "programma niet hielp; en een verschil tussen jaren of locaties kan ook komen doordat "
        "er andere moeders begonnen.",
        f"Hoe het geteld is: wie op {day_text(cutoff)} nog in het programma was, telt mee tot "
        "die dag en niet daarna (de methode van Kaplan en Meier). Een aandeel na 18 maanden "
        "berust alleen op wie zo lang gevolgd is; wie in "
        f"{cohorts[-1]} begon, is hoogstens een jaar gevolgd.",
    ]


def thresholds(min_population: int, min_cell: int) -> str:
    """The publication rule of the results (a note on the method, like "Over de cijfers")."""
    return (f"Een uitkomst wordt alleen getoond voor een groep van minstens {min_population} "
            f"personen, en een aandeel alleen als de aantallen die erachter zitten nul of "
            f"minstens {min_cell} zijn; anders staat er ×. Een locatie met weinig moeders telt "
            "alleen mee in haar samengevoegde groep en daarboven.")


# --- the self-assessment -------------------------------------------------------------------------


def signed(value) -> str:
    """A change or an interval bound with two decimals and its sign: +0,45, −0,20, 0,00."""
    found = fmt_decimal(value, 2)
    return found if found.startswith("−") or found == "0,00" else f"+{found}"


def end_measured_sentence(year: int, ended: str, measured: str, share: str) -> str:
    """The share of the ended mothers with an end measurement, always stated: missing end
    measurements are the first threat to the result. The arguments are the table's cells."""
    threat = ("Ontbrekende eindmetingen zijn de eerste bedreiging voor deze uitkomst: wie "
              "eerder stopt, wordt het minst gemeten en is misschien juist wie het minst "
              "veranderde.")
    if HIDDEN_MARK in (ended, measured, share):
        return (f"Hoeveel van de moeders die in {year} stopten een eindmeting hadden, is niet "
                f"getoond {PRIVACY}. {threat}")
    if ended in (DASH_TEXT, "0"):
        return f"Er zijn in {year} geen moeders gestopt van wie een eindmeting te verwachten was."
    return (f"Van de {ended} moeders die in {year} stopten, hadden er {measured} ({share}) een "
            f"eindmeting. {threat}")


def pairs_sentence(changes: list[tuple[str, str, str]]) -> str:
    """The aims' changes (name, pairs cell, change cell): how many pairs, and the range of the
    mean changes over the aims that are shown."""
    shown = [(name, pairs, change) for name, pairs, change in changes
             if change not in (HIDDEN_MARK, DASH_TEXT)]
    if not shown:
        return ("Voor geen enkel doel zijn er genoeg paren (een begin- en een eindmeting van "
                f"dezelfde moeder) om de verandering te tonen; ze is niet getoond {PRIVACY}.")
    if len(shown) == 1:
        name, pairs, change = shown[0]
        return (f"Alleen bij '{name.lower()}' zijn er genoeg paren (een begin- en een eindmeting "
                f"van dezelfde moeder) om de verandering te tonen: {pairs} paren, gemiddeld "
                f"{change} punt op de schaal.")
    pair_counts = sorted({pairs for _n, pairs, _c in shown}, key=_number)
    low = min(shown, key=lambda c: _number(c[2]))
    high = max(shown, key=lambda c: _number(c[2]))
    paren = (f"{pair_counts[0]} paren" if len(pair_counts) == 1
             else f"{pair_counts[0]} tot {pair_counts[-1]} paren")
    return (f"Een paar is een begin- en een eindmeting van dezelfde moeder; per doel zijn er "
            f"{paren}. De gemiddelde verandering van begin tot einde liep van {low[2]} punt "
            f"('{low[0].lower()}') tot {high[2]} punt ('{high[0].lower()}') op de schaal van "
            "het formulier.")


def _number(cell: str):
    from decimal import Decimal

    return Decimal(cell.replace(".", "").replace(",", ".").replace("−", "-").lstrip("+"))


def assessment_caution() -> str:
    return ("Zo'n verandering is geen effect van het programma: er is geen vergelijkingsgroep "
            "van moeders die niet aan MIM deelnamen, en moeders kunnen in anderhalf jaar ook "
            "zonder programma veranderen. Het interval in de tabel zegt alleen hoe zeker het gemiddelde "
            "van deze moeders is.")


def merged_sentence(label: str, group: str) -> str:
    return (f"De resultaten van {label} worden niet apart getoond: de locatie heeft te weinig "
            f"moeders en telt mee in '{group}'.")


def no_results_sentence(year: int) -> str:
    return f"Over {year} zijn er nog geen resultaten."


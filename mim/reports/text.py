"""Dutch sentences for the national report: pure, deterministic and always right.

The hand-made reports mixed up percent and percentage points, counted "unknown" as a migrant
background and presented per-mention shares as per-mother shares. Every sentence here is built
so that those mistakes cannot be made:

- counts are compared in numbers and percent ("+0,6%"); shares only in percentage points
  ("+4 procentpunten"); the difference of two shares is taken from the rounded shares shown, so
  the numbers in one sentence always agree with each other;
- multi-answer items always state both bases (persons and mentions);
- "unknown" is never ranked and never part of the migrant-background base.

Conventions:

- Numbers: "1.234" (thousands point), "0,6" (decimal comma), shares as whole percentages
  rounded half up ("34%"), the minus sign is U+2212 ("−2").
- Noun phrases (``label``, ``subject``, ``item``) are passed as they read inside a sentence
  ("het aandeel moeders met een migratieachtergrond"); the first letter is capitalised here
  when the phrase opens a sentence.
- Nouns that are counted are a `Noun` (singular, plural) or a plural this module knows
  (`KNOWN_NOUNS`), so "1 locatie" and "2 locaties" both come out right.
- ``None`` means "no figures" (nothing delivered, no such year).
- A hidden figure is `SUPPRESSED`, which says nothing about its size: a cell hidden to protect
  a neighbour may hold 5 or 55, and a sentence that said "minder dan 5" of some hidden cells
  would tell which ones are small (data standard, "Hidden cells"). A `Suppressed` carries no
  number, so none can leak; formatting one with ``str()`` or an f-string raises, so it cannot
  slip into a sentence by accident either.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from mim.figures.tidy import exact_share, rounded

MINUS = "\u2212"
HIDDEN_TEXT = "niet getoond"
PRIVACY = "om de privacy te beschermen"


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A hidden figure: no number and no claim about its size."""

    def __str__(self) -> str:
        raise TypeError("a suppressed figure has no text; handle Suppressed explicitly")

    def __format__(self, spec: str) -> str:
        raise TypeError("a suppressed figure has no text; handle Suppressed explicitly")


SUPPRESSED = Suppressed()

Count = int | Suppressed
Number = Decimal | float | int
Share = Number | Suppressed


class Noun(NamedTuple):
    singular: str
    plural: str

    def of(self, n: int) -> str:
        return self.singular if n == 1 else self.plural


# Dutch plurals cannot be undone by rule (coördinatoren, baby's), so the programme's own nouns
# are listed; anything else is passed as a Noun.
KNOWN_NOUNS = {
    n.plural: n
    for n in (
        Noun("MIM-moeder", "MIM-moeders"),
        Noun("moeder", "moeders"),
        Noun("baby", "baby's"),
        Noun("vrijwilligster", "vrijwilligsters"),
        Noun("vrijwilliger", "vrijwilligers"),
        Noun("coördinator", "coördinatoren"),
        Noun("locatie", "locaties"),
        Noun("organisatie", "organisaties"),
        Noun("gemeente", "gemeenten"),
    )
}


def noun(word: str | Noun | tuple[str, str]) -> Noun:
    """A Noun from a (singular, plural) pair or from a plural listed in KNOWN_NOUNS."""
    if isinstance(word, tuple):
        return Noun(*word)
    try:
        return KNOWN_NOUNS[word]
    except KeyError:
        # Fail on every call, not only when a count happens to be 1.
        raise ValueError(f"unknown noun {word!r}: pass Noun(singular, plural)") from None


# --- numbers ---------------------------------------------------------------------------------


def _decimal(x: Number) -> Decimal:
    # str() of a float is its shortest repr, so 2.675 rounds as people expect, not as binary does.
    if isinstance(x, bool) or not isinstance(x, Decimal | float | int):
        raise TypeError(f"expected a number, got {x!r}")
    d = x if isinstance(x, Decimal) else Decimal(str(x))
    if not d.is_finite():
        raise ValueError(f"not a finite number: {x!r}")
    return d


def _whole(x: Number) -> int:
    """Rounded half up, away from zero on both sides (-2.5 gives -3, like 2.5 gives 3), by the
    one rounding function of the figures (mim.figures.tidy.rounded)."""
    return int(rounded(_decimal(x)))


def _count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected a count, got {n!r}")
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    return n


def _pct(p: Number) -> Number:
    if not 0 <= _decimal(p) <= 100:
        raise ValueError(f"a share must lie between 0 and 100: {p!r}")
    return p


def _check_years(year: int, previous_year: int) -> None:
    if previous_year >= year:
        raise ValueError(f"previous year {previous_year} is not before {year}")


def _sign(negative: bool, text: str) -> str:
    return f"{MINUS}{text}" if negative else text


def fmt_int(n: Count) -> str:
    """1234 -> "1.234", -5 -> "−5"; a suppressed count -> "niet getoond"."""
    if isinstance(n, Suppressed):
        return HIDDEN_TEXT
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an integer, got {n!r}")
    return _sign(n < 0, f"{abs(n):,}".replace(",", "."))


def fmt_decimal(x: Number, places: int = 1) -> str:
    """1234.56 -> "1.234,6": thousands point, decimal comma, rounded half up."""
    q = rounded(_decimal(x), places)
    text = f"{abs(q):,.{places}f}".translate(str.maketrans(",.", ".,"))
    return _sign(q < 0, text)


def fmt_pct(p: Share) -> str:
    """A percentage as a whole number: 34.46 -> "34%", 34.5 -> "35%"."""
    if isinstance(p, Suppressed):
        return HIDDEN_TEXT
    return f"{fmt_int(_whole(p))}%"


def fmt_pp(diff: Share) -> str:
    """A difference of two shares: "+1 procentpunt", "−3 procentpunten", "0 procentpunten"."""
    if isinstance(diff, Suppressed):
        return HIDDEN_TEXT
    n = _whole(diff)
    unit = "procentpunt" if abs(n) == 1 else "procentpunten"
    return f"{'+' if n > 0 else ''}{fmt_int(n)} {unit}"


def fmt_change(current: int, previous: int) -> str | None:
    """Relative change of a count, one decimal: "+0,6%"; None when it cannot or need not be said.

    None for a previous count of 0 (no percentage of nothing) and for a change that rounds to
    0,0% although the counts differ ("+0,0%" would read as "no change").
    """
    current, previous = _count(current), _count(previous)
    if previous == 0:
        return None
    change = Decimal(current - previous) * 100 / Decimal(previous)
    if rounded(change, 1) == 0:
        return None
    return f"{'+' if change > 0 else ''}{fmt_decimal(change)}%"


def fmt_share(count: Count, base: int) -> str:
    """count as a whole percentage of base, never "0%" for some nor "100%" for not all."""
    if isinstance(count, Suppressed):
        return HIDDEN_TEXT
    count, base = _count(count), _count(base)
    if base <= 0 or count > base:
        raise ValueError(f"{count} is not a part of {base}")
    n = _whole(exact_share(count, base))
    if count and n == 0:
        return "minder dan 1%"
    if count < base and n == 100:
        return "meer dan 99%"
    return f"{n}%"


# --- words -----------------------------------------------------------------------------------


def list_phrase(items: Iterable[str]) -> str:
    """Dutch enumeration: "a", "a en b", "a, b en c" (no comma before "en")."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


def count_noun(n: Count, what: str | Noun) -> str:
    """ "1 locatie", "2 locaties", "geen locaties", "een niet getoond aantal locaties"."""
    what = noun(what)
    if isinstance(n, Suppressed):
        return f"een {HIDDEN_TEXT} aantal {what.plural}"
    n = _count(n)
    return f"geen {what.plural}" if n == 0 else f"{fmt_int(n)} {what.of(n)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _no_comparison(previous_year: int) -> str:
    return f"Er zijn geen cijfers over {previous_year} om mee te vergelijken."


def _hidden_previous(previous_year: int) -> str:
    return (f"Het cijfer over {previous_year} wordt niet getoond {PRIVACY}, "
            "dus een vergelijking is niet mogelijk.")


# --- counts over two years -------------------------------------------------------------------


def compare_count(subject: str | Noun, current: Count | None, previous: Count | None, *,
                  year: int, previous_year: int) -> str:
    """E.g. "In 2025 waren er 841 MIM-moeders, 5 meer dan in 2024 (+0,6%)."

    A count is compared in numbers and percent, never in percentage points.
    """
    what = noun(subject)
    _check_years(year, previous_year)
    if current is None:
        return f"Over {year} zijn er geen cijfers over het aantal {what.plural}."
    if isinstance(current, Suppressed):
        # No comparison at all: "more than last year" would narrow the hidden count down.
        return f"Het aantal {what.plural} in {year} wordt niet getoond {PRIVACY}."
    verb = "was" if _count(current) == 1 else "waren"
    opening = f"In {year} {verb} er {count_noun(current, what)}"
    return opening + _count_comparison(current, previous, previous_year)


def count_sentence(subject: str | Noun, current: Count | None, *, year: int) -> str:
    """E.g. "In 2014 waren er 150 moeders van een tweede kind." (no comparison)."""
    what = noun(subject)
    if current is None:
        return f"Over {year} zijn er geen cijfers over het aantal {what.plural}."
    if isinstance(current, Suppressed):
        return f"Het aantal {what.plural} in {year} wordt niet getoond {PRIVACY}."
    verb = "was" if _count(current) == 1 else "waren"
    return f"In {year} {verb} er {count_noun(current, what)}."


def _count_comparison(current: int, previous: Count | None, previous_year: int) -> str:
    if previous is None:
        return ". " + _no_comparison(previous_year)
    if isinstance(previous, Suppressed):
        return ". " + _hidden_previous(previous_year)
    if _count(previous) == current:
        return f", {'net' if current == 0 else 'evenveel'} als in {previous_year}."
    if previous == 0:
        return f", tegen 0 in {previous_year}."
    diff = current - previous
    change = fmt_change(current, previous)
    more = "meer" if diff > 0 else "minder"
    tail = f" ({change})" if change else ""
    return f", {fmt_int(abs(diff))} {more} dan in {previous_year}{tail}."


# --- shares over two years -------------------------------------------------------------------


def compare_share(label: str, current_pct: Share | None, previous_pct: Share | None, *,
                  year: int, previous_year: int) -> str:
    """E.g. "Het aandeel ... is gestegen van 65% in 2024 naar 69% in 2025 (+4 procentpunten)."

    The difference is taken between the rounded shares that the sentence shows, so it always
    matches them; equal rounded shares are reported as (nagenoeg) equal, never as a change of 0.
    """
    _check_years(year, previous_year)
    if current_pct is None:
        return f"Over {year} zijn er geen cijfers over {label}."
    if isinstance(current_pct, Suppressed):
        return f"{_cap(label)} in {year} wordt niet getoond {PRIVACY}."
    opening = f"{_cap(label)} was in {year} {fmt_pct(_pct(current_pct))}."
    if previous_pct is None:
        return f"{opening} {_no_comparison(previous_year)}"
    if isinstance(previous_pct, Suppressed):
        return f"{opening} {_hidden_previous(previous_year)}"
    return _share_change(label, _pct(current_pct), _pct(previous_pct), year, previous_year)


def share_level_sentence(label: str, pct: Share | None, *, year: int) -> str:
    """A share without a comparison: "Het aandeel ... was in 2014 25%." """
    if pct is None:
        return f"Over {year} zijn er geen cijfers over {label}."
    if isinstance(pct, Suppressed):
        return f"{_cap(label)} in {year} wordt niet getoond {PRIVACY}."
    return f"{_cap(label)} was in {year} {fmt_pct(_pct(pct))}."


def _share_change(label: str, current: Number, previous: Number, year: int,
                  previous_year: int) -> str:
    now, before = _whole(current), _whole(previous)
    if now == before:
        how = "gelijk" if _decimal(current) == _decimal(previous) else "nagenoeg gelijk"
        return f"{_cap(label)} is {how} gebleven op {now}% in zowel {previous_year} als {year}."
    direction = "gestegen" if now > before else "gedaald"
    return (f"{_cap(label)} is {direction} van {before}% in {previous_year} "
            f"naar {now}% in {year} ({fmt_pp(now - before)}).")


# --- multi-answer items ----------------------------------------------------------------------


def multi_answer_sentence(label: str, count: Count | None, persons_base: Count,
                          mentions_total: Count, *, persons: str | Noun = "moeders",
                          mentions: str = "omstandigheden") -> str:
    """Both bases: "... bij 524 van de 841 moeders (62%). Dat is 30% van alle 1.745 genoemde
    omstandigheden."

    `persons_base` is everyone who could have the answer; `mentions_total` is the sum of the
    counts of all codes of the item. The hand-made reports gave only the second and called it
    the first.
    """
    who = noun(persons)
    if count is None:
        return f"Over {label} zijn er geen cijfers."
    if isinstance(count, Suppressed):
        return f"Hoe vaak {label} is genoemd, wordt niet getoond {PRIVACY}."
    if _count(count) == 0:
        return f"{_cap(label)} is bij geen enkele {who.singular} genoemd."
    return _person_share(label, count, persons_base, who) + _mention_share(count, mentions_total,
                                                                           mentions)


def _person_share(label: str, count: int, base: Count, who: Noun) -> str:
    if isinstance(base, Suppressed):
        return f"{_cap(label)} is genoemd bij {count_noun(count, who)}."
    return (f"{_cap(label)} is genoemd bij {fmt_int(count)} van de {fmt_int(base)} "
            f"{who.of(base)} ({fmt_share(count, base)}).")


def _mention_share(count: int, total: Count, mentions: str) -> str:
    if isinstance(total, Suppressed):
        return ""
    return f" Dat is {fmt_share(count, total)} van alle {fmt_int(total)} genoemde {mentions}."


def multi_answer_note(persons: str | Noun = "moeders", mentions: str = "omstandigheden") -> str:
    """The reader's key to the two bases of a multi-answer item."""
    who = noun(persons)
    return (f"Per {who.singular} kunnen meerdere {mentions} zijn genoemd. Daarom kunnen de "
            f"percentages van de {who.plural} samen meer dan 100% zijn.")


# --- migrant background ----------------------------------------------------------------------


def migrant_background_sentence(pct_known: Share | None, unknown_count: Count, total: int, *,
                                persons: str | Noun = "moeders") -> str:
    """Migrant background as a share of persons with a KNOWN origin, plus how many are unknown.

    `pct_known` = persons with an origin other than dutch and unknown, in percent of persons
    whose origin is known. Unknown origin is never a migrant background and is not in the base.
    """
    who = noun(persons)
    if not isinstance(unknown_count, Suppressed):
        _count(unknown_count)
    if _count(total) == 0:
        return f"Er zijn geen {who.plural}, dus er is geen cijfer over migratieachtergrond."
    if isinstance(unknown_count, int) and unknown_count >= total:
        return _all_unknown(pct_known, unknown_count, total, who)
    head = _migrant_share(pct_known, unknown_count, total, who)
    return f"{head} {_unknown_origin(unknown_count, total, who)}".strip()


def _all_unknown(pct_known: Share | None, unknown_count: int, total: int, who: Noun) -> str:
    if unknown_count > total:
        raise ValueError(f"{unknown_count} unknown out of {total}")
    if pct_known is not None and not isinstance(pct_known, Suppressed):
        raise ValueError("no origin is known, so there is no share with a migrant background")
    return (f"Van geen enkele {who.singular} is de afkomst bekend. Daarom is niet te zeggen "
            f"hoeveel {who.plural} een migratieachtergrond hebben.")


def _migrant_share(pct: Share | None, unknown: Count, total: int, who: Noun) -> str:
    if pct is None:
        return f"Er zijn geen cijfers over de migratieachtergrond van de {who.plural}."
    if isinstance(pct, Suppressed):
        return f"Het aandeel {who.plural} met een migratieachtergrond wordt niet getoond {PRIVACY}."
    share = fmt_pct(_pct(pct))
    if unknown == 0:
        return (f"Van alle {fmt_int(total)} {who.of(total)} is de afkomst bekend; "
                f"{share} van hen heeft een migratieachtergrond.")
    # A hidden unknown count also hides the known count (total minus unknown).
    if isinstance(unknown, Suppressed):
        known = who.plural
    else:
        known = f"{fmt_int(total - unknown)} {who.of(total - unknown)}"
    return (f"Van de {known} van wie de afkomst bekend is, "
            f"heeft {share} een migratieachtergrond.")


def _unknown_origin(unknown: Count, total: int, who: Noun) -> str:
    excluded = "niet mee in het percentage met een migratieachtergrond."
    if isinstance(unknown, Suppressed):
        return (f"Hoeveel {who.plural} een onbekende afkomst hebben, wordt niet getoond "
                f"{PRIVACY}; zij tellen {excluded}")
    if unknown == 0:
        return ""
    these = f"deze {who.singular} telt" if unknown == 1 else f"deze {who.plural} tellen"
    return (f"Van {count_noun(unknown, who)} ({fmt_share(unknown, total)}) is de afkomst niet "
            f"bekend; {these} {excluded}")


# --- largest and smallest site ---------------------------------------------------------------


def range_sentence(values: Mapping[str, Count | None], *,
                   subject: str = "het aantal MIM-moeders", per: str | Noun = "locaties") -> str:
    """E.g. "Het aantal MIM-moeders per locatie varieert van 5 (Zeewolde) tot 319 (Den Haag)."

    `values` maps a site name to its figure; None (no figures) is left out. Ties name every
    site. A hidden count could be anywhere, so with one the range is said to cover the shown
    sites only.
    """
    unit = noun(per)
    shown = {name: _count(n) for name, n in values.items() if isinstance(n, int)}
    hidden = [n for n in values.values() if isinstance(n, Suppressed)]
    if not shown:
        if hidden:
            return f"{_cap(subject)} per {unit.singular} wordt niet getoond {PRIVACY}."
        return f"Er zijn geen cijfers over {subject} per {unit.singular}."
    lo, hi = min(shown.values()), max(shown.values())
    note = f" {_hidden_sites(len(hidden), unit)}" if hidden else ""
    if lo == hi:
        return _flat_range(subject, unit, shown, partial=bool(hidden)) + note
    return _range(subject, unit, shown, partial=bool(hidden)) + note


def _sites_with(shown: Mapping[str, int], value: int) -> str:
    return list_phrase(sorted((k for k, v in shown.items() if v == value), key=str.casefold))


def _range(subject: str, unit: Noun, shown: Mapping[str, int], *, partial: bool = False) -> str:
    lo, hi = min(shown.values()), max(shown.values())
    low = f"{fmt_int(lo)} ({_sites_with(shown, lo)})"
    scope = f"bij de getoonde {unit.plural} " if partial else ""
    return (f"{_cap(subject)} per {unit.singular} varieert {scope}van {low} "
            f"tot {fmt_int(hi)} ({_sites_with(shown, hi)}).")


def _flat_range(subject: str, unit: Noun, shown: Mapping[str, int], *, partial: bool) -> str:
    value = next(iter(shown.values()))
    only = "getoonde " if partial else ""
    if len(shown) == 1:
        return (f"{_cap(subject)} is {fmt_int(value)} ({_sites_with(shown, value)}); "
                f"dat is de enige {only}{unit.singular} met cijfers.")
    where = "beide" if len(shown) == 2 else f"alle {fmt_int(len(shown))}"
    return f"{_cap(subject)} is op {where} {only}{unit.plural} gelijk: {fmt_int(value)}."


def _hidden_sites(n: int, unit: Noun) -> str:
    return f"Van {count_noun(n, unit)} wordt het cijfer niet getoond {PRIVACY}."


# --- single-answer breakdowns ----------------------------------------------------------------

_UNKNOWN_KEYS = {"unknown", "onbekend", "niet bekend", "niet gespecificeerd"}


def ranked_categories_sentence(counts: Mapping[str, Count], *, item: str, unknown: Count = 0,
                               base: int | None = None, persons: str | Noun = "moeders",
                               top: int = 4, state_unknown: bool = True) -> str:
    """E.g. "De grootste groep is 25-29 jaar (34%), gevolgd door 30-34 jaar (29%) en ...".

    `counts` maps the Dutch label of each substantive category to its count; `unknown` is
    passed apart and is never ranked. Shares are of `base`, all persons, unknown included (the
    single-answer rule), so `base` must equal the sum when nothing is hidden. `item` names what
    may be unknown: "de leeftijd", "het opleidingsniveau". `top` counts categories; a tie at
    the cut-off is kept whole. `state_unknown=False` leaves out the sentence about unknowns
    (when a sentence next to it already says it).
    """
    who = noun(persons)
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    base = _single_answer_base(counts, unknown, base)
    if base == 0:
        return f"Er zijn geen {who.plural}, dus er is geen verdeling."
    ranked = sorted(((k, v) for k, v in counts.items() if isinstance(v, int) and v > 0),
                    key=lambda kv: -kv[1])  # stable: equal counts keep the codebook order
    unplaced = sum(isinstance(v, Suppressed) for v in counts.values())
    parts = [_ranking(ranked, base, top, partial=unplaced > 0),
             _hidden_groups(unplaced),
             _unknown_note(unknown, base, who, item) if state_unknown else ""]
    return " ".join(p for p in parts if p)


def _single_answer_base(counts: Mapping[str, Count], unknown: Count, base: int | None) -> int:
    bad = [k for k in counts if k.strip().casefold() in _UNKNOWN_KEYS]
    if bad:
        raise ValueError(f"pass {bad[0]!r} as unknown=, it is not a category to rank")
    values = [*counts.values(), unknown]
    known = sum(_count(v) for v in values if not isinstance(v, Suppressed))
    if any(isinstance(v, Suppressed) for v in values):
        if base is None or _count(base) < known:
            raise ValueError("with hidden counts, pass the base (all persons) explicitly")
        return base
    if base is not None and _count(base) != known:
        raise ValueError(f"categories add up to {known}, not to the base {base}")
    return known


def _tie_groups(ranked: list[tuple[str, int]], top: int) -> list[tuple[list[str], int]]:
    groups: list[tuple[list[str], int]] = []
    for taken, (label, n) in enumerate(ranked):
        if groups and groups[-1][1] == n:
            groups[-1][0].append(label)  # a tie at the cut-off is kept whole
        elif taken >= top:
            break
        else:
            groups.append(([label], n))
    return groups


def _group_text(labels: list[str], n: int, base: int) -> str:
    each = "elk " if len(labels) > 1 else ""
    return f"{list_phrase(labels)} ({each}{fmt_share(n, base)})"


def _ranking(ranked: list[tuple[str, int]], base: int, top: int, *, partial: bool) -> str:
    groups = _tie_groups(ranked, top)
    if not groups:
        return ""
    (first, n), rest = groups[0], groups[1:]
    tie = len(first) > 1
    if partial:
        verb = "zijn" if tie else "is"
        lead = (f"Van de getoonde groepen {verb} {list_phrase(first)} de grootste "
                f"({'elk ' if tie else ''}{fmt_share(n, base)})")
    else:
        lead = f"De grootste {'groepen zijn' if tie else 'groep is'} {_group_text(first, n, base)}"
    follow = list_phrase(_group_text(labels, m, base) for labels, m in rest)
    return f"{lead}, gevolgd door {follow}." if rest else f"{lead}."


def _hidden_groups(n: int) -> str:
    if not n:
        return ""
    return f"Van {count_noun(n, ('groep', 'groepen'))} wordt het aantal niet getoond {PRIVACY}."


def _unknown_note(unknown: Count, base: int, who: Noun, item: str) -> str:
    if isinstance(unknown, Suppressed):
        return f"Van hoeveel {who.plural} {item} niet bekend is, wordt niet getoond {PRIVACY}."
    if unknown == 0:
        return ""
    if unknown == base:
        return f"Van alle {fmt_int(base)} {who.of(base)} is {item} niet bekend."
    return f"Van {count_noun(unknown, who)} ({fmt_share(unknown, base)}) is {item} niet bekend."


# --- completeness ----------------------------------------------------------------------------


def completeness_sentence(delivered: int, active: int, *, year: int,
                          per: str | Noun = "locaties") -> str:
    """E.g. "De cijfers over 2025 komen van 23 van de 26 locaties." """
    unit = noun(per)
    delivered, active = _count(delivered), _count(active)
    if delivered > active:
        raise ValueError(f"{delivered} delivered out of {active} active")
    if active == 0:
        return f"In {year} was er geen enkele actieve {unit.singular}."
    if delivered == 0:
        return f"Over {year} heeft geen enkele {unit.singular} cijfers aangeleverd."
    if delivered == active == 1:
        return f"De cijfers over {year} komen van de enige {unit.singular}."
    if delivered == active:
        return f"De cijfers over {year} komen van alle {fmt_int(active)} {unit.plural}."
    return (f"De cijfers over {year} komen van {fmt_int(delivered)} van de {fmt_int(active)} "
            f"{unit.plural}.")


# --- averages and ranges over persons --------------------------------------------------------

MIN_PERSONS = 10  # no mean, minimum or maximum over fewer persons (small-cell rule 4)
MIN_PERSONS_WORD = "tien"


def ratio_sentence(numerator: Count | None, denominator: Count | None, *,
                   what: str | Noun, per: str | Noun) -> str | None:
    """E.g. "Gemiddeld zijn er 2,2 moeders per vrijwilliger." or None when it cannot be said.

    An average is only given when both counts are shown and both are at least 10: a mean over
    fewer persons is not published (guides/security.md, small-cell rule 4).
    """
    things, unit = noun(what), noun(per)
    if not isinstance(numerator, int) or not isinstance(denominator, int):
        return None
    if _count(numerator) < MIN_PERSONS or _count(denominator) < MIN_PERSONS:
        return None
    ratio = Decimal(numerator) / Decimal(denominator)
    return f"Gemiddeld zijn er {fmt_decimal(ratio)} {things.plural} per {unit.singular}."


def hours_range_sentence(hours: Iterable[Number], *, who: str | Noun = "coördinatoren") -> str:
    """E.g. "De coördinatoren hebben minimaal 4 en maximaal 28 uur per week voor MIM."

    Minimum and maximum are only given over at least 10 persons (small-cell rule 4).
    """
    people = noun(who)
    values = [_decimal(h) for h in hours]
    if not values:
        return f"Er zijn geen gegevens over de uren van de {people.plural}."
    if len(values) < MIN_PERSONS:
        return (f"De uren per week worden niet getoond: het gaat om minder dan "
                f"{MIN_PERSONS} {people.plural}.")
    lo, hi = min(values), max(values)
    if lo == hi:
        return f"Alle {people.plural} hebben {_hours(lo)} uur per week voor MIM."
    return (f"De {people.plural} hebben minimaal {_hours(lo)} en maximaal {_hours(hi)} uur "
            f"per week voor MIM.")


def _hours(x: Decimal) -> str:
    return fmt_int(int(x)) if x == x.to_integral_value() else fmt_decimal(x)


def fmt_hours(x: Number) -> str:
    """Hours as the sentences give them: "16", "28,5"."""
    return _hours(_decimal(x))


def reference_share_sentence(label: str, value: Share | None, reference: Share | None, *,
                             here: str, there: str) -> str:
    """A share set beside a reference share, in percentage points; e.g. "Het aandeel moeders
    met een migratieachtergrond is 72% bij Ede en 64% landelijk: 8 procentpunten hoger."

    As in `compare_share`, the difference is taken between the rounded shares shown.
    """
    if value is None:
        return f"Over {label} zijn er geen cijfers van {here}."
    if isinstance(value, Suppressed):
        return f"{_cap(label)} {here} wordt niet getoond {PRIVACY}."
    opening = f"{_cap(label)} is {fmt_pct(_pct(value))} {here}"
    if reference is None:
        return f"{opening}; er is geen cijfer {there} om mee te vergelijken."
    if isinstance(reference, Suppressed):
        return f"{opening}; het cijfer {there} wordt niet getoond {PRIVACY}."
    now, ref = _whole(value), _whole(_pct(reference))
    if now == ref:
        return f"{opening}, even hoog als {there}."
    how = "hoger" if now > ref else "lager"
    return (f"{opening} en {fmt_pct(reference)} {there}: "
            f"{fmt_pp(abs(now - ref)).lstrip('+')} {how}.")


def round_half_up(x: Number) -> int:
    """A share as the whole percentage the report shows (34.5 -> 35)."""
    return _whole(x)


def fmt_share_cell(count: Count, base: int) -> str:
    """`fmt_share` for a table cell: "<1%" and ">99%" where a sentence says "minder dan 1%"."""
    text = fmt_share(count, base)
    return {"minder dan 1%": "<1%", "meer dan 99%": ">99%"}.get(text, text)


# --- changes that mean something ---------------------------------------------------------------

# A change of a share between two years is worth a sentence only when it is large and not
# chance: the whole percentages shown differ by at least NOTABLE_PP points, both years have at
# least NOTABLE_BASE persons, and a two-proportion z-test rejects "the same share in both years"
# at the 5% level (|z| of at least 1,96). With 800 mothers a share must move about 5 points to
# pass the test anyway; with 60 volunteers who stopped, 5 points is well within chance, and the
# test keeps such wobbles out of the text. A count changes notably when it moves by at least
# NOTABLE_COUNT_PCT percent and at least NOTABLE_BASE / 5 persons.
NOTABLE_PP = 5
NOTABLE_BASE = 50
NOTABLE_Z = 1.96
NOTABLE_COUNT_PCT = 10


def notable_share_change(count: int, base: int, previous_count: int, previous_base: int) -> bool:
    """Whether a share moved enough between two years to mean something (the rule above)."""
    for n in (count, base, previous_count, previous_base):
        _count(n)
    if base < NOTABLE_BASE or previous_base < NOTABLE_BASE:
        return False
    now, before = exact_share(count, base), exact_share(previous_count, previous_base)
    if abs(_whole(now) - _whole(before)) < NOTABLE_PP:
        return False
    pooled = (count + previous_count) / (base + previous_base)
    spread = (pooled * (1 - pooled) * (1 / base + 1 / previous_base)) ** 0.5
    if spread == 0:
        return False
    return abs(count / base - previous_count / previous_base) / spread >= NOTABLE_Z


def notable_count_change(current: int, previous: int) -> bool:
    current, previous = _count(current), _count(previous)
    diff = abs(current - previous)
    return previous > 0 and diff >= NOTABLE_BASE // 5 and diff * 100 >= NOTABLE_COUNT_PCT * previous


def notable_rule() -> str:
    """The rule in words, for the report's "Over de cijfers"."""
    return (f"Een verschil met het vorige jaar wordt in de tekst alleen genoemd als het groot "
            f"genoeg is om iets te betekenen. Voor een percentage: de afgeronde percentages "
            f"verschillen minstens {NOTABLE_PP} procentpunten, het gaat in beide jaren om "
            f"minstens {NOTABLE_BASE} personen, en een toets op het verschil tussen twee "
            f"proporties (op het niveau van 5%) zegt dat het verschil geen toeval is. Voor een "
            f"aantal: het verschilt minstens {NOTABLE_COUNT_PCT}% en minstens "
            f"{NOTABLE_BASE // 5} personen. Kleinere verschillen staan wel in de tabellen.")


class ShareChange(NamedTuple):
    """A notable change of a share: the phrase it is a share of, both shares (exact)."""

    label: str  # "het aandeel moeders van 25-29 jaar"
    previous: Number
    current: Number


def changes_sentence(changes: list[ShareChange], *, previous_year: int, what: str) -> str:
    """E.g. "Tegen 2013 is het aandeel ... gestegen van 20% naar 28% (+8 procentpunten)." or,
    without a notable change, that the distribution of `what` is much like last year's."""
    if not changes:
        return (f"{_cap(what)} lijkt op die van {previous_year}: geen verschil is groot genoeg "
                f"om iets te betekenen.")
    parts = []
    for change in changes:
        now, before = _whole(change.current), _whole(change.previous)
        direction = "gestegen" if now > before else "gedaald"
        parts.append(f"{change.label} {direction} van {before}% naar {now}% "
                     f"({fmt_pp(now - before)})")
    verb = "is" if len(parts) == 1 else "zijn"
    if len(parts) == 1:
        return f"Tegen {previous_year} {verb} {parts[0]}."
    return f"Tegen {previous_year} {verb} {list_phrase(parts)}."


def most_mentioned_sentence(ranked: list[tuple[str, int]], *, base: int, lead: str,
                            persons: str | Noun = "moeders") -> str:
    """E.g. "Bij de moeder zijn het vaakst genoemd: A (bij 34% van de moeders), B (20%) en C
    (15%)." The share is of the persons (a person can have several answers)."""
    who = noun(persons)
    if not ranked:
        return f"{_cap(lead)} is niets genoemd dat getoond kan worden."
    (first, n), rest = ranked[0], ranked[1:]
    parts = [f"{first} (bij {fmt_share(n, base)} van de {who.plural})"]
    parts += [f"{label} ({fmt_share(m, base)})" for label, m in rest]
    verb = "is" if len(parts) == 1 else "zijn"
    return f"{_cap(lead)} {verb} het vaakst genoemd: {list_phrase(parts)}."


def mentions_base_sentence(mentions: Count, persons_base: int, *, what: str,
                           persons: str | Noun = "moeders") -> str:
    """Both bases of a multi-answer item, named once."""
    who = noun(persons)
    if isinstance(mentions, Suppressed):
        return (f"De percentages zijn van alle {count_noun(persons_base, who)}; per "
                f"{who.singular} kunnen meer {what} genoemd zijn.")
    return (f"De percentages zijn van alle {count_noun(persons_base, who)}; per "
            f"{who.singular} kunnen meer {what} genoemd zijn, samen {fmt_int(_count(mentions))}.")


def share_range_sentence(sites_with: int, sites: int, shares: list[int], *,
                         what: str | Noun, unshown: int = 0) -> str:
    """E.g. "Moeders van een tweede kind zijn bereikt op 22 van de 23 locaties met gegevens.
    Hun aandeel ligt per locatie tussen 2% en 50% (over de 15 locaties waarvan het apart
    getoond wordt)."

    `sites_with` counts the sites whose own count is shown and not 0; `unshown` sites have
    data but no count shown on their own (merged or hidden), so with any of them `sites_with`
    is a lower bound ("ten minste"); `shares` are the whole percentages of the sites
    published on their own.
    """
    who = noun(what)
    sites_with, sites, unshown = _count(sites_with), _count(sites), _count(unshown)
    if sites_with + unshown > sites:
        raise ValueError(f"{sites_with} and {unshown} not shown of {sites} sites")
    if unshown:
        aside = (f"van {count_noun(unshown, 'locaties')} wordt het aantal niet apart "
                 f"getoond")
        if unshown == sites:
            return (f"Van geen van de {count_noun(sites, 'locaties')} met gegevens wordt het "
                    f"aantal {who.plural} apart getoond.")
        if sites_with == 0:
            head = (f"Op de locaties waarvan het aantal apart getoond wordt, zijn geen "
                    f"{who.plural} bereikt; van {fmt_int(unshown)} van de "
                    f"{count_noun(sites, 'locaties')} met gegevens wordt het aantal niet "
                    f"apart getoond.")
        else:
            head = (f"{_cap(who.plural)} zijn bereikt op ten minste {fmt_int(sites_with)} van "
                    f"de {count_noun(sites, 'locaties')} met gegevens; {aside}.")
    elif sites_with == 0:
        return f"Op geen van de {count_noun(sites, 'locaties')} met gegevens zijn {who.plural} bereikt."
    else:
        where = ("op alle " + count_noun(sites, "locaties") if sites_with == sites
                 else f"op {fmt_int(sites_with)} van de {count_noun(sites, 'locaties')}")
        head = f"{_cap(who.plural)} zijn bereikt {where} met gegevens."
    if len(shares) < 2:
        return head
    lo, hi = min(shares), max(shares)
    if lo == hi:
        return (f"{head} Hun aandeel is op elk van de {fmt_int(len(shares))} locaties die apart "
                f"getoond worden {fmt_int(lo)}%.")
    return (f"{head} Hun aandeel ligt per locatie tussen {fmt_int(lo)}% en {fmt_int(hi)}% (over "
            f"de {fmt_int(len(shares))} locaties die apart getoond worden).")


# --- the summary -------------------------------------------------------------------------------


def summary_sites_sentence(active: int, organisations: int | None, delivered: int, *,
                           year: int) -> str:
    """E.g. "In 2014 werkten 26 locaties van 9 organisaties met MIM; 23 van hen leverden
    cijfers aan." """
    active, delivered = _count(active), _count(delivered)
    if active == 0:
        return f"In {year} was er geen enkele actieve MIM-locatie."
    of = f" van {count_noun(organisations, 'organisaties')}" if organisations else ""
    verb = "werkte" if active == 1 else "werkten"
    head = f"In {year} {verb} {count_noun(active, 'locaties')}{of} met MIM"
    if delivered == active:
        tail = "alle leverden cijfers aan" if active > 1 else "die leverde cijfers aan"
    elif delivered == 0:
        tail = "geen van hen leverde cijfers aan"
    else:
        tail = f"{fmt_int(delivered)} van hen {'leverde' if delivered == 1 else 'leverden'} cijfers aan"
    return f"{head}; {tail}."


def summary_people_sentence(coordinators: int | None, volunteers: Count | None,
                            mothers: Count | None, *, volunteers_per_coordinator: str | None,
                            mothers_per_volunteer: str | None,
                            all_coordinators: int | None = None) -> str:
    """Coordinators, the volunteers they support and the mothers those visit, in one or two
    connected sentences; an average only where the key-figures table gives one.

    `coordinators` are those at the sites that delivered (`coordinators.delivered`), the
    ones whose volunteers are counted; `all_coordinators` (`coordinators.total`) is named
    beside them when it is more."""
    parts = []
    if coordinators and isinstance(volunteers, int):
        avg = (f", gemiddeld {volunteers_per_coordinator} per coördinator"
               if volunteers_per_coordinator else "")
        of_all = (f" (van de {fmt_int(all_coordinators)} in totaal)"
                  if all_coordinators and all_coordinators > coordinators else "")
        parts.append(f"Op de locaties met gegevens "
                     f"{'begeleidde' if coordinators == 1 else 'begeleidden'} "
                     f"{count_noun(coordinators, 'coördinatoren')}{of_all} samen "
                     f"{count_noun(volunteers, 'vrijwilligers')}{avg}.")
    elif isinstance(volunteers, int):
        parts.append(f"Er waren {count_noun(volunteers, 'vrijwilligers')}.")
    if isinstance(mothers, int):
        avg = (f", gemiddeld {mothers_per_volunteer} moeders per vrijwilliger"
               if mothers_per_volunteer else "")
        who = "Zij bezochten" if isinstance(volunteers, int) else "De vrijwilligers bezochten"
        parts.append(f"{who} {count_noun(mothers, 'MIM-moeders')}{avg}.")
    return " ".join(parts)


def summary_reach_sentence(mothers_pct: Share | None, volunteers_pct: Share | None) -> str:
    """The reach of mothers (and volunteers) with a migrant background, of a known origin."""
    if mothers_pct is None or isinstance(mothers_pct, Suppressed):
        return ""
    head = (f"Van de MIM-moeders van wie de afkomst bekend is, heeft "
            f"{fmt_pct(_pct(mothers_pct))} een migratieachtergrond")
    if volunteers_pct is None or isinstance(volunteers_pct, Suppressed):
        return head + "."
    return f"{head}; bij de vrijwilligers is dat {fmt_pct(_pct(volunteers_pct))}."


class CountChange(NamedTuple):
    what: str  # "het aantal MIM-moeders"
    previous: int
    current: int


def summary_changes_sentence(counts: list[CountChange], shares: list[ShareChange], *,
                             previous_year: int) -> str:
    """The year's notable changes (notable_count_change, notable_share_change) in one sentence."""
    parts = []
    for c in counts:
        direction = "gestegen" if c.current > c.previous else "gedaald"
        parts.append(f"{c.what} {direction} van {fmt_int(c.previous)} naar {fmt_int(c.current)} "
                     f"({fmt_change(c.current, c.previous)})")
    for s in shares:
        now, before = _whole(s.current), _whole(s.previous)
        direction = "gestegen" if now > before else "gedaald"
        parts.append(f"{s.label} {direction} van {before}% naar {now}% ({fmt_pp(now - before)})")
    if not parts:
        return (f"Geen van de kerncijfers verschilt zo veel van {previous_year} dat het iets "
                f"betekent.")
    verb = "is" if len(parts) == 1 else "zijn"
    return f"Tegen {previous_year} {verb} {list_phrase(parts)}."


def published_share_sentence(share: Number, *, year: int) -> str:
    """Last year's share from the published report, which the system did not count itself."""
    return (f"Het registratierapport over {year} gaf {fmt_pct(_pct(share))}; dat cijfer is niet "
            f"door MIM Registratie geteld, dus het verschil wordt hier niet beoordeeld.")
# --- coordinators and facts (tidy rows: coordinators.*, facts.*, ratios.*) ---------------------


def hours_statistics_sentence(low: Number | None, median: Number | None, high: Number | None,
                              n: int, *, who: str | Noun = "coördinatoren") -> str:
    """The hours per week from the rows `coordinators.hours_per_week` (min, median, max over
    `n` coordinators, each with her hours summed over her sites). Not over fewer than 10."""
    people = noun(who)
    if not n or low is None or high is None:
        return f"Er zijn geen gegevens over de uren van de {people.plural}."
    if n < MIN_PERSONS:
        # The threshold in words: a rule, not a figure of a table row.
        return (f"De uren per week worden niet getoond: het gaat om minder dan "
                f"{MIN_PERSONS_WORD} {people.plural}.")
    lo, hi = _decimal(low), _decimal(high)
    tail = " Bij wie op meer locaties werkt, zijn de uren van die locaties opgeteld."
    if lo == hi:
        return f"Alle {people.plural} hebben {_hours(lo)} uur per week voor MIM.{tail}"
    middle = f"; de helft heeft {_hours(_decimal(median))} uur of minder" \
        if median is not None else ""
    return (f"De {people.plural} hebben minimaal {_hours(lo)} en maximaal {_hours(hi)} uur "
            f"per week voor MIM{middle}.{tail}")


def per_coordinator_shown(ratio: Number | None, volunteers: Count | None,
                          coordinators: int | None) -> bool:
    """Whether volunteers per coordinator can be said (the section, the key figures and the
    summary use this one rule): the volunteers' total shown, and at least 10 volunteers and 10
    coordinators at the sites that delivered (small-cell rule 4: no mean over fewer persons,
    as for the coordinators' hours)."""
    return (ratio is not None and isinstance(volunteers, int)
            and _count(volunteers) >= MIN_PERSONS and (coordinators or 0) >= MIN_PERSONS)


def per_coordinator_sentence(ratio: Number | None, volunteers: Count | None,
                             coordinators: int) -> str | None:
    """Volunteers per coordinator from the row `ratios.volunteers_per_coordinator`, which is
    over the sites that delivered: the sentence says so. None when it cannot be said
    (`per_coordinator_shown`)."""
    if not per_coordinator_shown(ratio, volunteers, coordinators):
        return None
    return (f"Op de locaties die gegevens aanleverden, begeleiden "
            f"{count_noun(coordinators, 'coördinatoren')} samen "
            f"{count_noun(volunteers, 'vrijwilligers')}: gemiddeld {fmt_decimal(ratio)} "
            f"vrijwilligers per coördinator.")


def coordinators_count_sentence(total: int, previous: int | None, *, year: int,
                                previous_year: int) -> str:
    """The coordinators working in the year, each person once, beside last year's count on
    the same basis (`coordinators.total` of both years) and only then."""
    sentence = compare_count("coördinatoren", total, previous, year=year,
                             previous_year=previous_year)
    note = " Wie op meer locaties werkt, telt één keer mee"
    if previous is not None:
        note += (f"; {previous_year} is op dezelfde manier geteld, ook met de coördinatoren "
                 f"van locaties die geen gegevens aanleverden")
    return f"{sentence}{note}."


def solo_sentence(solo: int, team: int) -> str:
    """From `coordinators.works_solo` (yes/no): who is the only coordinator at every site she
    works at, and who shares at least one site with a colleague."""
    parts = []
    if solo:
        parts.append(f"{count_noun(solo, 'coördinatoren')} "
                     f"{'is' if solo == 1 else 'zijn'} de enige coördinator op elke locatie "
                     f"waar {'zij werkt' if solo == 1 else 'zij werken'}")
    if team:
        parts.append(f"{count_noun(team, 'coördinatoren')} "
                     f"{'werkt' if team == 1 else 'werken'} op ten minste één locatie samen "
                     f"met een andere coördinator")
    return _cap(list_phrase(parts)) + "." if parts else ""


def known_fact_sentence(yes: int, no: int, unknown: int, *, unit: str | Noun, does: Noun,
                        what: str, question: str, negative: str = "") -> str:
    """A yes/no fact from its rows (`facts.<fact>` yes, no, unknown): the share of the units
    of which it is known, and how many are not known. "Not known" is never read as "no": with
    nothing known the sentence says so, never "0 van de ...".

    E.g. "6 van de 9 organisaties waarvan het bekend is, werken met een
    vrijwilligersovereenkomst. Van 3 organisaties is dit niet bekend." `does` is the verb in
    singular and plural ("werkt met", "werken met"); `question` the clause after "of";
    `negative` what the one unit that answered no does ("werkt niet met een ...")."""
    units = noun(unit)
    known = _count(yes) + _count(no)
    if not known:
        if not unknown:
            return f"Er zijn geen gegevens over of {units.plural} {question}."
        if unknown == 1:
            return f"Van de ene {units.singular} met gegevens is dit niet bekend."
        return (f"Van {count_noun(unknown, units)} met gegevens is niet bekend of zij "
                f"{question}.")
    which = f"{units.of(known)} waarvan het bekend is"
    if yes == 0:
        opening = (f"Geen van de {fmt_int(known)} {which}, {does.singular} {what}"
                   if known > 1 else
                   f"De ene {which}, {negative or f'{does.singular} {what} niet'}")
    elif yes == known:
        opening = (f"Alle {fmt_int(known)} {which}, {does.plural} {what}" if known > 1
                   else f"De ene {which}, {does.singular} {what}")
    else:
        opening = (f"{fmt_int(yes)} van de {fmt_int(known)} {which}, "
                   f"{does.of(yes)} {what} ({fmt_share(yes, known)})")
    sentence = f"{_cap(opening)}."
    if unknown:
        sentence += f" Van {count_noun(unknown, units)} is dit niet bekend."
    return sentence


def fact_mentions_sentence(parts: list[tuple[str, int]], known: int, unknown: int, *,
                           unit: str | Noun, note: str = "") -> str:
    """A multi-answer fact from its rows: each named code with the units naming it, as a share
    of the units of which it is known; the units not known are named apart."""
    units = noun(unit)
    if not known:
        text = (f"Van {count_noun(unknown, units)} met gegevens is dit niet bekend."
                if unknown else f"Er zijn geen gegevens van {units.plural}.")
        return text
    named = [f"{label} ({count_noun(k, units)}, {fmt_share(k, known)})" for label, k in parts
             if k]
    of = f"de ene {units.singular}" if known == 1 else f"de {count_noun(known, units)}"
    text = (f"Van {of} waarvan het bekend is, genoemd: "
            f"{list_phrase(named)}." if named
            else f"Geen van de {count_noun(known, units)} waarvan het bekend is, noemt iets.")
    if note:
        text += f" {note}"
    if unknown:
        text += f" Van {count_noun(unknown, units)} is dit niet bekend."
    return text


def coordinators_delivered_sentence(total: int, delivered: int, *, year: int) -> str:
    """How many of the coordinators (`coordinators.total`) work at sites that delivered
    (`coordinators.delivered`): what follows is about those."""
    if not delivered:
        return f"Geen van hen werkt op een locatie die gegevens over {year} aanleverde."
    elsewhere = total - delivered
    return (f"Van hen {'werkt' if delivered == 1 else 'werken'} er {fmt_int(delivered)} op "
            f"locaties die gegevens over {year} aanleverden; {fmt_int(elsewhere)} "
            f"{'werkt' if elsewhere == 1 else 'werken'} alleen op locaties zonder gegevens. "
            f"Wat hieronder volgt, gaat over de {fmt_int(delivered)}.")


def coordinator_list_sentence(known: int, n: int, unknown: int, *, what: str) -> str:
    """A coded list of the coordinators (experience, training; `coordinators.<list>` with
    `unknown`): of how many it is known, of how many not; never "0 van"."""
    if not known:
        return f"Van de {count_noun(n, 'coördinatoren')} is {what} niet bekend."
    of = (f"{fmt_int(known)} van de {count_noun(n, 'coördinatoren')}" if known < n
          else f"alle {count_noun(n, 'coördinatoren')}" if n > 1 else "de ene coördinator")
    text = (f"Over {what} zijn er gegevens van {of}; een coördinator kan meer dan één gebied "
            f"hebben.")
    if unknown:
        text += f" Van {count_noun(unknown, 'coördinatoren')} is dit niet bekend."
    return text


def no_facts_sentence(year: int, what: str) -> str:
    return f"Over {year} zijn er geen gegevens over {what}."


def variant_regular_sentence(count: int, *, unit: str | Noun) -> str:
    return (f"{_cap(count_noun(count, unit))} {'voert' if count == 1 else 'voeren'} het "
            f"reguliere programma uit.")


def variant_sentence(label: str, count: int, names: list[str], *, unit: str | Noun) -> str:
    """A variant other than the regular programme with its units, named when all are known."""
    named = f": {list_phrase(names)}" if names and len(names) == count else ""
    return f"MIM {label}: {count_noun(count, unit)}{named}."


def variant_unknown_sentence(unknown: int, *, unit: str | Noun) -> str:
    return f"Van {count_noun(unknown, unit)} is de uitvoeringsvariant niet bekend."

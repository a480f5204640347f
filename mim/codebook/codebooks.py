"""The one module through which the codebook is read.

A registration year is read with the codebook version in force that year
(`for_year`). Values from files and forms are turned into codes by `Codebook.parse`,
which accepts codes (any case), Dutch and English labels, and ja/nee.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .model import Code, Item
from .versions import CURRENT_ITEMS, ITEMS_2008

FIRST_YEAR = 2004  # the first year of the published national series
# A record may start before it (a volunteer since 2001), but not more than ten years before:
# an earlier start year is a date typed wrong.
EARLIEST_RECORD_YEAR = FIRST_YEAR - 10


class UnknownYear(ValueError):
    pass


class InvalidValue(ValueError):
    """A value that is not a code of the item; the message is shown to the user."""


@dataclass(frozen=True)
class Codebook:
    version: str
    first_year: int
    last_year: int | None
    items: dict[str, Item]

    def item(self, name: str) -> Item:
        return self.items[name]

    def codes(self, name: str) -> list[str]:
        return self.items[name].code_list

    def label(self, item: str, code: str, lang: str = "nl") -> str:
        found = self.items[item].get(code)
        return found.label(lang) if found else code

    def accepts(self, item: str, code: str) -> bool:
        """Whether `code` may be stored for the item in this version: one of its codes, or
        `unknown` (a missing answer) for any single-answer item, also where the version's
        own list had no such category (origin in 2008): the figures count it there too."""
        spec = self.items[item]
        return code in spec or (code == "unknown" and not spec.multi)

    def contradiction(self, item: str, codes) -> str | None:
        """A message when a multi-answer's codes exclude each other ("geen vergoeding"
        beside "reiskosten"), else None. Forms, services and files all ask this."""
        alone = EXCLUSIVE.get(item)
        codes = set(codes)
        if alone in codes and len(codes) > 1 and alone in self.items[item]:
            return _("'%(label)s' kan niet samen met een andere keuze.") % {
                "label": self.label(item, alone, _language())}
        return None

    def parse(self, item: str, raw) -> str:
        """One code for a single-answer item; empty means `unknown`."""
        spec = self.items[item]
        text = _clean(raw)
        if not text:
            return "unknown"  # a missing answer, in every version (see `accepts`)
        return self._lookup(spec, text)

    def parse_multi(self, item: str, raw) -> frozenset[str]:
        """A set of codes for a multi-answer item; `;` separates them."""
        spec = self.items[item]
        text = _clean(raw)
        if not text:
            return frozenset()
        return frozenset(self._lookup(spec, part.strip()) for part in text.split(";")
                         if part.strip())

    def _lookup(self, spec: Item, text: str) -> str:
        code = _index(self.version, spec.name).get(text.casefold())
        if code is None:
            # The labels she sees in the template and the form, in the interface language;
            # the codes are accepted too, but a list of English codes helps nobody.
            lang = _language()
            allowed = ", ".join(c.label(lang) for c in spec.codes)
            raise InvalidValue(_("'%(value)s' is geen geldige waarde (toegestaan: %(allowed)s)")
                               % {"value": text[:40], "allowed": allowed})
        return code

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "items": [
                {
                    "item": item.name,
                    "label_nl": item.nl,
                    "label_en": item.en,
                    "multi": item.multi,
                    "applies_to": item.population,
                    "derived": item.derived,
                    "codes": [{"code": c.code, "label_nl": c.nl, "label_en": c.en}
                              for c in item.codes],
                }
                for item in self.items.values()
            ],
        }


# Codes of a multi-answer item that mean "none of the others".
EXCLUSIVE = {"reimbursement": "none"}


def _language() -> str:
    from django.utils import translation

    return "en" if (translation.get_language() or "nl").startswith("en") else "nl"


def _clean(raw) -> str:
    if raw is None:
        return ""
    return str(raw).strip()


_INDEX_CACHE: dict[tuple[str, str], dict[str, str]] = {}
_SYNONYMS = {"yes_no": {"ja": "yes", "nee": "no", "j": "yes", "n": "no", "y": "yes"}}


def _index(version: str, item: str) -> dict[str, str]:
    key = (version, item)
    if key not in _INDEX_CACHE:
        spec = _BY_VERSION[version].items[item]
        index: dict[str, str] = {}
        for code in spec.codes:
            for form in (code.en, code.nl, code.code):  # the code wins a clash
                index[form.casefold()] = code.code
        if not spec.multi:
            # what a missing answer is stored and exported as (`accepts`), so it re-imports
            index.setdefault("unknown", "unknown")
            index.setdefault("onbekend", "unknown")
        index.update(_SYNONYMS.get(item, {}))
        _INDEX_CACHE[key] = index
    return _INDEX_CACHE[key]


def _book(version, first, last, items) -> Codebook:
    return Codebook(version, first, last, {item.name: item for item in items})


CODEBOOKS = (
    _book("2008", FIRST_YEAR, 2009, ITEMS_2008),
    _book("2010", 2010, None, CURRENT_ITEMS),
)
_BY_VERSION = {book.version: book for book in CODEBOOKS}
CURRENT = CODEBOOKS[-1]


def last_known_year() -> int:
    return dt.date.today().year + 1


def for_year(year: int) -> Codebook:
    """The version in force for registration year `year`."""
    if not FIRST_YEAR <= year <= last_known_year():
        raise UnknownYear(
            f"no codebook for {year}: registration years run from {FIRST_YEAR} "
            f"to {last_known_year()}"
        )
    for book in CODEBOOKS:
        if book.first_year <= year and (book.last_year is None or year <= book.last_year):
            return book
    raise UnknownYear(f"no codebook for {year}")  # unreachable while versions are contiguous


def for_record(year: int) -> Codebook:
    """The version to read a record with that starts in `year`.

    A record may start before the first codebook year: a volunteer who has visited mothers
    since 2001 is still active in the years the system counts. She is read with the oldest
    version, the lists closest to her intake; only a year more than ten years before the
    series or after the last known one (a date typed wrong) has no codebook."""
    if year < EARLIEST_RECORD_YEAR:
        raise UnknownYear(f"no codebook for {year}: records start in {EARLIEST_RECORD_YEAR} "
                          f"at the earliest")
    if year < FIRST_YEAR:
        return CODEBOOKS[0]
    return for_year(year)


def version(name: str) -> Codebook:
    return _BY_VERSION[name]


def all_codes(item: str) -> list[str]:
    """Every code the item has had in any version (for database constraints)."""
    seen: dict[str, None] = {}
    for book in CODEBOOKS:
        if item in book.items:
            seen.update(dict.fromkeys(book.codes(item)))
    return list(seen)


def age_group(age: int | None) -> str:
    if age is None:
        return "unknown"
    if age < 20:
        return "under_20"
    if age >= 40:
        return "40_plus"
    lower = (age // 5) * 5
    return f"{lower}_{lower + 4}"


__all__ = ["Code", "Codebook", "CURRENT", "InvalidValue", "UnknownYear", "age_group",
           "all_codes", "for_record", "for_year", "version"]

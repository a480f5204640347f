"""The order of the names of sites, organisations and municipalities, on every page and in every
report alike: what the programme office reads in a list is the order the report prints."""

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_DIGITS = re.compile(r"(\d+)")


def sort_key(name: str) -> tuple:
    """Dutch alphabetical order: 's-Hertogenbosch is filed under H, capitals do not come first
    ("de Bilt" between Capelle and Ede), and numbers in a name by their value ("Zuid 2" before
    "Zuid 10", where the characters put "1" before "2"). A database orders by its collation,
    which differs between SQLite and PostgreSQL and knows none of this."""
    text = name.casefold().removeprefix("'s-").removeprefix("\u2019s-")
    # isdecimal, not isdigit: "²" is a digit that int() refuses, and \d does not split on it.
    return tuple((0, int(part), "") if part.isdecimal() else (1, 0, part)
                 for part in _DIGITS.split(text) if part)


def by_name(items: Iterable[T], name: Callable[[T], str] = lambda item: item.name) -> list[T]:
    """`items` in the order of their names (`sort_key`)."""
    return sorted(items, key=lambda item: sort_key(name(item)))

"""The crosswalk between codebook versions.

Only the differences are listed; a code present in both versions maps onto itself.
Where an old code was later split, it has no single current counterpart, and the
crosswalk says so instead of guessing.
"""

from dataclasses import dataclass

from .codebooks import version


@dataclass(frozen=True)
class Mapping:
    item: str
    old: str  # code in the 2008 version ("" when the current code did not exist then)
    current: tuple[str, ...]  # the current codes it corresponds to
    note: str

    @property
    def exact(self) -> bool:
        return len(self.current) == 1 and bool(self.old)


MAPPINGS = (
    Mapping("income_source", "benefit", ("one_benefit", "two_benefits"),
            "split in 2010 into one_benefit and two_benefits; no single current code"),
    Mapping("income_source", "", ("income_and_benefit",),
            "new in 2010; no 2008 counterpart"),
    Mapping("mother_circumstances", "other",
            ("insecure_parenting", "language_or_culture", "postnatal_depression",
             "health_problems", "relationship_problems", "undocumented", "other"),
            "in 2008 'other' also held what later became separate categories"),
    Mapping("baby_circumstances", "other", ("sleep_problems", "feeding_problems", "other"),
            "in 2008 'other' also held sleep and feeding problems"),
    Mapping("origin", "", ("unknown",),
            "2008 had no 'unknown' origin; missing origins were not reported"),
)


def to_current(item: str, old_code: str) -> tuple[str | None, str]:
    """Map a 2008 code onto the current codebook: (code or None, note)."""
    for mapping in MAPPINGS:
        if mapping.item == item and mapping.old == old_code:
            return (mapping.current[0] if mapping.exact else None), mapping.note
    if old_code in version("2010").items[item]:
        return old_code, "unchanged"
    return None, "unknown code"


def to_2008(item: str, current_code: str) -> tuple[str | None, str]:
    """Collapse a current code onto the 2008 codebook, for comparisons with old years."""
    for mapping in MAPPINGS:
        if mapping.item == item and current_code in mapping.current and mapping.old:
            return mapping.old, mapping.note
        if mapping.item == item and current_code in mapping.current and not mapping.old:
            return None, mapping.note
    if current_code in version("2008").items[item]:
        return current_code, "unchanged"
    return None, "no 2008 counterpart"


def as_list() -> list[dict]:
    return [{"item": m.item, "old": m.old or None, "current": list(m.current),
             "exact": m.exact, "note": m.note} for m in MAPPINGS]

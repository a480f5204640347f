from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    nl: str
    en: str

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Item:
    name: str
    nl: str
    en: str
    codes: tuple[Code, ...]
    multi: bool = False
    population: str = "person"  # "person" (mothers, volunteers) or "site" (site facts)
    derived: bool = False  # computed (age_group), never entered
    _by_code: dict = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_code", {c.code: c for c in self.codes})

    @property
    def code_list(self) -> list[str]:
        return [c.code for c in self.codes]

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Code | None:
        return self._by_code.get(code)

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl

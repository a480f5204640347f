"""The rules of a person record that span fields, as one pure function.

`Person.clean()` (every form) and the spreadsheet import (mim.spreadsheets) both call
`person_errors`, so a form and a file can never disagree; the import calls it on plain
values, without building a model instance for each of 100,000 rows.
"""

from collections.abc import Mapping
from functools import cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mim.codebook import codebooks


def person_errors(values: Mapping, coded_fields: Mapping[str, str],
                  end_reason_item: str) -> dict[str, str]:
    """Messages by field name. `values` holds start_date, end_date, end_reason,
    birth_year and every field of `coded_fields` (field -> codebook item)."""
    errors: dict[str, str] = {}
    start, end = values["start_date"], values["end_date"]
    end_reason, birth_year = values["end_reason"], values["birth_year"]
    if start and end and end < start:
        errors["end_date"] = _("De einddatum ligt voor de startdatum.")
    if end_reason and not end:
        errors["end_reason"] = _("Een reden hoort bij een einddatum; vul de einddatum in.")
    if birth_year and start and not start.year - 80 <= birth_year <= start.year - 10:
        errors["birth_year"] = _("Het geboortejaar past niet bij de startdatum.")
    country = values.get("country_of_birth")
    if country and country not in country_codes():
        errors["country_of_birth"] = _("Kies een land uit de lijst.")
    if start:
        errors.update(codebook_errors(start.year, values, coded_fields, end_reason_item))
    return errors


def codebook_errors(year: int, values: Mapping, coded_fields: Mapping[str, str],
                    end_reason_item: str) -> dict[str, str]:
    """Codes that the codebook in force in `year` does not have."""
    try:
        book = codebooks.for_record(year)
    except codebooks.UnknownYear:
        return {"start_date": _("Voor dit jaar is geen codeboek; controleer de datum.")}
    fields = dict(coded_fields)
    if values["end_reason"]:
        fields["end_reason"] = end_reason_item
    return {field: _("Geen geldige code voor %(year)s.") % {"year": year}
            for field, item in fields.items() if not book.accepts(item, values[field])}


# Countries of birth ----------------------------------------------------------------------

@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2, as django-countries has it (249 codes)."""
    from django_countries import countries

    return frozenset(code for code, _name in countries)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) in the interface language, sorted by that name."""
    from django_countries import countries

    return [(code, str(name)) for code, name in countries]


@cache
def _country_index() -> dict[str, str]:
    """Code and name (Dutch and English, any case) -> code: a file may say "Turkije"."""
    from django_countries import countries

    index: dict[str, str] = {}
    for lang in ("en", "nl"):
        with translation.override(lang):
            index.update({str(name).casefold(): code for code, name in countries})
    index.update({code.casefold(): code for code in country_codes()})  # the code wins
    return index


def parse_country(text: str) -> str | None:
    """The ISO code for a code or country name, or None."""
    return _country_index().get(" ".join(str(text).split()).casefold())

"""Never a personal value in the office's report texts.

The texts are published with the report, so they must not hold anything that points at a
person: a mother's (or volunteer's) reference, an e-mail address, a phone number, a postcode
with a house number, a date of birth, a citizen service number. The checks look for the shape
of such values, as a careful reader would; they are not a guarantee that prose names nobody,
but they stop what is typed or pasted by mistake from a record or a contact list.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch numbers: 06-12345678, 0612345678, 010-1234567, 020 123 4567, +31 6 1234 5678.
PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[\s.()-]{0,3}\d){9}(?!\d)")
CITIZEN_NUMBER = re.compile(r"(?<!\d)\d{9}(?!\d)")
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
HOUSE_NUMBER = re.compile(r"(?<![\d,.])\d{1,4}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?![\d%]|[,.]\d)")
# A record's reference: letters and digits in one token (M-2024-013, REF17, V12), the way
# coordinators number their mothers and volunteers; a year or a percentage is no reference.
REFERENCE = re.compile(r"\b(?=[A-Za-z]{0,6}[-_/]?\d)(?=\S*[A-Za-z])[A-Za-z]{1,6}[-_/]?\d{1,6}"
                       r"(?:[-_/]\d{1,6})*\b")
MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
          "december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
FULL_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})[-/.](?P<m1>\d{{1,2}})[-/.](?P<y1>\d{{4}})"
    rf"|(?P<y2>\d{{4}})-(?P<m2>\d{{1,2}})-(?P<d2>\d{{1,2}})"
    rf"|(?P<d3>\d{{1,2}})\s+(?:{MONTHS})\.?\s+(?P<y3>\d{{4}}))\b", re.IGNORECASE)
BIRTH_WORDS = re.compile(r"(?:geboren|geb\.|geboortedatum|geboortedag)\W*$", re.IGNORECASE)
# A full date this long ago is somebody's birth date rather than an event of the programme.
BIRTH_AGE = 12


def personal_values(text: str, *, today: dt.date | None = None) -> list[str]:
    """What in `text` looks like a personal value, as Dutch messages (empty: none)."""
    today = today or dt.date.today()
    found = []
    if EMAIL.search(text):
        found.append(_("een e-mailadres"))
    without_email = EMAIL.sub(" ", text)
    if PHONE.search(without_email):
        found.append(_("een telefoonnummer"))
    elif CITIZEN_NUMBER.search(without_email):
        found.append(_("een burgerservicenummer"))
    for match in POSTCODE.finditer(without_email):
        around = without_email[max(0, match.start() - 40):match.start()] + " " + \
            without_email[match.end():match.end() + 15]
        if HOUSE_NUMBER.search(around):
            found.append(_("een postcode met huisnummer"))
            break
    for match in FULL_DATE.finditer(without_email):
        year = int(match["y1"] or match["y2"] or match["y3"])
        before = without_email[max(0, match.start() - 25):match.start()]
        if year <= today.year - BIRTH_AGE or BIRTH_WORDS.search(before):
            found.append(_("een geboortedatum"))
            break
    dates_out = FULL_DATE.sub(" ", without_email)
    if REFERENCE.search(dates_out):
        found.append(_("iets dat lijkt op de referentie van een moeder of vrijwilliger"))
    return found


def validate_no_personal_values(text: str) -> None:
    found = personal_values(text or "")
    if found:
        raise ValidationError(
            _("Deze tekst komt in het gepubliceerde rapport en mag niets over een persoon "
              "bevatten. Haal weg: %(what)s.") % {"what": ", ".join(found)},
            code="personal_value")

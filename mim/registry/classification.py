"""Every field of a record about a person, classified (GDPR Art. 5(1)(c), 25).

A test walks the registry models and fails when a field is missing here, so a new
field cannot arrive without someone deciding what it is.

- identifier: technical or pseudonymous keys; no meaning outside the site
- personal: ordinary personal data (dates, birth year, education, household)
- special: special-category or sensitive data (origin, health, immigration, income)
- contact: directly identifying; kept at the site, erased on schedule, never exported
- admin: bookkeeping without personal content
"""

IDENTIFIER, PERSONAL, SPECIAL, CONTACT, ADMIN = "identifier", "personal", "special", "contact", "admin"

_PERSON = {
    "id": IDENTIFIER, "site": IDENTIFIER, "ref": IDENTIFIER, "start_date": PERSONAL,
    "end_date": PERSONAL, "end_reason": PERSONAL, "birth_year": PERSONAL, "origin": SPECIAL,
    "education": PERSONAL, "answers_confirmed_at": ADMIN, "version": ADMIN,
    "created_at": ADMIN, "updated_at": ADMIN,
}
_CONTACT = {"id": IDENTIFIER, "name": CONTACT, "address": CONTACT, "postcode": CONTACT,
            "phone": CONTACT, "email": CONTACT, "updated_at": ADMIN}

CLASSIFICATION = {
    "Mother": {**_PERSON, "country_of_birth": SPECIAL, "household": PERSONAL,
               "income_source": SPECIAL, "child_order": PERSONAL,
               "pregnant_at_start": SPECIAL},
    "MotherAnswer": {"id": IDENTIFIER, "mother": IDENTIFIER, "item": ADMIN, "code": SPECIAL},
    "Volunteer": {**_PERSON, "former_mim_mother": PERSONAL, "vog_date": PERSONAL,
                  "agreement_signed": PERSONAL},
    "VolunteerAnswer": {"id": IDENTIFIER, "volunteer": IDENTIFIER, "item": ADMIN,
                        "code": PERSONAL},
    "MotherContact": {**_CONTACT, "mother": IDENTIFIER},
    "VolunteerContact": {**_CONTACT, "volunteer": IDENTIFIER},
    "Match": {"id": IDENTIFIER, "site": IDENTIFIER, "mother": IDENTIFIER,
              "volunteer": IDENTIFIER, "start_date": PERSONAL, "end_date": PERSONAL},
    "Visit": {"id": IDENTIFIER, "mother": IDENTIFIER, "volunteer": IDENTIFIER,
              "date": PERSONAL, "note": SPECIAL},
}

# Fields whose value may never leave the coordinator role, in any form.
PERSONAL_FIELDS = sorted({field for fields in CLASSIFICATION.values()
                          for field, kind in fields.items() if kind in {PERSONAL, SPECIAL, CONTACT}})

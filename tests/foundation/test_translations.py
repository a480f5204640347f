from pathlib import Path

import polib
import pytest

CATALOGUES = sorted((Path(__file__).resolve().parents[2] / "mim").glob(
    "*/locale/en/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_it_translates_every_interface_string_into_english(path):
    po = polib.pofile(str(path))
    assert [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_it_ships_compiled_catalogues_that_match_the_sources(path):
    # obsolete entries (#~) are history, not part of the catalogue
    source = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in polib.pofile(str(path))
              if not e.obsolete}
    compiled = {(e.msgid, e.msgstr or str(e.msgstr_plural))
                for e in polib.mofile(str(path.with_suffix(".mo")))}
    assert source <= compiled, "run: python tools/i18n.py compile"

"""Stored facts of sites and organisations in words, as every screen and command says them: the
office's year page, the facts file's preview and `mim import-facts --dry-run`."""

from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mim.codebook import codebooks
from mim.organisations.models import YES_NO_FACTS, OrganisationYear, SiteYear


def describe(book, item: str, codes) -> str:
    """A stored code list in words: None is "niet bekend", an empty list "geen"."""
    if codes is None:
        return str(_("niet bekend"))
    if not codes:
        return str(_("geen"))
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return ", ".join(book.label(item, code, lang) for code in codes)


def yes_no(code: str) -> str:
    return str({"yes": _("ja"), "no": _("nee")}.get(code, _("niet bekend")))


@dataclass(frozen=True)
class FactChangeRow:
    subject: str
    field: str
    before: str
    after: str


def fact_change_rows(year: int, changes) -> list[FactChangeRow]:
    """The changes a facts file would make (mim.spreadsheets.facts.FactChange) in words: what
    stands now ("–" where nothing is stored yet) and what it becomes."""
    book = codebooks.for_year(year)
    labels = {f.name: f.verbose_name for model in (SiteYear, OrganisationYear)
              for f in model._meta.get_fields() if hasattr(f, "verbose_name")}

    def words(name: str, value) -> str:
        if name == "coordinators":
            # Hours as the year page writes them (floatformat:"-1"), in the reader's language.
            return "; ".join(_("%(ref)s (%(hours)s uur per week)") % {
                "ref": ref, "hours": floatformat(hours, -1)} for ref, hours in value) \
                or str(_("geen"))
        if name in YES_NO_FACTS:
            return yes_no(value)
        if name == "target_group":
            return value or "–"
        return describe(book, name, value)

    return [FactChangeRow(
        change.subject,
        str(_("coördinatoren") if change.field == "coordinators" else labels[change.field]),
        words(change.field, change.before) if change.stored else "–",
        words(change.field, change.after)) for change in changes]

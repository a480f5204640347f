from decimal import Decimal

from django import forms
from django.utils.timezone import localdate
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mim.accounts.models import Role
from mim.accounts.services import OFFICE_GRANTS
from mim.codebook import codebooks
from mim.organisations.models import Municipality, Organisation, Site
from mim.registry.forms import AccessibleForm
from mim.spreadsheets.forms import MultipleFileField

YEARS = {"min_value": 2004, "max_value": 2100}


class SiteForm(AccessibleForm):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("kleine letters, cijfers en streepjes, bijvoorbeeld "
                                       "utrecht-west"))
    name = forms.CharField(label=_("Naam"), max_length=150)
    organisation = forms.ModelChoiceField(Organisation.objects.all(), label=_("Organisatie"))
    municipality = forms.ModelChoiceField(Municipality.objects.all(), label=_("Gemeente"))
    first_year = forms.IntegerField(label=_("Actief vanaf (jaar)"), **YEARS)
    keeps_records = forms.BooleanField(label=_("Registreert in het systeem"), required=False,
                                       initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_year"].initial = localdate().year


class SiteEndForm(AccessibleForm):
    last_year = forms.IntegerField(label=_("Laatste jaar waarin de locatie actief is"),
                                   **YEARS)


class OrganisationForm(AccessibleForm):
    name = forms.CharField(label=_("Naam"), max_length=150)


class MunicipalityForm(AccessibleForm):
    name = forms.CharField(label=_("Naam"), max_length=100)
    cbs_code = forms.CharField(label=_("CBS-gemeentecode"), max_length=6, required=False,
                               help_text=_("bijvoorbeeld GM0518"))


class RoleForm(AccessibleForm):
    role = forms.ChoiceField(label=_("Rol"),
                             choices=[(r.value, r.label) for r in Role if r in OFFICE_GRANTS])
    site = forms.ModelChoiceField(Site.objects.all(), label=_("Locatie"), required=False,
                                  help_text=_("voor een coördinator"))
    organisation = forms.ModelChoiceField(Organisation.objects.all(), label=_("Organisatie"),
                                          required=False,
                                          help_text=_("voor een organisatie (kijker)"))
    municipality = forms.ModelChoiceField(Municipality.objects.all(), label=_("Gemeente"),
                                          required=False,
                                          help_text=_("voor een gemeente (financier)"))

    def scope(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("site", "organisation", "municipality")}


class UserForm(RoleForm):
    username = forms.CharField(label=_("Gebruikersnaam"), max_length=150)
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mailadres"),
                             help_text=_("Hierheen gaat de uitnodiging om een wachtwoord te "
                                         "kiezen."))

    field_order = ["username", "first_name", "last_name", "email", "role", "site",
                   "organisation", "municipality"]


# --- a year's coordinators and facts ------------------------------------------------------
# No answer is chosen in advance: a fact nobody has entered shows nothing ticked, and what is
# left unticked is saved as "niet bekend", never as a default answer (issue 10).

NOT_KNOWN = "unknown"  # form value of "niet bekend"; stored as None (a list) or `unknown`
NONE_OF_THESE = "none_of_these"  # a list known to hold none of the codes: stored as []
YES_NO_NOT_KNOWN = [("yes", _("ja")), ("no", _("nee")), (NOT_KNOWN, _("niet bekend"))]


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _code_choices(book, item: str) -> list[tuple[str, str]]:
    return [(c.code, c.label(_lang())) for c in book.item(item).codes]


class CodeListField(forms.MultipleChoiceField):
    """A multi-answer fact of the codebook, with "niet bekend" (and "geen van deze" where
    the codebook has no code for none). Cleans to None (not known), [] or the codes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, book, item: str, **kwargs):
        choices = _code_choices(book, item)
        self.book, self.item = book, item
        if item not in codebooks.EXCLUSIVE:
            choices.append((NONE_OF_THESE, _("geen van deze")))
        choices.append((NOT_KNOWN, _("niet bekend")))
        super().__init__(choices=choices, required=False,
                         help_text=_("Niets aangevinkt: niet bekend."), **kwargs)

    def clean(self, value):
        codes = super().clean(value)
        for special, label in ((NOT_KNOWN, _("niet bekend")),
                               (NONE_OF_THESE, _("geen van deze"))):
            if special in codes and len(codes) > 1:
                raise forms.ValidationError(
                    _("‘%(label)s’ gaat niet samen met een ander antwoord.")
                    % {"label": label})
        if not codes or codes == [NOT_KNOWN]:
            return None
        if codes == [NONE_OF_THESE]:
            return []
        if contradiction := self.book.contradiction(self.item, codes):
            raise forms.ValidationError(contradiction)
        return codes


def list_initial(codes, item: str):
    """What a stored list shows: nothing for no row, "niet bekend" for None."""
    if codes is None:
        return [NOT_KNOWN]
    if not codes and item not in codebooks.EXCLUSIVE:
        return [NONE_OF_THESE]
    return list(codes)


class SiteYearForm(AccessibleForm):
    target_group = forms.CharField(label=_("Doelgroep"), required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        book = codebooks.for_year(year)
        self.fields["financing"] = CodeListField(book=book, item="financing",
                                                 label=_("Financiering"))
        self.fields["variant"] = CodeListField(book=book, item="variant",
                                               label=_("Uitvoeringsvariant"))
        self.fields["group_activities"] = CodeListField(book=book, item="group_activities",
                                                        label=_("Groepsactiviteiten"))


class OrganisationYearForm(AccessibleForm):
    volunteer_agreement = forms.ChoiceField(
        label=_("Tekenen vrijwilligers een vrijwilligersovereenkomst?"), required=False,
        choices=YES_NO_NOT_KNOWN, widget=forms.RadioSelect,
        help_text=_("Niets gekozen: niet bekend."))
    vog_required = forms.ChoiceField(
        label=_("Is een VOG verplicht voor vrijwilligers?"), required=False,
        choices=YES_NO_NOT_KNOWN, widget=forms.RadioSelect,
        help_text=_("Niets gekozen: niet bekend."))

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reimbursement"] = CodeListField(
            book=codebooks.for_year(year), item="reimbursement",
            label=_("Vergoeding voor vrijwilligers"))
        self.order_fields(["reimbursement", "volunteer_agreement", "vog_required"])

    def clean(self):
        cleaned = super().clean()
        for name in ("volunteer_agreement", "vog_required"):
            if not cleaned.get(name):
                cleaned[name] = NOT_KNOWN  # left open: not known, never "no"
        return cleaned


HOURS = {"max_digits": 4, "decimal_places": 1, "min_value": Decimal("0.5"),
         "max_value": Decimal(40), "localize": True}


class CoordinatorForm(AccessibleForm):
    """A coordinator as a person of an organisation, and her hours per week at each of its
    sites in the year (empty: she does not work there)."""

    ref = forms.CharField(label=_("Code"), max_length=40,
                          help_text=_("een code zonder naam, uniek binnen de organisatie, "
                                      "bijvoorbeeld C-3"))
    name = forms.CharField(label=_("Naam"), max_length=100, required=False,
                           help_text=_("alleen om haar te herkennen; komt nooit in cijfers of "
                                       "bestanden"))

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        book = codebooks.CURRENT
        for name, item, label in (("experience", "coordinator_experience",
                                   _("Ervaring (werkvelden)")),
                                  ("training", "coordinator_training", _("Opleiding"))):
            self.fields[name] = forms.MultipleChoiceField(
                label=label, required=False, choices=_code_choices(book, item),
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Niets aangevinkt: niet bekend."))
        self.sites = list(sites)
        for site in self.sites:
            self.fields[self.hours_field(site)] = forms.DecimalField(
                label=_("Uren per week in %(site)s") % {"site": site.name}, required=False,
                help_text=_("leeg: werkt hier niet in dit jaar"), **HOURS)

    @staticmethod
    def hours_field(site) -> str:
        return f"hours_{site.pk}"

    def hours(self) -> dict:
        return {site: self.cleaned_data.get(self.hours_field(site)) for site in self.sites}


class FactsUploadForm(AccessibleForm):
    files = MultipleFileField(
        label=_("Bestand met locatiegegevens en coördinatoren"),
        help_text=_("Eén Excel-werkmap (.xlsx) met de werkbladen facts en coordinators, of "
                    "facts.csv en coordinators.csv (data-standaard). Een lege cel laat "
                    "staan wat er al is; schrijf 'niet bekend' of 'geen' om dat vast te "
                    "leggen. Hoogstens 20 MB per bestand."))

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > 2:
            raise forms.ValidationError(_("Kies één xlsx-bestand of hoogstens twee "
                                          "csv-bestanden."))
        return files

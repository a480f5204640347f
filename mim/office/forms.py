from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from mim.accounts.models import Role
from mim.accounts.services import OFFICE_GRANTS
from mim.organisations.models import Municipality, Organisation, Site
from mim.registry.forms import AccessibleForm

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
    email = forms.EmailField(label=_("E-mailadres"), required=False)

    field_order = ["username", "first_name", "last_name", "email", "role", "site",
                   "organisation", "municipality"]

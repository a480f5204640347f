"""Forms of the returns pages: validation of what people type, nothing more (writes are in
services.py)."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mim.codebook import codebooks
from mim.returns.models import Subject

YES_NO_UNKNOWN = [("yes", _("ja")), ("no", _("nee")), ("unknown", _("onbekend"))]
MAX_TEXT = 4000


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _choices(year: int, item: str) -> list[tuple[str, str]]:
    spec = codebooks.for_year(year).item(item)
    return [(c.code, c.label(_lang())) for c in spec.codes]


class VersionForm(forms.Form):
    """Every action on a return carries the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SiteFactsForm(VersionForm):
    target_group = forms.CharField(label=_("Doelgroep"), required=False, max_length=MAX_TEXT,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    financing = forms.MultipleChoiceField(label=_("Financiering"),
                                          widget=forms.CheckboxSelectMultiple)
    variant = forms.MultipleChoiceField(label=_("Uitvoeringsvariant"),
                                        widget=forms.CheckboxSelectMultiple)
    reimbursement = forms.MultipleChoiceField(label=_("Vergoeding voor vrijwilligers (geldt "
                                                      "voor de hele organisatie)"),
                                              required=False,
                                              widget=forms.CheckboxSelectMultiple)
    volunteer_agreement = forms.ChoiceField(label=_("Tekenen vrijwilligers een "
                                                    "vrijwilligersovereenkomst? (geldt voor de "
                                                    "hele organisatie)"),
                                            choices=YES_NO_UNKNOWN, widget=forms.RadioSelect)
    vog_required = forms.ChoiceField(label=_("Is een VOG verplicht voor vrijwilligers? (geldt "
                                             "voor de hele organisatie)"),
                                     choices=YES_NO_UNKNOWN, widget=forms.RadioSelect)
    group_activities = forms.MultipleChoiceField(label=_("Groepsactiviteiten"), required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    ORGANISATION_FIELDS = ("reimbursement", "volunteer_agreement", "vog_required")

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for item in ("financing", "variant", "reimbursement", "group_activities"):
            self.fields[item].choices = _choices(year, item)

    def clean(self):
        # The codebook's rule for choices that exclude each other ("geen vergoeding" with
        # another reimbursement), the same one the service applies: a field error, not a 500.
        cleaned = super().clean()
        book = codebooks.for_year(self.year)
        for item in ("financing", "variant", "reimbursement", "group_activities"):
            if contradiction := book.contradiction(item, cleaned.get(item) or []):
                self.add_error(item, contradiction)
        return cleaned


class CoordinatorForm(forms.Form):
    """One coordinator working at the site: one of the organisation's, or a new one by name."""

    coordinator = forms.ChoiceField(label=_("Coördinator"), required=False)
    name = forms.CharField(label=_("of een nieuwe coördinator (naam)"), required=False,
                           max_length=100)
    hours_per_week = forms.DecimalField(label=_("Uren per week op deze locatie"), max_digits=4,
                                        decimal_places=1, min_value=Decimal("0.5"), localize=True,
                                        max_value=Decimal(40))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = [("", "–")] + [(str(p.pk), str(p)) for p in people]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("coordinator") and not (cleaned.get("name") or "").strip():
            raise forms.ValidationError(_("Kies een coördinator of vul een naam in."))
        return cleaned


class BaseCoordinatorFormSet(forms.BaseFormSet):
    """The coordinators working at the site; none is allowed (the office may enter them, and
    a coordinator counts once however many sites' returns name her)."""

    def __init__(self, *args, people=(), **kwargs):
        self.people = list(people)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "people": self.people}

    def lines(self) -> list[tuple[str, str, Decimal]]:
        """(coordinator pk or "", new name, hours) per line."""
        return [(f.cleaned_data.get("coordinator") or "", (f.cleaned_data.get("name") or "")
                 .strip(), f.cleaned_data["hours_per_week"]) for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]


CoordinatorFormSet = forms.formset_factory(CoordinatorForm, formset=BaseCoordinatorFormSet,
                                           extra=1, can_delete=True, max_num=20,
                                           validate_max=True)


class SourceForm(VersionForm):
    source = forms.ChoiceField(label=_("Bron van de cijfers"), widget=forms.RadioSelect,
                               choices=[("records", _("uit de registratie in dit systeem")),
                                        ("aggregate", _("totaalcijfers aanleveren"))])


class UploadForm(VersionForm):
    file = forms.FileField(label=_("Bestand met totaalcijfers (CSV)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))


class TextForm(VersionForm):
    text = forms.CharField(max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class QueryForm(VersionForm):
    """The office's question: what it asks about (the part it reopens for the site) and the
    question itself."""

    subject = forms.ChoiceField(label=_("Waar gaat de vraag over?"), widget=forms.RadioSelect,
                                choices=Subject.choices, initial=Subject.GENERAL)
    text = forms.CharField(label=_("Vraag aan de locatie"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DeadlineForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=codebooks.FIRST_YEAR)
    deadline = forms.DateField(label=_("Uiterste datum"),
                               widget=forms.DateInput(attrs={"type": "date"}))

    def clean_year(self):
        # Only a year the codebook knows (a property test posted year 4176648, which
        # dt.date refuses); read per request, since the last known year moves on 1 January.
        year = self.cleaned_data["year"]
        if year > codebooks.last_known_year():
            raise forms.ValidationError(_("Kies een jaar tot en met %(year)s.")
                                        % {"year": codebooks.last_known_year()})
        return year

    def clean(self):
        data = super().clean()
        year, deadline = data.get("year"), data.get("deadline")
        if year and deadline and deadline < dt.date(year, 12, 31):
            self.add_error("deadline", _("De uiterste datum moet na het einde van het jaar liggen."))
        return data

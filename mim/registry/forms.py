"""Forms of the registration. Choices come from the codebook (labels in the interface
language); a form never carries a site: the site comes from the checked URL."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mim.codebook import assessment, codebooks
from mim.registry import rules, selectors
from mim.registry.models import Mother, MotherContact, SelfAssessment, Volunteer

_DATE = {"type": "date"}


def _date_widget():
    return forms.DateInput(attrs=_DATE, format="%Y-%m-%d")


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _not_in_future(value: dt.date | None) -> None:
    if value and value > selectors.today():
        raise ValidationError(_("Deze datum ligt in de toekomst."))


class AccessibleForm(forms.Form):
    """Marks fields with errors for assistive technology (aria-invalid, and the error
    message as part of the field's description)."""

    def full_clean(self):
        super().full_clean()
        self._mark_errors()

    def apply(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (others on the form)."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error)
        self._mark_errors()

    def _mark_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs.update({"aria-invalid": "true",
                                                   "aria-describedby": " ".join(described)})

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, label, message) for the summary at the top of the page."""
        rows = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            anchor = self[name].auto_id if field else ""
            if field and isinstance(field.widget, forms.CheckboxSelectMultiple):
                anchor = f"{anchor}_0"
            for message in errors:
                rows.append((anchor, field.label if field else "", message))
        return rows


def _choices(book: codebooks.Codebook, item: str) -> list[tuple[str, str]]:
    lang = selectors.language()
    return [(code.code, code.label(lang)) for code in book.item(item).codes]


# Nothing is answered for her: a drop-down that opened on its first category stored
# "Nederlands, LBO, samenwonend, ..." for every mother whose intake skipped it.
EMPTY_CHOICE = ("", _("— kies —"))


class CodeField(forms.ChoiceField):
    """A single-answer item: starts empty; left empty it is stored as `unknown`, as an
    empty cell of a record file is (mim.codebook.codebooks.Codebook.parse)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        return super().clean(value) or "unknown"


class PersonForm(AccessibleForm):
    """Intake and edit of a mother or volunteer, with her contact details."""

    model = None
    SINGLE: dict[str, str] = {}
    MULTI: tuple[str, ...] = ()

    ref = forms.CharField(max_length=40, help_text=_(
        "De eigen referentie van de locatie, bijvoorbeeld M0123. Geen naam of geboortedatum."))
    start_date = forms.DateField(widget=_date_widget())
    birth_year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(max_length=150, required=False)
    address = forms.CharField(max_length=200, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(required=False)

    CONTACT = ("name", "address", "postcode", "phone", "email")

    def __init__(self, *args, book: codebooks.Codebook | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        book = book or codebooks.CURRENT
        for name in ("ref", "start_date", "birth_year", *self.SINGLE):
            self.fields[name].label = _label(self.model, name)
        for name in self.CONTACT:
            self.fields[name].label = _label(MotherContact, name)
            self.fields[name].widget.attrs["autocomplete"] = "off"
        for name, item in self.SINGLE.items():
            self.fields[name].choices = [EMPTY_CHOICE, *_choices(book, item)]
        for item in self.MULTI:
            self.fields[item].choices = _choices(book, item)
            self.fields[item].label = capfirst(book.item(item).label(selectors.language()))
        self.fields["birth_year"].widget.attrs["inputmode"] = "numeric"

    @classmethod
    def initial_for(cls, person) -> dict:
        initial = {name: getattr(person, name) for name in
                   ("ref", "start_date", "birth_year", "version", *cls.SINGLE)}
        initial.update(selectors.answers_of(person))
        contact = selectors.contact_of(person)
        if contact:
            initial.update({name: getattr(contact, name) for name in cls.CONTACT})
        return initial

    def clean_ref(self):
        return self.cleaned_data["ref"].strip()

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("ref", "start_date", "birth_year", *self.SINGLE)}

    def answers(self) -> dict[str, list[str]]:
        return {item: self.cleaned_data.get(item) or [] for item in self.MULTI}

    def contact(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.CONTACT}

    def groups(self):
        """The fieldsets of the form, in order: (legend, bound fields)."""
        for legend, names in self.GROUPS:
            yield legend, [self[name] for name in names]


def _checkboxes():
    return forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)


class MotherForm(PersonForm):
    model = Mother
    SINGLE = {"origin": "origin", "education": "education", "household": "household",
              "income_source": "income_source", "child_order": "child_order",
              "pregnant_at_start": "yes_no"}
    MULTI = ("mother_circumstances", "baby_circumstances")
    GROUPS = (
        (_("Registratie"), ("ref", "start_date")),
        (_("Contactgegevens"), ("name", "address", "postcode", "phone", "email")),
        (_("Achtergrond"), ("birth_year", "origin", "country_of_birth", "education",
                            "household", "income_source", "child_order",
                            "pregnant_at_start")),
    )

    origin = CodeField()
    country_of_birth = forms.ChoiceField(required=False)
    education = CodeField()
    household = CodeField()
    income_source = CodeField()
    child_order = CodeField()
    pregnant_at_start = CodeField()
    mother_circumstances = _checkboxes()
    baby_circumstances = _checkboxes()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["country_of_birth"]
        field.label = _label(Mother, "country_of_birth")
        choices = [EMPTY_CHOICE, *rules.country_choices()]
        stored = self.initial.get("country_of_birth") or ""
        if self.is_bound:
            stored = str(self.data.get(self.add_prefix("country_of_birth")) or "")[:2]
        if stored and stored not in rules.country_codes():
            # A code saved before the list existed ("TU" from "Turkije") stays visible and
            # is refused on saving (rules.person_errors), instead of silently vanishing.
            choices.insert(1, (stored, _("%(code)s: geen bestaande landcode, kies een land")
                               % {"code": stored}))
        field.choices = choices

    @classmethod
    def initial_for(cls, person) -> dict:
        return {**super().initial_for(person), "country_of_birth": person.country_of_birth}

    def values(self) -> dict:
        return {**super().values(), "country_of_birth": self.cleaned_data["country_of_birth"]}


class VolunteerForm(PersonForm):
    model = Volunteer
    SINGLE = {"origin": "origin", "education": "education", "former_mim_mother": "yes_no",
              "agreement_signed": "yes_no"}
    MULTI = ("work_experience",)
    GROUPS = (
        (_("Registratie"), ("ref", "start_date")),
        (_("Contactgegevens"), ("name", "address", "postcode", "phone", "email")),
        (_("Achtergrond"), ("birth_year", "origin", "education", "former_mim_mother")),
        (_("Afspraken"), ("vog_date", "agreement_signed")),
    )

    origin = CodeField()
    education = CodeField()
    former_mim_mother = CodeField()
    vog_date = forms.DateField(required=False, widget=_date_widget(), validators=[_not_in_future],
                               help_text=_("De datum waarop u de VOG zag. Het document zelf "
                                           "bewaren we niet."))
    agreement_signed = CodeField()
    work_experience = _checkboxes()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vog_date"].label = _label(Volunteer, "vog_date")

    @classmethod
    def initial_for(cls, person) -> dict:
        return {**super().initial_for(person), "vog_date": person.vog_date}

    def values(self) -> dict:
        return {**super().values(), "vog_date": self.cleaned_data["vog_date"]}


class EndForm(AccessibleForm):
    end_date = forms.DateField(widget=_date_widget(), validators=[_not_in_future])
    end_reason = forms.ChoiceField()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, model, book: codebooks.Codebook | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        book = book or codebooks.CURRENT
        self.fields["end_date"].label = _label(model, "end_date")
        self.fields["end_reason"].label = _label(model, "end_reason")
        self.fields["end_reason"].choices = [("", "—"), *_choices(book, model.END_REASON_ITEM)]


class CompleteForm(AccessibleForm):
    """Closing a mother whose 18 months have passed: the reason is fixed (completed)."""

    end_date = forms.DateField(widget=_date_widget(), validators=[_not_in_future],
                               label=_("Einddatum"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class MatchForm(AccessibleForm):
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Vrijwilliger"),
                                       widget=forms.RadioSelect, empty_label=None)
    start_date = forms.DateField(widget=_date_widget(), label=_("Startdatum koppeling"),
                                 validators=[_not_in_future])

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the site's own active volunteers can be chosen, whatever is posted.
        self.fields["volunteer"].queryset = site.volunteers.filter(end_date__isnull=True)


class MatchEndForm(AccessibleForm):
    end_date = forms.DateField(widget=_date_widget(), label=_("Einddatum koppeling"),
                               validators=[_not_in_future])


class VisitForm(AccessibleForm):
    date = forms.DateField(widget=_date_widget(), label=_("Datum van het bezoek"),
                           validators=[_not_in_future])
    note = forms.CharField(required=False, max_length=2000, label=_("Notitie (optioneel)"),
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Alleen wat u voor uw werk nodig heeft."))


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Zoek op referentie of naam"))
    status = forms.ChoiceField(required=False, label=_("Toon"))

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [*statuses, ("all", _("alle"))]
        self.fields["q"].widget.input_type = "search"


class LogFilterForm(forms.Form):
    ref = forms.CharField(required=False, max_length=64, label=_("Referentie"))


VISITS_PER_ROW = 2


def _scale_choices(version: assessment.AssessmentVersion, *, short: bool = False) -> list:
    lang = selectors.language()
    return [EMPTY_CHOICE if not short else ("", "—"),
            *[(code.code, code.code if short else f"{code.code} – {code.label(lang)}")
              for code in version.scale]]


class ScaleField(forms.TypedChoiceField):
    """One aim of the self-assessment: starts on "— kies —"; empty is no answer."""

    def __init__(self, **kwargs):
        super().__init__(required=False, coerce=int, empty_value=None, **kwargs)


class AssessmentForm(AccessibleForm):
    """Her self-assessment at one moment, in the wording of `version`; nothing is chosen
    for her (every aim starts empty, also on a correction only what she answered shows)."""

    date = forms.DateField(widget=_date_widget(), label=_("Datum van het gesprek"),
                           validators=[_not_in_future])
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, version: assessment.AssessmentVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        lang = selectors.language()
        for question in version.questions:
            self.fields[question.aim] = ScaleField(label=question.text(lang),
                                                   choices=_scale_choices(version))

    @staticmethod
    def initial_for(stored) -> dict:
        return {"date": stored.date, "revision": stored.revision, **stored.answers()}

    def aim_fields(self):
        return [self[q.aim] for q in self.version.questions]

    def answers(self) -> dict:
        return {q.aim: self.cleaned_data.get(q.aim) for q in self.version.questions}


class VisitSheetForm(AccessibleForm):
    """The month's visits of many mothers: VISITS_PER_ROW date fields per row, named
    after the mother's pk (only the sheet's own rows get fields, whatever is posted);
    and for a mother whose self-assessment is due in the month, its date and a compact
    1-5 choice per aim (`a<pk>_date`, `a<pk>_<aim>`)."""

    def __init__(self, *args, rows, first: dt.date, last: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.first, self.last = first, last
        limits = {**_DATE, "min": first.isoformat(),
                  "max": min(last, selectors.today()).isoformat()}
        version = assessment.for_date(min(last, selectors.today()))
        lang = selectors.language()
        moments = dict(SelfAssessment.MOMENT_CHOICES)
        for row in rows:
            row.fields = []
            for n in range(1, VISITS_PER_ROW + 1):
                name = f"m{row.mother.pk}_{n}"
                self.fields[name] = forms.DateField(
                    required=False, label=_("Bezoek %(n)s bij %(ref)s") % {
                        "n": n, "ref": row.mother.ref},
                    widget=forms.DateInput(attrs=dict(limits), format="%Y-%m-%d"))
                row.fields.append(self[name])
            row.assessment_fields = []
            row.assessment_date = None
            if not getattr(row, "due", ""):
                continue
            row.due_label = moments[row.due]
            prefix = f"a{row.mother.pk}"
            self.fields[f"{prefix}_date"] = forms.DateField(
                required=False, label=_("Datum zelfevaluatie (%(moment)s) bij %(ref)s") % {
                    "moment": row.due_label, "ref": row.mother.ref},
                widget=forms.DateInput(attrs={**_DATE, "max": selectors.today().isoformat()},
                                       format="%Y-%m-%d"))
            row.assessment_date = self[f"{prefix}_date"]
            for question in version.questions:
                name = f"{prefix}_{question.aim}"
                self.fields[name] = ScaleField(
                    label=question.short(lang), choices=_scale_choices(version, short=True),
                    help_text=question.text(lang))
                row.assessment_fields.append(self[name])

    def clean(self):
        # Checked here as well as in the service, so one save shows every wrong date.
        for name, value in list(self.cleaned_data.items()):
            if not value or not name.startswith("m"):
                continue
            if not self.first <= value <= self.last:
                self.add_error(name, _("Deze datum ligt niet in de gekozen maand."))
            elif value > selectors.today():
                self.add_error(name, _("Deze datum ligt in de toekomst."))
        return self.cleaned_data

    def visits(self) -> dict:
        """field name → (mother, date) of every date filled in."""
        mothers = {f"m{row.mother.pk}": row.mother for row in self.rows}
        return {name: (mothers[name.rsplit("_", 1)[0]], value)
                for name, value in self.cleaned_data.items()
                if value and name.startswith("m")}

    def assessments(self) -> dict:
        """`a<pk>` → (mother, moment, date, answers) of every due row with anything filled
        in (the service says what is missing)."""
        data = self.cleaned_data
        entries = {}
        for row in self.rows:
            if not getattr(row, "due", ""):
                continue
            prefix = f"a{row.mother.pk}"
            answers = {aim: data.get(f"{prefix}_{aim}") for aim in assessment.AIMS}
            date = data.get(f"{prefix}_date")
            if date or any(v is not None for v in answers.values()):
                entries[prefix] = (row.mother, row.due, date, answers)
        return entries


class BulkCloseForm(AccessibleForm):
    """Closing the mothers of the "to close" list that are ticked, each with her own end
    date (proposed: her last visit) and the version of her record the page showed."""

    def __init__(self, *args, mothers, **kwargs):
        super().__init__(*args, **kwargs)
        self.mothers = mothers
        for mother in mothers:
            mother.proposed_end = selectors.proposed_end(mother)
            self.fields[f"close_{mother.pk}"] = forms.BooleanField(
                required=False, label=_("%(ref)s afsluiten") % {"ref": mother.ref})
            self.fields[f"end_{mother.pk}"] = forms.DateField(
                required=False, widget=_date_widget(), validators=[_not_in_future],
                label=_("Einddatum van %(ref)s") % {"ref": mother.ref},
                initial=mother.proposed_end)
            self.fields[f"version_{mother.pk}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=mother.version)
            mother.close_field = self[f"close_{mother.pk}"]
            mother.end_field = self[f"end_{mother.pk}"]
            mother.version_field = self[f"version_{mother.pk}"]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"close_{mother.pk}") for mother in self.mothers):
            raise ValidationError(_("Vink minstens één moeder aan."))
        for mother in self.mothers:
            if data.get(f"close_{mother.pk}") and not data.get(f"end_{mother.pk}") and \
                    f"end_{mother.pk}" not in self.errors:
                self.add_error(f"end_{mother.pk}", _("Vul een einddatum in."))
        return data

    def ends(self) -> dict:
        """end field name → (mother, version, end date) of every ticked mother."""
        data = self.cleaned_data
        return {f"end_{m.pk}": (m, data.get(f"version_{m.pk}") or 0, data[f"end_{m.pk}"])
                for m in self.mothers if data.get(f"close_{m.pk}")}

from django import forms
from django.utils.translation import gettext_lazy as _

from mim.reports.models import SECTION_TEXTS, ReportText
from mim.reports.validators import validate_no_personal_values

MAX_TEXT = 20_000
TEXT_FIELDS = ("introduction", "summary", "quality", "national_support", "outlook")


def section_field(key: str) -> str:
    return f"section_{key}"


class ReportTextForm(forms.ModelForm):
    """The office's texts of a year: the fixed texts, then a free paragraph per chapter."""

    class Meta:
        model = ReportText
        fields = list(TEXT_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in TEXT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = (self.instance.section_texts or {}) if self.instance else {}
        for key, label in SECTION_TEXTS:
            self.fields[section_field(key)] = forms.CharField(
                label=_("Eigen alinea bij '%(chapter)s'") % {"chapter": label}, required=False,
                widget=forms.Textarea(attrs={"rows": 3}), initial=stored.get(key, ""),
                help_text=_("Komt na de cijfers van dit hoofdstuk."))

    def clean(self):
        data = super().clean()
        for name in (*TEXT_FIELDS, *(section_field(k) for k, _label in SECTION_TEXTS)):
            value = data.get(name) or ""
            if len(value) > MAX_TEXT:
                self.add_error(name, _("Maximaal %(n)s tekens.") % {"n": MAX_TEXT})
                continue
            try:
                validate_no_personal_values(value)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return data

    def texts(self) -> dict:
        """The cleaned texts as save_report_text and the preview take them."""
        data = self.cleaned_data
        return {**{name: (data.get(name) or "").strip() for name in TEXT_FIELDS},
                "section_texts": {key: text for key, _label in SECTION_TEXTS
                                  if (text := (data.get(section_field(key)) or "").strip())}}

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_FILES = 4


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Bestanden"),
        help_text=_("Eén Excel-werkmap (.xlsx) met de werkbladen mothers, volunteers, "
                    "matches en visits, of één tot vier csv-bestanden: mothers.csv, "
                    "volunteers.csv, matches.csv, visits.csv. Hoogstens 20 MB per bestand en "
                    "200.000 rijen."))

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Kies één xlsx-bestand of hoogstens vier "
                                          "csv-bestanden."))
        return files

from django import forms
from django.utils.translation import gettext_lazy as _

from mim.reports.models import ReportText

MAX_TEXT = 20_000


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = ReportText
        fields = ["introduction", "national_support"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8}),
                   "national_support": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        data = super().clean()
        for name in ("introduction", "national_support"):
            if len(data.get(name) or "") > MAX_TEXT:
                self.add_error(name, _("Maximaal %(n)s tekens.") % {"n": MAX_TEXT})
        return data

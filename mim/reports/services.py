"""Writes of the reports app: the programme office's texts, and the access log of downloads."""

from django.db import transaction

from mim.audit.models import Event
from mim.audit.services import audit_record
from mim.reports.models import ReportText


@transaction.atomic
def save_report_text(*, year: int, introduction: str, national_support: str, user,
                     request=None) -> ReportText:
    text, _created = ReportText.objects.select_for_update().get_or_create(year=year)
    text.introduction = introduction.strip()
    text.national_support = national_support.strip()
    text.updated_by = user
    text.save()
    audit_record(event=Event.UPDATE, user=user, request=request, object_type="report_text",
                 object_ref=str(year))
    return text


def record_download(request, *, year: int, fmt: str, site=None, municipality: str = "") -> None:
    """One access-log entry per report download (object type "report"); no figures in it."""
    if site is not None:
        scope = f"site:{site.code}"
    elif municipality:
        scope = f"municipality:{municipality}"[:58]  # object_ref holds 64 characters
    else:
        scope = "national"
    audit_record(event=Event.EXPORT, request=request, site=site, object_type="report",
                 object_ref=f"{year}:{scope}", detail=f"format={fmt}")

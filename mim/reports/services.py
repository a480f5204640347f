"""Writes of the reports app: the programme office's texts, the access log of downloads, and
the kept chart drawings."""

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone

from mim.audit.models import Event
from mim.audit.services import audit_record
from mim.reports import charts
from mim.reports.document import Chart, Report, iter_sections
from mim.reports.models import SECTION_TEXTS, ChartDrawing, ReportText
from mim.reports.selectors import stored_drawings
from mim.reports.validators import validate_no_personal_values

TEXTS = ("introduction", "summary", "quality", "national_support", "outlook")


@transaction.atomic
def save_report_text(*, year: int, user, request=None, section_texts: dict | None = None,
                     **texts: str) -> ReportText:
    """Store the office's texts of a year (all of them: a text not given is emptied).

    Each text is checked for personal values here too (ValidationError, nothing written), so
    no other caller of this service can publish one. The access log names the texts that
    changed, never their words."""
    unknown = set(texts) - set(TEXTS)
    if unknown:
        raise TypeError(f"unknown report texts: {sorted(unknown)}")
    known = {key for key, _label in SECTION_TEXTS}
    sections = {k: v.strip() for k, v in (section_texts or {}).items() if k in known and v.strip()}
    values = {name: (texts.get(name) or "").strip() for name in TEXTS}
    for value in (*values.values(), *sections.values()):
        validate_no_personal_values(value)
    text, _created = ReportText.objects.select_for_update().get_or_create(year=year)
    changed = [name for name, value in values.items() if getattr(text, name) != value]
    changed += [f"section:{k}" for k in sorted(known)
                if (text.section_texts or {}).get(k, "") != sections.get(k, "")]
    for name, value in values.items():
        setattr(text, name, value)
    text.section_texts = sections
    text.updated_by = user
    text.save()
    audit_record(event=Event.UPDATE, user=user, request=request, object_type="report_text",
                 object_ref=str(year), detail=f"fields={','.join(changed)}"[:500])
    return text


def record_download(request, *, year: int, fmt: str, site=None, municipality: str = "",
                    preview: bool = False) -> None:
    """One access-log entry per report download (object type "report"); no figures in it."""
    if site is not None:
        scope = f"site:{site.code}"
    elif municipality:
        scope = f"municipality:{municipality}"[:58]  # object_ref holds 64 characters
    else:
        scope = "national"
    audit_record(event=Event.EXPORT, request=request, site=site, object_type="report",
                 object_ref=f"{year}:{scope}",
                 detail=f"format={fmt}" + (" preview" if preview else ""))


@contextlib.contextmanager
def kept_drawings(report: Report):
    """Render `report` within this block with its charts' kept drawings, and keep the charts
    drawn anew (mim.reports.charts.kept): a report whose figures did not change draws none
    and imports no matplotlib. Two queries when all are kept, four when some are new."""
    wanted = {charts.drawing_key(charts.spec_key(block.spec), title)
              for _level, section in iter_sections(report) for block in section.blocks
              if isinstance(block, Chart) for title in (True, False)}
    stored = stored_drawings(wanted)
    drawings = dict(stored)
    with charts.kept(drawings):
        yield
    today = timezone.localdate()
    ChartDrawing.objects.filter(key__in=list(stored), used_on__lt=today).update(used_on=today)
    new = [ChartDrawing(key=key, svg=svg, used_on=today)
           for key, svg in drawings.items() if key not in stored]
    if new:
        ChartDrawing.objects.filter(
            used_on__lt=today - datetime.timedelta(days=ChartDrawing.KEEP_DAYS)).delete()
        # Another process may keep the same drawing at the same time: equal key, equal SVG.
        ChartDrawing.objects.bulk_create(new, ignore_conflicts=True)

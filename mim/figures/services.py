"""Writes of the figures app: only the access log of figure exports.

Figures are aggregates, not records, but an export of them still leaves the system: the
security officer wants to see who took which table when, and an unsuppressed export on the
server (operators only) in particular."""

from mim.audit.models import Event
from mim.audit.services import audit_record


def record_export(*, year: int, scope: str, code: str, fmt: str, request=None,
                  unsuppressed: bool = False) -> None:
    """One access-log entry per figures export (object type "figures"); no figures in it."""
    detail = f"format={fmt}" + (" unsuppressed" if unsuppressed else "")
    audit_record(event=Event.EXPORT, request=request, object_type="figures",
                 object_ref=f"{year}:{scope}:{code}", detail=detail)

import contextlib
import contextvars

from mim.audit.models import AuditEntry, Event

_AUDITED_WRITE = contextvars.ContextVar("mim_audited_write", default=False)


class UnauditedWrite(RuntimeError):
    """A bulk write on records about persons without a promise to log it."""


@contextlib.contextmanager
def audited_write():
    """Open a bulk `update()`/`delete()` on record querysets. The caller promises to
    write the access-log entries for what it changes (security guide E1)."""
    token = _AUDITED_WRITE.set(True)
    try:
        yield
    finally:
        _AUDITED_WRITE.reset(token)


def require_audited_write(operation: str, model_name: str) -> None:
    if not _AUDITED_WRITE.get():
        raise UnauditedWrite(f"bulk {operation} on {model_name} outside audited_write(): "
                             "log the change per record, then wrap the write")


def client_address(request) -> str:
    """The peer address. X-Forwarded-For is not trusted: it is spoofable unless the
    proxy in front rewrites it, and the deployment guide has the proxy set REMOTE_ADDR."""
    return (request.META.get("REMOTE_ADDR") or "")[:64] if request is not None else ""


def audit_record(*, event: Event | str, user=None, request=None, site=None, obj=None,
                 object_type: str = "", object_ref: str = "", detail: str = "",
                 on_behalf_of: str = "") -> AuditEntry:
    """Append one entry. `detail` must never hold personal values (field names are fine)."""
    if request is not None and user is None:
        current = getattr(request, "user", None)
        user = current if current is not None and current.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_ref = object_ref or getattr(obj, "ref", "") or str(obj.pk)
        site = site or getattr(obj, "site", None)
    return AuditEntry.objects.create(
        event=event,
        user=user,
        username=(user.get_username() if user else "")[:150],
        client=client_address(request) if request is not None else "cli",
        on_behalf_of=on_behalf_of or (site.code if site else ""),
        site=site,
        object_type=object_type,
        object_ref=object_ref[:64],
        detail=detail[:500],
    )

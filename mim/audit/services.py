import contextlib
import contextvars

from django.db import connection
from django.utils import timezone

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
        object_ref=_storable(object_ref)[:64],
        detail=_storable(detail)[:500],
    )


# The detail of an entry `audit_each` writes for a record a page or a file showed.
SHOWN = "shown: "


class Entries:
    """Many access-log entries by one user and client about one site, written at once: the
    same fields as `audit_record`, one statement for all (or the caller's bulk writer: the
    record import's COPY, mim.spreadsheets.importing.insert), so that a page's queries and an
    import's round trips do not grow with the records they name."""

    NAMES = ["at", "user", "username", "client", "on_behalf_of", "site", "event",
             "object_type", "object_ref", "detail"]

    def __init__(self, *, site, user=None, request=None, at=None):
        if request is not None and user is None:
            current = getattr(request, "user", None)
            user = current if current is not None and current.is_authenticated else None
        self.common = (at or timezone.now(), user.pk if user else None,
                       (user.get_username() if user else "")[:150],
                       client_address(request) if request is not None else "cli",
                       site.code if site else "", site.pk if site else None)
        self.rows: list[tuple] = []

    def add(self, event: Event | str, object_type: str, ref: str, detail: str) -> None:
        self.rows.append((*self.common, str(event), object_type, _storable(str(ref))[:64],
                          _storable(detail)[:500]))

    def save(self, write=None) -> None:
        """`write(model, names, rows)` if given; else one `executemany`."""
        if not self.rows:
            return
        if write is not None:
            write(AuditEntry, self.NAMES, self.rows)
            return
        fields = [AuditEntry._meta.get_field(name) for name in self.NAMES]
        quote = connection.ops.quote_name
        # Identifiers from the model's metadata, values only as parameters; one statement for
        # every row (bulk_create would split a long list into batches on SQLite).
        sql = (f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608
               f"({', '.join(quote(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[f.get_db_prep_save(v, connection) for f, v in
                                      zip(fields, row, strict=True)] for row in self.rows])


def audit_each(*, event: Event | str, site, shown, user=None, request=None) -> None:
    """One entry per record a list, a sheet or an export showed, under the record's own ref:
    `shown` holds (object_type, ref, detail). The log about one person (her subject-access
    report, the site's log filtered by her ref) then finds every page and file that showed
    her, where the list's own entry names only as many refs as fit in it (NEN 7513). One
    INSERT for all, so a page's queries do not grow with its rows."""
    entries = Entries(site=site, user=user, request=request)
    for object_type, ref, detail in sorted({(t, str(r), d) for t, r, d in shown if r}):
        entries.add(event, object_type, ref, SHOWN + detail)
    entries.save()


def _storable(text: str) -> str:
    # A refusal is logged with the path asked for, which may hold any character; PostgreSQL
    # refuses NUL in text, and the entry must never turn a 404 into a server error.
    return text.replace("\x00", "\ufffd")


DETAIL_LENGTH = AuditEntry._meta.get_field("detail").max_length


def refs_detail(prefix: str, refs) -> str:
    """`prefix` and the refs of the records a page showed, as many as fit in one entry,
    the rest counted ("+12 more"): an auditor can see whose record a list or a search
    by name revealed without the entry holding the name itself."""
    refs = [str(r) for r in refs]
    head = f"{prefix}; {len(refs)} shown"
    if not refs:
        return head
    text = f"{head}: "
    for n, ref in enumerate(refs):
        rest = f" +{len(refs) - n} more"
        if len(text) + len(ref) + 1 + len(rest) > DETAIL_LENGTH:
            return (text + rest).rstrip()[:DETAIL_LENGTH]
        text += ref + " "
    return text.rstrip()


def audit_denied(*, request, what: str) -> AuditEntry | None:
    """A refusal of something outside the user's scope (a 404 or 403 she received).

    Only the path is kept, never the query string: a search term may be a name."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return audit_record(event=Event.DENIED, request=request, object_type="url",
                        object_ref=request.path[:64],
                        detail=f"{what}: not found or outside the user's scope; {request.path}")

"""Backups that restore: a consistent snapshot of every table that holds data, in a
portable archive (a zip of JSON lines, one file per table, and a manifest with row
counts and checksums), restorable into an empty SQLite or PostgreSQL database.

Portable on purpose: the same archive moves an installation from the embedded SQLite
database to PostgreSQL, and the restore drill can compare databases row by row.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
# Tables that are rebuilt by `migrate` or hold nothing worth keeping.
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session",
            "admin.logentry", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
            # Derived, rebuilt on the first read after a restore (mim.publication).
            "publication.inputstamp", "publication.publication", "publication.publishedscope",
            # per-site stamps are raised by the restore's own inserts, and kept figures are
            # recounted when their stamps differ (mim.publication.kept)
            "publication.sitestamp", "publication.keptsitefigures",
            # chart drawings are drawn again when a report is made (mim.reports.charts)
            "reports.chartdrawing"}
CHUNK = 2000


class RestoreRefused(Exception):
    """The target database is not fit for a restore; nothing was written."""


@dataclass
class TableSummary:
    label: str
    rows: int
    sha256: str


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with a table, in an order that satisfies foreign keys."""
    candidates = [m for m in apps.get_models(include_auto_created=True)
                  if m._meta.managed and not m._meta.proxy
                  and m._meta.label_lower not in EXCLUDED]
    return _dependency_order(candidates)


def _dependency_order(candidates):
    remaining = {m._meta.label_lower: m for m in candidates}
    ordered, placed = [], set()
    while remaining:
        progress = False
        for label, model in sorted(remaining.items()):
            deps = {f.related_model._meta.label_lower for f in model._meta.concrete_fields
                    if f.is_relation and f.related_model is not model
                    and getattr(f, "db_constraint", True)}
            if deps <= placed | (deps - remaining.keys()):
                ordered.append(model)
                placed.add(label)
                del remaining[label]
                progress = True
        if not progress:  # a cycle: no such models today; keep going in name order
            label = sorted(remaining)[0]
            ordered.append(remaining.pop(label))
            placed.add(label)
    return ordered


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


class _LosslessEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder rounds times to milliseconds; a backup must keep every digit."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _encode(values) -> str:
    return json.dumps(values, cls=_LosslessEncoder, ensure_ascii=False, separators=(",", ":"))


def _rows(model) -> Iterable[tuple]:
    return (model._base_manager.order_by("pk").values_list(*_columns(model))
            .iterator(chunk_size=CHUNK))


def table_checksums() -> dict[str, TableSummary]:
    """Row count and SHA-256 of every backed-up table, in primary-key order."""
    summaries = {}
    for model in backed_up_models():
        digest, count = hashlib.sha256(), 0
        for row in _rows(model):
            digest.update(_encode(list(row)).encode() + b"\n")
            count += 1
        label = model._meta.label_lower
        summaries[label] = TableSummary(label, count, digest.hexdigest())
    return summaries


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


class BackupRefused(Exception):
    pass


def pending_migrations() -> list:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def backup(path: Path, progress: Callable[[str], None] = lambda label: None) -> dict:
    """Write a consistent snapshot to `path` (written to a temporary name, then moved)."""
    if pending_migrations():
        raise BackupRefused("the database has unapplied migrations; run `mim migrate` first")
    temporary = path.with_name(path.name + ".partial")
    try:
        # Readable by the service's own user only, from the first byte on: the archive
        # holds every record, contact details included (a umask of 022 would share it).
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(temporary, 0o600)
        manifest = _write(temporary, progress)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(path)
    return manifest


def _write(temporary: Path, progress) -> dict:
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "vendor": connection.vendor, "migrations": None, "tables": {}}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table: what the first query sees, all others see.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest["migrations"] = _applied_migrations()
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for model in backed_up_models():
                label = model._meta.label_lower
                progress(label)
                digest, count = hashlib.sha256(), 0
                with archive.open(f"{label}.jsonl", "w") as out:
                    out.write((_encode(_columns(model)) + "\n").encode())
                    for row in _rows(model):
                        line = _encode(list(row)).encode() + b"\n"
                        digest.update(line)
                        out.write(line)
                        count += 1
                manifest["tables"][label] = {"rows": count, "sha256": digest.hexdigest()}
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise RestoreRefused("this file is not a MIM backup (no manifest)") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"unsupported backup format {manifest.get('format')!r}")
    return manifest


def _check_target(manifest: dict) -> None:
    if _applied_migrations() != manifest["migrations"]:
        raise RestoreRefused("the database schema differs from the backup's; run `mim migrate` "
                             "on an empty database of the same version first")
    for model in backed_up_models():
        if model._base_manager.exists():
            raise RestoreRefused(f"the database is not empty ({model._meta.label_lower} has "
                                 "rows); restore only into an empty database")


def restore(path: Path, progress: Callable[[str], None] = lambda label: None) -> dict:
    """Load an archive into an empty, migrated database; all or nothing, then verify."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise RestoreRefused(f"cannot read {path}: {exc}") from None
    with archive, transaction.atomic():
        manifest = _read_manifest(archive)
        _check_target(manifest)
        loaded = []
        for model in backed_up_models():
            label = model._meta.label_lower
            if label not in manifest["tables"]:
                continue
            progress(label)
            _load_table(archive, model, label)
            loaded.append(model)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                cursor.execute(sql)
        _verify(manifest)
    return manifest


@contextlib.contextmanager
def _keeping_timestamps(model):
    """auto_now fields would stamp every restored row with the time of the restore."""
    stamped = [f for f in model._meta.concrete_fields
               if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _load_table(archive, model, label) -> None:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    with archive.open(f"{label}.jsonl") as lines, _keeping_timestamps(model):
        header = json.loads(lines.readline())
        if set(header) != set(fields):
            raise RestoreRefused(f"{label}: columns differ from this version's")
        batch = []
        for line in lines:
            values = json.loads(line)
            batch.append(model(**{name: fields[name].to_python(value)
                                  for name, value in zip(header, values, strict=True)}))
            if len(batch) >= CHUNK:
                model._base_manager.bulk_create(batch)
                batch = []
        model._base_manager.bulk_create(batch)


def _verify(manifest: dict) -> None:
    actual = table_checksums()
    for label, expected in manifest["tables"].items():
        found = actual.get(label)
        if found is None or (found.rows, found.sha256) != (expected["rows"], expected["sha256"]):
            raise RestoreRefused(f"verification failed for {label}: the restored rows differ "
                                 "from the backup; nothing was kept")

"""Triggers that raise the figures' input stamp (models.InputStamp) on every write to what
figures are made of, whatever the code path: web, import, API, retention, admin, a shell.

A trigger, not a signal or a service call: a write path that forgot to invalidate would
publish stale figures, and bulk `update()`/`delete()` send no signals. On PostgreSQL the
trigger runs once per statement (an import of 100,000 rows raises the stamp a few hundred
times, not 100,000); the stamp row is locked until the writing transaction commits, which
is what makes a reader never store a publication for data it cannot see yet.
"""

from mim.publication.models import STAMP_KEY

TABLES = ("registry_mother", "registry_motheranswer", "registry_selfassessment",
          "registry_volunteer",
          "registry_volunteeranswer", "returns_annualreturn", "returns_returnfigure",
          "organisations_site", "organisations_organisation", "organisations_municipality")
STAMP_TABLE = "publication_inputstamp"
_BUMP = f"UPDATE {STAMP_TABLE} SET value = value + 1 WHERE key = '{STAMP_KEY}'"  # noqa: S608 (constants)


def _pg_install():
    yield f"""CREATE OR REPLACE FUNCTION publication_bump() RETURNS trigger AS $$
    BEGIN
      {_BUMP};
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql"""
    for table in TABLES:
        yield f"""CREATE OR REPLACE TRIGGER {table}_publication_bump
          AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION publication_bump()"""


def _pg_remove():
    for table in TABLES:
        yield f"DROP TRIGGER IF EXISTS {table}_publication_bump ON {table}"
    yield "DROP FUNCTION IF EXISTS publication_bump()"


def _sqlite_install():
    # SQLite has row triggers only; they run in-process, so their cost is small.
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            yield (f"CREATE TRIGGER IF NOT EXISTS {table}_pub_{event.lower()} AFTER {event} "
                   f"ON {table} BEGIN {_BUMP}; END")


def _sqlite_remove():
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            yield f"DROP TRIGGER IF EXISTS {table}_pub_{event}"


_INSTALL = {"postgresql": _pg_install, "sqlite": _sqlite_install}
_REMOVE = {"postgresql": _pg_remove, "sqlite": _sqlite_remove}


def ensure_stamp_row(connection) -> None:
    """The one counter row (a flush between tests, or a restore, may have removed it)."""
    from mim.publication.models import InputStamp

    InputStamp.objects.using(connection.alias).get_or_create(key=STAMP_KEY)


def install(connection) -> None:
    # A table that a later migration creates (registry_selfassessment after this app's
    # 0002) gets its trigger from the post_migrate reinstall (apps.py) once it exists.
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for sql in _INSTALL.get(connection.vendor, lambda: [])():
            if not any(f" ON {table}" in sql and table not in existing for table in TABLES):
                cursor.execute(sql)
    ensure_stamp_row(connection)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _REMOVE.get(connection.vendor, lambda: [])():
            cursor.execute(sql)

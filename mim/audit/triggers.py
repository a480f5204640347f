"""The database triggers that make the access log append-only (security guide E2).

Used by the migration, and by the test suite, which must lift them for a moment to
empty the database between transactional tests (nothing else ever does).
"""

TABLE = "audit_auditentry"

_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION '{TABLE} is append-only';
    END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE TRIGGER audit_auditentry_append_only
      BEFORE UPDATE OR DELETE ON {TABLE}
      FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    f"""CREATE OR REPLACE TRIGGER audit_auditentry_no_truncate
      BEFORE TRUNCATE ON {TABLE}
      FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
_PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_auditentry_append_only ON {TABLE}",
]
_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete BEFORE DELETE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END""",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]
_INSTALL = {"postgresql": _PG_INSTALL, "sqlite": _SQLITE_INSTALL}
_REMOVE = {"postgresql": _PG_REMOVE, "sqlite": _SQLITE_REMOVE}


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _INSTALL.get(connection.vendor, []):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _REMOVE.get(connection.vendor, []):
            cursor.execute(sql)

"""Triggers that raise the figures' input stamp (models.InputStamp) on every write to what
figures are made of, whatever the code path: web, import, API, retention, admin, a shell.

A trigger, not a signal or a service call: a write path that forgot to invalidate would
publish stale figures, and bulk `update()`/`delete()` send no signals. On PostgreSQL the
trigger runs once per statement (an import of 100,000 rows raises the stamp a few hundred
times, not 100,000); the stamp row is locked until the writing transaction commits, which
is what makes a reader never store a publication for data it cannot see yet.
"""

from mim.publication.models import STAMP_KEY

# Per site (mim.publication.kept, kept_results): which tables carry the site, and how to
# reach it.
SITE_TABLES = {
    "registry_mother": "SELECT site_id FROM {rows}",
    "registry_volunteer": "SELECT site_id FROM {rows}",
    "registry_motheranswer": "SELECT p.site_id FROM {rows} r JOIN registry_mother p "
                             "ON p.id = r.mother_id",
    "registry_volunteeranswer": "SELECT p.site_id FROM {rows} r JOIN registry_volunteer p "
                                "ON p.id = r.volunteer_id",
    "organisations_site": "SELECT id FROM {rows}",
    # The results (mim.publication.kept_results) count matches, visits and self-assessments
    # at the site of their mother. A mother who moves raises both her sites (her own row);
    # a match or visit deleted with her is deleted before she is, so her site is still found.
    "registry_match": "SELECT p.site_id FROM {rows} r JOIN registry_mother p "
                      "ON p.id = r.mother_id",
    "registry_visit": "SELECT p.site_id FROM {rows} r JOIN registry_mother p "
                      "ON p.id = r.mother_id",
    "registry_selfassessment": "SELECT p.site_id FROM {rows} r JOIN registry_mother p "
                               "ON p.id = r.mother_id",
}
SITE_STAMP = "publication_sitestamp"

# Matches and visits: the results rows (mim.results) count them.
TABLES = ("registry_mother", "registry_motheranswer", "registry_selfassessment",
          "registry_volunteer",
          "registry_volunteeranswer", "registry_match", "registry_visit",
          "returns_annualreturn", "returns_returnfigure",
          "organisations_site", "organisations_organisation", "organisations_municipality",
          # coordinators and facts rows (mim.figures.coordination)
          "organisations_siteyear", "organisations_organisationyear",
          "organisations_coordinator", "organisations_coordinatorassignment",
          # who attacks: a coordinator given a wider role (build._wider_role_sites)
          "accounts_roleassignment")
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


    # Statement triggers with transition tables: one statement over 100,000 rows raises each
    # site it touched once. TRUNCATE has no rows to look at: every site is stale then.
    for table, select in SITE_TABLES.items():
        for event, rows in (("INSERT", ["new_rows"]), ("UPDATE", ["old_rows", "new_rows"]),
                            ("DELETE", ["old_rows"])):
            ids = " UNION ".join(select.format(rows=r) for r in rows)
            name = f"{table}_site_{event.lower()}"
            yield f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN
              INSERT INTO {SITE_STAMP} (site_id, value)
                SELECT DISTINCT s.site_id, 1 FROM ({ids}) AS s(site_id)
                WHERE s.site_id IS NOT NULL ORDER BY 1
                ON CONFLICT (site_id) DO UPDATE SET value = {SITE_STAMP}.value + 1;
              RETURN NULL;
            END;
            $$ LANGUAGE plpgsql"""  # noqa: S608 (table names are constants)
            referencing = {"INSERT": "NEW TABLE AS new_rows",
                           "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                           "DELETE": "OLD TABLE AS old_rows"}[event]
            yield f"""CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table}
              REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"""
        yield f"""CREATE OR REPLACE FUNCTION {table}_site_truncate() RETURNS trigger AS $$
        BEGIN
          UPDATE {SITE_STAMP} SET value = value + 1;
          RETURN NULL;
        END;
        $$ LANGUAGE plpgsql"""  # noqa: S608 (constants)
        yield f"""CREATE OR REPLACE TRIGGER {table}_site_truncate AFTER TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION {table}_site_truncate()"""


def _pg_remove():
    for table in SITE_TABLES:
        for event in ("insert", "update", "delete", "truncate"):
            yield f"DROP TRIGGER IF EXISTS {table}_site_{event} ON {table}"
            yield f"DROP FUNCTION IF EXISTS {table}_site_{event}()"
    for table in TABLES:
        yield f"DROP TRIGGER IF EXISTS {table}_publication_bump ON {table}"
    yield "DROP FUNCTION IF EXISTS publication_bump()"


def _sqlite_install():
    # SQLite has row triggers only; they run in-process, so their cost is small.
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            yield (f"CREATE TRIGGER IF NOT EXISTS {table}_pub_{event.lower()} AFTER {event} "
                   f"ON {table} BEGIN {_BUMP}; END")


    for table, select in SITE_TABLES.items():
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]),
                            ("DELETE", ["OLD"])):
            for row in rows:
                site = _sqlite_site(table, select, row)
                name = f"{table}_site_{event.lower()}_{row.lower()}"
                insert = f"INSERT OR IGNORE INTO {SITE_STAMP} (site_id, value) VALUES ({site}, 0);"  # noqa: S608
                update = f"UPDATE {SITE_STAMP} SET value = value + 1 WHERE site_id = {site};"  # noqa: S608
                bump = f"{insert} {update}"
                yield (f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} "
                       f"WHEN {site} IS NOT NULL BEGIN {bump} END")


def _sqlite_site(table: str, select: str, row: str) -> str:
    """The site of the row a SQLite row trigger sees, as an expression."""
    if "JOIN" not in select:
        return f"{row}.{'id' if table == 'organisations_site' else 'site_id'}"
    parent, column = (("registry_mother", "mother_id") if "registry_mother " in select
                      else ("registry_volunteer", "volunteer_id"))
    return f"(SELECT site_id FROM {parent} WHERE id = {row}.{column})"  # noqa: S608


def _sqlite_remove():
    for table in SITE_TABLES:
        for event in ("insert", "update", "delete"):
            for row in ("new", "old"):
                yield f"DROP TRIGGER IF EXISTS {table}_site_{event}_{row}"
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

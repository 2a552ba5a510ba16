"""The database's side of a published version's freeze: triggers on SQLite and PostgreSQL.

They refuse inserting, changing or deleting a group, competency or behavioural indicator of
a published version (moving a draft's row into one included), deleting a published version
and turning one back into a draft, for whatever reaches the database without the models
(raw SQL, another program). Installed by migration `0005_freeze`.

SQLite rebuilds a table to change its schema (copy, drop, rename), which its triggers on
other tables block ("error in trigger ...: no such table") and which drops the table's own
triggers. So on SQLite every `migrate` lifts them first and installs them again at the end
(`apps.FrameworksConfig`); `flush`, which deletes row by row there, makes them step aside
while `frameworks_freeze_override` holds a row (`management/commands/flush.py`).
PostgreSQL changes tables in place and flushes with TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from typing import Any

MESSAGE = "frameworks: a published version refuses changes"
OVERRIDE = "frameworks_freeze_override"
MIGRATION = ("frameworks", "0005_freeze")
# Content table -> the column leading to its version (directly, or through a competency).
CONTENT = {
    "frameworks_group": "framework_id",
    "frameworks_competency": "framework_id",
    "frameworks_behaviouralindicator": "competency_id",
}
OPERATIONS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}
SQLITE_VERSION_TRIGGERS = {
    "frameworks_framework_frozen_delete": ("DELETE", "OLD.status = 'published'"),
    "frameworks_framework_frozen_update": (
        "UPDATE",
        "OLD.status = 'published' AND NEW.status <> 'published'",
    ),
}


def _sqlite_version_of(via: str, row: str) -> str:
    if via == "competency_id":
        return f"(SELECT c.framework_id FROM frameworks_competency c WHERE c.id = {row}.{via})"  # noqa: S608
    return f"{row}.{via}"


def _sqlite_triggers() -> dict[str, str]:
    """Name -> CREATE TRIGGER statement (all built from the constants above)."""
    enforced = f"NOT EXISTS (SELECT 1 FROM {OVERRIDE})"  # noqa: S608 (constants only)
    refuse = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    found = {}
    for table, via in CONTENT.items():
        for operation, rows in OPERATIONS.items():
            ids = ", ".join(_sqlite_version_of(via, row) for row in rows)
            name = f"{table}_frozen_{operation.lower()}"
            found[name] = (
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {operation} ON {table} "  # noqa: S608
                f"FOR EACH ROW WHEN {enforced} AND EXISTS (SELECT 1 FROM frameworks_framework f "
                f"WHERE f.id IN ({ids}) AND f.status = 'published') {refuse}"
            )
    for name, (operation, condition) in SQLITE_VERSION_TRIGGERS.items():
        found[name] = (
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {operation} ON frameworks_framework "
            f"FOR EACH ROW WHEN {enforced} AND {condition} {refuse}"
        )
    return found


POSTGRESQL_FUNCTIONS = (
    f"""
CREATE OR REPLACE FUNCTION frameworks_refuse_frozen_content() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  via text := TG_ARGV[0];
  touched bigint[] := ARRAY[]::bigint[];
BEGIN
  IF TG_OP <> 'INSERT' THEN touched := touched || (to_jsonb(OLD) ->> via)::bigint; END IF;
  IF TG_OP <> 'DELETE' THEN touched := touched || (to_jsonb(NEW) ->> via)::bigint; END IF;
  IF via = 'competency_id' THEN
    touched := ARRAY(SELECT framework_id FROM frameworks_competency WHERE id = ANY(touched));
  END IF;
  IF EXISTS (SELECT 1 FROM frameworks_framework
             WHERE id = ANY(touched) AND status = 'published') THEN
    RAISE EXCEPTION '{MESSAGE} (%)', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",  # noqa: S608 (constants only)
    f"""
CREATE OR REPLACE FUNCTION frameworks_refuse_frozen_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' AND (TG_OP = 'DELETE' OR NEW.status <> 'published') THEN
    RAISE EXCEPTION '{MESSAGE} (%)', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
)


def _postgresql_triggers() -> dict[str, tuple[str, str]]:
    """Name -> (table, what it runs)."""
    found = {
        f"{table}_frozen": (
            table,
            f"BEFORE INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION frameworks_refuse_frozen_content('{via}')",
        )
        for table, via in CONTENT.items()
    }
    found["frameworks_framework_frozen"] = (
        "frameworks_framework",
        "BEFORE UPDATE OR DELETE ON frameworks_framework FOR EACH ROW "
        "EXECUTE FUNCTION frameworks_refuse_frozen_version()",
    )
    return found


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    """Create the triggers (and on SQLite the override table); harmless when present."""
    if connection.vendor == "sqlite":
        table = f"CREATE TABLE IF NOT EXISTS {OVERRIDE} (reason TEXT NOT NULL)"
        _run(connection, [table, *_sqlite_triggers().values()])
    elif connection.vendor == "postgresql":
        statements = list(POSTGRESQL_FUNCTIONS)
        for name, (table, body) in _postgresql_triggers().items():
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} {body}",
            ]
        _run(connection, statements)


def lift(connection: Any) -> None:
    """Drop the SQLite triggers for the time of a `migrate` (see the module's notes)."""
    if connection.vendor == "sqlite":
        _run(connection, [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_triggers()])


def remove(connection: Any) -> None:
    """Drop everything `install` made (the migration's reverse)."""
    if connection.vendor == "sqlite":
        lift(connection)
        _run(connection, [f"DROP TABLE IF EXISTS {OVERRIDE}"])
    elif connection.vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {n} ON {t}" for n, (t, _) in _postgresql_triggers().items()
        ]
        statements += [
            "DROP FUNCTION IF EXISTS frameworks_refuse_frozen_content()",
            "DROP FUNCTION IF EXISTS frameworks_refuse_frozen_version()",
        ]
        _run(connection, statements)

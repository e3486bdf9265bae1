"""Database triggers that refuse to change or remove a record written once.

The models refuse too, but a trigger also stops a queryset update, a raw SQL
statement or a console session. Created by migration; the SQL is kept here so
that the migrations and the test suite use the same text. They are defence in
depth: the log (ADR 13) is what detects a change made by someone who can
drop them, and on PostgreSQL the service's own role cannot
(docs/operations.md, "Database roles").

On SQLite, ``REPLACE`` and ``INSERT OR REPLACE`` delete the row in the way
without firing delete triggers (unless recursive_triggers is on, which the
sqlite3 shell does not set), so an insert that would meet an existing row on
any unique column is refused before it happens.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

MESSAGE = "records written once cannot be changed or deleted: add an addendum instead"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on %: {MESSAGE}', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def postgres_create(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_immutable_rows ON {table};",
        f"CREATE TRIGGER {table}_immutable_rows BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();",
        f"DROP TRIGGER IF EXISTS {table}_immutable_truncate ON {table};",
        f"CREATE TRIGGER {table}_immutable_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();",
    ]


def postgres_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_immutable_rows ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_immutable_truncate ON {table};",
    ]


def _unique_column_sets(connection, table: str) -> list[list[str]]:
    """The sets of columns of ``table`` that are unique together, read from SQLite's schema.

    Django reads them by parsing each table's and index's SQL, some tenths of a second for the tables
    written once; the answer is kept for as long as that SQL stays the same (a migration that changes
    the table changes it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND type IN ('table', 'index') "
            "ORDER BY type, name",
            [table],
        )
        schema = tuple(cursor.fetchall())
        kept = _UNIQUE_COLUMN_SETS.get((table, schema))
        if kept is not None:
            return [list(columns) for columns in kept]
        constraints = connection.introspection.get_constraints(cursor, table)
    sets = [item["columns"] for item in constraints.values() if (item["unique"] or item["primary_key"])]
    unique = [columns for index, columns in enumerate(sets) if columns and columns not in sets[:index]]
    _UNIQUE_COLUMN_SETS[(table, schema)] = tuple(tuple(columns) for columns in unique)
    return unique


# (table, its schema's SQL) -> its unique column sets, as _unique_column_sets found them.
_UNIQUE_COLUMN_SETS: dict[tuple[str, tuple], tuple[tuple[str, ...], ...]] = {}


def sqlite_create(table: str, unique: list[list[str]]) -> list[str]:
    # SQLite has no TRUNCATE: "DELETE FROM t" without WHERE is a delete, and
    # the delete trigger refuses it row by row.
    statements = [
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'UPDATE on {table}: {MESSAGE}'); END;",
        f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'DELETE on {table}: {MESSAGE}'); END;",
        f"DROP TRIGGER IF EXISTS {table}_no_replace;",
    ]
    if unique:
        meets = " OR ".join(
            "(" + " AND ".join(f'"{column}" = NEW."{column}"' for column in columns) + ")" for columns in unique
        )
        # Table and column names come from the schema, never from input.
        statements.append(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "  # noqa: S608  # nosec B608
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {meets}) "
            f"BEGIN SELECT RAISE(ABORT, 'REPLACE on {table}: {MESSAGE}'); END;"
        )
    return statements


def sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        f"DROP TRIGGER IF EXISTS {table}_no_replace;",
    ]


def statements(connection, tables: tuple[str, ...], *, create: bool) -> list[str]:
    vendor = connection.vendor
    if vendor == "postgresql":
        sql = [POSTGRES_FUNCTION] if create else []
        for table in tables:
            sql += postgres_create(table) if create else postgres_drop(table)
        return sql
    if vendor == "sqlite":
        sql = []
        for table in tables:
            sql += sqlite_create(table, _unique_column_sets(connection, table)) if create else sqlite_drop(table)
        return sql
    raise NotImplementedError(f"no immutability triggers for {vendor}")


def install(connection, tables: tuple[str, ...] | None = None) -> None:
    """Create the triggers, in one transaction: all or none, and one commit, not one a statement (in
    autocommit, some eighty commits took 0.2 s on PostgreSQL where one takes 0.02)."""
    tables = immutable_tables() if tables is None else tables
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements(connection, tables, create=True):
            cursor.execute(statement)


def remove(connection, tables: tuple[str, ...] | None = None) -> None:
    """Drop the triggers, in one transaction: the test suite, to empty its database, and disposal (``lifted``)."""
    tables = immutable_tables() if tables is None else tables
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements(connection, tables, create=False):
            cursor.execute(statement)


@contextmanager
def lifted(connection, tables: tuple[str, ...]):
    """The triggers of these tables dropped for one transaction's work, then put back.

    Only for disposing of content at the end of its retention period, run by
    the tables' owner (the service's role cannot drop a trigger). Call inside
    a transaction: on both databases the triggers' removal is undone with it
    if anything fails.
    """
    remove(connection, tables)
    yield
    install(connection, tables)


def immutable_tables() -> tuple[str, ...]:
    """Every table written once: the ledger's, each ledger record's, their parts', the change history's."""
    from django.apps import apps

    from ledger import history
    from ledger.models import Pending, WrittenOnce

    tables = [
        model._meta.db_table for model in apps.get_models() if issubclass(model, WrittenOnce) and model is not Pending
    ]
    tables += [model._meta.db_table for model in history.historical_models()]
    return tuple(sorted(set(tables)))

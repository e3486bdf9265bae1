"""Database triggers that refuse to change or remove a recorded decision.

The model refuses too, but a trigger also stops a queryset update, a raw SQL
statement or a console session. Created by migration; the SQL is kept here so
that the migration and the test suite use the same text.
"""

SHARING_TABLES = ("sharing_sharingdecision", "sharing_decisionanswer", "sharing_addendum", "sharing_decisionreview")
CONSENT_TABLES = ("consent_consentrecord",)
EXCHANGE_TABLES = ("exchange_requestoutcome", "exchange_disclosure", "exchange_informedfollowup")
AUDIT_TABLES = ("audit_accessevent",)
IMMUTABLE_TABLES = SHARING_TABLES + CONSENT_TABLES + EXCHANGE_TABLES + AUDIT_TABLES

MESSAGE = "recorded decisions cannot be changed or deleted: add an addendum instead"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION sharing_refuse_change() RETURNS trigger AS $$
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
        "FOR EACH ROW EXECUTE FUNCTION sharing_refuse_change();",
        f"DROP TRIGGER IF EXISTS {table}_immutable_truncate ON {table};",
        f"CREATE TRIGGER {table}_immutable_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION sharing_refuse_change();",
    ]


def postgres_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_immutable_rows ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_immutable_truncate ON {table};",
    ]


def sqlite_create(table: str) -> list[str]:
    # SQLite has no TRUNCATE: "DELETE FROM t" without WHERE is a delete, and
    # the delete trigger refuses it row by row.
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'UPDATE on {table}: {MESSAGE}'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'DELETE on {table}: {MESSAGE}'); END;",
    ]


def sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]


def statements(vendor: str, tables: tuple[str, ...], *, create: bool) -> list[str]:
    if vendor == "postgresql":
        sql = [POSTGRES_FUNCTION] if create else []
        for table in tables:
            sql += postgres_create(table) if create else postgres_drop(table)
        return sql
    if vendor == "sqlite":
        sql = []
        for table in tables:
            sql += sqlite_create(table) if create else sqlite_drop(table)
        return sql
    raise NotImplementedError(f"no immutability triggers for {vendor}")


def install(connection, tables: tuple[str, ...] = IMMUTABLE_TABLES) -> None:
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, tables, create=True):
            cursor.execute(statement)


def remove(connection, tables: tuple[str, ...] = IMMUTABLE_TABLES) -> None:
    """Drop the triggers. Only the test suite does this, to empty its database."""
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, tables, create=False):
            cursor.execute(statement)

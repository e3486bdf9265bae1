"""The two PostgreSQL roles: the owner that migrates, and the service's role that may not change the record.

The owner owns every table, sequence and function of the schema and runs
``migrate``. The service runs as a role that reads and writes ordinary
tables, but may only SELECT and INSERT on the tables written once
(``immutability.immutable_tables()``): it cannot update, delete or truncate
them, and, owning nothing, cannot alter a table, drop or disable a trigger, or
set ``session_replication_role`` (which needs a superuser). The sequencer's
queue, ``ledger_pending``, is emptied by the service, so it may also DELETE
there (docs/operations.md, "Database roles"; ADR 13).

The statements are idempotent: ``manage.py database_roles`` runs them after
every ``migrate`` (a new table is out of the service's reach until it does:
no default privileges are granted, so a new table written once is never
writable by the service by mistake). Each function returns SQL text, role
names quoted with psycopg2's ``sql.Identifier`` and ``sql.Literal``.
"""

from __future__ import annotations

import re

from psycopg2 import sql

from ledger.immutability import immutable_tables

SCHEMA = "public"
# The sequencer's queue: entries are deleted from it once placed in the tree.
QUEUE = "ledger_pending"

IMMUTABLE_PRIVILEGES = ("SELECT", "INSERT")
QUEUE_PRIVILEGES = ("SELECT", "INSERT", "DELETE")
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
SEQUENCE_PRIVILEGES = ("USAGE", "SELECT")

# Ordinary SQL identifiers only: the names go into a DO block's dollar-quoted body too.
ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class RoleError(ValueError):
    pass


def check_role_names(owner: str, service: str) -> None:
    for name in (owner, service):
        if not ROLE_NAME.match(name):
            raise RoleError(f"{name!r} is not a plain role name (letters, digits and _, at most 63)")
    if owner == service:
        raise RoleError("the owner and the service must be two different roles")
    if service.lower() in {"postgres", "public"} or service.lower().startswith("pg_"):
        raise RoleError(f"{service!r} cannot be the service's role")


def privileges_of(table: str, immutable: set[str]) -> tuple[str, ...]:
    """What the service may do on a table."""
    if table in immutable:
        return IMMUTABLE_PRIVILEGES
    if table == QUEUE:
        return QUEUE_PRIVILEGES
    return TABLE_PRIVILEGES


def _render(connection, composed: sql.Composable) -> str:
    connection.ensure_connection()
    return composed.as_string(connection.connection)


def create_roles(connection, *, owner: str, service: str) -> list[str]:
    """Both roles, able to log in, created if missing; the service refused if it has more than it should."""
    statements = []
    for name in (owner, service):
        # Run by the owner once the roles exist, nothing here needs CREATEROLE.
        statements.append(
            sql.SQL(
                "DO $roles$ BEGIN\n"
                "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal}) THEN\n"
                "    CREATE ROLE {name} LOGIN;\n"
                "  ELSIF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = {literal}) THEN\n"
                "    ALTER ROLE {name} LOGIN;\n"
                "  END IF;\n"
                "END $roles$"
            ).format(literal=sql.Literal(name), name=sql.Identifier(name))
        )
    # A superuser, or a member of the owner's role, can do all the owner can: refuse such a service role.
    statements.append(
        sql.SQL(
            "DO $roles$ BEGIN\n"
            "  IF EXISTS (SELECT FROM pg_roles WHERE rolname = {service}\n"
            "             AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolreplication)) THEN\n"
            "    RAISE EXCEPTION 'the service role % must not be a superuser, create roles, bypass row security'\n"
            "      ' or replicate', {service};\n"
            "  END IF;\n"
            "  IF pg_has_role({service}, {owner}, 'MEMBER') THEN\n"
            "    RAISE EXCEPTION 'the service role % must not be a member of the owner %', {service}, {owner};\n"
            "  END IF;\n"
            "END $roles$"
        ).format(service=sql.Literal(service), owner=sql.Literal(owner))
    )
    return [_render(connection, statement) for statement in statements]


def _sequences(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = %s ORDER BY c.relname",
            [SCHEMA],
        )
        return [row[0] for row in cursor.fetchall()]


def _functions(connection) -> list[str]:
    """The schema's own functions (the immutability trigger's), not those of an extension."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = %s AND NOT EXISTS ("
            " SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'"
            ") ORDER BY 1",
            [SCHEMA],
        )
        return [row[0] for row in cursor.fetchall()]


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def ownership(connection, *, owner: str) -> list[str]:
    """The owner owns every table, sequence and function of the schema.

    A sequence of an identity column follows its table; ALTER SEQUENCE to the
    owner it already has is then a no-op.
    """
    statements = []
    to = sql.Identifier(owner)
    for table in _tables(connection):
        statements.append(
            sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(SCHEMA, table), to),
        )
    for sequence in _sequences(connection):
        statements.append(sql.SQL("ALTER SEQUENCE {} OWNER TO {}").format(sql.Identifier(SCHEMA, sequence), to))
    for function in _functions(connection):
        # regprocedure text is already quoted where needed, with its argument types.
        statements.append(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(function), to))
    return [_render(connection, statement) for statement in statements]


def grants(connection, *, owner: str, service: str) -> list[str]:
    """The service's privileges, from nothing: CONNECT, USAGE, and per table what it may do."""
    database = sql.Identifier(connection.settings_dict["NAME"])
    schema = sql.Identifier(SCHEMA)
    to_service = sql.Identifier(service)
    immutable = set(immutable_tables())
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, sql.Identifier(owner)),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, to_service),
        sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(schema, sql.Identifier(owner)),
        # Before PostgreSQL 15 everyone may create in public; nobody but the owner should.
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema),
        sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(schema, to_service),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, to_service),
        # Everything taken away (TRUNCATE, REFERENCES, TRIGGER, and what an earlier run gave a table
        # that is now written once), then given back table by table, in the same transaction.
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, to_service),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, to_service),
    ]
    for table in _tables(connection):
        statements.append(
            sql.SQL("GRANT {} ON TABLE {} TO {}").format(
                sql.SQL(", ").join(sql.SQL(privilege) for privilege in privileges_of(table, immutable)),
                sql.Identifier(SCHEMA, table),
                to_service,
            )
        )
    for sequence in _sequences(connection):
        statements.append(
            sql.SQL("GRANT {} ON SEQUENCE {} TO {}").format(
                sql.SQL(", ").join(sql.SQL(privilege) for privilege in SEQUENCE_PRIVILEGES),
                sql.Identifier(SCHEMA, sequence),
                to_service,
            )
        )
    return [_render(connection, statement) for statement in statements]


def statements(connection, *, owner: str, service: str) -> list[str]:
    """Everything, in order: the roles, the owner's ownership, the service's grants."""
    if connection.vendor != "postgresql":
        raise RoleError("database roles are for PostgreSQL; SQLite has none")
    check_role_names(owner, service)
    return [
        *create_roles(connection, owner=owner, service=service),
        *ownership(connection, owner=owner),
        *grants(connection, owner=owner, service=service),
    ]


def apply(connection, *, owner: str, service: str) -> list[str]:
    """Run the statements in one transaction (the caller's, if it has one); return them."""
    from django.db import transaction

    sql_text = statements(connection, owner=owner, service=service)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in sql_text:
            cursor.execute(statement)
    return sql_text

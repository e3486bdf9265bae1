"""Migrations of the records written once: a JSON column made a ``CanonicalJSONField`` (ADR 13, "Parts stored as
canonical text"), its rows rewritten with the table's triggers lifted (the owner runs migrations).

The bytes written are those verification made of the values before, so every record's content hash is
unchanged; a value that never had a canonical form (a float: it cannot have been hashed) is left as it was, and
verification names its record as before.
"""

from __future__ import annotations

from django.db import migrations

from ledger import canonical, immutability

_BATCH = 2000


def canonical_text_operations(table: str, columns: tuple[str, ...], altered: list, *, id_type: str = "bigint") -> list:
    """A migration's operations: the triggers of ``table`` lifted, the ``altered`` fields (AlterField to a
    CanonicalJSONField) changed, the rows' ``columns`` rewritten as canonical text, the triggers put back last
    (SQLite's rebuild of a table drops them anyway). ``id_type``: the SQL type of the table's ``id`` on
    PostgreSQL."""

    def remove_triggers(apps, schema_editor):
        immutability.remove(schema_editor.connection, (table,))

    def install_triggers(apps, schema_editor):
        immutability.install(schema_editor.connection, (table,))

    def rewrite(apps, schema_editor):
        rewrite_as_canonical_text(schema_editor.connection, table, columns, id_type=id_type)

    return [
        migrations.RunPython(remove_triggers, install_triggers),
        *altered,
        migrations.RunPython(rewrite, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]


def rewrite_as_canonical_text(connection, table: str, columns: tuple[str, ...], *, id_type: str = "bigint") -> None:
    """Rewrites each row's JSON ``columns`` of ``table`` as canonical text, a batch of rows at a time. The
    table's triggers must be lifted first."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    # Table, column and type names are the migration's own.
    first = f"SELECT id, {names} FROM {quote(table)} ORDER BY id LIMIT {_BATCH}"  # noqa: S608  # nosec B608
    after = f"SELECT id, {names} FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT {_BATCH}"  # noqa: S608  # nosec B608
    update = (
        f"UPDATE {quote(table)} SET "  # noqa: S608  # nosec B608
        + ", ".join(f"{quote(column)} = %s" for column in columns)
        + " WHERE id = %s"
    )
    # On PostgreSQL a batch is one statement (a round trip a row took most of the time).
    many = (
        f"UPDATE {quote(table)} AS old SET "  # noqa: S608  # nosec B608
        + ", ".join(f"{quote(column)} = new.{quote(column)}" for column in columns)
        + " FROM (VALUES {rows}) AS new("
        + ", ".join(quote(column) for column in columns)
        + ", id) WHERE old.id = new.id"
    )
    one = "(" + ", ".join(["%s::text"] * len(columns)) + f", %s::{id_type})"
    with connection.cursor() as cursor:
        cursor.execute(first)
        while rows := cursor.fetchall():
            changed = []
            for row in rows:
                texts = [_canonical_or_as_it_was(text) for text in row[1:]]
                if texts != list(row[1:]):
                    changed.append([*texts, row[0]])
            if changed and connection.vendor == "postgresql":
                cursor.execute(many.format(rows=", ".join([one] * len(changed))), [v for row in changed for v in row])
            elif changed:
                cursor.executemany(update, changed)
            cursor.execute(after, [rows[-1][0]])


def _canonical_or_as_it_was(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return canonical.canonical_bytes_without_floats(canonical.decode_json(text)).decode("utf-8")
    except canonical.NotCanonical:
        return text  # never hashed so: verification names its record, as it did

"""A decision's answers, their summary and the guidance shown are stored as the canonical text that is hashed.

Verification then hashes the stored text as it is, instead of PostgreSQL writing
jsonb out afresh and Python parsing it and writing it canonically again
(ADR 13, "Parts stored as canonical text"). Each row's values are rewritten
as ``canonical.canonical_bytes`` of the value stored: the same bytes
verification made of them before, so every decision's content hash is
unchanged. A value that never had a canonical form (a float: it cannot have
been hashed) is left as it was, and verification reports its decision as
before.

The rows are written once: their triggers are lifted for the rewrite (the
owner runs migrations) and put back last, as SQLite's rebuild of the table
drops them anyway.
"""

from django.db import migrations

import ledger.fields
from ledger import canonical, immutability

TABLE = "sharing_decisionanswer"
COLUMNS = ("answers", "summary", "guidance_shown")
BATCH = 2000


def remove_triggers(apps, schema_editor):
    immutability.remove(schema_editor.connection, (TABLE,))


def install_triggers(apps, schema_editor):
    immutability.install(schema_editor.connection, (TABLE,))


def _canonical(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return canonical.canonical_bytes_without_floats(canonical.decode_json(text)).decode("utf-8")
    except canonical.NotCanonical:
        return text  # never hashed so: verification names its decision, as it did


def canonical_text(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in COLUMNS)
    # Table and column names are this migration's own.
    select = f"SELECT id, {columns} FROM {quote(TABLE)} WHERE id > %s ORDER BY id LIMIT {BATCH}"  # noqa: S608  # nosec B608
    update = (
        f"UPDATE {quote(TABLE)} SET "  # noqa: S608  # nosec B608
        + ", ".join(f"{quote(column)} = %s" for column in COLUMNS)
        + " WHERE id = %s"
    )
    # On PostgreSQL a batch is one statement (a round trip a row took most of the time).
    many = (
        f"UPDATE {quote(TABLE)} AS answer SET "  # noqa: S608  # nosec B608
        + ", ".join(f"{quote(column)} = new.{quote(column)}" for column in COLUMNS)
        + " FROM (VALUES {rows}) AS new("
        + ", ".join(quote(column) for column in COLUMNS)
        + ", id) WHERE answer.id = new.id"
    )
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                return
            changed = []
            for row in rows:
                texts = [_canonical(text) for text in row[1:]]
                if texts != list(row[1:]):
                    changed.append([*texts, row[0]])
            if changed and connection.vendor == "postgresql":
                rows_sql = ", ".join(["(%s::text, %s::text, %s::text, %s::bigint)"] * len(changed))
                cursor.execute(many.format(rows=rows_sql), [value for row in changed for value in row])
            elif changed:
                cursor.executemany(update, changed)
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0007_decision_reconsider_on"),
    ]

    operations = [
        migrations.RunPython(remove_triggers, install_triggers),
        migrations.AlterField(
            model_name="decisionanswer",
            name="answers",
            field=ledger.fields.CanonicalJSONField(),
        ),
        migrations.AlterField(
            model_name="decisionanswer",
            name="guidance_shown",
            field=ledger.fields.CanonicalJSONField(),
        ),
        migrations.AlterField(
            model_name="decisionanswer",
            name="summary",
            field=ledger.fields.CanonicalJSONField(),
        ),
        migrations.RunPython(canonical_text, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]

"""On PostgreSQL, the index of entries by kind and record also holds each entry's content SHA-256.

Verification joins each kind's records to their entries (``ledger.in_database``): with the SHA-256 in the
index, the entries of a kind are read from the index alone, instead of from the table's pages, where a kind's
entries are spread among every other kind's (at a county's size, a tenth of the time of checking a kind of
100,000 records). The constraint stays the same constraint, by the same name: one entry a record. SQLite has
no index with non-key columns, and keeps its own.
"""

from django.db import migrations

CONSTRAINT = "ledger_entry_once_per_record"


def covering(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE ledger_entry DROP CONSTRAINT {CONSTRAINT}, "
            f"ADD CONSTRAINT {CONSTRAINT} UNIQUE (kind, record_id) INCLUDE (content_sha256)"
        )


def not_covering(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE ledger_entry DROP CONSTRAINT {CONSTRAINT}, ADD CONSTRAINT {CONSTRAINT} UNIQUE (kind, record_id)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_carry_over_chains"),
    ]

    operations = [migrations.RunPython(covering, not_covering)]

"""Trigram indexes for the search of children by name, on PostgreSQL only.

The search matches each word anywhere in a name, in any case (``icontains``:
``UPPER(name::text) LIKE UPPER('%word%')``), which no B-tree index can serve.
A GIN index of the trigrams of each upper-cased name column can, and is
used for words of three letters or more. It needs the ``pg_trgm`` extension
(a trusted extension since PostgreSQL 13: the database's owner may create it).

SQLite has neither, and its demo-sized tables need no index for this: there,
and where the extension cannot be created, the migration does nothing and the
search still works, by reading the agency's children.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

# The expression must be the one Django's ``icontains`` compares, for the index to be used.
INDEXES = {
    "child_given_name_trgm": "given_name",
    "child_family_name_trgm": "family_name",
    "child_other_names_trgm": "other_names",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("pg_trgm is not available (%s): the search by name runs without trigram indexes", error)
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "records_child" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_search_indexes"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]

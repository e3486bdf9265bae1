"""A release is written once: the database refuses to change or remove it."""

from django.db import migrations

from ledger import immutability

TABLES = ("subject_access_subjectaccessrelease",)


def install_triggers(apps, schema_editor):
    immutability.install(schema_editor.connection, TABLES)


def remove_triggers(apps, schema_editor):
    immutability.remove(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("subject_access", "0001_initial")]

    operations = [migrations.RunPython(install_triggers, remove_triggers)]

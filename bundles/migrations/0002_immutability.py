from django.db import migrations

from ledger import immutability

TABLES = ("bundles_bundle",)


def install_triggers(apps, schema_editor):
    immutability.install(schema_editor.connection, TABLES)


def remove_triggers(apps, schema_editor):
    immutability.remove(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    # The PostgreSQL trigger function comes with sharing's triggers.
    dependencies = [("bundles", "0001_initial"), ("sharing", "0002_immutability_chain_head_legal_bases")]

    operations = [migrations.RunPython(install_triggers, remove_triggers)]

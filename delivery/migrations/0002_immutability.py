"""What was sent through the service, its openings, acknowledgement and thread are written once: the database
refuses to change or remove them."""

from django.db import migrations

from ledger import immutability

TABLES = ("delivery_delivery", "delivery_opened", "delivery_acknowledgement", "delivery_threadmessage")


def install_triggers(apps, schema_editor):
    immutability.install(schema_editor.connection, TABLES)


def remove_triggers(apps, schema_editor):
    immutability.remove(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial")]

    operations = [migrations.RunPython(install_triggers, remove_triggers)]

"""Carry the two hash chains of earlier versions, and the change history, into the log (ledger.carry_over)."""

from django.db import migrations

from ledger import carry_over, immutability

LEDGER_TABLES = (
    "ledger_entry",
    "ledger_leaf",
    "ledger_node",
    "ledger_treehead",
    "ledger_checkpoint",
    "ledger_disposal",
)
HISTORY_TABLES = (
    "records_historicaluser", "records_historicalagency", "records_historicalstaffmembership",
    "records_historicalchild", "records_historicaladult", "records_historicalchildadultrelationship",
    "exchange_historicalinformationrequest", "sharing_historicallegalbasis",
)  # fmt: skip


def install_triggers(apps, schema_editor):
    immutability.install(schema_editor.connection, LEDGER_TABLES + HISTORY_TABLES)


def remove_triggers(apps, schema_editor):
    immutability.remove(schema_editor.connection, LEDGER_TABLES + HISTORY_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
        ("records", "0004_name_search_trigram_indexes"),
        ("sharing", "0005_dashboard_indexes"),
        ("consent", "0003_dashboard_indexes"),
        ("exchange", "0003_dashboard_indexes"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over.run, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install_triggers, remove_triggers),
    ]

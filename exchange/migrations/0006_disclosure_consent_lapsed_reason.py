"""A disclosure made after the consent its decision relied on lapsed records why it went ahead (3.3.21-3.3.22).

Adding a column that is not null makes SQLite rebuild the table, which loses its triggers: they are lifted
first and put back after, as 0004 does.
"""

from django.conf import settings
from django.db import migrations, models

from ledger import immutability

TABLES = ("exchange_disclosure",)


def install_triggers(apps, schema_editor):
    immutability.install(schema_editor.connection, TABLES)


def remove_triggers(apps, schema_editor):
    immutability.remove(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0005_request_verification_open"),
        ("records", "0004_name_search_trigram_indexes"),
        ("sharing", "0007_decision_reconsider_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(remove_triggers, install_triggers),
        migrations.AddField(
            model_name="disclosure",
            name="consent_lapsed_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(
                condition=models.Q(("consent_lapsed_reason", ""), _negated=True),
                fields=["agency", "-disclosed_at"],
                name="disclosure_lapsed",
            ),
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]

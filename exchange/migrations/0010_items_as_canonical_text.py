"""A disclosure's items and checks are stored as the canonical text that is hashed.

With them, the database makes a disclosure's whole content itself during verification, and only a count
comes back (ADR 25). Each row is rewritten as the bytes verification made of it before, so every
disclosure's content hash is unchanged (``ledger.migrating``).
"""

from django.db import migrations

import ledger.fields
from ledger.migrating import canonical_text_operations


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0009_requests_sent_through_the_service"),
    ]

    operations = canonical_text_operations(
        "exchange_disclosure",
        ("items", "checks"),
        [
            migrations.AlterField(model_name="disclosure", name="items", field=ledger.fields.CanonicalJSONField()),
            migrations.AlterField(
                model_name="disclosure", name="checks", field=ledger.fields.CanonicalJSONField(blank=True, default=list)
            ),
        ],
        id_type="uuid",
    )

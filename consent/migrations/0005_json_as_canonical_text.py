"""A consent record's competence assessment and the kinds of recipient it covers are stored as the canonical
text that is hashed.

With them, the database makes a consent record's whole content itself during verification, and only a count
comes back (ADR 25). Each row is rewritten as the bytes verification made of it before, so every record's
content hash is unchanged (``ledger.migrating``).
"""

from django.db import migrations

import ledger.fields
from ledger.migrating import canonical_text_operations


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0004_entered_in_ledger"),
    ]

    operations = canonical_text_operations(
        "consent_consentrecord",
        ("competence", "scope_recipient_kinds"),
        [
            migrations.AlterField(
                model_name="consentrecord",
                name="competence",
                field=ledger.fields.CanonicalJSONField(blank=True, default=dict),
            ),
            migrations.AlterField(
                model_name="consentrecord",
                name="scope_recipient_kinds",
                field=ledger.fields.CanonicalJSONField(blank=True, default=list),
            ),
        ],
        id_type="uuid",
    )

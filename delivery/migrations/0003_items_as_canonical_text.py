"""A delivery's items are stored as the canonical text that is hashed.

With them, the database makes a delivery's whole content itself during verification, and only a count comes
back (ADR 25). Each row is rewritten as the bytes verification made of it before, so every delivery's content
hash is unchanged (``ledger.migrating``).
"""

from django.db import migrations

import ledger.fields
from ledger.migrating import canonical_text_operations


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0002_immutability"),
    ]

    operations = canonical_text_operations(
        "delivery_delivery",
        ("items",),
        [migrations.AlterField(model_name="delivery", name="items", field=ledger.fields.CanonicalJSONField())],
        id_type="uuid",
    )

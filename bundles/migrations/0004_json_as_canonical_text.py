"""A bundle's kinds of record and its contents are stored as the canonical text that is hashed.

With them, the database makes a bundle's whole content itself during verification (ADR 25). Each row is
rewritten as the bytes verification made of it before, so every bundle's content hash is unchanged
(``ledger.migrating``).
"""

from django.db import migrations

import ledger.fields
from ledger.migrating import canonical_text_operations


class Migration(migrations.Migration):
    dependencies = [
        ("bundles", "0003_bundle_orders"),
    ]

    operations = canonical_text_operations(
        "bundles_bundle",
        ("kinds", "contents"),
        [
            migrations.AlterField(model_name="bundle", name=name, field=ledger.fields.CanonicalJSONField(default=list))
            for name in ("contents", "kinds")
        ],
        id_type="uuid",
    )

"""A decision's subject (the child and adults as recorded then) is stored as the canonical text that is hashed.

With it, the database makes a decision's whole content itself during verification, and only a count comes
back (ADR 25), as for the answers (0008). Each row's subject is rewritten as the bytes verification made of
it before, so every decision's content hash is unchanged (``ledger.migrating``).
"""

from django.db import migrations

import ledger.fields
from ledger.migrating import canonical_text_operations


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0008_answers_as_canonical_text"),
    ]

    operations = canonical_text_operations(
        "sharing_sharingdecision",
        ("subject",),
        [migrations.AlterField(model_name="sharingdecision", name="subject", field=ledger.fields.CanonicalJSONField())],
        id_type="uuid",
    )

"""A decision's answers, their summary and the guidance shown are stored as the canonical text that is hashed.

Verification then hashes the stored text as it is, instead of PostgreSQL writing
jsonb out afresh and Python parsing it and writing it canonically again
(ADR 13, "Parts stored as canonical text"). Each row's values are rewritten
as ``canonical.canonical_bytes`` of the value stored: the same bytes
verification made of them before, so every decision's content hash is
unchanged. A value that never had a canonical form (a float: it cannot have
been hashed) is left as it was, and verification reports its decision as
before.

The rows are written once: their triggers are lifted for the rewrite (the
owner runs migrations) and put back last (``ledger.migrating``).
"""

from django.db import migrations

import ledger.fields
from ledger.migrating import canonical_text_operations


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0007_decision_reconsider_on"),
    ]

    operations = canonical_text_operations(
        "sharing_decisionanswer",
        ("answers", "summary", "guidance_shown"),
        [
            migrations.AlterField(
                model_name="decisionanswer",
                name=name,
                field=ledger.fields.CanonicalJSONField(),
            )
            for name in ("answers", "guidance_shown", "summary")
        ],
    )

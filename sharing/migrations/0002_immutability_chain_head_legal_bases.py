from django.db import migrations

from ledger import immutability

GENESIS_HASH = "0" * 64

# 3.5.4: the legal bases offered on question 1, maintained by administrators.
LEGAL_BASES = [
    ("ca1989-s17", "Children Act 1989 section 17 (children in need)"),
    ("ca1989-s47", "Children Act 1989 section 47 (enquiries about significant harm)"),
    ("ca2004-s10", "Children Act 2004 section 10 (co-operation to improve well-being)"),
    ("ca2004-s11", "Children Act 2004 section 11 (duty to safeguard and promote welfare)"),
    ("ea2002-s175", "Education Act 2002 section 175 (safeguarding in education)"),
    ("cda1998-s115", "Crime and Disorder Act 1998 section 115 (disclosure to prevent crime)"),
    ("ukgdpr-6-1-c", "UK GDPR Article 6(1)(c) (legal obligation)"),
    ("ukgdpr-6-1-d", "UK GDPR Article 6(1)(d) (vital interests)"),
    ("ukgdpr-6-1-e", "UK GDPR Article 6(1)(e) (public task)"),
    ("ukgdpr-9-2", "UK GDPR Article 9(2) (special category data condition)"),
    ("dpa2018-sch1-para18", "Data Protection Act 2018 Schedule 1 paragraph 18 (safeguarding of children)"),
]


TABLES = ("sharing_sharingdecision", "sharing_decisionanswer", "sharing_addendum")


def install_triggers(apps, schema_editor):
    immutability.install(schema_editor.connection, TABLES)


def remove_triggers(apps, schema_editor):
    immutability.remove(schema_editor.connection, TABLES)


def seed(apps, schema_editor):
    ChainHead = apps.get_model("sharing", "ChainHead")
    ChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "head_hash": GENESIS_HASH})
    seed_legal_bases(apps, schema_editor)


def seed_legal_bases(apps, schema_editor):
    """The reference data, also put back by the browser tests after they empty the database."""
    LegalBasis = apps.get_model("sharing", "LegalBasis")
    for position, (code, label) in enumerate(LEGAL_BASES, start=1):
        LegalBasis.objects.get_or_create(code=code, defaults={"label": label, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("sharing", "LegalBasis").objects.filter(code__in=[code for code, _ in LEGAL_BASES]).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers),
        migrations.RunPython(seed, unseed),
    ]

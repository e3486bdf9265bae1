"""Recovery codes stored as typed become keyed digests (accounts/recovery_codes.py, ADR 16):
each code still works once, and the database no longer holds it."""

from django.db import migrations

from accounts.recovery_codes import RECOVERY_CODE, recovery_code_digest


def recovery_codes_hash(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all().iterator():
        # A digest is 16 characters, a code in clear 8: a second run changes nothing.
        if RECOVERY_CODE.match(token.token):
            token.token = recovery_code_digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # Irreversible in effect: a digest cannot give back its code (going back leaves the digests).
    operations = [migrations.RunPython(recovery_codes_hash, migrations.RunPython.noop)]

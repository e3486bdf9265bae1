"""With DEBUG off the ledger must be able to sign, and its key must be private.

A deployment check (``check --deploy``, run by ``make security``), and refused
at start by the WSGI and ASGI entry points (config/serving.py), as a missing
SECRET_KEY is, so that commands needing no key (makemigrations --check) still run.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from ledger import keys, note


@register(Tags.security, deploy=True)
def signing_key(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    path = keys.key_path()
    if path is None:
        return [
            Error(
                "LEDGER_SIGNING_KEY_FILE is not set: the ledger cannot sign checkpoints.",
                hint="Generate a key with 'manage.py ledger generate-key PATH' and set LEDGER_SIGNING_KEY_FILE.",
                id="ledger.E001",
            )
        ]
    try:
        note.load_signer(path, settings.LEDGER_ORIGIN, refuse_readable_by_others=True)
    except note.NoteError as error:
        return [Error(f"The ledger's signing key cannot be used: {error}", id="ledger.E002")]
    if not settings.LEDGER_WITNESS_DIR:
        return [
            Error(
                "LEDGER_WITNESS_DIR is not set: signed checkpoints would be kept only in the database.",
                hint="Point it at write-once storage or a directory another host keeps (docs/operations.md).",
                id="ledger.E003",
            )
        ]
    return []

"""The checkpoint signing key: read from a file, never from the database.

``LEDGER_SIGNING_KEY_FILE`` names it. The demo generates one into ``var/``;
with DEBUG off it must exist and be readable by its owner alone (a system
check refuses to start otherwise, ``ledger.checks``). The public half is
published at /ledger/public-key and printed in docs/operations.md by
``manage.py ledger public-key``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from ledger import note


def key_path() -> Path | None:
    path = settings.LEDGER_SIGNING_KEY_FILE
    return Path(path) if path else None


@cache
def _signer_at(path: str, name: str, strict: bool) -> note.Signer:
    return note.load_signer(Path(path), name, refuse_readable_by_others=strict)


def signer() -> note.Signer:
    """The signer, generating the demo's key on first use when DEBUG is on."""
    path = key_path()
    if path is None:
        raise note.NoteError("LEDGER_SIGNING_KEY_FILE is not set: checkpoints cannot be signed")
    if settings.DEBUG and not path.exists():
        note.generate_key_file(path)
    return _signer_at(str(path), settings.LEDGER_ORIGIN, not settings.DEBUG)


def verifier_key() -> str:
    """The public key that checkpoints verify against, as a signed-note verifier key."""
    if settings.LEDGER_VERIFIER_KEY:
        return settings.LEDGER_VERIFIER_KEY
    return signer().verifier_key()

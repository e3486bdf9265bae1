"""Files kept beside a record and named in the log by their SHA-256 (``LedgerRecord.ledger_files``): a signed
consent form, a bundle's PDF, a subject access release's PDF."""

from __future__ import annotations

import hashlib


def kept_file_as_recorded(kept, sha256: str, *, size: int) -> bytes | None:
    """The kept file's bytes, if they are still those recorded; None if it is missing, unreadable or differs.

    The bytes are hashed and handed over from one read, so what is served is what was checked. No more than
    ``size`` and one byte is read: a file that grew no longer matches, however large it grew.
    """
    if not kept or not sha256:
        return None
    try:
        with kept.storage.open(kept.name, "rb") as handle:
            content = handle.read(size + 1)
    except OSError:  # missing, or unreadable
        return None
    if hashlib.sha256(content).hexdigest() != sha256:
        return None
    return content

"""Each record's entry in the log, computed faster than ``ledger.services.enter`` and checked against it.

What is hashed is the model's own document (``Model.ledger_document_of``,
or ``ledger.history.document_of`` for a row of change history): the callers
make it with those, never with a copy. Two things are made faster here than
``ledger.services.enter`` makes them, because doing them its way would be
most of the time spent writing millions of entries:

- the document's canonical bytes come from
  ``canonical.canonical_bytes_without_floats`` (the standard library's C
  encoder; the data set has no floats, which ``canonical_bytes`` refuses);
- the entry's own bytes (what its leaf hash is the hash of) are formatted
  directly by ``entry_bytes``, a copy of ``ledger.models.entry_text``'s
  layout (tests/scale/test_hashing.py holds the two together).

The bytes must be identical: the first entries of each kind, and one in
every ``CHECK_EVERY`` after them, are made both ways and a difference stops
the run; ``manage.py verify_records`` recomputes every hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from ledger import canonical
from ledger.models import ENTRY_VERSION, entry_text

CHECK_FIRST = 20
CHECK_EVERY = 1000

_string = json.encoder.encode_basestring  # JSON string as json.dumps(..., ensure_ascii=False) writes it
_sha256 = hashlib.sha256


class DifferentHash(AssertionError):
    """The fast bytes and ``ledger``'s own disagree: the data set would not verify."""


def utc_text(moment: datetime) -> str:
    """A timestamp as ``canonical.canonical_bytes`` writes it: UTC, microseconds, "Z"."""
    if moment.tzinfo is None:
        raise canonical.NotCanonical("naive datetimes are not allowed in a hashed record")
    moment = moment.astimezone(UTC)
    if moment.year >= 1000:
        return moment.isoformat(timespec="microseconds").removesuffix("+00:00") + "Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_bytes(*, kind: str, record_id: str, content_sha256: str, appended_at: datetime) -> bytes:
    """``ledger.models.entry_text``: canonical JSON of the entry, keys sorted, written out directly."""
    return (
        f'{{"appended_at":"{utc_text(appended_at)}","content_sha256":{_string(content_sha256)},'
        f'"id":{_string(record_id)},"kind":{_string(kind)},"v":{ENTRY_VERSION}}}'
    ).encode()


class Hasher:
    """Content hashes and leaf hashes, each kind's first and every CHECK_EVERY-th checked the slow way."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def _check(self, kind: str) -> bool:
        count = self.seen[kind] = self.seen.get(kind, 0) + 1
        return count <= CHECK_FIRST or count % CHECK_EVERY == 0

    def entry(self, *, kind: str, record_id: str, document: dict, appended_at: datetime) -> tuple[str, bytes]:
        """(the SHA-256 of the document's canonical bytes as hex, the entry's leaf hash)."""
        content = canonical.canonical_bytes_without_floats(document)
        content_sha256 = _sha256(content).hexdigest()
        text = entry_bytes(kind=kind, record_id=record_id, content_sha256=content_sha256, appended_at=appended_at)
        if self._check(kind):
            expected = canonical.canonical_bytes(document)
            if content != expected:
                raise DifferentHash(f"{kind} {record_id}: its canonical bytes are not ledger.canonical's")
            made = entry_text(kind=kind, record_id=record_id, content_sha256=content_sha256, appended_at=appended_at)
            if text != made:
                raise DifferentHash(f"{kind} {record_id}: the entry's bytes {text!r} are not ledger's {made!r}")
        return content_sha256, _sha256(b"\x00" + text).digest()

"""The records' hashes, computed faster than ``sharing.integrity`` and checked against it.

``integrity.record_hash`` builds a canonical copy of each document in Python
before encoding it, which is most of the time spent writing a million
records. Here the same canonical JSON (sorted keys, no spaces, UTF-8, UTC
timestamps with microseconds and a "Z", ISO dates) comes straight from the
standard library's C encoder (the data set has no floats, which integrity
refuses). The bytes must be identical: the first
records of each kind, and one in every ``CHECK_EVERY`` after them, are hashed
both ways and a difference stops the run; ``manage.py verify_records``
recomputes every hash with ``sharing.integrity`` itself.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime

from sharing import integrity

CHECK_FIRST = 20
CHECK_EVERY = 1000


def _canonical(value):
    # Called by the encoder only for what JSON has no form for, as integrity._canonical_value treats it.
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise integrity.NotCanonical("naive datetimes are not allowed in a hashed record")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise integrity.NotCanonical(f"{type(value).__name__} has no canonical form")


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_canonical
)


class DifferentHash(AssertionError):
    """The fast hash and ``sharing.integrity``'s disagree: the data set would not verify."""


class Hasher:
    def __init__(self):
        self.seen: dict[str, int] = {}

    def record_hash(self, *, kind: str, previous_hash: str, document: dict) -> str:
        digest = hashlib.sha256()
        digest.update(previous_hash.encode("ascii"))
        digest.update(b"\n")
        digest.update(_ENCODER.encode(document).encode("utf-8"))
        made = digest.hexdigest()
        count = self.seen[kind] = self.seen.get(kind, 0) + 1
        if count <= CHECK_FIRST or count % CHECK_EVERY == 0:
            expected = integrity.record_hash(previous_hash=previous_hash, document=document)
            if made != expected:
                raise DifferentHash(f"{kind} {count}: {made} is not sharing.integrity's {expected}")
        return made

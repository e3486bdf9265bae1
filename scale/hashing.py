"""The records' hashes, computed faster than ``sharing.integrity.record_hash`` and checked against it.

``integrity.record_hash`` builds a canonical copy of each document in Python
before encoding it, which is most of the time spent writing a million
records. Here the same canonical bytes come from
``integrity.canonical_bytes_without_floats`` (the standard library's C
encoder; the data set has no floats, which integrity refuses). The bytes
must be identical: the first records of each kind, and one in every
``CHECK_EVERY`` after them, are hashed both ways and a difference stops the
run; ``manage.py verify_records`` recomputes every hash.
"""

from __future__ import annotations

from sharing import integrity

CHECK_FIRST = 20
CHECK_EVERY = 1000


class DifferentHash(AssertionError):
    """The fast hash and ``sharing.integrity``'s disagree: the data set would not verify."""


class Hasher:
    def __init__(self):
        self.seen: dict[str, int] = {}

    def record_hash(self, *, kind: str, previous_hash: str, document: dict) -> str:
        made = integrity.chain_hash(previous_hash, integrity.canonical_bytes_without_floats(document))
        count = self.seen[kind] = self.seen.get(kind, 0) + 1
        if count <= CHECK_FIRST or count % CHECK_EVERY == 0:
            expected = integrity.record_hash(previous_hash=previous_hash, document=document)
            if made != expected:
                raise DifferentHash(f"{kind} {count}: {made} is not sharing.integrity's {expected}")
        return made

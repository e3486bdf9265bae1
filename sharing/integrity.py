"""Canonical serialisation and the hash chain, in plain Python.

Every decision and addendum carries the SHA-256 of a canonical form of its
content, which includes the previous record's hash, so changing, removing or
inserting any record breaks the chain from that point on.

Canonical form (hash version 1): JSON with sorted keys, no insignificant
whitespace, UTF-8; timestamps as UTC ISO 8601 with microseconds and a "Z";
dates as ISO 8601; no floats (they do not round-trip exactly).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

HASH_VERSION = 1
GENESIS_HASH = "0" * 64


class NotCanonical(TypeError):
    """A value that has no canonical form (a float, a naive datetime, ...)."""


def _canonical_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise NotCanonical("floats are not allowed in a hashed record")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise NotCanonical("naive datetimes are not allowed in a hashed record")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _canonical_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical_value(item) for item in value]
    raise NotCanonical(f"{type(value).__name__} has no canonical form")


def canonical_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(
        _canonical_value(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def record_hash(*, previous_hash: str, document: dict[str, Any]) -> str:
    """The SHA-256 of a record, chained to the record before it."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_bytes(document))
    return digest.hexdigest()

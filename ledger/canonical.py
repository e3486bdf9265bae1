"""Canonical serialisation and the hash chain, in plain Python.

Every decision and addendum carries the SHA-256 of a canonical form of its
content, which includes the previous record's hash, so changing, removing or
inserting any record breaks the chain from that point on.

Canonical form (hash version 1): JSON with sorted keys, no insignificant
whitespace, UTF-8; timestamps as UTC ISO 8601 with microseconds and a "Z";
dates as ISO 8601; no floats (they do not round-trip exactly).

``canonical_bytes`` is the definition, used whenever a record is written.
Verification reads millions of records, so it makes the same bytes with
orjson (``canonical_bytes_without_floats``), falling back to the standard
library's C encoder for anything orjson would write differently or refuses
(an integer beyond 64 bits, a key that is not a string, a lone surrogate);
the one thing either encoder accepts and ``canonical_bytes`` refuses is a
float, so JSON read back from the database goes through ``decode_json``,
which refuses floats as it reads them. tests/ledger/test_canonical.py holds
the fast path to the definition's bytes for generated documents (ADR 13).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import orjson

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


def _canonical_scalar(value: Any) -> str:
    # Called by the C encoder only for what JSON has no form for, treated as _canonical_value treats it.
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise NotCanonical("naive datetimes are not allowed in a hashed record")
        value = value.astimezone(UTC)
        if value.year >= 1000:
            # The same text as strftime below, made faster; isoformat would pad an earlier year to four digits.
            return value.isoformat(timespec="microseconds").removesuffix("+00:00") + "Z"
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise NotCanonical(f"{type(value).__name__} has no canonical form")


def _refuse_float(text: str):
    raise NotCanonical(f"floats are not allowed in a hashed record ({text[:20]})")


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_canonical_scalar
)
try:
    # The encoder JSONEncoder.encode makes afresh on every call, made once: a third of the time for a small document.
    _C_ENCODE = json.encoder.c_make_encoder(
        None, _canonical_scalar, json.encoder.encode_basestring, None, ":", ",", True, False, False
    )
except (AttributeError, TypeError):  # no C encoder, or another signature
    _C_ENCODE = None
_DECODER = json.JSONDecoder(parse_float=_refuse_float, parse_constant=_refuse_float)


def canonical_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(
        _canonical_value(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def canonical_bytes_without_floats(document: dict[str, Any]) -> bytes:
    """``canonical_bytes`` of a document known to hold no float, about twice as fast.

    For documents made of database columns that cannot hold a float and of
    JSON read with ``decode_json``; anything else must go through
    ``canonical_bytes``, which refuses floats wherever they are.
    """
    try:
        return orjson.dumps(document, default=_canonical_scalar, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        pass  # what orjson refuses or would write otherwise: the standard library's encoder decides
    if _C_ENCODE is None:
        return _ENCODER.encode(document).encode("utf-8")
    return "".join(_C_ENCODE(document, 0)).encode("utf-8")


class StoredText:
    """JSON stored as its canonical text (``ledger.fields.CanonicalJSONField``), to be hashed as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return f"StoredText({self.text!r})"


def _stored_text_or_scalar(value: Any) -> Any:
    if type(value) is StoredText:
        return orjson.Fragment(value.text)
    return _canonical_scalar(value)


def canonical_bytes_with_stored_text(document: dict[str, Any]) -> bytes:
    """``canonical_bytes_without_floats`` of a document some of whose values are ``StoredText``: spliced in
    as they are, unparsed.

    The stored text is what was hashed, so its bytes are hashed, not a value read from them: text that is
    not the canonical form of anything (changed, or reformatted) makes a content that differs from the
    entry. Where orjson refuses the rest of the document, each stored text is read, and refused unless it is
    the canonical text of what it reads as, so that the answer is the same either way.
    """
    try:
        return orjson.dumps(document, default=_stored_text_or_scalar, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        pass
    return canonical_bytes_without_floats(_read_stored_text(document))


def canonical_bytes_with_fragments(document: dict[str, Any]) -> bytes:
    """``canonical_bytes_with_stored_text`` of a document whose stored texts are ``orjson.Fragment`` objects, for the
    one-pass check: the same bytes whenever orjson writes the document, without a call back into Python for
    each stored text. Where orjson refuses the document, NotCanonical: the row-by-row check (with
    ``StoredText``) then decides, as ``canonical_bytes_with_stored_text`` would.
    """
    try:
        return orjson.dumps(document, default=_canonical_scalar, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError as error:
        raise NotCanonical(str(error)) from error


def _read_stored_text(value: Any) -> Any:
    if type(value) is StoredText:
        read = decode_json(value.text)
        if canonical_bytes_without_floats(read) != value.text.encode("utf-8", "surrogatepass"):
            raise NotCanonical("stored text that is not the canonical text of its value")
        return read
    if type(value) is dict:
        return {key: _read_stored_text(item) for key, item in value.items()}
    if type(value) is list:
        return [_read_stored_text(item) for item in value]
    return value


# Sorted keys; datetimes, dates and dataclasses to _canonical_scalar (orjson's own forms are not canonical);
# subclasses of str, int, dict and list passed there too, to be refused or left to the standard encoder.
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _holds_float(value: Any) -> bool:
    stack = [value]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is float:
            return True
        if kind is dict:
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
    return False


# Every digit read as 0, and an exponent ("e", "E") as a point, so that two plain searches find whatever
# orjson could read as a float.
_NUMBER_SHAPES = bytes.maketrans(b"123456789eE", b"000000000..")
# An integer of 19 digits or more may be beyond 64 bits, which orjson reads as a float.
_LONG_INTEGER = b"0" * 19


def _may_hold_float(text: bytes) -> bool:
    """Whether orjson could read a float in this JSON: only where a digit is followed by "." or an exponent, or
    19 digits run together. Text in strings is searched too, so this may say yes where there is none."""
    shapes = text.translate(_NUMBER_SHAPES)
    return b"0." in shapes or _LONG_INTEGER in shapes


def decode_json(text: str | None) -> Any:
    """JSON as stored in a record, refusing the floats ``canonical_bytes`` would refuse."""
    if text is None:
        return None
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        encoded = None  # a lone surrogate: decided below
    try:
        if encoded is not None and not _may_hold_float(encoded):
            # Nothing orjson could read as a float (verification reads millions: the walk below is skipped).
            return orjson.loads(encoded)
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        pass  # not JSON as orjson reads it (a lone surrogate, an integer beyond 64 bits): decided below
    else:
        if not _holds_float(value):
            return value
    try:
        # JSONDecoder.decode without its checks for surrounding whitespace, unless there is some (or an error).
        value, end = _DECODER.scan_once(text, 0)
        if end == len(text):
            return value
    except (StopIteration, ValueError):
        pass
    try:
        return _DECODER.decode(text)
    except ValueError as error:
        # Not JSON, or an integer too long to read: not something that was ever hashed.
        raise NotCanonical(str(error)) from error


def chain_hash(previous_hash: str, content: bytes) -> str:
    """The SHA-256 of a record's canonical bytes, chained to the record before it."""
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(content)
    return digest.hexdigest()


def record_hash(*, previous_hash: str, document: dict[str, Any]) -> str:
    """The SHA-256 of a record, chained to the record before it."""
    return chain_hash(previous_hash, canonical_bytes(document))

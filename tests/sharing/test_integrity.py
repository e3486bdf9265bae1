"""Canonical serialisation and hashing (plain Python)."""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sharing import integrity


def test_key_order_and_whitespace_do_not_change_the_bytes():
    assert integrity.canonical_bytes({"b": 1, "a": [1, 2]}) == integrity.canonical_bytes({"a": [1, 2], "b": 1})
    assert integrity.canonical_bytes({"a": 1}) == b'{"a":1}'


def test_timestamps_are_utc_with_microseconds_whatever_the_zone():
    london = datetime(2026, 7, 1, 13, 0, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    utc = datetime(2026, 7, 1, 12, 0, 0, 5, tzinfo=UTC)
    assert integrity.canonical_bytes({"t": london}) == integrity.canonical_bytes({"t": utc})
    assert integrity.canonical_bytes({"t": utc}) == b'{"t":"2026-07-01T12:00:00.000005Z"}'


def test_dates_uuids_and_unicode_have_one_form():
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert integrity.canonical_bytes({"d": date(2026, 1, 2), "id": key, "n": "Zoë"}) == (
        '{"d":"2026-01-02","id":"12345678-1234-5678-1234-567812345678","n":"Zoë"}'.encode()
    )


@pytest.mark.parametrize("value", [1.5, datetime(2026, 1, 1), object()])
def test_values_without_a_canonical_form_are_refused(value):
    with pytest.raises(integrity.NotCanonical):
        integrity.canonical_bytes({"x": value})


def test_the_hash_depends_on_every_byte_and_on_the_previous_hash():
    document = {"reasons": "Shared to protect the child."}
    first = integrity.record_hash(previous_hash=integrity.GENESIS_HASH, document=document)
    assert len(first) == 64
    assert first == integrity.record_hash(previous_hash=integrity.GENESIS_HASH, document=dict(document))
    assert first != integrity.record_hash(
        previous_hash=integrity.GENESIS_HASH, document={"reasons": "Shared to protect the child!"}
    )
    assert first != integrity.record_hash(previous_hash="1" * 64, document=document)

"""Canonical serialisation (plain Python): the bytes whose SHA-256 a log entry holds (ledger.canonical)."""

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from http import HTTPStatus

import orjson
import pytest
from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import canonical


class Outcome(StrEnum):
    SHARE = "share"


def test_key_order_and_whitespace_do_not_change_the_bytes():
    assert canonical.canonical_bytes({"b": 1, "a": [1, 2]}) == canonical.canonical_bytes({"a": [1, 2], "b": 1})
    assert canonical.canonical_bytes({"a": 1}) == b'{"a":1}'


def test_timestamps_are_utc_with_microseconds_whatever_the_zone():
    london = datetime(2026, 7, 1, 13, 0, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    utc = datetime(2026, 7, 1, 12, 0, 0, 5, tzinfo=UTC)
    assert canonical.canonical_bytes({"t": london}) == canonical.canonical_bytes({"t": utc})
    assert canonical.canonical_bytes({"t": utc}) == b'{"t":"2026-07-01T12:00:00.000005Z"}'


def test_dates_uuids_and_unicode_have_one_form():
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert canonical.canonical_bytes({"d": date(2026, 1, 2), "id": key, "n": "Zoë"}) == (
        '{"d":"2026-01-02","id":"12345678-1234-5678-1234-567812345678","n":"Zoë"}'.encode()
    )


@pytest.mark.parametrize("value", [1.5, datetime(2026, 1, 1), object()])
def test_values_without_a_canonical_form_are_refused(value):
    with pytest.raises(canonical.NotCanonical):
        canonical.canonical_bytes({"x": value})


def test_the_old_chains_hash_depends_on_every_byte_and_on_the_previous_hash():
    # Kept for the carry-over (ledger.carry_over), which checks every link of the old chains with it.
    document = {"reasons": "Shared to protect the child."}
    first = canonical.record_hash(previous_hash=canonical.GENESIS_HASH, document=document)
    assert len(first) == 64
    assert first == canonical.record_hash(previous_hash=canonical.GENESIS_HASH, document=dict(document))
    assert first != canonical.record_hash(
        previous_hash=canonical.GENESIS_HASH, document={"reasons": "Shared to protect the child!"}
    )
    assert first != canonical.record_hash(previous_hash="1" * 64, document=document)


# The fast path verification uses must give canonical_bytes' bytes exactly, and refuse what it refuses.

json_scalars = st.none() | st.booleans() | st.integers() | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
aware_datetimes = st.datetimes(timezones=st.timezones()) | st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)
column_values = st.none() | st.booleans() | st.integers() | st.text() | aware_datetimes | st.dates() | st.uuids()
documents = st.dictionaries(st.text(), column_values | json_values, max_size=8)
# Drawing time zones is slow the first time (and on a busy machine): the examples matter, not the speed.
unhurried = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@unhurried
@given(documents)
def test_the_fast_encoder_gives_the_canonical_bytes(document):
    assert canonical.canonical_bytes_without_floats(document) == canonical.canonical_bytes(document)


@pytest.mark.parametrize(
    "value",
    [
        datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(1000, 1, 1, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2026, 7, 1, 12, 0, 0, 0, tzinfo=UTC),
        date(1, 1, 1),
        uuid.UUID(int=0),
        'Zoë \u2028 \U0001f600 \x01 "quoted" back\\slash </script>',
        {"Ω": 1, "a": [True, None, -(10**30)], "Z": {"é": "e"}},
        # What orjson refuses or writes otherwise, left to the standard library's encoder:
        {"\U0001f600": "a key beyond the BMP", "\uffff": "the last of the BMP"},
        2**64,
        SafeString("a subclass of str"),
        Outcome.SHARE,
        HTTPStatus.OK,
        (1, "a tuple"),
    ],
)
def test_the_fast_encoder_gives_the_canonical_bytes_at_the_edges(value):
    document = {"value": value}
    assert canonical.canonical_bytes_without_floats(document) == canonical.canonical_bytes(document)


@pytest.mark.parametrize("value", [datetime(2026, 1, 1), object(), b"bytes"])
def test_the_fast_encoder_refuses_what_canonical_bytes_refuses_other_than_floats(value):
    with pytest.raises(canonical.NotCanonical):
        canonical.canonical_bytes_without_floats({"x": value})


@unhurried
@given(json_values, st.sampled_from([(",", ":"), (", ", ": ")]), st.booleans())
def test_stored_json_reads_back_as_json_would(value, separators, ensure_ascii):
    text = json.dumps(value, separators=separators, ensure_ascii=ensure_ascii)
    assert canonical.decode_json(text) == json.loads(text)
    assert canonical.decode_json(f" {text}\n") == value


@pytest.mark.parametrize(
    "text",
    ['{"a": "paragraph 3.3.22, 1e3", "b": [2]}', '"\\ud800"', "[18446744073709551616]", '{"a": 1, "a": 2}'],
)
def test_stored_json_with_what_looks_like_a_float_reads_back_as_json_would(text):
    assert canonical.decode_json(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1.5}',
        '{"a": "paragraph 3.3.22", "b": 2.0}',
        "[1e3]",
        "[-0E1]",
        "[NaN]",
        "-Infinity",
        "1.0",
        "not json",
        '{"a": 1} x',
        "1" * 5000,
    ],
)
def test_stored_json_that_could_never_have_been_hashed_is_refused(text):
    with pytest.raises(canonical.NotCanonical):
        canonical.decode_json(text)


@unhurried
@given(
    st.sampled_from(["decision", "access", "history.records.child"]) | st.text(max_size=12),
    st.uuids().map(str) | st.integers(min_value=1).map(str) | st.text(max_size=12),
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64) | st.text(max_size=8),
    aware_datetimes,
)
def test_verification_makes_each_entrys_bytes_as_the_log_wrote_them(kind, record_id, content_sha256, appended_at):
    from ledger.models import entry_text
    from ledger.verification import _entry_bytes_fast

    try:
        written = entry_text(kind=kind, record_id=record_id, content_sha256=content_sha256, appended_at=appended_at)
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            _entry_bytes_fast(kind, record_id, content_sha256, appended_at)
        return
    assert _entry_bytes_fast(kind, record_id, content_sha256, appended_at) == written


def _with_stored_text(document: dict, wrap) -> dict:
    """The document with each JSON value stored as its canonical text (as a CanonicalJSONField keeps it)."""
    return {key: wrap(canonical.canonical_bytes(value).decode()) for key, value in document.items()}


@unhurried
@given(st.dictionaries(st.text(), json_values, max_size=6), st.dictionaries(st.text(), column_values, max_size=4))
def test_the_one_pass_makes_the_bytes_of_stored_text_or_leaves_the_record_to_the_row_by_row_check(stored, columns):
    # The one pass splices orjson's fragments; the row-by-row check StoredText. Where orjson writes the document
    # the bytes are the same; where it refuses, the one pass says so (NotCanonical) and never gives other bytes.
    document = {**columns, "answers": [_with_stored_text(stored, canonical.StoredText)]}
    expected = canonical.canonical_bytes_with_stored_text(document)
    fragments = {**columns, "answers": [_with_stored_text(stored, orjson.Fragment)]}
    try:
        made = canonical.canonical_bytes_with_fragments(fragments)
    except canonical.NotCanonical:
        return
    assert made == expected


@pytest.mark.parametrize("value", [2**64, datetime(2026, 1, 1), object()])
def test_what_orjson_refuses_in_one_pass_is_left_to_the_row_by_row_check(value):
    with pytest.raises(canonical.NotCanonical):
        canonical.canonical_bytes_with_fragments({"value": value, "answers": orjson.Fragment("[]")})


def test_stored_text_is_hashed_as_it_is_in_one_pass_too():
    # Reformatted text is not the text that was hashed: its bytes differ, in one pass as row by row.
    spaced = '{"a": 1}'
    assert canonical.canonical_bytes_with_fragments({"x": orjson.Fragment(spaced)}) == b'{"x":{"a": 1}}'
    assert canonical.canonical_bytes_with_stored_text({"x": canonical.StoredText(spaced)}) != canonical.canonical_bytes(
        {"x": {"a": 1}}
    )

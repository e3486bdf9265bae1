"""scale.hashing makes the bytes ledger makes, faster: held to ledger's own code here, and at run time.

``entry_bytes`` is a copy of the layout of ``ledger.models.entry_text``; if
either changes without the other, these fail (and so would seed_scale, at
its first entry).
"""

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ledger import canonical, merkle
from ledger.models import entry_text
from scale import hashing
from sharing.models import SharingDecision

KINDS = [
    "access",
    "decision",
    "history records.historicalchild",
    'a "quoted" kind',
    "back\\slash",
    "tab\tand\nnew line",
    "ünïcödé ✓",
    "line\u2028separator",
    "\x00\x1f",
]
RECORD_IDS = ["1", "9223372036854775807", str(uuid.UUID(int=7, version=4)), "", 'x"y\\z', "é"]
MOMENTS = [
    datetime(2026, 12, 4, 22, 43, 6, 198_123, tzinfo=UTC),
    datetime(2026, 7, 1, 13, 0, tzinfo=ZoneInfo("Europe/London")),
    datetime(2026, 3, 29, 1, 30, 0, 1, tzinfo=ZoneInfo("Europe/London")),
    datetime(2000, 1, 1, tzinfo=timezone(timedelta(hours=-11, minutes=-30))),
    datetime(999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_entry_bytes_are_ledgers_entry_text(kind, record_id):
    for moment in MOMENTS:
        for content_sha256 in ("0" * 64, hashlib.sha256(kind.encode()).hexdigest()):
            arguments = {"kind": kind, "record_id": record_id, "content_sha256": content_sha256, "appended_at": moment}
            assert hashing.entry_bytes(**arguments) == entry_text(**arguments)


def test_a_naive_time_is_refused():
    # ledger's entry_text would read it as the machine's local time: a data set must not depend on that.
    with pytest.raises(canonical.NotCanonical):
        hashing.utc_text(datetime(2026, 1, 1))
    with pytest.raises(canonical.NotCanonical):
        hashing.entry_bytes(kind="access", record_id="1", content_sha256="0" * 64, appended_at=datetime(2026, 1, 1))


def decision_document() -> dict:
    values = {
        "id": str(uuid.UUID(int=1, version=4)),
        "agency_id": 3,
        "child_id": str(uuid.UUID(int=2, version=4)),
        "subject": {"child": {"name": "Zoë O'Neill", "date_of_birth": "2019-05-01"}, "adults": []},
        "departs_from_guidance": False,
        "reasons": 'She said "not yet".\nSecond line',
        "decided_at": datetime(2026, 7, 1, 13, 0, tzinfo=ZoneInfo("Europe/London")),
        "draft_key": uuid.UUID(int=3, version=4),
    }
    answers = [
        {"position": 2, "answers": {"status": "obtained", "on": "2026-06-30"}, "guidance_shown": [["3.5", "Text"]]},
        {"position": 1, "answers": {"purpose": "Safety", "count": 3}, "guidance_shown": []},
    ]
    return SharingDecision.ledger_document_of(values, answers=answers)


def test_the_entry_is_what_ledger_would_enter():
    """The content's SHA-256 and the leaf hash, as ledger.services.enter makes them from the same document."""
    document = decision_document()
    moment = datetime(2026, 7, 1, 12, 0, 0, 5, tzinfo=UTC)
    record_id = document["id"]
    content_sha256, leaf = hashing.Hasher().entry(
        kind="decision", record_id=record_id, document=document, appended_at=moment
    )
    assert content_sha256 == hashlib.sha256(canonical.canonical_bytes(document)).hexdigest()
    assert leaf == merkle.leaf_hash(
        entry_text(kind="decision", record_id=record_id, content_sha256=content_sha256, appended_at=moment)
    )


def test_the_first_entries_and_one_in_a_thousand_are_checked_against_ledger(monkeypatch):
    checked = []
    real = hashing.entry_text
    monkeypatch.setattr(hashing, "entry_text", lambda **kw: checked.append(kw) or real(**kw))
    hasher = hashing.Hasher()
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(1, 3001):
        document = {"kind": "access", "id": number}
        hasher.entry(kind="access", record_id=str(number), document=document, appended_at=moment)
    assert [int(kw["record_id"]) for kw in checked] == [*range(1, hashing.CHECK_FIRST + 1), 1000, 2000, 3000]


def test_a_difference_from_ledger_stops_the_run(monkeypatch):
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    monkeypatch.setattr(hashing, "ENTRY_VERSION", 2)
    with pytest.raises(hashing.DifferentHash, match="entry's bytes"):
        hashing.Hasher().entry(kind="access", record_id="1", document={"id": 1}, appended_at=moment)
    monkeypatch.undo()
    monkeypatch.setattr(canonical, "canonical_bytes_without_floats", lambda document: b"{}")
    with pytest.raises(hashing.DifferentHash, match="canonical bytes"):
        hashing.Hasher().entry(kind="access", record_id="1", document={"id": 1}, appended_at=moment)


def test_a_float_is_refused_as_ledger_refuses_it():
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(canonical.NotCanonical):
        hashing.Hasher().entry(kind="access", record_id="1", document={"id": 1, "x": 0.5}, appended_at=moment)


def test_dates_are_written_as_canonical_writes_them():
    document = {"kind": "history records.historicalchild", "date_of_birth": date(2019, 5, 1), "id": "a"}
    content_sha256, _ = hashing.Hasher().entry(
        kind=document["kind"], record_id="1", document=document, appended_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert content_sha256 == hashlib.sha256(canonical.canonical_bytes(document)).hexdigest()

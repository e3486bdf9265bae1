"""Entering records in the log, inside the writer's own transaction.

A writer inserts its record, then one ``Entry`` (the content's SHA-256 and the
leaf hash) and marks it pending. Nothing here takes a lock another writer
holds: places in the tree are given after commit by the sequencer
(``ledger.sequencer``), which the writer's process tries to run once its
transaction has committed, or, when the write was part of a request, once
the response has been sent, so that no page waits for it (ADR 13).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.after_response import after_response
from ledger import canonical, merkle
from ledger.models import Entry, LedgerRecord, Pending, entry_text


def enter(*, kind: str, record_id: str, document: dict[str, Any]) -> Entry:
    """Put one record's content in the log: call inside the transaction that wrote the record."""
    content = canonical.canonical_bytes(document)
    entry = Entry(
        kind=kind, record_id=record_id, content_sha256=Entry.content_hash(content), appended_at=timezone.now()
    )
    entry.leaf_hash = merkle.leaf_hash(
        entry_text(kind=kind, record_id=record_id, content_sha256=entry.content_sha256, appended_at=entry.appended_at)
    ).hex()
    if connection.vendor == "postgresql":
        _insert_with_pending(entry)
    else:
        entry.save()
        Pending.objects.create(entry=entry)
    if settings.LEDGER_SEQUENCE_ON_COMMIT:
        transaction.on_commit(_sequence_after_commit)
    return entry


def _insert_with_pending(entry: Entry) -> None:
    # The entry and its place in the queue in one round trip.
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH entry AS ("
            " INSERT INTO ledger_entry (kind, record_id, content_sha256, appended_at, leaf_hash)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING id"
            ") INSERT INTO ledger_pending (entry_id) SELECT id FROM entry RETURNING entry_id",
            [entry.kind, entry.record_id, entry.content_sha256, entry.appended_at, entry.leaf_hash],
        )
        entry.pk = cursor.fetchone()[0]
    entry._state.adding, entry._state.db = False, connection.alias


def append(record: LedgerRecord, document: dict[str, Any] | None = None) -> Entry:
    """Insert a record and enter it in the log, in the caller's transaction.

    document: what is hashed, when it includes rows written after the record
    (a decision's answers); the record's own ``ledger_document()`` otherwise.
    """
    with transaction.atomic():
        record.save()
        return enter(
            kind=record.ledger_kind,
            record_id=record.ledger_record_id,
            document=document if document is not None else record.ledger_document(),
        )


def _sequence_after_commit() -> None:
    # In a request, once the response has been sent; elsewhere at once.
    after_response(_sequence)


def _sequence() -> None:
    from ledger import sequencer

    sequencer.sequence_waiting()

"""Appending a record to its hash chain: case records in one, the access log in another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sharing import integrity
from sharing.models import ChainedRecord, ChainHead


def _lock_head(chain_id: int) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=chain_id).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=chain_id, defaults={"head_hash": integrity.GENESIS_HASH})
        head = ChainHead.objects.select_for_update().get(pk=chain_id)
    return head


def append(record: ChainedRecord, document: Callable[[ChainedRecord], dict[str, Any]] | None = None) -> None:
    """Give the record the next place in the chain, hash it and insert it.

    Call inside a transaction: the chain head stays locked until it commits,
    so concurrent writers queue instead of forking the chain.
    """
    head = _lock_head(record.chain_id)
    record.chain_sequence = head.sequence + 1
    record.previous_hash = head.head_hash
    record.hash_version = integrity.HASH_VERSION
    content = document(record) if document else record.chain_document()
    record.record_hash = integrity.record_hash(previous_hash=record.previous_hash, document=content)
    record.save()
    head.sequence = record.chain_sequence
    head.head_hash = record.record_hash
    head.save(update_fields=["sequence", "head_hash"])

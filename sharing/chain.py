"""Appending a record to its hash chain: case records in one, the access log in another."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.db import connection

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


def append_in_one_statement(record: ChainedRecord) -> bool:
    """``append`` on PostgreSQL in a single statement, for the access log.

    Every page that shows a case record appends to the access log before it
    is sent, so the chain head's lock is the one place page views queue.
    Here the head is locked, advanced and the record inserted by one
    statement: the lock is held for one round trip instead of three and the
    hashing in between. The record's canonical form is made here, with marks
    where the sequence number and the previous hash go; the database puts
    them in and takes the SHA-256 exactly as ``integrity.record_hash`` does,
    and the hash is checked here again before the transaction commits.
    Returns False (nothing written) where it does not apply: not PostgreSQL,
    or no chain head yet.
    """
    if connection.vendor != "postgresql":
        return False
    from psycopg2 import sql as pgsql

    model = type(record)
    sequence_mark = -1 - secrets.randbits(62)
    previous_mark = secrets.token_hex(32)
    record.chain_sequence, record.previous_hash = sequence_mark, previous_mark
    record.hash_version = integrity.HASH_VERSION
    canonical = integrity.canonical_bytes(record.chain_document()).decode("utf-8")
    if canonical.count(str(sequence_mark)) != 1 or canonical.count(previous_mark) != 1:
        return False
    chained = ("chain_sequence", "previous_hash", "record_hash")
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in chained]
    statement = pgsql.SQL(
        """
        WITH old AS (SELECT id, sequence, head_hash FROM {head} WHERE id = %s FOR UPDATE),
        new AS (
            UPDATE {head} AS head
            SET sequence = old.sequence + 1,
                head_hash = encode(sha256(convert_to(
                    old.head_hash || E'\\n' || replace(replace(%s, %s, (old.sequence + 1)::text), %s, old.head_hash),
                    'UTF8')), 'hex')
            FROM old WHERE head.id = old.id
            RETURNING head.sequence, head.head_hash, old.head_hash AS previous_hash
        )
        INSERT INTO {table} ({chained}, {columns})
        SELECT new.sequence, new.previous_hash, new.head_hash, {values} FROM new
        RETURNING {pk}, {chained}
        """
    ).format(
        head=pgsql.Identifier(ChainHead._meta.db_table),
        table=pgsql.Identifier(model._meta.db_table),
        chained=pgsql.SQL(", ").join(pgsql.Identifier(name) for name in chained),
        columns=pgsql.SQL(", ").join(pgsql.Identifier(f.column) for f in fields),
        values=pgsql.SQL(", ").join([pgsql.Placeholder()] * len(fields)),
        pk=pgsql.Identifier(model._meta.pk.column),
    )
    values = [f.get_db_prep_save(f.pre_save(record, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(statement, [record.chain_id, canonical, str(sequence_mark), previous_mark, *values])
        row = cursor.fetchone()
    if row is None:
        return False
    record.pk, record.chain_sequence, record.previous_hash, record.record_hash = row
    record._state.adding, record._state.db = False, connection.alias
    if integrity.record_hash(previous_hash=record.previous_hash, document=record.chain_document()) != row[3]:
        raise integrity.NotCanonical(f"the database hashed {model._meta.verbose_name} {record.pk} differently")
    return True

"""Carrying a database from the two hash chains of earlier versions into the log.

Run once, by migration ``ledger.0002``: every record of the records chain in
its order, then every event of the access log in its order, then the change
history oldest first, is entered in the log and placed in the tree. Each old
link is checked as it is read (the chain's own hash and its link to the one
before): a chain that no longer verifies is not carried over, since entering
it would give altered records a fresh, valid proof.

It reads the tables through the migration's historical models, and takes
what is hashed of each kind from the models' declarations today
(``ledger_fields``, ``ledger_parts``), which this migration's schema matches.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
from datetime import UTC, datetime

from ledger import canonical, history, merkle
from ledger.models import entry_text

CHUNK = 2000
RECORDS_CHAIN, ACCESS_CHAIN = 1, 2
GENESIS_HASH = "0" * 64


class BrokenChain(RuntimeError):
    pass


def _had_a_chain(apps, model) -> bool:
    """Whether the kind's table, as this migration sees it, has the old chain's columns: a kind of record
    added after the log replaced the chains has none (nor, perhaps, a table yet) and nothing to carry over."""
    try:
        stored = apps.get_model(model._meta.app_label, model._meta.model_name)
    except LookupError:
        return False
    return any(field.name == "chain_sequence" for field in stored._meta.get_fields())


def _ledger_models(apps, chain_id: int):
    from django.apps import apps as current

    from ledger.models import LedgerRecord

    for model in current.get_models():
        if issubclass(model, LedgerRecord) and model.ledger_kind not in ("", "disposal") and _had_a_chain(apps, model):
            is_access = model.ledger_kind == "access"
            if is_access == (chain_id == ACCESS_CHAIN):
                yield model


def _chain_records(apps, model, chain_id: int):
    """(sequence, kind, id, old document, new document, previous hash, stored hash) in chain order."""
    stored = apps.get_model(model._meta.app_label, model._meta.model_name)
    pk = model._meta.pk.attname
    # A field added to what is hashed after this migration (ledger_fields_when_set) is not in its schema yet:
    # records carried over are hashed without it, as they are once it is added and left unset.
    columns = {field.attname for field in stored._meta.concrete_fields}
    names = (pk, *(name for name in model.ledger_fields if name in columns or name not in model.ledger_fields_when_set))
    header = ("hash_version", "chain_sequence", "previous_hash")
    parts = [(name, model._meta.get_field(name)) for name in model.ledger_parts]
    last = 0
    while True:
        rows = list(
            stored.objects.filter(chain_sequence__gt=last)
            .order_by("chain_sequence")
            .values_list(*header, "record_hash", *names)[:CHUNK]
        )
        if not rows:
            return
        part_rows = {}
        for name, relation in parts:
            part_model = apps.get_model(relation.related_model._meta.label)
            fk = relation.field.attname
            grouped: dict = {}
            for row in (
                part_model.objects.filter(**{f"{fk}__in": [row[4] for row in rows]})
                .order_by()
                .values_list(fk, *relation.related_model.ledger_fields)
            ):
                grouped.setdefault(row[0], []).append(
                    dict(zip(relation.related_model.ledger_fields, row[1:], strict=True))
                )
            part_rows[name] = grouped
        for row in rows:
            version, sequence, previous, record_hash = row[:4]
            values = dict(zip(names, row[4:], strict=True))
            own_parts = {name: part_rows[name].get(values[pk], []) for name, _ in parts}
            old_values = {"hash_version": version, "chain_sequence": sequence, "previous_hash": previous}
            if chain_id == RECORDS_CHAIN:
                old_values["id"] = values[pk]
            old_values.update(values if chain_id == RECORDS_CHAIN else {k: v for k, v in values.items() if k != pk})
            old = model.ledger_document_of(old_values, **own_parts)
            new = model.ledger_document_of(values, **own_parts)
            yield sequence, model.ledger_kind, str(values[pk]), old, new, previous, record_hash
        last = rows[-1][1]


def _old_chain(apps, chain_id: int):
    """The new documents of a chain's records in order, each old link checked on the way."""
    streams = [_chain_records(apps, model, chain_id) for model in _ledger_models(apps, chain_id)]
    expected, previous_hash = 1, GENESIS_HASH
    for sequence, kind, record_id, old, new, previous, stored in heapq.merge(*streams, key=lambda item: item[0]):
        if sequence != expected or previous != previous_hash:
            raise BrokenChain(f"chain {chain_id} is broken at record {expected} ({kind} {record_id})")
        if canonical.record_hash(previous_hash=previous, document=old) != stored:
            raise BrokenChain(f"chain {chain_id}: record {sequence} ({kind} {record_id}) no longer matches its hash")
        expected, previous_hash = expected + 1, stored
        yield kind, record_id, new
    head = apps.get_model("sharing", "ChainHead").objects.filter(pk=chain_id).first()
    if head is not None and (head.sequence, head.head_hash) != (expected - 1, previous_hash):
        raise BrokenChain(f"chain {chain_id}: its head says {head.sequence} records, the chain has {expected - 1}")


def _history(apps):
    for current in history.historical_models():
        stored = apps.get_model(current._meta.app_label, current._meta.model_name)
        names = history.fields_of(stored)
        for values in stored.objects.order_by("history_date", "history_id").values_list(*names).iterator(CHUNK):
            row = dict(zip(names, values, strict=True))
            yield history.kind_of(current), str(row["history_id"]), history.document_of(current, row)


def run(apps, schema_editor) -> int:
    """Enter every record of the old chains and the change history; return how many."""
    Entry = apps.get_model("ledger", "Entry")
    Leaf = apps.get_model("ledger", "Leaf")
    Node = apps.get_model("ledger", "Node")
    TreeHead = apps.get_model("ledger", "TreeHead")
    if Entry.objects.exists():
        return 0
    now = datetime.now(UTC)
    frontier = merkle.Frontier()
    records = itertools.chain(_old_chain(apps, RECORDS_CHAIN), _old_chain(apps, ACCESS_CHAIN), _history(apps))
    while batch := list(itertools.islice(records, CHUNK)):
        entries = []
        for kind, record_id, document in batch:
            content_sha256 = _sha256(canonical.canonical_bytes(document))
            text = entry_text(kind=kind, record_id=record_id, content_sha256=content_sha256, appended_at=now)
            entries.append(
                Entry(
                    kind=kind,
                    record_id=record_id,
                    content_sha256=content_sha256,
                    appended_at=now,
                    leaf_hash=merkle.leaf_hash(text).hex(),
                )
            )
        Entry.objects.bulk_create(entries)
        if entries[0].pk is None:  # SQLite before RETURNING: read the ids back
            ids = dict(
                Entry.objects.filter(record_id__in=[e.record_id for e in entries]).values_list("record_id", "pk")
            )
            for entry in entries:
                entry.pk = ids[entry.record_id]
        leaves, nodes = [], []
        for entry in entries:
            leaves.append(Leaf(position=frontier.size, entry_id=entry.pk))
            nodes += [
                Node(level=level, index=index, hash=node.hex())
                for level, index, node in frontier.append(bytes.fromhex(entry.leaf_hash))
            ]
        Leaf.objects.bulk_create(leaves)
        Node.objects.bulk_create(nodes)
    if frontier.size:
        TreeHead.objects.create(
            size=frontier.size,
            root=frontier.root().hex(),
            frontier=" ".join(part.hex() for part in frontier.hashes),
            sequenced_at=now,
        )
    return frontier.size


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()

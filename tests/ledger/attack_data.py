"""What an attacker with write access to the database and a copy of the code can do to the log.

They can drop the triggers, change any row, recompute every content hash,
every leaf and the whole tree, and move the tree heads. They cannot sign
(the key is a file on another host) nor rewrite the witness store.
"""

import hashlib

from django.db import connection, models

from ledger import immutability, merkle
from ledger.models import Checkpoint, Entry, Leaf, Node, TreeHead
from ledger.verification import RecordReader, ledger_models


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def db_id(value) -> str:
    """A uuid as the database stores it (SQLite: 32 hex digits)."""
    text = str(value)
    return text.replace("-", "") if connection.vendor == "sqlite" else text


def unguarded(function):
    """Run with the immutability triggers dropped, as a database administrator could."""
    immutability.remove(connection)
    try:
        return function()
    finally:
        immutability.install(connection)


def recompute_entries() -> None:
    """Every entry's content hash and leaf hash made to match the records as they now are."""
    for model in ledger_models():
        reader = RecordReader(model)
        for rows in reader.rows():
            found = [(part, part.rows_by_record([row[0] for row in rows])) for part in reader.parts]
            for row in rows:
                content = reader.content(row, {part.name: rows_of.get(row[0], []) for part, rows_of in found})
                entry = Entry.objects.get(kind=reader.kind, record_id=str(row[0]))
                entry.content_sha256 = hashlib.sha256(content).hexdigest()
                models.QuerySet.update(
                    Entry.objects.filter(pk=entry.pk),
                    content_sha256=entry.content_sha256,
                    leaf_hash=entry.computed_leaf_hash(),
                )


def rebuild_tree(*, drop_checkpoints: bool = True) -> None:
    """The tree rebuilt from the leaves in their (possibly changed) order: nodes, heads, everything."""
    sql("DELETE FROM ledger_node")
    sql("DELETE FROM ledger_treehead")
    if drop_checkpoints:
        sql("DELETE FROM ledger_checkpoint")
    frontier = merkle.Frontier()
    nodes = []
    for leaf_hash in Leaf.objects.order_by("position").values_list("entry__leaf_hash", flat=True):
        nodes += [
            Node(level=level, index=index, hash=node.hex())
            for level, index, node in frontier.append(bytes.fromhex(leaf_hash))
        ]
    Node.objects.bulk_create(nodes)
    if frontier.size:
        from django.utils import timezone

        TreeHead.objects.create(
            size=frontier.size,
            root=frontier.root().hex(),
            frontier=" ".join(h.hex() for h in frontier.hashes),
            sequenced_at=timezone.now(),
        )


def rewrite_everything() -> None:
    """The full attack: entries recomputed from the records as changed, the tree rebuilt, the heads moved."""
    recompute_entries()
    rebuild_tree()


def checkpoints() -> int:
    return Checkpoint.objects.count()

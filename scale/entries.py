"""The data set's records entered in the log (ADR 13) in bulk, and placed in its tree.

``ledger.services.enter`` writes one ``Entry`` per record and queues it for
the sequencer; a million of them that way would take hours. Here each
record's entry is written beside it (its content's SHA-256 and its leaf
hash, ``scale.hashing``), and the entries are placed in the tree here too,
in the order they were written, continuing from the newest ``TreeHead``
with ``merkle.Frontier``: a ``Leaf`` for each, a ``Node`` for each complete
subtree finished, and one ``TreeHead`` at the end. Nothing is queued: the
sequencer finds nothing of ours waiting, and ``sequencer.sign_now()`` signs
(and witnesses) a checkpoint of the whole tree once the data set is committed.

Primary keys are taken ahead of the rows (``IdBlocks``): an entry names its
record's id, and a leaf its entry's.
"""

from __future__ import annotations

from array import array

from django.db import models

from ledger import merkle
from ledger.models import Entry, Leaf, Node, TreeHead
from scale.hashing import Hasher

# Ids taken from a sequence at a time.
BLOCK = 10_000


class IdBlocks:
    """Primary keys reserved before the rows that will hold them are written.

    PostgreSQL: taken from the table's own sequence (``nextval``), so nobody
    else can take them, through a connection of its own: the seeding
    connection is busy copying rows while ids are still needed. SQLite: the
    seeding transaction holds the write lock, so the ids after the highest in
    use are free until it commits; they are counted here.
    """

    def __init__(self, connection):
        self.connection = connection
        self.side = None
        self.next_free: dict[str, int] = {}

    def take(self, model: type[models.Model], count: int) -> list[int]:
        table, column = model._meta.db_table, model._meta.pk.column
        if count <= 0:
            return []
        if self.connection.vendor == "postgresql":
            if self.side is None:
                self.side = self.connection.get_new_connection(self.connection.get_connection_params())
                self.side.autocommit = True
            with self.side.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
                )
                return [row[0] for row in cursor.fetchall()]
        start = self.next_free.get(table)
        if start is None:
            with self.connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')  # noqa: S608 (model metadata)
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
        self.next_free[table] = start + count
        return list(range(start, start + count))

    def stream(self, model: type[models.Model], block: int = BLOCK) -> IdStream:
        return IdStream(self, model, block)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


class IdStream:
    """One table's ids, one at a time, reserved a block at a time."""

    def __init__(self, blocks: IdBlocks, model: type[models.Model], block: int):
        self.blocks, self.model, self.block = blocks, model, block
        self.ids: list[int] = []
        self.at = 0

    def __call__(self) -> int:
        if self.at == len(self.ids):
            self.ids, self.at = self.blocks.take(self.model, self.block), 0
        self.at += 1
        return self.ids[self.at - 1]


class Tables:
    """The writer's tables of the log: entries, leaves and nodes."""

    def __init__(self, table):
        # table(model, exclude=()) makes a writer's table (scale.writer.Table).
        self.entry = table(Entry)
        self.leaf = table(Leaf)
        self.node = table(Node, exclude=("id",))


class Entering:
    """Writes each record's entry, with the next entry id; returns what placing it needs."""

    def __init__(self, *, add, tables: Tables, next_id, hasher: Hasher | None = None):
        self.add, self.tables, self.next_id = add, tables, next_id
        self.hasher = hasher or Hasher()
        self.count = 0

    def enter(self, *, kind: str, record_id: str, document: dict, appended_at) -> tuple[int, bytes]:
        content_sha256, leaf = self.hasher.entry(
            kind=kind, record_id=record_id, document=document, appended_at=appended_at
        )
        entry_id = self.next_id()
        self.add(
            self.tables.entry,
            {
                "id": entry_id,
                "kind": kind,
                "record_id": record_id,
                "content_sha256": content_sha256,
                "appended_at": appended_at,
                "leaf_hash": leaf.hex(),
            },
        )
        self.count += 1
        return entry_id, leaf


class Placing:
    """Entries given their positions, continuing a frontier: their leaves, and the subtrees they complete."""

    def __init__(self, frontier: merkle.Frontier, *, add, tables: Tables):
        self.frontier, self.add, self.tables = frontier, add, tables

    def place(self, entry_id: int, leaf: bytes) -> None:
        add, tables, frontier = self.add, self.tables, self.frontier
        add(tables.leaf, {"position": frontier.size, "entry_id": entry_id})
        for level, index, node in frontier.append(leaf):
            add(tables.node, {"level": level, "index": index, "hash": node.hex()})


class Kept:
    """Entries written but not yet placed, in order: 8 bytes of id and 32 of leaf hash each."""

    def __init__(self):
        self.ids = array("q")
        self.leaves = bytearray()

    def keep(self, entry_id: int, leaf: bytes) -> None:
        self.ids.append(entry_id)
        self.leaves += leaf

    def __len__(self) -> int:
        return len(self.ids)

    def place(self, placing: Placing, progress=None) -> None:
        leaves = self.leaves
        for number, entry_id in enumerate(self.ids):
            placing.place(entry_id, bytes(leaves[number * 32 : number * 32 + 32]))
            if progress is not None and number % 10_000 == 9_999:
                progress(10_000)
        if progress is not None:
            progress(len(self.ids) % 10_000)
        self.ids, self.leaves = array("q"), bytearray()


def frontier_of(head: TreeHead | None) -> merkle.Frontier:
    return head.as_frontier() if head is not None else merkle.Frontier()


def tree_head(frontier: merkle.Frontier, sequenced_at) -> TreeHead:
    return TreeHead(
        size=frontier.size,
        root=frontier.root().hex(),
        frontier=" ".join(part.hex() for part in frontier.hashes),
        sequenced_at=sequenced_at,
    )

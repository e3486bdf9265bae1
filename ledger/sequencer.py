"""Giving committed entries their positions in the tree, in batches, and signing checkpoints.

Whoever finds entries waiting runs it: each writer's process tries once its
transaction has committed, and the background worker runs it when entries
wait or a checkpoint is due (``ledger.tasks``, ADR 23; ``manage.py ledger
sequence --loop`` does the same on a timer). Only one runs at a time (a PostgreSQL advisory lock, tried and
never waited for; on SQLite the one writer's lock), so positions run from 0
without gaps or repeats, and the primary keys of ``Leaf`` and ``TreeHead``
refuse a fork even if that lock failed. A batch is one transaction: a
sequencer killed mid-batch leaves every entry waiting for the next (ADR 13).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ledger import keys, merkle, note, witness
from ledger.models import Checkpoint, Entry, Leaf, Node, Pending, TreeHead

log = logging.getLogger(__name__)

# pg_try_advisory_xact_lock's key: the bytes of "ledger".
ADVISORY_LOCK = int.from_bytes(b"ledger", "big")
BATCH = 2000


def _lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        return cursor.fetchone()[0]


def _waiting():
    """The entries waiting, first committed first, each with its leaf hash.

    Each leaf hash is read by its entry's key, a lookup a row, never by joining the queue to the log: the
    queue is emptied as fast as it fills, so PostgreSQL's statistics count the rows it once held, and with
    them it chose to merge the join, reading the log's whole index from its first entry to find the newest
    (18 ms a logged page with 75,000 entries, growing with the log; docs/performance.md).
    """
    leaf_hash = Entry.objects.filter(pk=OuterRef("entry_id")).values("leaf_hash")
    return Pending.objects.order_by("entry_id").values_list("entry_id", Subquery(leaf_hash))


def latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-size").first()


def sequence(*, limit: int = BATCH, sign: bool = True, force_sign: bool = False) -> int | None:
    """Place up to `limit` waiting entries in the tree; None if another sequencer is running."""
    with transaction.atomic():
        if not _lock():
            return None
        waiting = list(_waiting()[:limit])
        now = timezone.now()
        head = None
        if waiting:
            head = latest_head()
            frontier = head.as_frontier() if head else merkle.Frontier()
            first = frontier.size
            entry_ids = [entry_id for entry_id, _ in waiting]
            nodes = []
            for _, leaf_hash in waiting:
                nodes.extend(frontier.append(bytes.fromhex(leaf_hash)))
            _write(first=first, entry_ids=entry_ids, nodes=nodes)
            head = TreeHead.objects.create(
                size=frontier.size,
                root=frontier.root().hex(),
                frontier=" ".join(part.hex() for part in frontier.hashes),
                sequenced_at=now,
            )
        if sign:
            _sign_if_due(now, force=force_sign, head=head)
    return len(waiting)


def _write(*, first: int, entry_ids: list[int], nodes: list[tuple[int, int, bytes]]) -> None:
    """The batch's leaves (positions from `first` on) and the nodes they completed; its entries no longer wait.

    On PostgreSQL each table in one statement from arrays: building a model instance a row, as bulk_create
    does, cost more than everything else the sequencer does (docs/scaling.md, "The sequencer alone").
    """
    if connection.vendor != "postgresql":
        Leaf.objects.bulk_create(
            Leaf(position=position, entry_id=entry_id) for position, entry_id in enumerate(entry_ids, first)
        )
        Node.objects.bulk_create(Node(level=level, index=index, hash=node.hex()) for level, index, node in nodes)
        Pending.objects.filter(entry_id__in=entry_ids).delete()
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_leaf (position, entry_id)"
            " SELECT %s + ordinality - 1, entry_id FROM unnest(%s::bigint[]) WITH ORDINALITY AS batch(entry_id)",
            [first, entry_ids],
        )
        if nodes:
            cursor.execute(
                'INSERT INTO ledger_node (level, "index", hash)'
                " SELECT * FROM unnest(%s::smallint[], %s::bigint[], %s::varchar[])",
                [[node[0] for node in nodes], [node[1] for node in nodes], [node[2].hex() for node in nodes]],
            )
        cursor.execute("DELETE FROM ledger_pending WHERE entry_id = ANY(%s::bigint[])", [entry_ids])


def sequence_waiting(*, batches: int = 20) -> None:
    """Sequence until nothing is waiting, or until another sequencer has the lock (it carries on).

    A batch smaller than BATCH took everything that was waiting: no second transaction only to find the
    queue empty (five statements on every logged page). An entry committed meanwhile by a writer that found
    the lock taken is placed by the next writer or the background sequencer (within a second, ADR 13).
    """
    for _ in range(batches):
        try:
            done = sequence(limit=BATCH)
        except note.NoteError:
            log.exception("Entries were placed but no checkpoint could be signed")
            return
        if not done or done < BATCH:
            return


def _sign_if_due(now, *, force: bool, head: TreeHead | None = None) -> Checkpoint | None:
    head = head or latest_head()
    if head is None:
        return None
    last = Checkpoint.objects.order_by("-size", "-signed_at").first()
    if last is not None and last.size >= head.size:
        return None
    if not force and last is not None and (now - last.signed_at).total_seconds() < settings.LEDGER_CHECKPOINT_SECONDS:
        return None
    text = keys.signer().sign_checkpoint(head.size, bytes.fromhex(head.root))
    checkpoint = Checkpoint.objects.create(size=head.size, root=head.root, note=text, signed_at=now)
    first = last.size if last is not None else 0
    leaves = [
        bytes.fromhex(leaf_hash)
        for leaf_hash in Leaf.objects.filter(position__gte=first, position__lt=head.size)
        .order_by("position")
        .values_list("entry__leaf_hash", flat=True)
    ]
    # Witnessed once the checkpoint is committed: the store never holds a tree the database does not.
    transaction.on_commit(lambda: witness.append(note=text, signed_at=now, first=first, leaves=leaves))
    return checkpoint


def entries_waiting() -> bool:
    """Whether any committed entry waits for its place in the tree (ledger.tasks.place_entries)."""
    return Pending.objects.exists()


def checkpoint_due(now=None) -> bool:
    """Whether the tree has grown since the last checkpoint, signed long enough ago (ledger.tasks)."""
    head = latest_head()
    if head is None:
        return False
    last = Checkpoint.objects.order_by("-size", "-signed_at").first()
    if last is None:
        return True
    if last.size >= head.size:
        return False
    return ((now or timezone.now()) - last.signed_at).total_seconds() >= settings.LEDGER_CHECKPOINT_SECONDS


def sign_if_due() -> Checkpoint | None:
    """Sign a checkpoint of the tree as it stands if one is due; None if not, or if a sequencer is running."""
    with transaction.atomic():
        if not _lock():
            return None
        return _sign_if_due(timezone.now(), force=False)


def sign_now() -> Checkpoint | None:
    """Sequence everything waiting and sign a checkpoint of the whole tree, if it grew since the last."""
    while sequence(sign=False):
        pass
    with transaction.atomic():
        if not _lock():
            return None
        return _sign_if_due(timezone.now(), force=True)

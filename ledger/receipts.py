"""Where a record stands in the log, and its receipt (ADR 13, item 6). Reads only.

A record's *standing* is what its page and its print show: its position in the
log (once the sequencer has placed it) and the first signed checkpoint whose
tree includes it. Its *receipt* is what an auditor takes away and checks with
``tools/verify_receipt.py``, without the service: the record's canonical
content, its log entry, its position, the inclusion proof from its leaf to the
checkpoint's root, and the signed checkpoint note.

Nothing here names a feature app: a record is any ``LedgerRecord``.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, Subquery

from ledger import canonical, merkle, note
from ledger.models import Checkpoint, Entry, Leaf, LedgerRecord, Node

RECEIPT_FORMAT = "safeguarding-ledger-receipt/1"


class ReceiptNotReady(Exception):
    """The record is in the log but no signed checkpoint includes it yet (usually a matter of seconds)."""


@dataclass(frozen=True)
class Standing:
    """A record's place in the log, and the first signed checkpoint that includes it."""

    kind: str
    record_id: str
    position: int | None  # None while the entry waits for the sequencer
    appended_at: datetime
    checkpoint: Checkpoint | None  # None until a signed checkpoint includes the position
    key_name: str = ""  # who signed the checkpoint, as its signature line says
    key_id: str = ""  # 8 hexadecimal digits
    content_sha256: str = ""  # the SHA-256 of the record's canonical content, as its entry names it
    leaf_hash: str = ""  # the entry's hash in the Merkle tree (RFC 9162 leaf hash)

    @property
    def is_signed(self) -> bool:
        return self.checkpoint is not None

    @property
    def root_base64(self) -> str:
        """The checkpoint's root as the note and the receipt write it (standard base64)."""
        return base64.b64encode(bytes.fromhex(self.checkpoint.root)).decode("ascii") if self.checkpoint else ""


def _signed_by(note_text: str) -> tuple[str, str]:
    """The key name and key ID on the checkpoint's own signature line, for display.

    Not a verification (the page is not the proof; the receipt and its checker
    are): the line whose name is the checkpoint's origin, else the first.
    """
    text, _, block = note_text.rpartition("\n\n")
    origin = text.split("\n", 1)[0]
    found = []
    for line in block.splitlines():
        name, _, signature = line.removeprefix(note.SIGNATURE_PREFIX).partition(" ")
        try:
            key_id = base64.b64decode(signature, validate=True)[:4].hex()
        except ValueError:
            continue
        found.append((name, key_id))
    return next((signed for signed in found if signed[0] == origin), found[0] if found else ("", ""))


def _covering_checkpoint() -> Subquery:
    # The smallest checkpoint whose tree is larger than the entry's position (the index on size answers it).
    return Subquery(
        Checkpoint.objects.filter(size__gt=OuterRef("leaf__position")).order_by("size", "signed_at").values("pk")[:1]
    )


def _entries_of(records: Iterable[LedgerRecord]) -> Q | None:
    """The records' entries in the log, as one filter; None for no record."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for record in records:
        wanted[record.ledger_kind].add(record.ledger_record_id)
    if not wanted:
        return None
    which = Q()
    for kind, record_ids in wanted.items():
        which |= Q(kind=kind, record_id__in=sorted(record_ids))
    return which


def positions(records: Iterable[LedgerRecord]) -> dict[str, int | None]:
    """Each record's place in the log (its record number), by record id: one query, however many records;
    None while the entry waits for the sequencer. A record with no entry at all is left out."""
    which = _entries_of(records)
    if which is None:
        return {}
    return dict(Entry.objects.filter(which).values_list("record_id", "leaf__position"))


def standings(records: Iterable[LedgerRecord]) -> dict[str, Standing]:
    """Where each record stands in the log, by record id (``str(record.pk)``).

    Two queries at most, however many records: their entries with their
    positions and the id of the checkpoint covering each, then those
    checkpoints. A record with no entry at all (never entered) is left out.
    """
    which = _entries_of(records)
    if which is None:
        return {}
    rows = list(
        Entry.objects.filter(which)
        .annotate(checkpoint_id=_covering_checkpoint())
        .values_list(
            "kind", "record_id", "appended_at", "leaf__position", "checkpoint_id", "content_sha256", "leaf_hash"
        )
    )
    checkpoint_ids = {row[4] for row in rows if row[4] is not None}
    checkpoints = Checkpoint.objects.in_bulk(checkpoint_ids) if checkpoint_ids else {}
    signers = {pk: _signed_by(checkpoint.note) for pk, checkpoint in checkpoints.items()}
    result = {}
    for kind, record_id, appended_at, position, checkpoint_id, content_sha256, leaf_hash in rows:
        checkpoint = checkpoints.get(checkpoint_id)
        key_name, key_id = signers.get(checkpoint_id, ("", ""))
        result[record_id] = Standing(
            kind=kind,
            record_id=record_id,
            position=position,
            appended_at=appended_at,
            checkpoint=checkpoint,
            key_name=key_name,
            key_id=key_id,
            content_sha256=content_sha256,
            leaf_hash=leaf_hash,
        )
    return result


def standing_of(record: LedgerRecord) -> Standing | None:
    return standings([record]).get(record.ledger_record_id)


# A stand-in hash for the dry run: the prover's requests depend only on the position and the size.
_ANY_HASH = bytes(32)


def _hashes_asked_for(position: int, size: int) -> list[tuple[int, int]]:
    """Which complete subtrees ``merkle.inclusion_proof`` reads for this position and size."""
    asked: list[tuple[int, int]] = []

    def note_request(level: int, index: int) -> bytes:
        asked.append((level, index))
        return _ANY_HASH

    merkle.inclusion_proof(position, size, note_request)
    return asked


def _stored_hashes(asked: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The subtree hashes asked for, in two queries: interior nodes, then leaf hashes (via their entries)."""
    hashes: dict[tuple[int, int], bytes] = {}
    nodes = [(level, index) for level, index in asked if level > 0]
    if nodes:
        which = Q()
        for level, index in nodes:
            which |= Q(level=level, index=index)
        for level, index, node in Node.objects.filter(which).values_list("level", "index", "hash"):
            hashes[level, index] = bytes.fromhex(node)
    positions = [index for level, index in asked if level == 0]
    if positions:
        for position, leaf_hash in Leaf.objects.filter(position__in=positions).values_list(
            "position", "entry__leaf_hash"
        ):
            hashes[0, position] = bytes.fromhex(leaf_hash)
    missing = [pair for pair in asked if pair not in hashes]
    if missing:
        raise LookupError(f"the log's stored tree lacks the subtrees {missing}: run manage.py verify_records")
    return hashes


def receipt_for(record: LedgerRecord) -> dict:
    """The record's receipt, as ``tools/verify_receipt.py`` reads it; ReceiptNotReady until it is signed.

    The inclusion proof is computed from the stored tree: a dry run of the
    prover says which subtree hashes it needs, those are read in two queries,
    and the prover runs again over them. The receipt is not checked here: what
    the database holds is handed over as it is, and the independent checker is
    what says whether it is genuine.
    """
    entry = (
        Entry.objects.select_related("leaf").filter(kind=record.ledger_kind, record_id=record.ledger_record_id).first()
    )
    if entry is None:
        raise LookupError(f"{record.ledger_kind} {record.ledger_record_id} has no entry in the log")
    leaf = getattr(entry, "leaf", None)
    if leaf is None:
        raise ReceiptNotReady(f"{record.ledger_kind} {record.ledger_record_id} is waiting for its place in the log")
    checkpoint = Checkpoint.objects.filter(size__gt=leaf.position).order_by("size", "signed_at").first()
    if checkpoint is None:
        raise ReceiptNotReady(f"{record.ledger_kind} {record.ledger_record_id} is not yet in a signed checkpoint")
    hashes = _stored_hashes(_hashes_asked_for(leaf.position, checkpoint.size))
    proof = merkle.inclusion_proof(leaf.position, checkpoint.size, lambda level, index: hashes[level, index])
    return {
        "receipt": RECEIPT_FORMAT,
        "record": {
            "kind": record.ledger_kind,
            "id": record.ledger_record_id,
            "content": canonical.canonical_bytes(record.ledger_document()).decode("utf-8"),
        },
        "entry": entry.text().decode("utf-8"),
        "position": leaf.position,
        "inclusion_proof": [base64.b64encode(step).decode("ascii") for step in proof],
        "checkpoint": checkpoint.note,
    }

"""The ledger's tables: log entries, the Merkle tree over them, signed checkpoints.

A record that must never change (a decision, a consent, a disclosure, a
review, an access event, a row of change history) is written by its own app
and *entered* in the log in the same transaction: an ``Entry`` holds the
SHA-256 of the record's canonical content, and its leaf hash. Entries are
given their place in the tree later, in batches, by the sequencer
(``ledger.sequencer``), so no writer waits for another (ADR 13).

Every table here is written once: the service's database role may insert and
read them, never update or delete (``Pending`` excepted: it is the queue the
sequencer empties).
"""

from __future__ import annotations

import hashlib
from datetime import UTC

from django.db import models

from ledger import canonical, merkle

ENTRY_VERSION = 1


class ImmutableRecordError(Exception):
    pass


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} cannot be changed")

    def delete(self):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} cannot be deleted")


class WrittenOnce(models.Model):
    """A row inserted once and never changed or deleted (the database refuses too)."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(f"A recorded {self._meta.verbose_name} cannot be changed: add an addendum")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"A recorded {self._meta.verbose_name} cannot be deleted")


class LedgerRecord(WrittenOnce):
    """A record of a feature app whose content is entered in the log.

    The feature declares what is hashed: ``ledger_kind`` names the kind of
    record in the log, ``ledger_fields`` the attributes, ``ledger_parts``
    reverse relations whose rows are hashed with it (a decision's answers),
    ``ledger_files`` file fields whose bytes are checked against a stored
    SHA-256 field that is itself hashed.
    """

    ledger_kind = ""
    ledger_fields: tuple[str, ...] = ()
    # Fields added to ledger_fields after records of the kind were first hashed: hashed only when set (not
    # None or ""), so that the records hashed before the field was added verify as they were.
    ledger_fields_when_set: tuple[str, ...] = ()
    ledger_parts: tuple[str, ...] = ()
    # {part: the field of its rows they are hashed in the order of}, for each part: ledger_document_of sorts by it.
    ledger_parts_ordered_by: dict[str, str] = {}
    # (file field, the hashed field holding the file's SHA-256)
    ledger_files: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def ledger_reads(cls) -> tuple[str, ...]:
        return (cls._meta.pk.attname, *cls.ledger_fields)

    @classmethod
    def ledger_document_of(cls, values: dict) -> dict:
        """Everything the record says, in the form that is hashed, from the values of ledger_reads().

        The one definition of what is hashed: ``ledger_document()`` gives it a
        record's attributes, verification the same columns read as rows.
        """
        document = {"kind": cls.ledger_kind, **values}
        for name in cls.ledger_fields_when_set:
            if document.get(name) in (None, ""):
                document.pop(name, None)
        return document

    def ledger_values(self) -> dict:
        return {name: getattr(self, name) for name in self.ledger_reads()}

    def ledger_document(self) -> dict:
        return self.ledger_document_of(self.ledger_values())

    @property
    def ledger_record_id(self) -> str:
        return str(self.pk)


def entry_text(*, kind: str, record_id: str, content_sha256: str, appended_at) -> bytes:
    """The bytes of a log entry: what the tree's leaf is the hash of.

    The entry holds the SHA-256 of the record's content, not the content, so
    the content can be disposed of at the end of its retention period while
    the leaf, and every proof through it, stays as it was.
    """
    return canonical.canonical_bytes(
        {
            "v": ENTRY_VERSION,
            "kind": kind,
            "id": record_id,
            "content_sha256": content_sha256,
            "appended_at": appended_at.astimezone(UTC),
        }
    )


class Entry(WrittenOnce):
    """One record's place in the log: its content's SHA-256, and the leaf hash of this entry."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=60)
    record_id = models.CharField(max_length=64)
    content_sha256 = models.CharField(max_length=64)
    appended_at = models.DateTimeField()
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "entries"
        constraints = [models.UniqueConstraint(fields=["kind", "record_id"], name="ledger_entry_once_per_record")]

    def __str__(self):
        return f"Log entry {self.pk}: {self.kind} {self.record_id}"

    def text(self) -> bytes:
        return entry_text(
            kind=self.kind,
            record_id=self.record_id,
            content_sha256=self.content_sha256,
            appended_at=self.appended_at,
        )

    def computed_leaf_hash(self) -> str:
        return merkle.leaf_hash(self.text()).hex()

    @staticmethod
    def content_hash(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class Pending(models.Model):
    """An entry waiting for the sequencer; deleted once it has its place in the tree."""

    entry = models.OneToOneField(Entry, primary_key=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "pending entries"

    def __str__(self):
        return f"Entry {self.entry_id} waiting"


class Leaf(WrittenOnce):
    """An entry's position in the tree: positions run from 0 without gaps."""

    position = models.BigIntegerField(primary_key=True)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="leaf")

    def __str__(self):
        return f"Leaf {self.position}"


class Node(WrittenOnce):
    """The hash of a complete subtree of 2**level leaves, kept so that proofs need no walk over the leaves."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="ledger_node_once")]

    def __str__(self):
        return f"Node {self.level}/{self.index}"


class TreeHead(WrittenOnce):
    """The tree after one batch of the sequencer: its size, root, and right edge to carry on from."""

    size = models.BigIntegerField(primary_key=True)
    root = models.CharField(max_length=64)
    # The roots of the complete subtrees making up the tree, largest first, as hex separated by spaces.
    frontier = models.TextField(blank=True)
    sequenced_at = models.DateTimeField()

    def __str__(self):
        return f"Tree of {self.size}"

    def as_frontier(self) -> merkle.Frontier:
        return merkle.Frontier(self.size, [bytes.fromhex(part) for part in self.frontier.split()])


class Checkpoint(WrittenOnce):
    """A signed note of the tree's size and root (C2SP tlog-checkpoint), also appended to the witness store."""

    size = models.BigIntegerField()
    root = models.CharField(max_length=64)
    note = models.TextField()
    signed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["size"])]

    def __str__(self):
        return f"Checkpoint of {self.size} signed {self.signed_at:%Y-%m-%d %H:%M:%S}"


class Disposal(LedgerRecord):
    """The content of an entry destroyed at the end of its retention period: when, why and by whom.

    The entry and its leaf stay; verification reports the entry as disposed
    of, under this rule, rather than as removed. The disposal is itself in the log.
    """

    id = models.BigAutoField(primary_key=True)
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="disposal")
    disposed_at = models.DateTimeField()
    rule = models.CharField(max_length=200)
    disposed_by = models.CharField(max_length=200)

    ledger_kind = "disposal"
    ledger_fields = ("entry_id", "disposed_at", "rule", "disposed_by")

    def __str__(self):
        return f"Disposal of log entry {self.entry_id}"

"""Walk a hash chain (case records, or the access log) and say whether it is intact.

Every record is read back as plain rows (no model instances), its document
made by the model's own ``chain_document_of`` (the one definition of what is
hashed), and its hash recomputed. A long chain on PostgreSQL is cut into
spans of sequence numbers verified side by side in worker processes, all
reading one snapshot of the database; each span is walked as the whole
chain would be, and the joins between spans (each span's first link, and
that each span ends where the next begins) are checked here, so the report
names the same first problem as a walk from end to end.
"""

from __future__ import annotations

import heapq
import multiprocessing
import os
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.db import connection, connections, models, transaction
from django.db.models import Max, Min
from django.db.models.functions import Cast

from sharing import integrity
from sharing.models import RECORDS_CHAIN, ChainedRecord, ChainHead

# Records of one kind read per query.
CHUNK = 2000
# Below this many records one process is quicker than starting several.
PARALLEL_FROM = 20_000
# Spans per worker process: smaller spans share the work out more evenly.
SPANS_PER_WORKER = 4
# Worker processes unless told otherwise: one per CPU, up to this many (each holds a database connection).
DEFAULT_WORKERS = 4
# Decoded JSON kept per column, so text repeated from record to record (the guidance shown with each
# question) is decoded once; the first values seen are kept, up to this many.
DECODED_KEPT = 1000
_MISSING = object()


@dataclass
class Problem:
    sequence: int | None
    kind: str
    record_id: str
    reason: str

    def __str__(self):
        where = f"record {self.sequence}" if self.sequence is not None else "the chain head"
        return f"{where} ({self.kind} {self.record_id}): {self.reason}"


@dataclass
class Report:
    checked: int = 0
    head_sequence: int = 0
    head_hash: str = integrity.GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def chained_models(chain_id: int = RECORDS_CHAIN) -> list[type[ChainedRecord]]:
    return [model for model in apps.get_models() if issubclass(model, ChainedRecord) and model.chain_id == chain_id]


def _column(model: type[models.Model], name: str):
    """What to select for a field: the field, or the text of a uuid (PostgreSQL) or of JSON."""
    stored = model._meta.get_field(name)
    while stored.many_to_one or stored.one_to_one:
        stored = stored.target_field
    if isinstance(stored, models.JSONField):
        # The stored text, for decode_json (Django's own decoding would let floats through).
        return Cast(name, models.TextField())
    if isinstance(stored, models.UUIDField) and connection.features.has_native_uuid_field:
        # PostgreSQL writes a uuid as text exactly as it is hashed (lowercase, with hyphens): reading it as
        # text saves making a UUID object only to turn it back into that text, a fifth of the time spent on
        # the records chain.
        return Cast(name, models.TextField())
    return name


class _Reader:
    """Turns a model's selected columns back into the values its chain document is made of."""

    def __init__(self, model: type[models.Model], names: tuple[str, ...]):
        self.names = names
        self.columns = [_column(model, name) for name in names]
        self.json_names = [name for name in names if isinstance(model._meta.get_field(name), models.JSONField)]
        self.decoded = {name: {} for name in self.json_names}
        # No chained model has a float column; were one added, its floats are refused here, as integrity does.
        self.float_names = [name for name in names if isinstance(model._meta.get_field(name), models.FloatField)]

    def values(self, row) -> dict:
        values = dict(zip(self.names, row, strict=False))  # the row may have more columns after
        for name in self.json_names:
            text, decoded = values[name], self.decoded[name]
            value = decoded.get(text, _MISSING)
            if value is _MISSING:
                value = integrity.decode_json(text)
                if len(decoded) < DECODED_KEPT:
                    decoded[text] = value
            values[name] = value
        for name in self.float_names:
            if isinstance(values[name], float):
                raise integrity.NotCanonical("floats are not allowed in a hashed record")
        return values


class _Part:
    """Rows of another table hashed within each record (a decision's answers)."""

    def __init__(self, model: type[ChainedRecord], name: str):
        relation = model._meta.get_field(name)
        self.name = name
        self.model = relation.related_model
        self.foreign_key = relation.field.attname
        self.reader = _Reader(self.model, self.model.chain_fields)
        self.columns = [_column(self.model, self.foreign_key), *self.reader.columns]

    def rows_by_record(self, record_ids: list) -> dict:
        rows: dict = {}
        query = self.model.objects.filter(**{f"{self.foreign_key}__in": record_ids}).order_by()
        for row in query.values_list(*self.columns):
            rows.setdefault(row[0], []).append(row)
        return rows

    def values(self, rows: list[tuple]) -> list[dict]:
        return [self.reader.values(row[1:]) for row in rows]


class RecordReader:
    """How records of one model are read back, and their hashes recomputed, without model instances."""

    def __init__(self, model: type[ChainedRecord]):
        self.model = model
        self.name = str(model._meta.verbose_name)
        self.reads = model.chain_reads()
        self.reader = _Reader(model, self.reads)
        # The chain's own columns, and the id the report names, after the hashed ones (once each).
        extra = [
            name
            for name in ("chain_sequence", "previous_hash", "record_hash", model._meta.pk.attname)
            if name not in self.reads
        ]
        every = self.reads + tuple(extra)
        self.columns = self.reader.columns + [_column(model, name) for name in extra]
        self.sequence_at, self.previous_at, self.hash_at, self.id_at = (
            every.index(name) for name in ("chain_sequence", "previous_hash", "record_hash", model._meta.pk.attname)
        )
        self.parts = [_Part(model, name) for name in model.chain_parts]

    def rows(self, start: int | None, stop: int | None):
        """Each record in [start, stop) in chain order, as its row and the rows of its parts."""
        query = self.model.objects.order_by("chain_sequence").values_list(*self.columns)
        bounds = {}
        if start is not None:
            bounds["chain_sequence__gte"] = start
        if stop is not None:
            bounds["chain_sequence__lt"] = stop
        while True:
            rows = list(query.filter(**bounds)[:CHUNK])
            if not rows:
                return
            ids = [row[self.id_at] for row in rows]
            parts = [(part, part.rows_by_record(ids)) for part in self.parts]
            for row in rows:
                yield row, {part.name: part_rows.get(row[self.id_at], ()) for part, part_rows in parts}
            if len(rows) < CHUNK:
                return
            bounds.pop("chain_sequence__gte", None)
            bounds["chain_sequence__gt"] = rows[-1][self.sequence_at]

    def content(self, row: tuple, part_rows: dict) -> bytes:
        """The canonical bytes of the record's document, made from its row."""
        values = self.reader.values(row)
        parts = {part.name: part.values(part_rows[part.name]) for part in self.parts}
        return integrity.canonical_bytes_without_floats(self.model.chain_document_of(values, **parts))

    def records(self, start: int | None, stop: int | None):
        """(sequence, kind, id, previous hash, stored hash, recomputed hash) of each record in [start, stop).

        The recomputed hash is None when the stored content could never have
        been hashed (a float, text that is not JSON): it matches no hash.
        """
        for row, part_rows in self.rows(start, stop):
            try:
                recomputed = integrity.chain_hash(row[self.previous_at], self.content(row, part_rows))
            except (integrity.NotCanonical, UnicodeEncodeError):
                recomputed = None
            yield (
                row[self.sequence_at],
                self.name,
                row[self.id_at],
                row[self.previous_at],
                row[self.hash_at],
                recomputed,
            )


@dataclass
class Span:
    """One stretch of the chain walked on its own: records start to stop - 1, as far as they go."""

    start: int
    checked: int = 0
    problem: Problem | None = None
    # The first record found: sequence, kind, id, and the hash it links back to.
    first: tuple[int, str, str, str] | None = None
    next_sequence: int = 0
    last_hash: str | None = None


def _walk(chain_id: int, bounds: tuple[int, int | None, int]) -> Span:
    """Walk the records of one span in chain order: (expected first record, stop, lowest sequence read).

    The first record's link backwards is left to _join, which knows the span before.
    """
    start, stop, lowest = bounds
    span = Span(start=start, next_sequence=start)
    previous_hash = None
    streams = [RecordReader(model).records(lowest, stop) for model in chained_models(chain_id)]
    for sequence, kind, pk, linked_to, stored, recomputed in heapq.merge(*streams, key=lambda item: item[0]):
        span.checked += 1
        if span.first is None:
            span.first = (sequence, kind, str(pk), linked_to)
        if sequence != span.next_sequence:
            reason = (
                f"expected record {span.next_sequence} next, found {sequence}: a record is missing"
                if sequence > span.next_sequence
                else f"record {sequence} appears twice"
            )
            span.problem = Problem(sequence, kind, str(pk), reason)
            return span
        if previous_hash is not None and linked_to != previous_hash:
            span.problem = Problem(
                sequence, kind, str(pk), "its link to the previous record is broken (removed or inserted)"
            )
            return span
        if recomputed != stored:
            span.problem = Problem(sequence, kind, str(pk), "its content no longer matches its hash")
            return span
        previous_hash = stored
        span.next_sequence += 1
    span.last_hash = previous_hash
    return span


def _join(spans, report: Report) -> tuple[int, str]:
    """Put the spans' walks together as one walk of the whole chain; return where it ends."""
    expected, previous_hash = 1, integrity.GENESIS_HASH
    for span in spans:
        if span.first is None:
            continue
        sequence, kind, record_id, linked_to = span.first
        if expected != span.start:
            # A span before ended short, so this span's first record is not the one expected next.
            report.checked += 1
            report.problems.append(
                Problem(
                    sequence, kind, record_id, f"expected record {expected} next, found {sequence}: a record is missing"
                )
            )
            break
        if sequence == expected and linked_to != previous_hash:
            report.checked += 1
            report.problems.append(
                Problem(sequence, kind, record_id, "its link to the previous record is broken (removed or inserted)")
            )
            break
        report.checked += span.checked
        if span.problem:
            report.problems.append(span.problem)
            break
        expected, previous_hash = span.next_sequence, span.last_hash
    return expected - 1, previous_hash


def _sequence_range(chain_id: int) -> tuple[int, int]:
    lowest, highest = 1, 0
    for model in chained_models(chain_id):
        found = model.objects.aggregate(lowest=Min("chain_sequence"), highest=Max("chain_sequence"))
        if found["highest"] is not None:
            lowest, highest = min(lowest, found["lowest"]), max(highest, found["highest"])
    return lowest, highest


def _span_bounds(lowest: int, highest: int, count: int) -> list[tuple[int, int | None, int]]:
    """(expected first record, stop, lowest sequence read) for each span; the last reads to the end."""
    size = max(1, -(-highest // count))
    starts = list(range(1, highest + 1, size)) or [1]
    return [
        (start, starts[index + 1] if index + 1 < len(starts) else None, lowest if index == 0 else start)
        for index, start in enumerate(starts)
    ]


@contextmanager
def _snapshot():
    """On PostgreSQL, read everything (the head too) as of one moment, so records added meanwhile don't count."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield None
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        yield snapshot


def _walk_in_worker(chain_id: int, snapshot: str, bounds: tuple[int, int | None, int]) -> Span:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            return _walk(chain_id, bounds)
    finally:
        connections.close_all()


_inherited = []


def _forget_inherited_connections():
    # A worker forked while the parent had a connection open must never use
    # it, nor close it (closing would end the parent's session): keep it
    # referenced, unused, until the worker exits, and connect afresh.
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None:
            _inherited.append(wrapper.connection)
            wrapper.connection = None


def _workers(requested: int | None, highest: int) -> int:
    if requested is None:
        requested = min(os.process_cpu_count() or 1, DEFAULT_WORKERS)
    if (
        requested < 2
        or highest < PARALLEL_FROM
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    return requested


def verify_chain(chain_id: int = RECORDS_CHAIN, *, workers: int | None = None, spans: int | None = None) -> Report:
    """Recompute every hash in chain order.

    An edited byte changes a record's hash; a removed or inserted record
    breaks the sequence or the link to the previous hash; removing the
    newest records leaves the chain head pointing past the end.

    workers: processes to share the work (default: one per CPU, at most
    DEFAULT_WORKERS), used on PostgreSQL for chains of at least
    PARALLEL_FROM records. spans: how many
    stretches to cut the chain into (default: SPANS_PER_WORKER per worker,
    one for a single process); the report is the same whatever the cut.
    """
    report = Report()
    lowest, highest = _sequence_range(chain_id)
    workers = _workers(workers, highest)
    pool = None
    if workers > 1:
        # Fork before opening the snapshot's transaction, so no worker inherits an open connection.
        connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_forget_inherited_connections)
    with pool or nullcontext(), _snapshot() as snapshot:
        bounds = _span_bounds(lowest, highest, spans or (workers * SPANS_PER_WORKER if pool else 1))
        if pool is not None:
            walks = pool.imap(partial(_walk_in_worker, chain_id, snapshot), bounds)
        else:
            walks = (_walk(chain_id, span) for span in bounds)
        head_sequence, head_hash = _join(walks, report)
        if report.problems:
            return report
        head = ChainHead.objects.filter(pk=chain_id).first()
    report.head_sequence, report.head_hash = head_sequence, head_hash
    stored_sequence = head.sequence if head else 0
    stored_hash = head.head_hash if head else integrity.GENESIS_HASH
    if (stored_sequence, stored_hash) != (report.head_sequence, report.head_hash):
        report.problems.append(
            Problem(
                None,
                "chain head",
                str(chain_id),
                f"the head says {stored_sequence} records ending in {stored_hash[:12]}, but the chain has "
                f"{report.head_sequence} ending in {report.head_hash[:12]}: the newest records were removed or "
                "the head was altered",
            )
        )
    return report


def hash_at(sequence: int, chain_id: int = RECORDS_CHAIN) -> str | None:
    for model in chained_models(chain_id):
        found = model.objects.filter(chain_sequence=sequence).values_list("record_hash", flat=True).first()
        if found:
            return found
    return None

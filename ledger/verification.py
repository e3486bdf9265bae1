"""Verify the log: every record against its entry, every entry against the tree, the tree against
every signed and witnessed checkpoint, and every signed form against its recorded SHA-256.

What each part catches (ADR 13):

- a record changed in place: its content no longer hashes to its entry's
  ``content_sha256``;
- a record whose entry was rewritten to match, with the tree recomputed and
  its heads moved: the tree's root at the size of a signed, witnessed
  checkpoint differs, and the witness store's copy of the leaf hashes names
  the first entry that differs;
- a record removed: its entry has no record (unless its disposal is
  recorded, which is reported as such), or, with its entry and the tree rolled
  back, the log is shorter than a witnessed checkpoint;
- two entries swapped: the leaves differ from the witnessed ones at both
  positions;
- a forged checkpoint: its signature does not verify with the ledger's
  public key;
- a signed form replaced or removed: its bytes no longer hash to the SHA-256
  the consent record holds.

Rows are read as plain values (no model instances) and each record's
document is made by the model's own ``ledger_document_of``, the one
definition of what is hashed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from functools import partial

from django.apps import apps
from django.db import connection, connections, models, transaction
from django.db.models import F, Window
from django.db.models.functions import Cast, RowNumber

from ledger import canonical, history, merkle, note, witness
from ledger.models import Checkpoint, Disposal, Entry, Leaf, LedgerRecord, Pending

# Rows read per query.
CHUNK = 5000
# Decoded JSON kept per column, so text repeated from record to record (the guidance shown with each
# question) is decoded once; the first values seen are kept, up to this many.
DECODED_KEPT = 1000
_MISSING = object()
CONTENT_CHANGED = "the record's content no longer matches its entry in the log"
# A stored value that no record was ever hashed with: canonical encoding refuses it.
_UNHASHABLE = object()


@dataclass
class Problem:
    where: str
    reason: str

    def __str__(self):
        return f"{self.where}: {self.reason}"


@dataclass
class Report:
    size: int = 0
    root: str = merkle.EMPTY_ROOT.hex()
    entries: int = 0
    records: int = 0
    files: int = 0
    pending: int = 0
    disposed: int = 0
    checkpoints: int = 0
    witnessed: int = 0
    witnessed_size: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _entry_where(position: int | None, kind: str, record_id: str) -> str:
    place = f"log entry {position}" if position is not None else "a log entry not yet in the tree"
    return f"{place} ({kind} {record_id})"


# Reading records back ---------------------------------------------------------------------------------------


def _column(model: type[models.Model], name: str):
    """What to select for a field: the field, or the text of a uuid (PostgreSQL) or of JSON."""
    stored = model._meta.get_field(name)
    while stored.many_to_one or stored.one_to_one:
        stored = stored.target_field
    if isinstance(stored, models.JSONField):
        # The stored text, for decode_json (Django's own decoding would let floats through).
        return Cast(name, models.TextField())
    if isinstance(stored, models.UUIDField) and connection.features.has_native_uuid_field:
        # PostgreSQL writes a uuid as text exactly as it is hashed: reading it as text saves making a UUID.
        return Cast(name, models.TextField())
    return name


class _Values:
    """Turns a model's selected columns back into the values its document is made of."""

    def __init__(self, model: type[models.Model], names: tuple[str, ...]):
        self.names = names
        self.columns = [_column(model, name) for name in names]
        self.json_names = [name for name in names if isinstance(model._meta.get_field(name), models.JSONField)]
        self.decoded = {name: {} for name in self.json_names}
        self.float_names = [name for name in names if isinstance(model._meta.get_field(name), models.FloatField)]

    def values(self, row) -> dict:
        values = dict(zip(self.names, row, strict=False))  # the row may have more columns after
        for name in self.json_names:
            text, decoded = values[name], self.decoded[name]
            value = decoded.get(text, _MISSING)
            if value is _MISSING:
                try:
                    value = canonical.decode_json(text)
                except canonical.NotCanonical:
                    # Never hashed so (a float): hashing it fails, and the record it is part of is named.
                    value = _UNHASHABLE
                if len(decoded) < DECODED_KEPT:
                    decoded[text] = value
            values[name] = value
        for name in self.float_names:
            if isinstance(values[name], float):
                values[name] = _UNHASHABLE
        return values


class _Part:
    """Rows of another table hashed within each record (a decision's answers)."""

    def __init__(self, model: type[LedgerRecord], name: str):
        relation = model._meta.get_field(name)
        self.name = name
        self.model = relation.related_model
        self.foreign_key = relation.field.attname
        self.reader = _Values(self.model, self.model.ledger_fields)
        self.columns = [_column(self.model, self.foreign_key), *self.reader.columns]

    def rows_by_record(self, record_ids: list) -> dict:
        rows: dict = {}
        query = self.model.objects.filter(**{f"{self.foreign_key}__in": record_ids}).order_by()
        for row in query.values_list(*self.columns):
            rows.setdefault(row[0], []).append(self.reader.values(row[1:]))
        return rows


class RecordReader:
    """How records of one kind are read back and their content hashed, without model instances."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        if issubclass(model, LedgerRecord):
            self.kind = model.ledger_kind
            reads = model.ledger_reads()
            self.document_of = model.ledger_document_of
            self.parts = [_Part(model, name) for name in model.ledger_parts]
            self.files = [(name, reads.index(sha)) for name, sha in model.ledger_files]
        else:
            self.kind = history.kind_of(model)
            reads = history.fields_of(model)
            self.document_of = lambda values: history.document_of(model, values)
            self.parts, self.files = [], []
        self.name = str(model._meta.verbose_name)
        self.values = _Values(model, reads)
        self.columns = list(self.values.columns)
        self.file_at = {}
        for name, _ in self.files:
            self.file_at[name] = len(self.columns)
            self.columns.append(name)

    def rows(self, after=None, until=None) -> Iterator[list[tuple]]:
        """Chunks of rows in primary key order; with bounds, those after `after` up to `until`."""
        query = self.model.objects.order_by("pk").values_list(*self.columns)
        if until is not None:
            query = query.filter(pk__lte=until)
        last = after
        while True:
            rows = list((query.filter(pk__gt=last) if last is not None else query)[:CHUNK])
            if not rows:
                return
            yield rows
            if len(rows) < CHUNK:
                return
            last = rows[-1][0]

    def content(self, row: tuple, parts: dict) -> bytes:
        values = self.values.values(row)
        return canonical.canonical_bytes_without_floats(self.document_of(values, **parts))


def ledger_models() -> list[type[models.Model]]:
    """Every kind of record whose content is in the log."""
    records = [model for model in apps.get_models() if issubclass(model, LedgerRecord) and model.ledger_kind]
    return records + history.historical_models()


# The parts of the check -----------------------------------------------------------------------------------------


@dataclass
class _Stretch:
    """What checking one stretch of one kind's records found."""

    label: str
    records: int = 0
    files: int = 0
    problem: Problem | None = None
    position: int | None = None


def _problem_order(problem: Problem, position: int | None) -> tuple:
    # The first problem is the one at the lowest position, whichever stretch or order it was found in.
    return (position is None, position or 0, problem.where)


def _keep_first(found: _Stretch, problem: Problem, position: int | None = None) -> None:
    if found.problem is None or _problem_order(problem, position) < _problem_order(found.problem, found.position):
        found.problem, found.position = problem, position


def _check_stretch(label: str, after, until) -> _Stretch:
    """Each record with a primary key in (after, until] against its entry, and its files.

    The whole stretch is checked, so that the problem kept (the lowest position) does not depend on where
    the records were cut into stretches.
    """
    reader = RecordReader(apps.get_model(label))
    kind, found = reader.kind, _Stretch(label)
    for rows in reader.rows(after, until):
        ids = [str(row[0]) for row in rows]
        entries = dict(Entry.objects.filter(kind=kind, record_id__in=ids).values_list("record_id", "content_sha256"))
        parts = [(part, part.rows_by_record([row[0] for row in rows])) for part in reader.parts]
        changed = []
        for row, record_id in zip(rows, ids, strict=True):
            found.records += 1
            expected = entries.get(record_id)
            if expected is None:
                _keep_first(found, Problem(f"{reader.name} {record_id}", "it is not in the log"))
                continue
            try:
                content = reader.content(row, {part.name: rows_of.get(row[0], []) for part, rows_of in parts})
                actual = hashlib.sha256(content).hexdigest()
            except (canonical.NotCanonical, UnicodeEncodeError):
                actual = None
            if actual != expected:
                changed.append(record_id)
                continue
            for name, sha_at in reader.files:
                problem = _check_file(reader.model, name, row[reader.file_at[name]], row[sha_at])
                if problem:
                    _keep_first(found, Problem(f"{reader.name} {record_id}", problem))
                    break
                found.files += bool(row[sha_at])
        if changed:
            positions = dict(
                Leaf.objects.filter(entry__kind=kind, entry__record_id__in=changed).values_list(
                    "entry__record_id", "position"
                )
            )
            for record_id in changed:
                position = positions.get(record_id)
                where = _entry_where(position, kind, record_id)
                _keep_first(found, Problem(where, CONTENT_CHANGED), position)
    return found


def _stretches(model: type[models.Model], size: int) -> list[tuple[str, object, object]]:
    """(model, after, until) covering every record of a kind, about `size` records each."""
    label = model._meta.label
    if model.objects.count() <= size:
        return [(label, None, None)]
    # Every size-th primary key, in one pass over the index.
    cuts = list(
        model.objects.annotate(number=Window(RowNumber(), order_by="pk"))
        .annotate(remainder=F("number") % size)
        .filter(remainder=0)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    edges = [None, *cuts, None]
    return [(label, edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def _records_of_each_kind(report: Report, stretches) -> None:
    """Gather the stretches' findings; then, for each kind, entries whose record is gone."""
    seen: dict[str, int] = {}
    problems = []
    for found in stretches:
        report.records += found.records
        report.files += found.files
        seen[found.label] = seen.get(found.label, 0) + found.records
        if found.problem:
            problems.append(found)
    if problems:
        # The same first problem whatever order the stretches finished in: the lowest position.
        problems.sort(key=lambda found: _problem_order(found.problem, found.position))
        report.problems.append(problems[0].problem)
        return
    for model in ledger_models():
        reader = RecordReader(model)
        entered = Entry.objects.filter(kind=reader.kind).count()
        disposed = Disposal.objects.filter(entry__kind=reader.kind).count()
        report.disposed += disposed
        if entered != seen.get(model._meta.label, 0) + disposed:
            _name_removed(report, reader)
            if report.problems:
                return


def _name_removed(report: Report, reader: RecordReader) -> None:
    disposed = set(Disposal.objects.filter(entry__kind=reader.kind).values_list("entry_id", flat=True))
    query = Entry.objects.filter(kind=reader.kind).order_by("pk").values_list("pk", "record_id")
    last = 0
    while chunk := list(query.filter(pk__gt=last)[:CHUNK]):
        present = {
            str(pk) for pk in reader.model.objects.filter(pk__in=[rid for _, rid in chunk]).values_list("pk", flat=True)
        }
        for entry_id, record_id in chunk:
            if record_id not in present and entry_id not in disposed:
                report.problems.append(
                    Problem(
                        _entry_where(_position(reader.kind, record_id), reader.kind, record_id),
                        f"the {reader.name} has been removed (its content is gone and no disposal is recorded)",
                    )
                )
                return
        last = chunk[-1][0]


def _check_file(model, name: str, stored_name: str, sha256: str) -> str:
    if not sha256:
        return "" if not stored_name else "a file is attached but no SHA-256 was recorded for it"
    storage = model._meta.get_field(name).storage
    if not stored_name or not storage.exists(stored_name):
        return "its signed form is missing"
    digest = hashlib.sha256()
    with storage.open(stored_name, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        return "its signed form has been changed or replaced (the file no longer matches its recorded SHA-256)"
    return ""


def _position(kind: str, record_id: str) -> int | None:
    return Leaf.objects.filter(entry__kind=kind, entry__record_id=record_id).values_list("position", flat=True).first()


# Kinds, ids and hashes that JSON writes as they are (no quote, backslash or control character to escape).
_PLAIN = re.compile(r"[0-9A-Za-z_.:-]*").fullmatch


def _entry_bytes_fast(kind: str, record_id: str, content_sha256: str, appended_at) -> bytes:
    # canonical.canonical_bytes of models.entry_text's document, made faster (verification reads millions):
    # the keys in their sorted order, and the timestamp formatted as canonical_bytes formats it.
    if _PLAIN(kind) and _PLAIN(record_id) and _PLAIN(content_sha256):
        return (
            f'{{"appended_at":"{canonical._canonical_scalar(appended_at)}","content_sha256":"{content_sha256}",'
            f'"id":"{record_id}","kind":"{kind}","v":1}}'
        ).encode()
    return canonical.canonical_bytes_without_floats(
        {
            "appended_at": canonical._canonical_scalar(appended_at.astimezone(UTC)),
            "content_sha256": content_sha256,
            "id": record_id,
            "kind": kind,
            "v": 1,
        }
    )


class _Witnessed:
    """The witnessed leaf hashes, position by position, from the witness lines in order."""

    def __init__(self, lines: list[witness.Witnessed]):
        self.lines = sorted((line for line in lines if line.leaves), key=lambda line: line.first)
        self.index = 0

    def at(self, position: int) -> tuple[bytes, witness.Witnessed] | None:
        while self.index < len(self.lines):
            line = self.lines[self.index]
            end = line.first + len(line.leaves) // 32
            if position < line.first:
                return None
            if position < end:
                offset = (position - line.first) * 32
                return line.leaves[offset : offset + 32], line
            self.index += 1
        return None


def _check_tree(report: Report, checkpoints: dict[int, list[tuple[str, str]]], witnessed: _Witnessed) -> None:
    """Walk the leaves in position order: recompute each, compare with the witness, and the roots at checkpoints."""
    frontier = merkle.Frontier()
    sha256, prefix = hashlib.sha256, b"\x00"
    query = Leaf.objects.order_by("position").values_list(
        "position", "entry__kind", "entry__record_id", "entry__content_sha256", "entry__appended_at", "entry__leaf_hash"
    )
    last = -1
    while chunk := list(query.filter(position__gt=last)[:CHUNK]):
        for position, kind, record_id, content_sha256, appended_at, stored_leaf in chunk:
            if position != frontier.size:
                report.problems.append(
                    Problem(
                        _entry_where(position, kind, record_id),
                        f"expected position {frontier.size} next: the log has a gap (an entry was removed)",
                    )
                )
                return
            leaf = sha256(prefix + _entry_bytes_fast(kind, record_id, content_sha256, appended_at)).digest()
            if leaf.hex() != stored_leaf:
                report.problems.append(
                    Problem(_entry_where(position, kind, record_id), "the entry no longer matches its leaf hash")
                )
                return
            seen = witnessed.at(position)
            if seen is not None and seen[0] != leaf:
                line = seen[1]
                report.problems.append(
                    Problem(
                        _entry_where(position, kind, record_id),
                        f"differs from the entry witnessed at this position (signed {line.signed_at}, "
                        f"{line.file} line {line.line}): it was changed, removed or moved",
                    )
                )
                return
            frontier.append(leaf)
            if frontier.size in checkpoints:
                root = frontier.root().hex()
                for root_signed, where in checkpoints[frontier.size]:
                    if root != root_signed:
                        report.problems.append(
                            Problem(
                                where,
                                f"the log's first {frontier.size} entries no longer have the root that was signed: "
                                "an entry at or before position "
                                f"{frontier.size - 1} was changed, removed or reordered",
                            )
                        )
                        return
        report.entries += len(chunk)
        last = chunk[-1][0]
    report.size, report.root = frontier.size, frontier.root().hex()


def _signed_checkpoints(
    report: Report, verifier: str | None, origin: str, lines: list[witness.Witnessed]
) -> dict[int, list[tuple[str, str]]]:
    """{size: [(root hex, where it is kept)]} of every checkpoint in the database and the witness store,
    each of whose signature verified; a checkpoint that does not verify is a problem."""
    found: dict[int, list[tuple[str, str]]] = {}
    if verifier is None:
        report.notes.append("No public key to check checkpoints against: signatures were not checked.")
        return found
    sources = [
        (text, f"checkpoint signed {signed_at:%Y-%m-%d %H:%M:%S} (in the database)", False)
        for text, signed_at in Checkpoint.objects.order_by("size").values_list("note", "signed_at")
    ]
    for line in lines:
        if line.error:
            report.problems.append(Problem(f"witness store {line.file} line {line.line}", f"unreadable: {line.error}"))
            return found
        where = f"checkpoint witnessed in {line.file} line {line.line}" if line.line else f"checkpoint in {line.file}"
        sources.append((line.note, where, True))
    for text, where, witnessed in sources:
        try:
            checkpoint = note.open_checkpoint(text, verifier, origin=origin)
        except note.NoteError as error:
            report.problems.append(Problem(where, f"not a genuine checkpoint of this log: {error}"))
            return found
        found.setdefault(checkpoint.size, []).append((checkpoint.root.hex(), where))
        if witnessed:
            report.witnessed += 1
            report.witnessed_size = max(report.witnessed_size, checkpoint.size)
        else:
            report.checkpoints += 1
    return found


def _check_unsequenced(report: Report) -> None:
    report.pending = Pending.objects.count()
    lost = (
        Entry.objects.filter(leaf__isnull=True)
        .exclude(pk__in=Pending.objects.values("entry_id"))
        .values_list("kind", "record_id")
        .first()
    )
    if lost:
        report.problems.append(
            Problem(_entry_where(None, *lost), "the entry is neither in the tree nor waiting to be placed in it")
        )


def verify(
    *, verifier: str | None, origin: str, also: tuple[tuple[str, str], ...] = (), workers: int | None = None
) -> Report:
    """Check everything; the report's first problem names the first thing that disagrees.

    also: more signed checkpoints to hold the log to, as (note, where it came from), such as one kept
    by an auditor or fetched from /ledger/checkpoint before a backup was taken.
    workers: processes checking records against their entries while this one walks the tree (PostgreSQL,
    all reading one snapshot; default one per CPU, at most DEFAULT_WORKERS; 0 for none).
    """
    report = Report()
    # The witness store first: every checkpoint in it was committed to the database before it was witnessed,
    # so the snapshot taken after holds every tree it covers.
    lines = list(witness.read())
    lines += [
        witness.Witnessed(note=text, signed_at="", first=0, leaves=b"", file=where, line=0) for text, where in also
    ]
    pool = _pool(workers)
    try:
        with _snapshot() as snapshot:
            checkpoints = _signed_checkpoints(report, verifier, origin, lines)
            if report.problems:
                return report
            jobs = [stretch for model in ledger_models() for stretch in _stretches(model, STRETCH)]
            if pool is not None and snapshot is not None:
                stretches = pool.imap_unordered(partial(_check_in_worker, snapshot), jobs)
            else:
                stretches = None
            _check_tree(report, checkpoints, _Witnessed(lines))
            if stretches is None:
                stretches = (_check_stretch(*job) for job in jobs)
            if report.problems:
                return report
            if report.witnessed_size > report.size:
                report.problems.append(
                    Problem(
                        f"log entry {report.size}",
                        f"the log has {report.size} entries but {report.witnessed_size} were witnessed: "
                        f"entries from position {report.size} on have been removed (or an older backup restored)",
                    )
                )
                return report
            for size in checkpoints:
                if size > report.size:
                    report.problems.append(
                        Problem(checkpoints[size][0][1], f"it covers {size} entries but the log has {report.size}")
                    )
                    return report
            _check_unsequenced(report)
            if report.problems:
                return report
            _records_of_each_kind(report, stretches)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    if not witness.directory():
        report.notes.append(
            "No witness store (LEDGER_WITNESS_DIR): a rewrite with every hash recomputed would not be found."
        )
    return report


# Checking records in worker processes ---------------------------------------------------------------------------

# Records per stretch handed to a worker.
STRETCH = 50_000
# Below this many entries one process is quicker than starting others.
PARALLEL_FROM = 100_000
DEFAULT_WORKERS = 4
_inherited = []


def _pool(requested: int | None):
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    if requested is None:
        requested = min(os.process_cpu_count() or 1, DEFAULT_WORKERS)
    if requested < 1 or Entry.objects.count() < PARALLEL_FROM:
        return None
    # Fork before the snapshot's transaction opens, so no worker inherits an open connection.
    connections.close_all()
    return multiprocessing.get_context("fork").Pool(requested, initializer=_forget_inherited_connections)


def _forget_inherited_connections():
    # A worker forked while the parent had a connection open must never use it, nor close it (closing would
    # end the parent's session): keep it referenced, unused, until the worker exits, and connect afresh.
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None:
            _inherited.append(wrapper.connection)
            wrapper.connection = None


def _check_in_worker(snapshot: str, job: tuple) -> _Stretch:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            return _check_stretch(*job)
    finally:
        connections.close_all()


class _snapshot:
    """On PostgreSQL, read everything as of one moment (shared with the workers), so entries added meanwhile
    don't count."""

    def __enter__(self):
        self.atomic = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                return cursor.fetchone()[0]
        return None

    def __exit__(self, *exc):
        if self.atomic is not None:
            return self.atomic.__exit__(*exc)
        return False

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
from itertools import chain, islice

import orjson
from django.apps import apps
from django.db import connection, connections, models, transaction
from django.db.models import Count, F, Func, OuterRef, Q, Subquery, Window
from django.db.models.functions import Cast, RowNumber
from django.db.models.sql.constants import CURSOR

from ledger import canonical, history, in_database, merkle, note, witness
from ledger.canonical import StoredText
from ledger.fields import CanonicalJSONField, stored_field
from ledger.models import Checkpoint, Disposal, Entry, Leaf, LedgerRecord, Pending

# Rows read per query, or per fetch from a server-side cursor.
CHUNK = 5000
# Rows of a record's parts (a decision's answers, some 1.5 KB each) per fetch.
PART_CHUNK = 2000
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
class DisposedEntry:
    """An entry whose content was disposed of: where it is, and when, under which rule and by whom."""

    where: str
    disposed_at: object
    rule: str
    disposed_by: str

    def __str__(self):
        at = self.disposed_at.astimezone(UTC)
        return f"{self.where}: disposed of {at:%Y-%m-%d %H:%M:%S} UTC under {self.rule!r} by {self.disposed_by}"


# Disposed entries a report names (in position order); it counts them all.
DISPOSALS_NAMED = 1000


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
    disposals: list[DisposedEntry] = field(default_factory=list)

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
    stored = stored_field(model._meta.get_field(name))
    if isinstance(stored, models.JSONField):
        # The stored text, for decode_json (Django's own decoding would let floats through).
        return Cast(name, models.TextField())
    if isinstance(stored, CanonicalJSONField):
        # The stored text itself, hashed as it is (the field's own reading would parse it).
        return Cast(name, models.TextField())
    if isinstance(stored, models.UUIDField) and connection.features.has_native_uuid_field:
        # PostgreSQL writes a uuid as text exactly as it is hashed: reading it as text saves making a UUID.
        return Cast(name, models.TextField())
    return name


def _chunks(query: models.QuerySet, size: int) -> Iterator[list[tuple]]:
    """The rows of a ``values_list`` query, ``size`` at a time, in one pass (a server-side cursor on
    PostgreSQL), as the database's cursor gives them.

    The ORM's own iterator hands each row through several layers of generators, a third of the time of
    reading a row here, of the millions verification reads. None of verification's values needs the ORM's
    converting on PostgreSQL; a query whose values do (on SQLite: uuids, booleans, times) is read by the ORM.
    """
    compiler = query.query.get_compiler(query.db)
    compiler.setup_query()
    if compiler.get_converters([selected[0] for selected in compiler.select[: compiler.col_count]]):
        rows = query.iterator(chunk_size=size)
        while chunk := list(islice(rows, size)):
            yield chunk
        return
    cursor = compiler.execute_sql(CURSOR, chunked_fetch=True, chunk_size=size)
    try:
        while chunk := cursor.fetchmany(size):
            yield chunk
    finally:
        cursor.close()


class _CanonicalTime(Func):
    """A timestamp as canonical_bytes writes it, made by PostgreSQL: reading it into a datetime and writing it
    out again costs Python more than the rest of a log entry. to_char gives canonical_bytes' text for every
    year a datetime can hold (FMYYYY: no zeros before a year under 1000, as strftime writes it); any other
    time, which Python cannot read at all, is given as PostgreSQL writes it, and matches nothing hashed.
    Elsewhere, the datetime itself."""

    output_field = models.DateTimeField()

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return in_database.canonical_time(sql), params * 4  # the column named four times

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


def _column_in_one_pass(model: type[models.Model], name: str):
    """What the one-pass check selects for a field: dates and times as the text they are hashed as."""
    stored = model._meta.get_field(name)
    if connection.vendor == "postgresql":
        if isinstance(stored, models.DateTimeField):
            return _CanonicalTime(name)
        if isinstance(stored, models.DateField):
            # The ISO 8601 date (PostgreSQL's DateStyle is ISO for Django): date.isoformat's text.
            return Cast(name, models.TextField())
    return _column(model, name)


class _Values:
    """Turns a model's selected columns back into the values its document is made of."""

    def __init__(self, model: type[models.Model], names: tuple[str, ...]):
        self.names = names
        self.columns = [_column(model, name) for name in names]
        self.json_names = [name for name in names if isinstance(model._meta.get_field(name), models.JSONField)]
        self.decoded = {name: {} for name in self.json_names}
        self.stored_text_names = [name for name in names if isinstance(model._meta.get_field(name), CanonicalJSONField)]
        self.float_names = [name for name in names if isinstance(model._meta.get_field(name), models.FloatField)]

    def values(self, row, stored_text=StoredText) -> dict:
        """The values a row's document is made of; each stored canonical text wrapped in ``stored_text`` (the
        one pass gives orjson's fragments, which orjson writes as they are without calling back into Python)."""
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
        for name in self.stored_text_names:
            if values[name] is not None:
                values[name] = stored_text(values[name])
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
        self.one_pass_columns = [
            _column(self.model, self.foreign_key),
            *(_column_in_one_pass(self.model, name) for name in self.model.ledger_fields),
        ]

    def rows_by_record(self, record_ids: list) -> dict:
        rows: dict = {}
        query = self.model.objects.filter(**{f"{self.foreign_key}__in": record_ids}).order_by()
        for row in query.values_list(*self.columns):
            rows.setdefault(row[0], []).append(self.reader.values(row[1:]))
        return rows

    def stream(self, after, until) -> Iterator[tuple]:
        """The rows of the records with a primary key in (after, until], grouped by record in the records' order
        (one pass over the index on the foreign key, instead of a list of keys per chunk)."""
        query = self.model.objects.order_by(self.foreign_key)
        if after is not None:
            query = query.filter(**{f"{self.foreign_key}__gt": after})
        if until is not None:
            query = query.filter(**{f"{self.foreign_key}__lte": until})
        return chain.from_iterable(_chunks(query.values_list(*self.one_pass_columns), PART_CHUNK))


class _RecordId(Func):
    """A record's primary key as its log entry names it: ``str(pk)``, so that the entry is found by its index."""

    output_field = models.CharField()

    def __init__(self, expression, *, model: type[models.Model]):
        super().__init__(expression)
        self.uuid = isinstance(model._meta.pk, models.UUIDField)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({sql})::text", params
        if self.uuid and not connection.features.has_native_uuid_field:
            # Kept as 32 hex digits: written out with its dashes, as str(uuid) writes it.
            cuts = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
            return " || '-' || ".join(f"substr({sql}, {start}, {length})" for start, length in cuts), params * 5
        return f"CAST({sql} AS TEXT)", params


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
        self.one_pass_columns = [_column_in_one_pass(model, name) for name in reads]
        self.file_at = {}
        for name, _ in self.files:
            self.file_at[name] = len(self.columns)
            self.columns.append(name)
            self.one_pass_columns.append(name)

    def with_entries(self, after=None, until=None) -> Iterator[tuple]:
        """Rows in primary key order, each ending with its entry's content SHA-256 (None if it has no entry),
        read in one pass (a server-side cursor on PostgreSQL)."""
        query = self.model.objects.order_by("pk")
        if after is not None:
            query = query.filter(pk__gt=after)
        if until is not None:
            query = query.filter(pk__lte=until)
        entry = Entry.objects.filter(kind=self.kind, record_id=_RecordId(OuterRef("pk"), model=self.model))
        # At most one entry a record (a unique constraint): LIMIT 1 without an ORDER BY, which would sort per row.
        content = Subquery(entry.order_by().values("content_sha256")[:1])
        return chain.from_iterable(_chunks(query.values_list(*self.one_pass_columns, content), CHUNK))

    def contents_in_one_pass(self, after=None, until=None) -> Iterator[tuple[tuple, bytes | None]]:
        """Each record with a primary key in (after, until], in order: its row (ending with its entry's content
        SHA-256) and its canonical content, None if it has none (a float, a lone surrogate, or rows of its
        parts out of the records' order: then its content differs from its entry, and a row-by-row check
        names it). The rows of its parts come from one ordered stream beside the records' own."""
        streams = [(part, part.stream(after, until)) for part in self.parts]
        heads = [next(stream, None) for _, stream in streams]
        for row in self.with_entries(after, until):
            record_id, parts = row[0], {}
            for index, (part, stream) in enumerate(streams):
                rows, head = [], heads[index]
                # Equal keys only: a row of a record not in this stretch (there should be none) stops the
                # stream here, and every record after it has a content that differs from its entry.
                while head is not None and head[0] == record_id:
                    rows.append(part.reader.values(head[1:], orjson.Fragment))
                    head = next(stream, None)
                heads[index] = head
                parts[part.name] = rows
            try:
                yield (
                    row,
                    canonical.canonical_bytes_with_fragments(
                        self.document_of(self.values.values(row, orjson.Fragment), **parts)
                    ),
                )
            except (canonical.NotCanonical, UnicodeEncodeError):
                yield row, None
        if any(head is not None for head in heads):
            # Rows of parts left over: of no record here. The row-by-row check reads only those of its records.
            yield (None,), None

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
        return canonical.canonical_bytes_with_stored_text(self.document_of(values, **parts))


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

    Made and hashed by the database where it can (``in_database``), or else read in one pass; if anything at
    all disagrees, the stretch is checked again record by record
    (``_check_stretch_exactly``), which names the problem.
    """
    model = apps.get_model(label)
    document = in_database.DatabaseDocument(model)
    found = None
    if document.content is not None:
        records = document.check(after, until)
        files = _files_of_stretch(model, after, until) if records is not None else None
        found = _Stretch(label, records=records, files=files) if files is not None else None
    if found is None:
        found = _check_stretch_in_one_pass(label, after, until)
    return found if found is not None else _check_stretch_exactly(label, after, until)


def _files_of_stretch(model: type[models.Model], after, until) -> int | None:
    """The files of the records with a primary key in (after, until], each against its recorded SHA-256: how
    many there are, or None if any disagrees (or is recorded without its file, or attached without one). Only
    the records with a file or a SHA-256 are read."""
    files = 0
    query = model.objects.order_by()
    if after is not None:
        query = query.filter(pk__gt=after)
    if until is not None:
        query = query.filter(pk__lte=until)
    for name, sha in getattr(model, "ledger_files", ()):
        attached = query.exclude(Q(**{name: ""}) & Q(**{sha: ""})).values_list(name, sha)
        for stored_name, sha256 in attached.iterator(chunk_size=CHUNK):
            if _check_file(model, name, stored_name, sha256):
                return None
            files += bool(sha256)
    return files


def _check_stretch_in_one_pass(label: str, after, until) -> _Stretch | None:
    """What ``_check_stretch_exactly`` finds when everything agrees, or None when anything does not.

    Each record's row comes with its entry's content SHA-256, and the rows of its parts (a decision's
    answers) from one ordered stream beside it, so no query names a list of records. The same document
    and the same bytes as ``_check_stretch_exactly`` makes: only the reading differs (on PostgreSQL, dates
    and times are read as the text they are hashed as).
    """
    reader = RecordReader(apps.get_model(label))
    found = _Stretch(label)
    sha256 = hashlib.sha256
    for row, content in reader.contents_in_one_pass(after, until):
        expected = row[-1]
        if expected is None or content is None or sha256(content).hexdigest() != expected:
            return None
        for name, sha_at in reader.files:
            if _check_file(reader.model, name, row[reader.file_at[name]], row[sha_at]):
                return None
            found.files += bool(row[sha_at])
        found.records += 1
    return found


def _check_stretch_exactly(label: str, after, until) -> _Stretch:
    """Each record with a primary key in (after, until] against its entry, naming any problem.

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


def _jobs() -> list[tuple[str, object, object]]:
    """Every stretch of every kind, the largest first: the workers share the cores, and a large stretch
    started last would keep one of them busy alone at the end. A stretch's size is the bytes of its kind's
    tables (its parts' among them: what the database reads and hashes) shared among its stretches; on SQLite,
    its kind's records."""
    kinds = ledger_models()
    tables = {model: [model._meta.db_table] for model in kinds}
    for model in kinds:
        tables[model] += [model._meta.get_field(name).related_model._meta.db_table for name in _parts_of(model)]
    table_bytes = _table_bytes([table for names in tables.values() for table in names])
    sized = []
    for model in kinds:
        count = model.objects.count()
        stretches = _stretches(model, STRETCH, count)
        size = sum(table_bytes[table] for table in tables[model]) if table_bytes else count
        sized += [(size / len(stretches), stretch) for stretch in stretches]
    return [stretch for _, stretch in sorted(sized, key=lambda job: -job[0])]


def _table_bytes(tables: list[str]) -> dict[str, int]:
    """{table: its bytes, with what is kept out of line} on PostgreSQL, in one query; empty elsewhere."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, pg_table_size(name::regclass) FROM unnest(%s::text[]) AS name", [tables])
        return dict(cursor.fetchall())


def _parts_of(model: type[models.Model]) -> tuple[str, ...]:
    return model.ledger_parts if issubclass(model, LedgerRecord) else ()


def _stretches(model: type[models.Model], size: int, count: int) -> list[tuple[str, object, object]]:
    """(model, after, until) covering every record of a kind (``count`` of them), about `size` records each;
    a kind the database makes is one query (``in_database.DatabaseDocument.check``), up to
    ``in_database.WHOLE_KIND_MOST`` records. (Decisions cut into stretches of 50,000 took twice as long:
    each stretch reads its records by their uuids, all over the table.)"""
    label = model._meta.label
    made_in_database = in_database.DatabaseDocument(model).content is not None
    if count <= size or (made_in_database and count <= in_database.WHOLE_KIND_MOST):
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


def _records_of_each_kind(report: Report, stretches, entries: dict[str, int]) -> None:
    """Gather the stretches' findings; then, for each kind, entries whose record is gone (``entries``: how
    many entries each kind has)."""
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
    disposals = dict(Disposal.objects.order_by().values_list("entry__kind").annotate(count=Count("pk")))
    for model in ledger_models():
        reader = RecordReader(model)
        disposed = disposals.get(reader.kind, 0)
        report.disposed += disposed
        if entries.get(reader.kind, 0) != seen.get(model._meta.label, 0) + disposed:
            _name_removed(report, reader)
            if report.problems:
                return
    if report.disposed:
        _name_disposed(report)


def _name_disposed(report: Report) -> None:
    """The disposed entries, reported as such: when, under which rule and by whom (the first DISPOSALS_NAMED)."""
    rows = Disposal.objects.order_by("entry__leaf__position", "entry_id").values_list(
        "entry__leaf__position", "entry__kind", "entry__record_id", "disposed_at", "rule", "disposed_by"
    )[:DISPOSALS_NAMED]
    report.disposals = [
        DisposedEntry(_entry_where(position, kind, record_id), disposed_at, rule, disposed_by)
        for position, kind, record_id, disposed_at, rule, disposed_by in rows
    ]


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
    field = model._meta.get_field(name)
    storage, what = field.storage, field.verbose_name  # "signed form", "PDF"
    if not stored_name or not storage.exists(stored_name):
        return f"its {what} is missing"
    digest = hashlib.sha256()
    with storage.open(stored_name, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        return f"its {what} has been changed or replaced (the file no longer matches its recorded SHA-256)"
    return ""


def _position(kind: str, record_id: str) -> int | None:
    return Leaf.objects.filter(entry__kind=kind, entry__record_id=record_id).values_list("position", flat=True).first()


# Kinds, ids and hashes that JSON writes as they are: printable ASCII with no quote or backslash to escape.
_PLAIN = re.compile(r"[ !#-\[\]-~]*").fullmatch


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


# Leaves read per fetch by the one-pass walk.
TREE_CHUNK = 10_000


def _tree_in_one_pass(
    checkpoints: dict[int, list[tuple[str, str]]], lines: list[witness.Witnessed]
) -> tuple[int, str] | None:
    """The tree's size and root if every check ``_check_tree`` makes passes, or None if any does not.

    The same checks, in bulk: each leaf recomputed from its entry's bytes (made as ``_entry_bytes_fast``
    makes them) and compared with the stored leaf hash; positions from 0 without a gap; every witnessed
    leaf hash (of every witness line covering a position) compared with the recomputed one; and the root
    at the size of every signed checkpoint, from the tree's complete subtrees computed level by level.

    On PostgreSQL the database makes and compares the leaf hashes (``in_database.leaf_runs``), and only
    they come back, a range of entries in one value; elsewhere they are made here (``_leaf_runs_read``).
    The leaves are read in their entries' order, not their positions': the database then joins the two
    tables by walking both primary keys side by side, instead of hashing one and sorting the result on
    disk (half the database's time of this pass at full size). Entries are placed in the order they were
    written, give or take the few written by transactions that committed out of order, so each range is
    almost always one run of consecutive positions; each leaf is put at its position, and a position
    filled twice or left empty fails the pass, as does one past the number of leaves, or two leaves of one
    entry (so that the leaves name as many entries as there are leaves: ``_check_unsequenced``).
    """
    leaves: list[bytes | None] = [None] * Leaf.objects.count()
    runs = in_database.leaf_runs() if connection.vendor == "postgresql" else _leaf_runs_read()
    for found in runs:
        if found is None:
            return None
        for start, run in found:
            end = start + len(run)
            if start < 0 or end > len(leaves):
                return None
            if leaves[start:end].count(None) != len(run):  # a position given twice
                return None
            leaves[start:end] = run
    if None in leaves:  # a position no leaf has: a gap
        return None
    size = len(leaves)
    for line in lines:
        end = min(line.first + len(line.leaves) // 32, size)
        if line.first < end and b"".join(leaves[line.first : end]) != line.leaves[: (end - line.first) * 32]:
            return None
    levels = merkle.subtree_levels(leaves)
    for checkpoint_size, signed in checkpoints.items():
        if 0 < checkpoint_size <= size:
            root = merkle.root_at(levels, checkpoint_size).hex()
            if any(root != root_signed for root_signed, _ in signed):
                return None
    return size, merkle.root_at(levels, size).hex()


def _leaf_runs_read() -> Iterator[list[tuple[int, list[bytes]]] | None]:
    """``in_database.leaf_runs``, made in Python from the entries read (SQLite): runs of (first position, leaf
    hashes), a chunk of entries at a time; None, and no more, when a leaf hash differs from the one stored, or
    an entry has two leaves."""
    sha256 = hashlib.sha256
    last_entry = None
    query = Leaf.objects.order_by("entry_id").values_list(
        "entry_id",
        "position",
        "entry__kind",
        "entry__record_id",
        "entry__content_sha256",
        _CanonicalTime("entry__appended_at"),
        "entry__leaf_hash",
    )
    for chunk in _chunks(query, TREE_CHUNK):
        entry_ids, positions, kinds, record_ids, contents, times, stored = zip(*chunk, strict=True)
        # In order of entry: one entry named twice would be two equal neighbours.
        if (last_entry is not None and entry_ids[0] <= last_entry) or len(set(entry_ids)) != len(entry_ids):
            yield None
            return
        last_entry = entry_ids[-1]
        if type(times[0]) is not str:  # not made by the database
            if None in times:
                yield None
                return
            times = [canonical._canonical_scalar(at) for at in times]
        elif None in times:
            yield None
            return
        # What JSON writes as it is: one search over the whole chunk (its text is plain exactly when each part is).
        if not _PLAIN("".join(kinds) + "".join(record_ids) + "".join(contents) + "".join(times)):
            yield None
            return
        made = [
            sha256(
                f'\x00{{"appended_at":"{at}","content_sha256":"{content}","id":"{record_id}","kind":"{kind}","v":1}}'.encode()
            ).digest()
            for kind, record_id, content, at in zip(kinds, record_ids, contents, times, strict=True)
        ]
        if [leaf.hex() for leaf in made] != list(stored):
            yield None
            return
        first = positions[0]
        if positions == tuple(range(first, first + len(positions))):
            yield [(first, made)]
        else:
            yield [(position, [leaf]) for position, leaf in zip(positions, made, strict=True)]


def _check_tree(report: Report, checkpoints: dict[int, list[tuple[str, str]]], lines: list[witness.Witnessed]) -> bool:
    """The tree in one pass; if anything disagrees, walked again leaf by leaf to name the first problem.
    True when the one pass found everything as it should be."""
    walked = _tree_in_one_pass(checkpoints, [line for line in lines if line.leaves])
    if walked is None:
        _check_tree_exactly(report, checkpoints, _Witnessed(lines))
        return False
    report.size, report.root = walked
    report.entries = report.size
    return True


def _check_tree_exactly(report: Report, checkpoints: dict[int, list[tuple[str, str]]], witnessed: _Witnessed) -> None:
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


def _entries_by_kind() -> dict[str, int]:
    """How many entries the log holds of each kind, in one pass over the index of entries."""
    return dict(Entry.objects.order_by().values_list("kind").annotate(count=Count("pk")))


def _check_unsequenced(report: Report, entries: int, leaves_counted: bool) -> None:
    """Every entry is in the tree or waiting to be placed in it.

    ``leaves_counted``: the tree's one pass found each of its leaves naming an entry of its own. Then, when
    the entries number the leaves and the entries waiting without a leaf together, none can be neither;
    only otherwise is the entry looked for, which reads every entry against the tree.
    """
    report.pending = Pending.objects.count()
    if leaves_counted and entries == report.size + Pending.objects.filter(entry__leaf__isnull=True).count():
        return
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
    # so the snapshot taken after holds every tree it covers. Read now; its lines are parsed (a second at a
    # county's size) once the workers have started on the records.
    witnessed = witness.read_files()
    pool = _pool(workers)
    try:
        with _snapshot() as snapshot:
            jobs = _jobs()
            if pool is not None and snapshot is not None:
                stretches = pool.imap_unordered(partial(_check_in_worker, snapshot), jobs)
            else:
                stretches = None
            lines = list(witness.parse(witnessed))
            lines += [
                witness.Witnessed(note=text, signed_at="", first=0, leaves=b"", file=where, line=0)
                for text, where in also
            ]
            checkpoints = _signed_checkpoints(report, verifier, origin, lines)
            if report.problems:
                return report
            in_one_pass = _check_tree(report, checkpoints, lines)
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
            entries = _entries_by_kind()
            _check_unsequenced(report, sum(entries.values()), in_one_pass)
            if report.problems:
                return report
            _records_of_each_kind(report, stretches, entries)
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

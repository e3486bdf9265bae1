"""Writing millions of rows fast, inside the caller's transaction.

PostgreSQL gets ``COPY ... FROM STDIN`` in batches, sent by a second thread
so that the server stores one batch while Python prepares the next (the
connection is used by that thread alone until ``drain``). SQLite gets
``executemany``. Values are turned into what Django itself would store
(``get_db_prep_save``), by field type, without Django's per-value overhead.
"""

from __future__ import annotations

import io
import json
import queue
import sys
import threading
import time
from datetime import UTC

from django.db import models

from ledger.fields import CanonicalJSONField, canonical_text

BATCH_ROWS = 20_000
NULL = "\\N"


class Progress:
    """What is being done, how far, how fast and for how long, on standard error, once a second at most.

    A stage counts one or more things (``advance(count, what)``), each with
    its total if known; threads may count too.
    """

    def __init__(self, stream=None, *, every: float = 1.0):
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.started = self.shown = self.stage_started = time.monotonic()
        self.name = ""
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.rows = 0

    def stage(self, name: str, **totals: int) -> None:
        if self.name:
            self.report(force=True, finished=True)
        self.name, self.totals, self.stage_started = name, totals, time.monotonic()
        self.done = dict.fromkeys(totals, 0)
        self.report(force=True)

    def finish(self) -> None:
        self.report(force=True, finished=True)
        self.name = ""

    def advance(self, count: int = 1, what: str | None = None) -> None:
        what = what or next(iter(self.totals), "")
        self.done[what] = self.done.get(what, 0) + count
        if time.monotonic() - self.shown >= self.every:
            self.report()

    def report(self, force: bool = False, finished: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.shown < self.every:
            return
        self.shown = now
        elapsed, spent = now - self.started, max(now - self.stage_started, 1e-6)
        counts = []
        for what, done in list(self.done.items()):
            total = self.totals.get(what)
            counts.append(f"{what} {done:,}{f'/{total:,}' if total else ''} ({done / spent:,.0f}/s)")
        state = f"finished in {spent:.1f}s" if finished else ", ".join(counts) or "started"
        if finished and counts:
            state += ": " + ", ".join(counts)
        self.stream.write(
            f"[{elapsed:7.1f}s] {self.name}: {state}; "
            f"{self.rows:,} rows written so far ({self.rows / max(elapsed, 1e-6):,.0f}/s)\n"
        )
        self.stream.flush()


def _copy_text(text: str) -> str:
    """A value in COPY's text format: backslash, tab and line breaks escaped (most values have none)."""
    if "\\" in text or "\n" in text or "\t" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return text


def _escape(value) -> str:
    return NULL if value is None else _copy_text(str(value))


def _converter(field: models.Field, vendor: str):
    """A function from an attribute's value to what the database is sent, as Django would send it."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if isinstance(target, CanonicalJSONField):
        # Stored as the canonical text that is hashed (ADR 13).
        if vendor == "postgresql":
            return lambda value: NULL if value is None else _copy_text(canonical_text(value))
        return lambda value: None if value is None else canonical_text(value)
    if vendor == "postgresql":
        if kind == "UUIDField":
            return lambda value: NULL if value is None else str(value)
        if kind in ("DateTimeField", "DateField"):
            return lambda value: NULL if value is None else value.isoformat()
        if kind == "BooleanField":
            return lambda value: NULL if value is None else ("t" if value else "f")
        if kind == "JSONField":
            return lambda value: NULL if value is None else _copy_text(json.dumps(value))
        if kind.endswith(("IntegerField", "AutoField")):
            return lambda value: NULL if value is None else str(value)
        return _escape
    if kind == "UUIDField":
        return lambda value: None if value is None else str(value).replace("-", "")
    if kind == "DateTimeField":
        # Django on SQLite: naive UTC, as str() writes it.
        return lambda value: None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))
    if kind == "DateField":
        return lambda value: None if value is None else value.isoformat()
    if kind == "JSONField":
        return lambda value: None if value is None else json.dumps(value)
    return lambda value: value


class Table:
    """One table's columns and their converters, and the rows waiting to be written."""

    def __init__(self, model: type[models.Model], vendor: str, exclude: tuple[str, ...] = ()):
        fields = [f for f in model._meta.concrete_fields if f.attname not in exclude]
        self.model = model
        self.name = model._meta.db_table
        # The tables its foreign keys point to: their rows must be written first.
        self.parents = {
            f.related_model for f in fields if f.is_relation and f.db_constraint and f.related_model is not model
        }
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.vendor = vendor
        self.pending: list = []
        self.written = 0
        self.convert = list(zip(self.attnames, (_converter(f, vendor) for f in fields), strict=True))

    def row(self, values: dict):
        if self.vendor == "postgresql":
            return "\t".join([convert(values[name]) for name, convert in self.convert]) + "\n"
        return tuple([convert(values[name]) for name, convert in self.convert])


class Writer:
    def __init__(self, connection, progress: Progress, batch_rows: int | None = None):
        connection.ensure_connection()
        self.connection = connection
        # The DB-API connection itself: ``django.db.connection`` is a different one in each thread.
        self.raw = connection.connection
        self.vendor = connection.vendor
        self.progress = progress
        self.batch_rows = batch_rows or BATCH_ROWS
        self.tables: dict = {}
        self.failure: BaseException | None = None
        self.sending: queue.Queue | None = None
        self.sender: threading.Thread | None = None
        self.starting = threading.Lock()
        self.abandoned = False

    def table(self, model: type[models.Model], exclude: tuple[str, ...] = ()) -> Table:
        key = (model, exclude)
        if key not in self.tables:
            self.tables[key] = Table(model, self.vendor, exclude)
        return self.tables[key]

    def flush_all(self) -> None:
        for table in list(self.tables.values()):
            self.flush(table)

    def add(self, table: Table, values: dict) -> None:
        table.pending.append(table.row(values))
        # On PostgreSQL rows wait for ``start``: the copying thread must not start before the access log
        # process is forked.
        if len(table.pending) >= self.batch_rows and (self.vendor != "postgresql" or self.sender is not None):
            self.flush(table)

    def flush(self, table: Table) -> None:
        """Write a table's waiting rows, after those of the tables it points to (foreign keys are checked
        as each batch is copied, not all at the commit)."""
        if not table.pending:
            return
        for parent in list(self.tables.values()):
            if parent.model in table.parents and parent.pending:
                self.flush(parent)
        rows, table.pending = table.pending, []
        table.written += len(rows)
        if self.vendor == "postgresql":
            self._send(table, rows)
        else:
            placeholders = ", ".join("?" * len(table.columns))
            columns = ", ".join(f'"{column}"' for column in table.columns)
            sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({placeholders})'  # noqa: S608 (model metadata, not input)
            self.raw.executemany(sql, rows)
            self.progress.rows += len(rows)

    def start(self) -> None:
        """From here on the connection belongs to the copying thread (PostgreSQL), until ``drain``.

        Foreign keys are checked as each batch is copied: checked at the commit instead, millions of
        them would keep the database busy at the end while nothing else could happen.
        """
        with self.starting:
            if self.vendor == "postgresql" and self.sender is None:
                cursor = self.raw.cursor()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.close()
                self.sending = queue.Queue(maxsize=4)
                self.sender = threading.Thread(target=self._copy, name="scale-copy", daemon=True)
                self.sender.start()

    def _send(self, table: Table, rows: list[str]) -> None:
        self.send_payload(table, "".join(rows).encode("utf-8"), len(rows), counted=True)

    def send_payload(self, table: Table, payload: bytes, count: int, *, counted: bool = False) -> None:
        """Rows already in COPY's text format (from another process): may be called from another thread."""
        if self.failure is not None:
            raise self.failure
        self.start()
        if not counted:
            table.written += count
        columns = ", ".join(f'"{column}"' for column in table.columns)
        self.sending.put((f'COPY "{table.name}" ({columns}) FROM STDIN', payload, count))

    def _copy(self) -> None:
        cursor = self.raw.cursor()
        while True:
            item = self.sending.get()
            try:
                if item is None:
                    return
                if self.failure is None and not self.abandoned:
                    sql, payload, count = item
                    cursor.copy_expert(sql, io.BytesIO(payload))
                    self.progress.rows += count
            except BaseException as error:  # handed to the main thread at its next call
                self.failure = error
            finally:
                self.sending.task_done()

    def _refuse_queries(self, execute, sql, params, many, context):
        if self.sender is not None:
            raise RuntimeError(f"no queries while rows are being copied (the connection is busy): {sql[:80]}")
        return execute(sql, params, many, context)

    def only_writing(self):
        """While rows are copied, a query on the same connection would wait for ever: refuse it instead."""
        return self.connection.execute_wrapper(self._refuse_queries)

    def abandon(self) -> None:
        """After a failure: stop copying (what was copied is rolled back with the transaction)."""
        self.abandoned = True
        for table in self.tables.values():
            table.pending = []
        if self.sender is not None:
            self.sending.put(None)
            self.sender.join()
            self.sender = self.sending = None

    def drain(self) -> None:
        """Write everything pending and wait until the database has it (before using the connection again)."""
        for table in self.tables.values():
            self.flush(table)
        if self.sender is not None:
            self.sending.put(None)
            self.sender.join()
            self.sender = self.sending = None
        if self.failure is not None:
            raise self.failure

    def written(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in self.tables.values():
            counts[table.name] = counts.get(table.name, 0) + table.written
        return counts

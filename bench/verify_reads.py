"""What reading verification's rows costs, by the way they are read (docs/performance.md, "Verification's CPU,
idea by idea"; ADR 25).

    DATABASE_URL=postgres://... python bench/verify_reads.py [kind ...]    JSON: CPU µs a row, Python and PostgreSQL

The queries of each kind's one pass (its records with their entries' content SHA-256, and the rows of its parts)
and of the tree's, read only, nothing hashed: through a server-side cursor fetching 5,000 rows at a time, as
verification reads them; through ``COPY (...) TO STDOUT`` into a buffer; and through COPY with the buffer split
into rows and fields, the least Python could do to use it. The CPU of this process and of its PostgreSQL backend
(read from /proc) before and after each, three times, in turn; the median is reported. Kinds are model labels
(``audit.AccessEvent``) or ``tree``; by default the largest: decisions, access events and the tree.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402

from ledger import verification  # noqa: E402
from ledger.models import Entry, Leaf  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
RUNS = 3


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _sql(query) -> str:
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params).decode()


def _queries(kind: str) -> list[tuple[str, str]]:
    if kind == "tree":
        leaves = Leaf.objects.order_by("position").values_list(
            "position",
            "entry__kind",
            "entry__record_id",
            "entry__content_sha256",
            verification._CanonicalTime("entry__appended_at"),
            "entry__leaf_hash",
        )
        return [("tree", _sql(leaves))]
    reader = verification.RecordReader(apps.get_model(kind))
    entry = Entry.objects.filter(kind=reader.kind, record_id=verification._RecordId(OuterRef("pk"), model=reader.model))
    content = Subquery(entry.order_by().values("content_sha256")[:1])
    queries = [(kind, _sql(reader.model.objects.order_by("pk").values_list(*reader.one_pass_columns, content)))]
    for part in reader.parts:
        rows = part.model.objects.order_by(part.foreign_key).values_list(*part.one_pass_columns)
        queries.append((f"{kind}.{part.name}", _sql(rows)))
    return queries


def _by_cursor(raw, sql: str) -> int:
    rows = 0
    with raw.cursor(name="verify_reads") as cursor:
        cursor.itersize = verification.CHUNK
        cursor.execute(sql)
        while chunk := cursor.fetchmany(verification.CHUNK):
            rows += len(chunk)
    return rows


def _by_copy(raw, sql: str, split: bool) -> int:
    buffer = io.BytesIO()
    with raw.cursor() as cursor:
        cursor.copy_expert(f"COPY ({sql}) TO STDOUT", buffer)
    if not split:
        return buffer.getvalue().count(b"\n")
    lines = buffer.getvalue().decode().split("\n")
    lines.pop()
    return len([line.split("\t") for line in lines])


def main(kinds: list[str]) -> dict:
    if connection.vendor != "postgresql":
        raise SystemExit("verify_reads reads the CPU of a PostgreSQL backend on this machine")
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = False
    with raw.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ways = {
        "cursor": _by_cursor,
        "copy": lambda raw, sql: _by_copy(raw, sql, split=False),
        "copy_split": lambda raw, sql: _by_copy(raw, sql, split=True),
    }
    figures = {}
    for kind in kinds:
        for name, sql in _queries(kind):
            spent = {way: [] for way in ways}
            for _ in range(RUNS):
                for way, read in ways.items():
                    database, python = _backend_cpu(pid), time.process_time()
                    rows = read(raw, sql)
                    spent[way].append((time.process_time() - python, _backend_cpu(pid) - database))
                    raw.commit()
            figures[name] = {"rows": rows}
            for way, runs in spent.items():
                figures[name][way] = {
                    "python_us": round(statistics.median(python for python, _ in runs) / rows * 1e6, 2),
                    "database_us": round(statistics.median(database for _, database in runs) / rows * 1e6, 2),
                }
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:] or ["sharing.SharingDecision", "audit.AccessEvent", "tree"]), indent=2))

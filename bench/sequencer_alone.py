"""The ledger's sequencer measured alone: how many waiting entries a second it places in the tree (issue 20).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sequencer_alone python bench/sequencer_alone.py [--entries N]

The database named by DATABASE_URL (or ``--database-url``) is created if it is missing and migrated; N
entries (default 200,000) are written waiting, as ``ledger.services.enter`` writes them (each record's
canonical content hashed, its entry's bytes made and hashed as the leaf, the entry and its ``Pending`` row
inserted), in bulk: the service writes one a transaction, which is not what is measured. Then
``ledger.sequencer.sequence()`` is called batch after batch, as ``manage.py ledger sequence`` does, until
nothing waits, with checkpoint signing as configured (``LEDGER_CHECKPOINT_SECONDS``, 2 s by default) and a
last checkpoint forced at the end (``sign_now``), its witness line written to a store of the run's own.
Reported: entries a second by the clock, and the CPU of this process and of its PostgreSQL backend (read
from ``/proc``, so the database must be on this machine), with the load average before and after. A
database this script created is dropped at the end unless ``--keep``; one that existed is never dropped.
``--runs 3`` repeats the whole (a fresh database each time) and reports the median.

On a machine shared with other work compare the CPU figures, not the seconds (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TICK = os.sysconf("SC_CLK_TCK")
CHUNK = 10_000


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--entries", type=int, default=200_000, help="entries written waiting (default 200,000)")
    parser.add_argument("--batch", type=int, default=None, help="entries a sequence() call (default: BATCH)")
    parser.add_argument("--runs", type=int, default=1, help="measure this many times, each on a fresh database")
    parser.add_argument("--keep", action="store_true", help="keep the database (and the last run's entries)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the sequencing to this file")
    options = parser.parse_args(argv)
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("needs a PostgreSQL DATABASE_URL (or --database-url): the backend's CPU is read from /proc")
    return options


def _server(database_url: str):
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(database_url)
    options = {
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
    }
    connection = psycopg2.connect(dbname="postgres", **options)
    connection.autocommit = True
    return connection, config["NAME"]


def create(database_url: str) -> bool:
    """Create the database if it is missing; whether it was created here."""
    from psycopg2 import sql

    connection, name = _server(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()


def drop(database_url: str) -> None:
    from psycopg2 import sql

    connection, name = _server(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def _backend_cpu(connection) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def write_waiting(count: int) -> float:
    """Write `count` entries waiting for the sequencer, made as ledger.services.enter makes them; seconds."""
    from django.db import connection, transaction
    from psycopg2.extras import execute_values

    from ledger import canonical, merkle
    from ledger.models import Entry, entry_text

    started = time.monotonic()
    base = datetime.now(UTC) - timedelta(seconds=count)
    written = 0
    while written < count:
        rows = []
        for number in range(written, min(count, written + CHUNK)):
            kind, record_id = "audit.AccessEvent", str(uuid.uuid4())
            appended_at = base + timedelta(microseconds=number * 1000)
            document = {"id": record_id, "viewed_at": appended_at, "what": "child", "number": number}
            content_sha256 = Entry.content_hash(canonical.canonical_bytes(document))
            leaf = merkle.leaf_hash(
                entry_text(kind=kind, record_id=record_id, content_sha256=content_sha256, appended_at=appended_at)
            ).hex()
            rows.append((kind, record_id, content_sha256, appended_at, leaf))
        with transaction.atomic(), connection.cursor() as cursor:
            # The statement ledger.services._insert_with_pending runs, for many rows at once.
            execute_values(
                cursor.cursor,
                "WITH entry AS ("
                " INSERT INTO ledger_entry (kind, record_id, content_sha256, appended_at, leaf_hash)"
                " VALUES %s RETURNING id"
                ") INSERT INTO ledger_pending (entry_id) SELECT id FROM entry",
                rows,
                page_size=len(rows),
            )
        written += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_entry")
        cursor.execute("VACUUM ANALYZE ledger_pending")
    return time.monotonic() - started


def sequence_all(batch: int | None, profile: Path | None) -> dict:
    """Call sequence() until nothing waits, then sign the whole tree; the clock's and the CPU's seconds."""
    from django.db import connection

    from ledger import sequencer
    from ledger.models import Checkpoint, TreeHead

    connection.ensure_connection()
    limit = batch or sequencer.BATCH
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
    database, python, clock = _backend_cpu(connection), time.process_time(), time.monotonic()
    if profiler:
        profiler.enable()
    placed, calls = 0, 0
    while True:
        done = sequencer.sequence(limit=limit)
        calls += 1
        if done is None:
            raise SystemExit("another sequencer holds the lock on this database")
        if not done:
            break
        placed += done
    sequencer.sign_now()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    clock = time.monotonic() - clock
    python = time.process_time() - python
    database = _backend_cpu(connection) - database
    return {
        "entries": placed,
        "batch": limit,
        "sequence_calls": calls,
        "tree_heads": TreeHead.objects.count(),
        "checkpoints": Checkpoint.objects.count(),
        "seconds": round(clock, 3),
        "python_cpu_seconds": round(python, 3),
        "database_cpu_seconds": round(database, 3),
        "entries_per_second": round(placed / clock),
        "python_cpu_us_an_entry": round(python / placed * 1e6, 2),
        "database_cpu_us_an_entry": round(database / placed * 1e6, 2),
        # What the CPU alone would allow: the sequencer waits for each statement, so its process and its
        # backend take turns, and the two add up (the wait for a core and for the disk left out).
        "entries_per_second_on_cpu_alone": round(placed / (python + database)),
    }


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)


def main(argv: list[str] | None = None) -> dict:
    options = _options(argv)
    store = Path(tempfile.mkdtemp(prefix="sequencer-alone-"))
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DEBUG", "true")
    os.environ["LEDGER_SIGNING_KEY_FILE"] = str(store / "signing.key")
    os.environ["LEDGER_WITNESS_DIR"] = str(store / "witness")
    os.environ["LEDGER_SEQUENCE_ON_COMMIT"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    runs = []
    for run in range(options.runs):
        created = create(options.database_url)
        try:
            _migrate()
            from ledger.models import Entry

            if Entry.objects.exists():
                raise SystemExit(f"{connection.settings_dict['NAME']} already holds log entries: use another")
            load_before = os.getloadavg()
            written = write_waiting(options.entries)
            result = sequence_all(options.batch, options.profile)
            result["write_seconds"] = round(written, 1)
            result["load_average_before"] = [round(value, 2) for value in load_before]
            result["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
            runs.append(result)
            print(json.dumps({"run": run + 1, **result}), file=sys.stderr)
        finally:
            connection.close()
            if created and not (options.keep and run == options.runs - 1):
                drop(options.database_url)
    if not options.keep:
        shutil.rmtree(store, ignore_errors=True)
    middle = sorted(runs, key=lambda result: result["entries_per_second"])[len(runs) // 2]
    return {
        "database": connection.settings_dict["NAME"],
        "entries": options.entries,
        "checkpoint_seconds": settings.LEDGER_CHECKPOINT_SECONDS,
        "cores": os.cpu_count(),
        "median_entries_per_second": statistics.median(result["entries_per_second"] for result in runs),
        "median_python_cpu_us_an_entry": statistics.median(result["python_cpu_us_an_entry"] for result in runs),
        "median_database_cpu_us_an_entry": statistics.median(result["database_cpu_us_an_entry"] for result in runs),
        "median_entries_per_second_on_cpu_alone": statistics.median(
            result["entries_per_second_on_cpu_alone"] for result in runs
        ),
        "median_run": middle,
        "runs": runs,
        **({"kept": {"database": options.database_url, "store": str(store)}} if options.keep else {}),
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))

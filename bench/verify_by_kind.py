"""The CPU verification spends on each kind of record and on the tree, in one process (docs/performance.md,
"Verification's CPU, idea by idea").

    DATABASE_URL=postgres://... python bench/verify_by_kind.py    JSON: CPU µs a record, Python and PostgreSQL

Each kind's check as verification makes it (``_check_stretch``: by the database where it can, or the one pass
in Python) and the tree's (``_tree_in_one_pass``) run in turn; the
CPU of this process and of its PostgreSQL backend (read from /proc, so the database must be on this machine)
are read before and after each. On a machine shared with other work compare these CPU figures, not seconds,
and run the code before and after a change one after the other on the same database, a few times each.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from ledger import verification  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _timed(run) -> tuple[object, float, float]:
    connection.ensure_connection()
    database, python = _backend_cpu(), time.process_time()
    result = run()
    python = time.process_time() - python
    return result, python, _backend_cpu() - database


def _figures(count: int, python: float, database: float) -> dict:
    return {
        "count": count,
        "python_us": round(python / count * 1e6, 2),
        "database_us": round(database / count * 1e6, 2),
        "python_seconds": round(python, 3),
        "database_seconds": round(database, 3),
    }


def main() -> dict:
    if connection.vendor != "postgresql":
        raise SystemExit("verify_by_kind reads the CPU of a PostgreSQL backend on this machine")
    kinds = {}
    for model in verification.ledger_models():
        label = model._meta.label
        found, python, database = _timed(lambda label=label: verification._check_stretch(label, None, None))
        if found.problem is not None:
            raise SystemExit(f"{label}: {found.problem}")
        if found.records:
            kinds[label] = _figures(found.records, python, database)
    walked, python, database = _timed(lambda: verification._tree_in_one_pass({}, []))
    if walked is None:
        raise SystemExit("the tree's one pass found a difference; run verify_records to name it")
    tree = _figures(walked[0], python, database)
    python = sum(kind["python_seconds"] for kind in kinds.values()) + tree["python_seconds"]
    database = sum(kind["database_seconds"] for kind in kinds.values()) + tree["database_seconds"]
    return {
        "entries": walked[0],
        "python_seconds": round(python, 2),
        "database_seconds": round(database, 2),
        "us_an_entry": round((python + database) / walked[0] * 1e6, 2),
        # The most two idle cores could do with this work, if every part ran in parallel.
        "entries_per_second_on_two_idle_cores": round(walked[0] / ((python + database) / 2)),
        "tree": tree,
        "kinds": kinds,
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))

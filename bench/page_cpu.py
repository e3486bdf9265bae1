"""A page's CPU in one process, split between Python and its PostgreSQL backend (docs/scaling.md).

    DATABASE_URL=postgres://... DEBUG=false SECRET_KEY=... ALLOWED_HOSTS=testserver TWO_FACTOR=roles \\
        BENCH_QUERY_HEADERS=true python bench/page_cpu.py FIXTURE.json [--requests 50]

FIXTURE is the file ``seed_scale --fixture`` wrote for the database. The fixture's practitioner is signed in
(Django's test client, no HTTP), and each page is asked for 5 times untimed, then ``--requests`` times while
the CPU of this process and of its PostgreSQL backend (``/proc``, so the database must be on this machine) are
read before and after. The test client's own work counts as Python: the database's share is a lower bound.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fixture", type=Path)
    parser.add_argument("--requests", type=int, default=50)
    options = parser.parse_args(argv)
    fixture = json.loads(options.fixture.read_text())
    client = Client()
    client.force_login(get_user_model().objects.get(email=fixture["practitioner_email"]))
    child = fixture["chronology_child_id"]
    pages = {
        "Floor: a trivial signed-in page": "/bench/floor/",
        "Child's page": f"/children/{child}/",
        "Chronology": f"/children/{child}/chronology/",
        "Decision page": f"/decisions/{fixture['decision_id']}/",
    }
    figures = {}
    for name, url in pages.items():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} {response.get('Location', '')}")
        for _ in range(5):
            client.get(url, secure=True)
        database, python, clock = _backend_cpu(), time.process_time(), time.perf_counter()
        for _ in range(options.requests):
            client.get(url, secure=True)
        count = options.requests
        python_ms = (time.process_time() - python) / count * 1000
        database_ms = (_backend_cpu() - database) / count * 1000
        figures[name] = {
            "python_ms": round(python_ms, 2),
            "database_ms": round(database_ms, 2),
            "database_share": round(database_ms / (python_ms + database_ms), 2),
            "clock_ms": round((time.perf_counter() - clock) / count * 1000, 2),
        }
    return {"requests": options.requests, "pages": figures, "load_average": [round(v, 2) for v in os.getloadavg()]}


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))

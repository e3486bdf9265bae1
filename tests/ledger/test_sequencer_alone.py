"""bench/sequencer_alone.py: the sequencer measured on a database of its own, which it drops afterwards."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="it reads a PostgreSQL backend's CPU",
)


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_it_places_every_entry_signs_and_drops_its_database(db):
    name = f"{connection.settings_dict['NAME']}_sequencer_alone"[:63]
    assert not database_exists(name)
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "bench/sequencer_alone.py", "--entries", "2500", "--database-url", url],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    run = result["median_run"]
    assert run["entries"] == 2500
    assert run["tree_heads"] == 2  # two batches of at most 2,000
    assert run["checkpoints"] >= 1
    assert run["entries_per_second"] > 0
    assert run["python_cpu_us_an_entry"] > 0
    assert not database_exists(name)

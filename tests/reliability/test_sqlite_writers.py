"""SQLite, the embedded default: a second process writing while another holds
the write lock waits for it, rather than failing with "database is locked"."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Each process uses the service's own database settings (WAL, IMMEDIATE
# transactions, a 20-second busy timeout) on a shared file.
WRITER = """
import sys, time
import django
django.setup()
from django.db import connection, transaction
hold = float(sys.argv[1])
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS writes (who TEXT, at REAL)")
        cursor.execute("SELECT COUNT(*) FROM writes")  # a read first, then a write, as services do
        cursor.execute("INSERT INTO writes VALUES (%s, %s)", [sys.argv[2], time.time()])
    time.sleep(hold)
print("done", sys.argv[2])
"""


def start(database: Path, hold: float, who: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return subprocess.Popen(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", WRITER, str(hold), who],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_writer_waits_for_the_first(tmp_path):
    database = tmp_path / "shared.sqlite3"
    first = start(database, hold=0.0, who="setup")
    assert first.wait(timeout=60) == 0, first.stderr.read()
    holder = start(database, hold=3.0, who="first")
    time.sleep(1.5)  # the first has begun its transaction and holds the lock
    began = time.monotonic()
    second = start(database, hold=0.0, who="second")
    second_out, second_err = second.communicate(timeout=60)
    waited = time.monotonic() - began
    _, holder_err = holder.communicate(timeout=60)
    assert holder.returncode == 0, holder_err
    assert second.returncode == 0, f"the second writer failed instead of waiting: {second_err}"
    assert "done second" in second_out
    assert waited > 1.0, "it waited for the first writer's transaction to end"

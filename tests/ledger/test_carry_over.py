"""A database from before the ledger is carried over by its migration, and verifies after it.

``before_the_ledger/`` holds the demo database as the version with two hash
chains left it (``seed_demo``, then nine looks in the access log), dumped by
``sqlite3 .dump`` and ``pg_dump --inserts``. Each test loads a dump into a
database of its own, migrates it with the code as it is now, signs a
checkpoint and runs ``verify_records``, all as separate processes, as an
upgrade would run them.
"""

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
DUMPS = Path(__file__).with_name("before_the_ledger")
# In the dumps: 8 records in the records chain (3 decisions with their addenda, reviews, consents ...), 9 looks.
RECORDS, LOOKS = 8, 9


def manage(database_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
        "LEDGER_SIGNING_KEY_FILE": str(tmp_path / "signing.key"),
        "LEDGER_WITNESS_DIR": str(tmp_path / "witness"),
    }
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def upgrade_and_verify(database_url: str, tmp_path: Path) -> str:
    migrated = manage(database_url, tmp_path, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    signed = manage(database_url, tmp_path, "ledger", "sign")
    assert signed.returncode == 0, signed.stderr[-3000:]
    verified = manage(database_url, tmp_path, "verify_records")
    assert verified.returncode == 0, verified.stderr[-3000:]
    return verified.stdout


def entries_in(output: str) -> int:
    return int(re.search(r"Log intact: (\d+) entries in the tree", output).group(1))


def _sqlite(tmp_path: Path, *tamper: str) -> str:
    path = tmp_path / "before.sqlite3"
    with sqlite3.connect(path) as database:
        database.executescript((DUMPS / "sqlite.sql").read_text())
        database.executescript("".join(tamper))
    return f"sqlite:///{path}"


def test_a_sqlite_database_from_before_the_ledger_verifies_after_the_upgrade(tmp_path):
    database_url = _sqlite(tmp_path)
    with sqlite3.connect(tmp_path / "before.sqlite3") as database:
        history = sum(
            database.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (table names from the schema)
            for (table,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%historical%'"
            )
        )
    output = upgrade_and_verify(database_url, tmp_path)
    assert entries_in(output) == RECORDS + LOOKS + history
    assert f"{RECORDS + LOOKS + history} records checked against their entries" in output


def test_a_chain_tampered_with_before_the_upgrade_is_not_carried_over(tmp_path):
    database_url = _sqlite(
        tmp_path,
        "DROP TRIGGER sharing_sharingdecision_no_update;",
        "UPDATE sharing_sharingdecision SET reasons = 'Changed afterwards' "
        "WHERE chain_sequence = (SELECT min(chain_sequence) FROM sharing_sharingdecision);",
    )
    migrated = manage(database_url, tmp_path, "migrate", "--no-input")
    assert migrated.returncode != 0
    assert "no longer matches its hash" in migrated.stderr
    with sqlite3.connect(tmp_path / "before.sqlite3") as database:
        applied = database.execute("SELECT count(*) FROM django_migrations WHERE app = 'ledger'").fetchone()[0]
        entries = database.execute("SELECT count(*) FROM ledger_entry").fetchone()[0]
    assert (applied, entries) == (1, 0), "nothing was carried over (only the empty tables were created)"


@pytest.fixture
def postgres_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the PostgreSQL dump is loaded on the PostgreSQL run")
    server = url.rsplit("/", 1)[0]
    name = f"before_ledger_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        loaded = subprocess.run(  # noqa: S603 (fixed arguments)
            # psql from the PATH, as docs/operations.md runs it.
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(DUMPS / "postgresql.sql"), f"{server}/{name}"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert loaded.returncode == 0, loaded.stderr
        yield f"{server}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_postgresql_database_from_before_the_ledger_verifies_after_the_upgrade(postgres_database, tmp_path):
    output = upgrade_and_verify(postgres_database, tmp_path)
    assert entries_in(output) > RECORDS + LOOKS
    connection = psycopg2.connect(postgres_database)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT kind, count(*) FROM ledger_entry WHERE kind NOT LIKE 'history %%' GROUP BY kind")
        kinds = dict(cursor.fetchall())
    connection.close()
    assert kinds["access"] == LOOKS
    assert sum(kinds.values()) - LOOKS == RECORDS

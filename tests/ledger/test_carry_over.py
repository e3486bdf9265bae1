"""A database from before the ledger is carried over by its migration, and verifies after it.

``before_the_ledger/`` holds the demo database as the version with two hash
chains left it (``seed_demo``, then nine looks in the access log), dumped by
``sqlite3 .dump`` and ``pg_dump --inserts``. Each test loads a dump into a
database of its own, migrates it with the code as it is now, signs a
checkpoint and runs ``verify_records``, all as separate processes, as an
upgrade would run them. ``before_canonical_answers/`` does the same for the
upgrade that stores a decision's answers as canonical text (``sharing.0008``).
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

from ledger.fields import canonical_text

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
    with loaded_dump(url, DUMPS / "postgresql.sql") as database_url:
        yield database_url


@contextmanager
def loaded_dump(url: str, dump: Path):
    """A database of its own on the server of `url`, loaded from `dump` by psql; dropped afterwards."""
    server = url.rsplit("/", 1)[0]
    name = f"before_ledger_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        loaded = subprocess.run(  # noqa: S603 (fixed arguments)
            # psql from the PATH, as docs/operations.md runs it.
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(dump), f"{server}/{name}"],  # noqa: S607
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


@pytest.mark.postgresql
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


# A database from before a decision's answers were stored as canonical text (sharing.0008): the demo
# database with every entry placed in the tree, dumped as above, its checkpoint left out (it was signed by
# a key of its own; the upgrade signs one with the test's). Its answers are jsonb (PostgreSQL) or the text
# json.dumps wrote (SQLite): not canonical text.
BEFORE_CANONICAL = Path(__file__).with_name("before_canonical_answers")
ANSWER_COLUMNS = ("answers", "summary", "guidance_shown")


def answer_texts(rows) -> list[str]:
    return [text for row in rows for text in row]


def is_canonical(text: str) -> bool:
    return canonical_text(json.loads(text)) == text


def _sqlite_before_canonical(tmp_path: Path, *tamper: str) -> tuple[str, Path]:
    path = tmp_path / "before-canonical.sqlite3"
    with sqlite3.connect(path) as database:
        database.executescript((BEFORE_CANONICAL / "sqlite.sql").read_text())
        database.executescript("".join(tamper))
    return f"sqlite:///{path}", path


def test_a_sqlite_database_from_before_canonical_answers_verifies_after_the_upgrade(tmp_path):
    database_url, path = _sqlite_before_canonical(tmp_path)
    with sqlite3.connect(path) as database:
        entries = database.execute("SELECT count(*) FROM ledger_entry").fetchone()[0]
        before = database.execute("SELECT id, answers, summary, guidance_shown FROM sharing_decisionanswer").fetchall()
    assert before and not all(is_canonical(text) for text in answer_texts(row[1:] for row in before))
    output = upgrade_and_verify(database_url, tmp_path)
    assert entries_in(output) == entries
    with sqlite3.connect(path) as database:
        after = database.execute("SELECT id, answers, summary, guidance_shown FROM sharing_decisionanswer").fetchall()
        triggers = {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        subjects = [text for (text,) in database.execute("SELECT subject FROM sharing_sharingdecision")]
    assert all(is_canonical(text) for text in answer_texts(row[1:] for row in after))
    assert [(row[0], *map(json.loads, row[1:])) for row in after] == [
        (row[0], *map(json.loads, row[1:])) for row in before
    ], "the same values, written canonically"
    assert {"sharing_decisionanswer_no_update", "sharing_decisionanswer_no_delete"} <= triggers
    # A decision's subject too (sharing.0009), its triggers back in place.
    assert subjects and all(is_canonical(text) for text in subjects)
    assert {"sharing_sharingdecision_no_update", "sharing_sharingdecision_no_delete"} <= triggers


def test_an_answer_changed_before_the_upgrade_is_still_named_after_it(tmp_path):
    database_url, path = _sqlite_before_canonical(
        tmp_path,
        "DROP TRIGGER sharing_decisionanswer_no_update;",
        'UPDATE sharing_decisionanswer SET summary = \'[["Changed", "afterwards"]]\' WHERE id = 1;',
    )
    with sqlite3.connect(path) as database:
        decision = database.execute("SELECT decision_id FROM sharing_decisionanswer WHERE id = 1").fetchone()[0]
    assert manage(database_url, tmp_path, "migrate", "--no-input").returncode == 0
    assert manage(database_url, tmp_path, "ledger", "sign").returncode == 0
    verified = manage(database_url, tmp_path, "verify_records")
    assert verified.returncode != 0
    named = str(uuid.UUID(decision))
    assert f"(decision {named}): the record's content no longer matches its entry in the log" in verified.stderr


@pytest.mark.postgresql
def test_a_postgresql_database_from_before_canonical_answers_verifies_after_the_upgrade(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the PostgreSQL dump is loaded on the PostgreSQL run")
    with loaded_dump(url, BEFORE_CANONICAL / "postgresql.sql") as database_url:
        connection = psycopg2.connect(database_url)
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM ledger_entry")
            entries = cursor.fetchone()[0]
            cursor.execute("SELECT id, answers::text, summary::text, guidance_shown::text FROM sharing_decisionanswer")
            before = sorted(cursor.fetchall())
            cursor.execute("SELECT id, subject::text FROM sharing_sharingdecision")
            subjects_before = sorted(cursor.fetchall())
        connection.close()
        output = upgrade_and_verify(database_url, tmp_path)
        assert entries_in(output) == entries
        connection = psycopg2.connect(database_url)
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT id, answers, summary, guidance_shown FROM sharing_decisionanswer")
            after = sorted(cursor.fetchall())
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'sharing_decisionanswer'::regclass")
            triggers = {name for (name,) in cursor.fetchall()}
            cursor.execute("SELECT id, subject FROM sharing_sharingdecision")
            subjects_after = sorted(cursor.fetchall())
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'sharing_sharingdecision'::regclass")
            triggers |= {name for (name,) in cursor.fetchall()}
        connection.close()
    assert before and not all(is_canonical(text) for text in answer_texts(row[1:] for row in before))
    assert all(is_canonical(text) for text in answer_texts(row[1:] for row in after))
    assert [(row[0], *map(json.loads, row[1:])) for row in after] == [
        (row[0], *map(json.loads, row[1:])) for row in before
    ], "the same values, written canonically"
    assert "sharing_decisionanswer_immutable_rows" in triggers
    # A decision's subject too (sharing.0009): the same value, as canonical text, its triggers back in place.
    assert subjects_before and not all(is_canonical(text) for _, text in subjects_before)
    assert all(is_canonical(text) for _, text in subjects_after)
    assert [(key, json.loads(text)) for key, text in subjects_after] == [
        (key, json.loads(text)) for key, text in subjects_before
    ]
    assert "sharing_sharingdecision_immutable_rows" in triggers

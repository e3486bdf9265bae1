"""Back up with the standard tools, restore into a fresh database, and check
the copy with verify_records; a restore that lost the newest records is caught
by a signed checkpoint taken before the loss, and by the witness store
(docs/operations.md)."""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from ledger import keys, note
from ledger.models import Entry
from tests.factories import ChildFactory
from tests.ledger_data import seal, verify_log
from tests.sharing.recorded import record_decision

ROOT = Path(settings.BASE_DIR)
pytestmark = pytest.mark.usefixtures("transactional_db")


def manage(*arguments: str, database_url: str, witness: str | None = None) -> subprocess.CompletedProcess:
    """A command against a database, with the test's signing key and its witness store (or ``witness``; "" for none)."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "LEDGER_SIGNING_KEY_FILE": str(settings.LEDGER_SIGNING_KEY_FILE),
        "LEDGER_WITNESS_DIR": str(settings.LEDGER_WITNESS_DIR) if witness is None else witness,
        "LEDGER_ORIGIN": settings.LEDGER_ORIGIN,
    }
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def tool(name: str, *arguments: str, check: bool = True) -> None:
    """One of PostgreSQL's own programs (pg_dump, pg_restore, createdb, dropdb)."""
    subprocess.run([shutil.which(name), *arguments], check=check, timeout=120, capture_output=True)  # noqa: S603


def some_records(practitioner_client, practitioner, agency, decisions: int) -> None:
    """Decisions and a look at the child, all placed in the tree under a signed, witnessed checkpoint."""
    child = ChildFactory(agency=agency)
    for _ in range(decisions):
        record_decision(user=practitioner, child=child)
    practitioner_client.get(reverse("oversight:child_detail", args=[child.pk]))
    seal()


class PostgresCopies:
    """pg_dump of the test database, and fresh databases restored from it."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        params = connection.settings_dict
        self.base = (
            f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        )
        self.source = params["NAME"]
        self.created: list[str] = []

    def dump(self) -> Path:
        target = self.tmp_path / f"{uuid.uuid4().hex}.dump"
        tool("pg_dump", "--format=custom", f"--file={target}", f"{self.base}/{self.source}")
        return target

    def restore(self, dump: Path) -> str:
        name = f"restore_{uuid.uuid4().hex[:12]}"
        tool("createdb", f"--maintenance-db={self.base}/postgres", name)
        self.created.append(name)
        tool("pg_restore", "--no-owner", f"--dbname={self.base}/{name}", str(dump))
        return f"{self.base}/{name}"

    def drop_all(self) -> None:
        for name in self.created:
            tool("dropdb", f"--maintenance-db={self.base}/postgres", "--if-exists", name, check=False)


class SqliteCopies:
    """The SQLite online backup API (what `sqlite3 db ".backup file"` uses)."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path

    def dump(self) -> Path:
        target = self.tmp_path / f"{uuid.uuid4().hex}.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return target

    def restore(self, dump: Path) -> str:
        fresh = self.tmp_path / f"restored-{uuid.uuid4().hex}.sqlite3"
        with sqlite3.connect(dump) as source, sqlite3.connect(fresh) as target:
            source.backup(target)
        return f"sqlite:///{fresh}"

    def drop_all(self) -> None:
        pass


@pytest.fixture
def copies(tmp_path):
    made = PostgresCopies(tmp_path) if connection.vendor == "postgresql" else SqliteCopies(tmp_path)
    yield made
    made.drop_all()


def test_a_restored_backup_verifies(copies, practitioner_client, practitioner, agency):
    some_records(practitioner_client, practitioner, agency, decisions=3)
    assert Entry.objects.filter(kind="decision").count() == 3
    here = verify_log()
    assert here.intact and here.witnessed >= 1, here.first_problem
    restored = copies.restore(copies.dump())
    result = manage("verify_records", database_url=restored)
    assert result.returncode == 0, result.stderr
    assert f"Log intact: {here.size} entries in the tree (root {here.root[:16]}...)" in result.stdout
    assert f"{here.records} records checked against their entries" in result.stdout
    assert f"(the newest witnessed covers {here.size} entries)" in result.stdout


def test_a_restore_that_lost_the_newest_records_is_caught_by_the_checkpoint(
    copies, practitioner_client, practitioner, agency, tmp_path
):
    some_records(practitioner_client, practitioner, agency, decisions=2)
    older_backup = copies.dump()
    older_size = Entry.objects.count()
    some_records(practitioner_client, practitioner, agency, decisions=2)
    live = copies.restore(copies.dump())
    checkpoint = tmp_path / "checkpoint.txt"
    taken = manage("verify_records", "--checkpoint", database_url=live)
    assert taken.returncode == 0, taken.stderr
    checkpoint.write_text(taken.stdout)
    size = note.open_checkpoint(taken.stdout, keys.verifier_key()).size
    assert size == Entry.objects.count() > older_size
    assert Entry.objects.filter(kind="decision").count() == 4

    restored = copies.restore(older_backup)
    no_witness = str(tmp_path / "no-witness-store")
    plain = manage("verify_records", database_url=restored, witness=no_witness)
    assert plain.returncode == 0, "the old copy is intact in itself: only the checkpoint shows what it lost"
    against = manage("verify_records", "--against", str(checkpoint), database_url=restored, witness=no_witness)
    assert against.returncode != 0
    lost = (
        f"the log has {older_size} entries but {size} were witnessed: "
        f"entries from position {older_size} on have been removed (or an older backup restored)"
    )
    assert lost in against.stderr, against.stderr
    witnessed = manage("verify_records", database_url=restored)
    assert witnessed.returncode != 0 and "have been removed" in witnessed.stderr, "the witness store knows too"
    assert manage("verify_records", "--against", str(checkpoint), database_url=live).returncode == 0

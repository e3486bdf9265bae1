"""On PostgreSQL, each test database is copied from one migrated once, instead of being migrated again.

`make test` makes six PostgreSQL test databases (two test processes in each of three passes), and
migrating one takes about 20 seconds of CPU. The first process to need it migrates a database named
after the migrations' contents (`migrated_<digest>`); every test database is then created from it
with `CREATE DATABASE ... TEMPLATE`, which PostgreSQL copies file by file, and Django's own migrate
after that finds nothing to apply. A change to any migration, or to Django, gives another name, so a
template is never out of date; old ones are left for `dropdb`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django
import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
# Any number no other advisory lock of the suite uses: one process migrates, the others wait for it.
LOCK = 7_220_331


def _digest() -> str:
    hashed = hashlib.sha256(django.get_version().encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        hashed.update(str(path.relative_to(ROOT)).encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()[:16]


def _url_of(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def migrated_template(database: dict) -> str:
    """The name of a database holding every migration applied, made if missing (once, whoever asks first)."""
    name = f"migrated_{_digest()}"
    building = f"{name}_building"
    connection = psycopg2.connect(
        dbname="postgres",  # as Django does to create a test database: the one named may not exist yet
        user=database["USER"],
        password=database["PASSWORD"] or None,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(building)))
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
                environment = {**os.environ, "DATABASE_URL": _url_of(os.environ["DATABASE_URL"], building)}
                environment.pop("TEST_DATABASE_ROLE", None)
                subprocess.run(
                    [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                    cwd=ROOT,
                    env=environment,
                    check=True,
                )
                cursor.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(*map(sql.Identifier, (building, name))))
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
    finally:
        connection.close()
    return name

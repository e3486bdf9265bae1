"""gunicorn, the ledger's sequencer, the database and the machine: starting, preparing and describing them."""

from __future__ import annotations

import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench.client import HOST, SERVER_TIMEOUT, BenchError

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


# The ledger's key and witness store


def ledger_environment(database_url: str) -> dict[str, str]:
    """The benchmark's own signing key (one for every database it measures) and a witness store for each
    database: the demo's (var/witness) would hold checkpoints of another log, and fail verification."""
    parsed = urllib.parse.urlsplit(database_url)
    vendor = "sqlite" if parsed.scheme.startswith("sqlite") else "postgresql"
    name = Path(parsed.path).stem or "default"
    return {
        "LEDGER_SIGNING_KEY_FILE": str(ROOT / "var" / "bench" / "ledger-signing.key"),
        "LEDGER_WITNESS_DIR": str(ROOT / "var" / "bench" / f"witness-{vendor}-{name}"),
    }


# PgBouncer

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class PgBouncer:
    """PgBouncer in transaction pooling mode (ADR 29) in front of the PostgreSQL at `host`:`port`: every transaction
    may run on another server connection, so nothing a session sets survives from one to the next."""

    def __init__(self, folder: Path, *, users: list[str], host: str, port: int):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        (folder / "users.txt").write_text("".join(f'"{user}" ""\n' for user in users))
        (folder / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={host} port={port}\n"
            "[pgbouncer]\n"
            f"listen_addr = {HOST}\n"
            f"listen_port = {self.port}\n"
            "auth_type = trust\n"
            f"auth_file = {folder / 'users.txt'}\n"
            "pool_mode = transaction\n"
            "max_client_conn = 200\n"
            "default_pool_size = 20\n"
            # The service sets no session options through it (config/settings.py, DATABASE_POOL_MODE).
            "ignore_startup_parameters = extra_float_digits\n"
            "unix_socket_dir =\n"
            f"logfile = {folder / 'pgbouncer.log'}\n"
        )
        # PgBouncer will not run as root: it is then told to become the database's own system user.
        as_user = ["-u", "postgres"] if os.geteuid() == 0 else []
        if as_user:
            folder.chmod(0o777)
            for path in folder.iterdir():
                path.chmod(0o666)
        self.process = subprocess.Popen(  # noqa: S603
            [PGBOUNCER, *as_user, str(folder / "pgbouncer.ini")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"PgBouncer did not start: {self.log()}") from None
                time.sleep(0.1)

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text()[-3000:] if path.exists() else "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# gunicorn


def server_environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "TWO_FACTOR", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        BENCH_QUERY_HEADERS="true",
        # This run's key for asking a page without its access event (config/bench.py): new each run.
        BENCH_ACCESS_LOG_OFF=secrets.token_urlsafe(32),
        PYTHONUNBUFFERED="1",
        **ledger_environment(database_url),
    )
    return env


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int, log: Path):
        self.port = port
        self.command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--worker-class={'gthread' if threads > 1 else 'sync'}",
            "--forwarded-allow-ips=127.0.0.1",
            f"--timeout={SERVER_TIMEOUT}",
        ]
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log.open("w")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.process.returncode}: see {self.log.name}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer /healthz within {timeout} seconds")

    def workers(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Sequencer:
    """``manage.py ledger sequence --loop``, as production runs it beside the web servers (ADR 13)."""

    def __init__(self, env: dict[str, str], log: Path, interval: float = 0.5):
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "ledger", "sequence", "--loop", f"--interval={interval}"],
            cwd=ROOT,
            env={**env, "BENCH_QUERY_HEADERS": "false"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def check(self) -> None:
        if self.process.poll() is not None:
            raise BenchError(f"the sequencer exited with {self.process.returncode}: see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            # It finishes its round and exits on SIGTERM.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class LockWatch:
    """PostgreSQL: samples pg_stat_activity while pages are measured, for any backend of the database waiting
    on a lock (a heavyweight lock: a row, a transaction, an advisory lock), and what it was running."""

    def __init__(self, database_url: str, every: float = 0.02):
        self.database_url, self.every = database_url, every
        self.samples = self.waiting_samples = 0
        self.waits: dict[str, int] = {}
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.error = ""

    def start(self) -> None:
        if not self.database_url.startswith(("postgres://", "postgresql://")):
            return
        self.thread = threading.Thread(target=self._watch, name="bench-lock-watch", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        import dj_database_url
        import psycopg2

        config = dj_database_url.parse(self.database_url)
        try:
            connection = psycopg2.connect(
                dbname=config["NAME"],
                user=config["USER"] or None,
                password=config["PASSWORD"] or None,
                host=config["HOST"] or None,
                port=config["PORT"] or None,
            )
        except psycopg2.Error as error:
            self.error = str(error)
            return
        connection.autocommit = True
        with connection.cursor() as cursor:
            while not self.stopping.wait(self.every):
                cursor.execute(
                    "SELECT wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
                )
                rows = cursor.fetchall()
                self.samples += 1
                if rows:
                    self.waiting_samples += 1
                for wait_event, query in rows:
                    key = f"{wait_event}: {query}"
                    self.waits[key] = self.waits.get(key, 0) + 1
        connection.close()

    def stop(self) -> dict | None:
        if self.thread is None:
            return None
        self.stopping.set()
        self.thread.join()
        top = sorted(self.waits.items(), key=lambda item: -item[1])[:10]
        return {
            "samples": self.samples,
            "every_ms": round(self.every * 1000),
            "samples_with_a_lock_wait": self.waiting_samples,
            "waits": [{"what": what, "samples": count} for what, count in top],
            "error": self.error or None,
        }


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmHWM", "VmRSS"}:
            values[key] = int(rest.split()[0])
    return values


# The machine


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb_total = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb_total = int(line.split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb_total / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def django_side(env: dict[str, str], *args: str) -> dict:
    completed = subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "bench" / "django_side.py"), *args],
        cwd=ROOT,
        env={**env, "BENCH_QUERY_HEADERS": "false", "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"bench/django_side.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def page_cpu(env: dict[str, str], fixture: Path, profile: int) -> dict:
    """Each page's CPU in one process, and with ``profile`` where it goes (bench/page_cpu.py), run once the
    servers are stopped. Django's test client asks for the pages, as the host it names."""
    completed = subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "bench" / "page_cpu.py"), str(fixture), "--profile", str(profile)],
        cwd=ROOT,
        env={**env, "ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"bench/page_cpu.py failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout)


def prepare(database_url: str, fixture: Path) -> None:
    """Create (PostgreSQL), migrate and, when it holds no children, seed the benchmark's database; then sign a
    checkpoint of the log if it has grown since the last (after a migration that carried old chains over)."""
    # seed_scale and the data set's fixture need the scale app, which production settings leave out.
    env = {**os.environ, "DATABASE_URL": database_url, "BENCH_SCALE_APP": "true", **ledger_environment(database_url)}
    env.setdefault("DEBUG", "true")
    if database_url.startswith(("postgres://", "postgresql://")):
        create_database(database_url)
    print(f"Migrating {database_url.split('@')[-1]}...")
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    print(f"Migrated in {time.monotonic() - started:.1f} s.")
    key = Path(env["LEDGER_SIGNING_KEY_FILE"])
    if not key.exists():
        subprocess.run([PYTHON, "manage.py", "ledger", "generate-key", str(key)], cwd=ROOT, env=env, check=True)  # noqa: S603
    children = django_side(env, "children")["children"]
    if children:
        print(f"{children:,} children there already: not seeding (drop the database to seed it again).")
        if not fixture.exists():
            kept = django_side(env, "fixture")
            if kept is None:
                raise BenchError(
                    "The database holds children but no fixture (seed_scale keeps one in it): drop it to seed it again"
                )
            fixture.parent.mkdir(parents=True, exist_ok=True)
            fixture.write_text(json.dumps(kept, indent=2) + "\n")
            print(f"Fixture read from the database into {fixture}")
        sign(env)
        return
    # A database seeded afresh: checkpoints witnessed for one dropped earlier describe another log.
    witnessed = Path(env["LEDGER_WITNESS_DIR"])
    if witnessed.exists() and any(witnessed.iterdir()):
        aside = witnessed.with_name(f"{witnessed.name}-before-{time.strftime('%Y%m%d-%H%M%S')}")
        witnessed.rename(aside)
        print(f"The database was empty: its old witness store moved aside to {aside}")
    if not (ROOT / "scale" / "management" / "commands" / "seed_scale.py").exists():
        raise BenchError("The database is empty and manage.py seed_scale is not there to fill it")
    size = [
        "--children",
        os.environ.get("BENCH_CHILDREN", "100000"),
        "--records",
        os.environ.get("BENCH_RECORDS", "1000000"),
    ]
    print(f"Seeding with manage.py seed_scale {' '.join(size)} (this takes a while)...")
    command = [PYTHON, "manage.py", "seed_scale", *size, "--fixture", str(fixture)]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603
    print(f"Seeded in {time.monotonic() - started:.1f} s.")
    if not fixture.exists():
        raise BenchError(f"seed_scale wrote no {fixture}")
    sign(env)


def sign(env: dict[str, str]) -> None:
    """Place whatever is waiting and sign (and witness) a checkpoint of the whole log, if it grew."""
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "ledger", "sign"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    print(f"The log is signed to its end ({time.monotonic() - started:.1f} s).")


def create_database(database_url: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(database_url)
    options = {
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
    }
    try:
        psycopg2.connect(dbname=config["NAME"], **options).close()
        return
    except psycopg2.OperationalError as error:
        if "does not exist" not in str(error):
            raise BenchError(f"PostgreSQL at {database_url.split('@')[-1]} is not answering: {error}") from error
    connection = psycopg2.connect(dbname="postgres", **options)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    connection.close()
    print(f"Created the database {config['NAME']}.")


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"

"""Several application servers on one PostgreSQL (ADR 29): gunicorn instances and task workers in processes of
their own, as a region's deployment runs them on separate machines, reached directly or through PgBouncer in
transaction pooling mode. Nothing but the database is shared: each instance has its own folder."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
from pathlib import Path

from bench.client import HOST, REQUEST_TIMEOUT, Client
from bench.server import Gunicorn, free_port, server_environment

ROOT = Path(__file__).resolve().parent.parent.parent


class Instance:
    """One application server: gunicorn and a task worker, each a process group of its own."""

    def __init__(self, name: str, env: dict[str, str], folder: Path):
        self.name = name
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        env = {**env, "VAR_DIR": str(folder / "var")}
        self.environment = env
        self.port = free_port()
        self.web = Gunicorn(env, self.port, workers=1, threads=1, log=folder / "gunicorn.log")
        self.worker_log = (folder / "worker.log").open("w")
        self.worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "worker", "--interval", "0.2", "--worker-id", name],
            cwd=ROOT,
            env=env,
            stdout=self.worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        self.web.wait_ready()

    def logs(self) -> str:
        self.worker_log.flush()
        return "\n".join(
            f"--- {self.name} {path.name}:\n{path.read_text()[-2000:]}"
            for path in (self.folder / "gunicorn.log", self.folder / "worker.log")
            if path.exists()
        )

    def kill(self) -> None:
        """As a machine lost: every process of the instance killed at once, nothing finished."""
        if self.web.process.poll() is None:
            for pid in [self.web.process.pid, *self.web.workers()]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.web.process.wait(30)
        if self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(30)

    def stop(self) -> None:
        self.web.stop()
        if self.worker.poll() is None:
            self.worker.send_signal(signal.SIGTERM)
            try:
                self.worker.wait(30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait()
        self.worker_log.close()


def instances_environment(database_url: str, *, ledger: dict[str, str], pool_mode: str) -> dict[str, str]:
    """What every instance is given alike, as a deployment's configuration would: the same secret key, the
    same database, the same signing key and witness store (ADR 13); production settings."""
    env = server_environment(database_url)
    env.update(
        ledger,
        BENCH_QUERY_HEADERS="false",
        DATABASE_POOL_MODE=pool_mode,
        TASKS_BACKEND="database",
        SERVICE_URL=f"https://{HOST}",
        EMAIL_BACKEND="file",
        LOG_LEVEL="WARNING",
        # Static files as they are: the pages, not the assets, are what is shared here (make test-production
        # serves the hashed ones, as production does).
        STATIC_FILES="plain",
    )
    return env


class LoadBalanced(Client):
    """One person's browser behind a load balancer that keeps no sessions to one server: each request goes to
    the next instance in turn, under the one public name (the first instance's address)."""

    def __init__(self, ports: list[int], name: str):
        super().__init__(ports[0], name)
        self.connections = [http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT) for port in ports]
        self.ports = ports
        self.turn = -1
        self.served_by: list[int] = []

    def only(self, port: int) -> None:
        """The load balancer has taken the other instances out (they stopped answering its health checks)."""
        index = self.ports.index(port)
        self.connections, self.ports, self.turn = [self.connections[index]], [port], -1

    def request(self, method, path, data=None, expect=(200,)):
        self.turn = (self.turn + 1) % len(self.connections)
        self.connection = self.connections[self.turn]
        self.served_by.append(self.ports[self.turn])
        return super().request(method, path, data, expect)

    def close(self) -> None:
        for connection in self.connections:
            connection.close()

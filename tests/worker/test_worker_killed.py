"""A worker killed (SIGKILL) in the middle of a task, then started again: the task runs to completion, and
its work is done once, whether the worker died before the work or after it and before the task was marked
done (ADR 23). Real worker processes (`manage.py worker`) on the test's PostgreSQL database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.tasks import TaskResultStatus

from tests.worker.tasks_data import DATABASE, record_once, use_tasks
from worker.models import DoneOnce

ROOT = Path(django_settings.BASE_DIR)

pytestmark = [
    pytest.mark.usefixtures("transactional_db"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a served database: PostgreSQL"),
]


def wait_until(condition, *, seconds: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.05)


@pytest.fixture
def start_worker(tmp_path, settings):
    params = connection.settings_dict
    user, host, port = params["USER"] or "postgres", params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{host}:{port}/{params['NAME']}",
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path / "var"),
        "CONN_MAX_AGE": "0",
        "TASKS_BACKEND": "database",
        # A worker silent this long is lost, and its task run again.
        "TASKS_WORKER_LOST_SECONDS": "2",
        "LEDGER_SIGNING_KEY_FILE": str(settings.LEDGER_SIGNING_KEY_FILE),
        "LEDGER_WITNESS_DIR": str(settings.LEDGER_WITNESS_DIR),
        "LEDGER_ORIGIN": settings.LEDGER_ORIGIN,
    }
    started = []

    def start(name: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.1"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.mark.parametrize("killed", ["before its work", "after its work, before it was marked done"])
def test_a_worker_killed_mid_task_and_started_again_does_the_work_once(killed, start_worker, tmp_path, settings):
    use_tasks(settings, DATABASE)
    gate = tmp_path / "gate"
    gate.mkdir()
    after_the_work = killed.startswith("after")
    if after_the_work:
        (gate / "go").touch()
    result = record_once.enqueue("notification:42", str(gate))

    first = start_worker("first")
    wait_until(lambda: (gate / ("committed" if after_the_work else "started")).exists(), what="the task to start")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert record_once.get_result(result.id).status == TaskResultStatus.RUNNING, "the killed worker finished it"
    assert DoneOnce.objects.filter(key="notification:42").count() == (1 if after_the_work else 0)

    (gate / "go").touch()
    (gate / "finish").touch()
    start_worker("second")
    wait_until(
        lambda: record_once.get_result(result.id).status in {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED},
        what="the task to be run again and finish",
    )
    finished = record_once.get_result(result.id)
    assert finished.status == TaskResultStatus.SUCCESSFUL, (tmp_path / "second.log").read_text()[-3000:]
    assert finished.attempts == 2
    assert (gate / "started").read_text().count("started") == 2
    # The work itself, done once: the second run found it done and did not act again.
    assert DoneOnce.objects.filter(key="notification:42").count() == 1
    assert finished.return_value == ("already done" if after_the_work else "done")

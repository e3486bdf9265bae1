"""The Redis-backed backend (django-tasks-rq, TASKS_BACKEND=rq), for a deployment with several servers
(ADR 23): a task enqueued through it is run by a real RQ worker (`manage.py worker --burst`), and one that
fails is tried again. Needs Redis at TASKS_REDIS_URL: skipped if it is not answering, except in CI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.tasks import TaskResultStatus

from tests.worker.tasks_data import RQ, add, always_fails, fails_until_attempt, use_tasks
from worker import retries, selectors
from worker.status import FailingKind

ROOT = Path(django_settings.BASE_DIR)
# A database of Redis's own for each test process (pytest-xdist's gw0, gw1...), so that nothing of a running
# service's queue, nor of another test process's, is touched.
_PROCESS = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{8 + _PROCESS % 8}")


def redis_answers() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def rq_tasks(settings):
    if not redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is not answering; CI must test the Redis-backed backend on it.")
        pytest.skip(f"Redis at {REDIS_URL} is not answering: the Redis-backed backend is NOT tested here (CI does).")
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "QUEUE_CLASS": "worker.rq.RetryingQueue"}}
    use_tasks(settings, RQ)
    import django_rq

    queue = django_rq.get_queue("default")
    # The test process's own Redis database, emptied of every queue and registry (failed jobs too).
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def run_worker(tmp_path, **settings_from_environment: str) -> str:
    environment = {
        **os.environ,
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path / "var"),
        # The task needs no database; the worker is given one of its own, never the suite's.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": REDIS_URL,
        **settings_from_environment,
    }
    finished = subprocess.run(
        [sys.executable, "manage.py", "worker", "--burst", "--no-schedule"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout + finished.stderr


def test_a_task_enqueued_through_redis_is_run_by_an_rq_worker(rq_tasks, tmp_path):
    result = add.enqueue(2, 3)
    assert add.get_result(result.id).status.name == TaskResultStatus.READY.name
    run_worker(tmp_path)
    done = add.get_result(result.id)
    assert done.status.name == TaskResultStatus.SUCCESSFUL.name
    assert done.return_value == 5


def test_a_job_on_redis_is_given_the_retries_of_the_database_backend(rq_tasks, settings):
    import django_rq

    result = add.enqueue(1, 1)
    job = django_rq.get_queue("default").fetch_job(result.id)
    assert job.retries_left == settings.TASKS_MAX_ATTEMPTS - 1
    assert job.retry_intervals == retries.waits(
        max_attempts=settings.TASKS_MAX_ATTEMPTS, first_wait_seconds=settings.TASKS_RETRY_SECONDS
    )
    assert job.retry_intervals[:2] == [settings.TASKS_RETRY_SECONDS, 2 * settings.TASKS_RETRY_SECONDS]


def test_a_job_failing_every_attempt_on_redis_is_counted_for_the_lead(rq_tasks, settings, tmp_path):
    settings.TASKS_MAX_ATTEMPTS = 1
    result = fails_until_attempt.enqueue(succeeds_on=99)
    run_worker(tmp_path)
    assert fails_until_attempt.get_result(result.id).status.name == TaskResultStatus.FAILED.name
    status = selectors.worker_status()
    assert status.kinds == [FailingKind("Fails until attempt", failed=1, retrying=0)]
    # The burst worker has stopped: none is running.
    assert status.worker_silent


def test_a_record_is_marked_failed_only_once_rq_gives_up_on_its_job(rq_tasks, settings, tmp_path):
    """RQ tells of every failed attempt, before it decides whether to try again: only the last marks the record
    (a bundle's "could not be made", and its notification, are not sent while a retry is to come)."""
    settings.TASKS_MAX_ATTEMPTS, settings.TASKS_RETRY_SECONDS = 3, 0  # given to the job as it is enqueued
    record = tmp_path / "order"
    result = always_fails.enqueue(record=str(record))
    said = run_worker(tmp_path, TASKS_MAX_ATTEMPTS="3", TASKS_RETRY_SECONDS="0")
    # Tried three times (django-tasks-rq counts only the last of its attempts: RQ's own log says how many).
    assert said.count("enqueued for retry") == 2, said[-3000:]
    assert always_fails.get_result(result.id).status.name == TaskResultStatus.FAILED.name
    assert record.read_text().splitlines() == ["marked"]

"""Background tasks for the worker's tests, and the backends they run on (ADR 23).

The suite runs each task as it is enqueued (Django's ImmediateBackend: tests/conftest.py); a test that
needs the queue itself switches to the database backend with `use_tasks(settings, DATABASE)`.
"""

from __future__ import annotations

import time
from pathlib import Path

from asgiref.local import Local
from django.db import transaction
from django.tasks import TaskContext, task, task_backends

from worker import once, runner
from worker.failed_for_good import failed_for_good_marks

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def reset_task_backends() -> None:
    """Django keeps each backend once made; after TASKS changes it must make them again."""
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


def use_tasks(settings, backends: dict) -> None:
    settings.TASKS = backends
    reset_task_backends()


@task(takes_context=True)
def fails_until_attempt(context: TaskContext, succeeds_on: int) -> str:
    """Fails on each attempt before `succeeds_on` (an SMTP server down for a while)."""
    if context.attempt < succeeds_on:
        raise ConnectionRefusedError(f"attempt {context.attempt} refused")
    return f"done on attempt {context.attempt}"


def mark_failed(*, record: str) -> None:
    """`always_fails`' record marked failed for good, as its feature would mark it: here a line added to the
    file `record`, which a worker in another process can write too."""
    with Path(record).open("a") as marks:
        marks.write("marked\n")


@task(takes_context=True)
@failed_for_good_marks(mark_failed)
def always_fails(context: TaskContext, *, record: str) -> str:
    """Fails at every attempt (a PDF that cannot be laid out): its record is marked after the last."""
    raise MemoryError(f"attempt {context.attempt} ran out of memory")


@task
def wait_for(gate: str, name: str, seconds: float = 60) -> None:
    """Waits until a file named `name` is in the folder `gate` (the test says go)."""
    deadline = time.monotonic() + seconds
    while not (Path(gate) / name).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {name} in {gate}")
        time.sleep(0.05)


@task
def record_once(key: str, gate: str) -> str:
    """Does its work once however often it runs: says it started, waits for "go", records `key` done in one
    transaction with the work, says so, then waits for "finish" before it returns (so that a test can kill
    the worker before the work, or after it and before the task is marked done)."""
    folder = Path(gate)
    with (folder / "started").open("a") as started:
        started.write("started\n")
    wait_for.call(gate, "go")
    with transaction.atomic():
        first = once.first_time(key)
    (folder / "committed").write_text("yes")
    wait_for.call(gate, "finish")
    return "done" if first else "already done"


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def tick() -> str:
    """A periodic task's stand-in: no arguments, nothing to do."""
    return "ticked"


def run_ready_tasks(worker_id: str = "worker-in-test") -> None:
    """What `manage.py worker --burst` does, in this process: run every task ready now, then stop."""
    runner.RetryingWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()

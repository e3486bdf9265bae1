"""The worker that runs background tasks from the database backend (django-tasks-db), with what that
backend's own worker leaves out (ADR 23):

- a task that fails is tried again, TASKS_MAX_ATTEMPTS times in all with a growing wait (worker.retries),
  then stays failed, kept and shown on the lead's "For review": never dropped;
- a task left running by a worker that died (killed, its machine lost) is run again: each worker says it
  is alive every few seconds (WorkerHeartbeat), and a task running under one silent for
  TASKS_WORKER_LOST_SECONDS is put back in the queue (or failed, past its last attempt);
- periodic tasks are enqueued when due (worker.scheduler), from a second thread of the worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.tasks import TaskContext, TaskResultStatus, task_backends
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import retry

from worker import retries, scheduler, status
from worker.models import WorkerHeartbeat

log = logging.getLogger(__name__)

LOST_WORKER = "worker.runner.WorkerLost"


def uses_database_backend() -> bool:
    return isinstance(task_backends["default"], DatabaseBackend)


def beat_interval() -> float:
    """How often a worker says it is alive: often enough that a live one is never taken for lost."""
    return max(min(5.0, settings.TASKS_WORKER_LOST_SECONDS / 3), 0.2)


def beat(worker_id: str, *, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": timezone.now()},
        create_defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly says so: it runs nothing any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_lost(*, now=None) -> int:
    """Put back in the queue each task running under a worker not heard from for TASKS_WORKER_LOST_SECONDS;
    the number put back or failed. Safe to run from every worker at once: each change is conditional."""
    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.TASKS_WORKER_LOST_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=silent_since).values_list("worker_id", flat=True))
    recovered = 0
    for task_result in DBTaskResult.objects.running().filter(started_at__lt=silent_since):
        if task_result.worker_ids and task_result.worker_ids[-1] in alive:
            continue
        attempts = len(task_result.worker_ids)
        trace = f"The worker running this task stopped without finishing it (attempt {attempts}).\n"
        changes = {"exception_class_path": LOST_WORKER, "traceback": trace}
        if attempts >= settings.TASKS_MAX_ATTEMPTS:
            changes |= {"status": TaskResultStatus.FAILED, "finished_at": now}
        else:
            changes |= {"status": TaskResultStatus.READY, "run_after": now}
        # Only if still as read: another worker may have recovered it, or the slow worker finished it.
        recovered += DBTaskResult.objects.filter(
            pk=task_result.pk, status=TaskResultStatus.RUNNING, started_at=task_result.started_at
        ).update(**changes)
    if recovered:
        log.warning("Put back %d task(s) left running by a worker that stopped", recovered)
    return recovered


def forget_silent_workers(*, now=None) -> int:
    """Heartbeats of workers silent for a day: nothing of theirs can still be running."""
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()[0]


class RetryingWorker(Worker):
    """django-tasks-db's worker, which marks a task failed at its first exception, made to retry it."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except Exception as error:
            self._failed(db_task_result, error)
        except BaseException:
            # Stopped mid-task (a second Ctrl+C): back in the queue at once, this attempt counted.
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY, run_after=timezone.now()
            )
            raise
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _failed(self, db_task_result: DBTaskResult, error: Exception) -> None:
        attempts = len(db_task_result.worker_ids)
        if attempts < settings.TASKS_MAX_ATTEMPTS:
            wait = retries.wait_before_retry(attempts=attempts, first_wait_seconds=settings.TASKS_RETRY_SECONDS)
            _retry_later(db_task_result, error, run_after=timezone.now() + wait)
            log.warning(
                "Task %s (%s) failed on attempt %d of %d; tried again in %s",
                db_task_result.pk,
                db_task_result.task_name,
                attempts,
                settings.TASKS_MAX_ATTEMPTS,
                wait,
                exc_info=error,  # why, in the worker's log: its traceback is replaced by a later attempt's
            )
            return
        db_task_result.set_failed(error)
        log.error("Task %s (%s) failed on its last attempt (%d)", db_task_result.pk, db_task_result.task_name, attempts)
        with contextlib.suppress(ImportError):  # the task's code is gone: it failed, and says so
            task_finished.send(sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result)


@retry()
def _retry_later(db_task_result: DBTaskResult, error: Exception, *, run_after) -> None:
    """Back in the queue with its exception and traceback kept, in one statement: a worker killed here
    leaves it running, and so recovered, never failed for good by mistake."""
    DBTaskResult.objects.filter(pk=db_task_result.pk).update(
        status=TaskResultStatus.READY,
        run_after=run_after,
        finished_at=None,
        return_value=None,
        exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
        traceback="".join(format_exception(error)),
    )


class Housekeeping(threading.Thread):
    """The worker's second thread: says the worker is alive, puts back tasks of lost workers, and enqueues
    the periodic tasks that are due."""

    def __init__(self, worker_id: str, *, started_at, interval: float, schedule: bool, database: bool):
        super().__init__(name="worker-housekeeping", daemon=True)
        self.worker_id, self.started_at = worker_id, started_at
        self.interval, self.schedule, self.database = interval, schedule, database
        self.stopping = threading.Event()
        self.last_beat = None

    def tick(self) -> None:
        now = timezone.now()
        if self.database and (self.last_beat is None or (now - self.last_beat).total_seconds() >= beat_interval()):
            beat(self.worker_id, started_at=self.started_at)
            recover_lost(now=now)
            # What the lead's "For review" shows, written where the page reads it (worker.status).
            from worker.selectors import failing_tasks

            status.write(failing_tasks(), now=now)
            self.last_beat = now
        if self.schedule:
            scheduler.enqueue_due(now=now)

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.interval):
                try:
                    self.tick()
                except Exception:
                    log.exception("The worker's housekeeping failed; trying again")
                    if connections["default"].in_atomic_block:
                        transaction.set_rollback(True)
                finally:
                    close_old_connections()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=10)

"""Background tasks failing, by kind, for the lead's "For review" (ADR 23): how many failed for good and how
many fail and wait to be tried again. Kinds only: a task's arguments are never shown."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone

from worker import status
from worker.runner import uses_database_backend
from worker.status import FailingKind, WorkerStatus

# Failures are listed for this long after the last attempt.
FAILED_SHOWN_DAYS = 7


def kind_of(task_path: str) -> str:
    """The task's name in words: ledger.tasks.place_entries is "Place entries"."""
    return task_path.rsplit(".", 1)[-1].replace("_", " ").strip().capitalize()


def failing_tasks() -> list[FailingKind]:
    """Counted in the database backend's table (the worker's housekeeping, every few seconds)."""
    if not uses_database_backend():
        return []
    from django_tasks_db.models import DBTaskResult

    failed = Q(status=TaskResultStatus.FAILED, finished_at__gte=timezone.now() - timedelta(days=FAILED_SHOWN_DAYS))
    retrying = Q(status=TaskResultStatus.READY) & ~Q(exception_class_path="")
    rows = (
        DBTaskResult.objects.filter(failed | retrying)
        .order_by()
        .values("task_path")
        .annotate(failed=Count("pk", filter=failed), retrying=Count("pk", filter=retrying))
        .order_by("task_path")
    )
    return [FailingKind(kind_of(row["task_path"]), row["failed"], row["retrying"]) for row in rows]


def worker_status() -> WorkerStatus | None:
    """What the lead's page shows, without a query: the worker's last word (worker.status) with the database
    backend, RQ's own registries in Redis with RQ's; None where tasks run as they are enqueued."""
    backend = task_backends["default"]
    if uses_database_backend():
        return status.read()
    if type(backend).__module__.startswith("django_tasks_rq"):
        return _rq_status()
    return None


def _rq_status() -> WorkerStatus:
    import django_rq
    from redis.exceptions import RedisError
    from rq import Worker
    from rq.job import Job
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    try:
        queue = django_rq.get_queue("default")
        counts: dict[str, list[int]] = {}
        registries = ((FailedJobRegistry(queue=queue), 0), (ScheduledJobRegistry(queue=queue), 1))
        for registry, column in registries:
            for job in Job.fetch_many(registry.get_job_ids()[:500], connection=queue.connection):
                if job is not None and (column == 0 or job.retries_left is not None):
                    counts.setdefault(kind_of(job.func_name), [0, 0])[column] += 1
        alive = Worker.count(queue=queue) > 0
    except RedisError:
        return WorkerStatus(written_at=None, kinds=[])
    kinds = [FailingKind(kind, failed, retrying) for kind, (failed, retrying) in sorted(counts.items())]
    return WorkerStatus(written_at=timezone.now() if alive else None, kinds=kinds)

"""Background tasks failing, by kind, for the lead's "For review" (ADR 23): how many failed for good and how
many fail and wait to be tried again. Kinds only: a task's arguments are never shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.tasks import TaskResultStatus
from django.utils import timezone

from worker.runner import uses_database_backend

# Failures are listed for this long after the last attempt.
FAILED_SHOWN_DAYS = 7


@dataclass(frozen=True)
class FailingKind:
    kind: str
    failed: int
    retrying: int


def kind_of(task_path: str) -> str:
    """The task's name in words: ledger.tasks.place_entries is "Place entries"."""
    return task_path.rsplit(".", 1)[-1].replace("_", " ").strip().capitalize()


def failing_tasks() -> list[FailingKind]:
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

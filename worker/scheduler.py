"""Enqueues the periodic tasks (worker.schedule) that are due: run by every worker, a few times a second.

Each periodic task has a row (PeriodicRun) saying when it is next due. A worker that finds it due moves it
on with a conditional UPDATE and enqueues the task in the same transaction: of several workers on several
servers, only the one whose UPDATE changed the row enqueues it (ADR 23).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from worker.models import PeriodicRun
from worker.schedule import SCHEDULE, Periodic

UNFINISHED = {TaskResultStatus.READY.name, TaskResultStatus.RUNNING.name}


def _still_unfinished(periodic: Periodic, result_id: str) -> bool:
    """Whether the last run enqueued still waits or runs (a slow task is not enqueued again meanwhile)."""
    if not result_id or not periodic.task.get_backend().supports_get_result:
        return False
    try:
        result = periodic.task.get_result(result_id)
    except TaskResultDoesNotExist:
        return False
    # The status's name: RQ's backend answers with its own enumeration of the same names.
    return result.status.name in UNFINISHED


def enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task that is due and has work; the names of those enqueued."""
    if not SCHEDULE:
        return []
    now = now or timezone.now()
    known = set(PeriodicRun.objects.filter(name__in=list(SCHEDULE)).values_list("name", flat=True))
    if missing := [PeriodicRun(name=name, next_run_at=now) for name in SCHEDULE if name not in known]:
        PeriodicRun.objects.bulk_create(missing, ignore_conflicts=True)
    enqueued = []
    for run in PeriodicRun.objects.filter(name__in=list(SCHEDULE), next_run_at__lte=now).order_by("name"):
        periodic = SCHEDULE[run.name]
        if _still_unfinished(periodic, run.last_result_id):
            continue
        if periodic.when is not None and not periodic.when():
            continue
        with transaction.atomic():
            moved_on = PeriodicRun.objects.filter(name=run.name, next_run_at=run.next_run_at).update(
                next_run_at=now + periodic.interval
            )
            if not moved_on:
                continue  # another worker enqueued it
            result = periodic.task.enqueue()
            PeriodicRun.objects.filter(name=run.name).update(last_result_id=str(result.id), last_enqueued_at=now)
        enqueued.append(run.name)
    return enqueued

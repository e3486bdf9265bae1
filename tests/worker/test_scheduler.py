"""Periodic tasks are enqueued when due, only when they have work, never while the last run is unfinished,
and once among several workers (ADR 23)."""

from datetime import timedelta

import pytest
import time_machine
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.worker.tasks_data import run_ready_tasks, tick
from worker import schedule, scheduler
from worker.models import PeriodicRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


@pytest.fixture
def only_add_every_minute(monkeypatch):
    work = {"waiting": True}
    monkeypatch.setattr(schedule, "SCHEDULE", {})
    monkeypatch.setattr(scheduler, "SCHEDULE", schedule.SCHEDULE)
    schedule.every(timedelta(minutes=1), tick, when=lambda: work["waiting"])
    return work


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=tick.module_path).count()


def test_a_periodic_task_is_enqueued_when_due_and_not_again_until_its_interval_has_passed(only_add_every_minute):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert scheduler.enqueue_due() == [tick.module_path]
        run_ready_tasks()
        clock.shift(timedelta(seconds=59))
        assert scheduler.enqueue_due() == []
        clock.shift(timedelta(seconds=1))
        assert scheduler.enqueue_due() == [tick.module_path]
    assert queued() == 2


def test_nothing_is_enqueued_while_there_is_no_work(only_add_every_minute):
    only_add_every_minute["waiting"] = False
    assert scheduler.enqueue_due() == []
    assert queued() == 0
    only_add_every_minute["waiting"] = True
    assert scheduler.enqueue_due() == [tick.module_path]


def test_a_run_still_waiting_holds_back_the_next(only_add_every_minute):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        scheduler.enqueue_due()
        clock.shift(timedelta(minutes=5))
        assert scheduler.enqueue_due() == [], "enqueued again while the last run waited"
        run_ready_tasks()
        assert scheduler.enqueue_due() == [tick.module_path]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1


def test_of_two_workers_looking_at_once_only_one_enqueues(only_add_every_minute):
    now = timezone.now()
    scheduler.enqueue_due(now=now)
    # A second worker that read the row before the first moved it on finds it moved: nothing to do.
    PeriodicRun.objects.update(last_result_id="")
    stale = PeriodicRun.objects.get()
    assert PeriodicRun.objects.filter(name=stale.name, next_run_at__lte=now).count() == 0
    assert scheduler.enqueue_due(now=now) == []
    assert queued() == 1


def test_the_ledger_and_the_worker_register_their_periodic_tasks():
    assert {"ledger.tasks.place_entries", "ledger.tasks.sign_checkpoint", "worker.tasks.prune_finished"} <= set(
        schedule.SCHEDULE
    )

"""A task left running by a worker that stopped saying it is alive is put back in the queue, or failed after
its last attempt; one under a live worker is left alone (ADR 23)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.worker.tasks_data import add, fails_until_attempt, run_ready_tasks
from worker import once, runner, status
from worker.models import WorkerHeartbeat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


def running(*worker_ids: str, minutes_ago: int = 5) -> DBTaskResult:
    result = add.enqueue(1, 2)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=list(worker_ids),
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_of_a_silent_worker_is_put_back_and_one_of_a_live_worker_is_not(settings):
    settings.TASKS_WORKER_LOST_SECONDS = 60
    lost = running("gone")
    alive = running("alive")
    runner.beat("alive", started_at=timezone.now())
    assert runner.recover_lost() == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == TaskResultStatus.READY
    assert lost.exception_class_path == runner.LOST_WORKER
    assert alive.status == TaskResultStatus.RUNNING


def test_a_task_just_claimed_is_not_taken_for_lost(settings):
    settings.TASKS_WORKER_LOST_SECONDS = 60
    running("starting", minutes_ago=0)
    assert runner.recover_lost() == 0


def test_a_task_lost_on_its_last_attempt_is_failed_not_dropped(settings):
    lost = running("a", "b", "c")
    assert len(lost.worker_ids) == settings.TASKS_MAX_ATTEMPTS
    runner.recover_lost()
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert "stopped without finishing" in lost.traceback


def test_work_recorded_once_is_not_done_again():
    with transaction.atomic():
        assert once.first_time("summary:1:2026-12-06")
    with transaction.atomic():
        assert not once.first_time("summary:1:2026-12-06")
    assert once.done("summary:1:2026-12-06")


def test_the_housekeeping_says_the_worker_is_alive_and_writes_what_fails_for_the_lead(settings):
    fails_until_attempt.enqueue(succeeds_on=2)
    run_ready_tasks()
    runner.Housekeeping("in-test", started_at=timezone.now(), interval=1, schedule=False, database=True).tick()
    assert WorkerHeartbeat.objects.filter(worker_id="in-test").exists()
    written = status.read()
    assert not written.worker_silent
    assert written.kinds == [status.FailingKind("Fails until attempt", failed=0, retrying=1)]

"""A task that fails is tried again with a growing wait, and after its last attempt is kept as failed and
shown on the lead's "For review" (ADR 23)."""

from datetime import timedelta

import pytest
import time_machine
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.worker.tasks_data import fails_until_attempt, run_ready_tasks
from worker import retries, selectors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def test_the_waits_double_and_stop_at_an_hour():
    waits = [retries.wait_before_retry(attempts=n, first_wait_seconds=10) for n in (1, 2, 3, 12)]
    assert waits == [timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40), timedelta(hours=1)]
    assert retries.waits(max_attempts=4, first_wait_seconds=10) == [10, 20, 40]


def test_a_failing_task_waits_and_is_tried_again_until_it_succeeds():
    result = fails_until_attempt.enqueue(succeeds_on=3)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        run_ready_tasks()
        first = row(result)
        assert first.status == TaskResultStatus.READY
        assert first.exception_class_path == "builtins.ConnectionRefusedError"
        assert first.run_after == start + timedelta(seconds=10)
        assert len(first.worker_ids) == 1

        clock.shift(timedelta(seconds=9))
        run_ready_tasks()
        assert len(row(result).worker_ids) == 1, "tried again before its wait was over"

        clock.shift(timedelta(seconds=2))
        run_ready_tasks()
        second = row(result)
        assert (second.status, len(second.worker_ids)) == (TaskResultStatus.READY, 2)
        assert second.run_after == start + timedelta(seconds=11 + 20)

        clock.shift(timedelta(seconds=21))
        run_ready_tasks()
    done = fails_until_attempt.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == "done on attempt 3"
    assert done.attempts == 3


def test_the_worker_log_says_why_each_failed_attempt_failed(caplog):
    """The task's row keeps only the last attempt's traceback: the log keeps each one, for whoever runs it."""
    fails_until_attempt.enqueue(succeeds_on=2)
    with caplog.at_level("WARNING", logger="worker.runner"):
        run_ready_tasks()
    (said,) = [record for record in caplog.records if "failed on attempt 1" in record.getMessage()]
    assert "ConnectionRefusedError: attempt 1 refused" in caplog.text
    assert said.exc_info is not None


def test_a_task_failing_every_attempt_is_kept_as_failed_and_counted_for_the_lead(settings):
    result = fails_until_attempt.enqueue(succeeds_on=99)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(settings.TASKS_MAX_ATTEMPTS + 1):
            run_ready_tasks()
            clock.shift(timedelta(hours=1))
    # Another, failing its first attempt: it waits to be tried again.
    fails_until_attempt.enqueue(succeeds_on=99)
    run_ready_tasks()
    failed = fails_until_attempt.get_result(result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.attempts == settings.TASKS_MAX_ATTEMPTS
    assert "attempt 3 refused" in failed.errors[0].traceback
    assert selectors.failing_tasks() == [selectors.FailingKind("Fails until attempt", failed=1, retrying=1)]


def test_a_task_failing_and_waiting_is_counted_as_to_be_tried_again():
    fails_until_attempt.enqueue(succeeds_on=2)
    run_ready_tasks()
    assert selectors.failing_tasks() == [selectors.FailingKind("Fails until attempt", failed=0, retrying=1)]

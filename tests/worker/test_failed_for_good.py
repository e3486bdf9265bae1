"""A feature's record is marked when its task has failed its last attempt, not before (worker.failed_for_good):
a bundle or a release then says it could not be made, and what to do."""

from datetime import timedelta

import pytest
import time_machine
from django.tasks import TaskResultStatus
from django.utils import timezone

from tests.worker import tasks_data
from tests.worker.tasks_data import IMMEDIATE, always_fails, run_ready_tasks, use_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_marked():
    tasks_data.MARKED_FAILED.clear()
    yield
    tasks_data.MARKED_FAILED.clear()


@pytest.mark.usefixtures("database_tasks")
def test_the_database_worker_marks_the_record_after_the_last_attempt_only(settings):
    result = always_fails.enqueue(record="order 7")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(1, settings.TASKS_MAX_ATTEMPTS):
            run_ready_tasks()
            assert always_fails.get_result(result.id).status == TaskResultStatus.READY
            assert tasks_data.MARKED_FAILED == [], f"marked failed after attempt {attempt}, with more to come"
            clock.shift(timedelta(hours=1))
        run_ready_tasks()
    assert always_fails.get_result(result.id).status == TaskResultStatus.FAILED
    # Said by the last attempt itself and by the worker's task_finished: marking twice changes nothing.
    assert set(tasks_data.MARKED_FAILED) == {"order 7"}


def test_a_task_run_where_it_is_enqueued_marks_its_record_at_its_one_attempt(settings):
    use_tasks(settings, IMMEDIATE)
    always_fails.enqueue(record="approval 3")
    assert set(tasks_data.MARKED_FAILED) == {"approval 3"}


def test_a_task_that_succeeds_marks_nothing(settings):
    use_tasks(settings, IMMEDIATE)
    tasks_data.add.enqueue(2, 3)
    assert tasks_data.MARKED_FAILED == []

"""A feature's record is marked when its task has failed its last attempt, not before (worker.failed_for_good):
a bundle or a release then says it could not be made, and what to do. The Redis backend's case is in
tests/worker/test_redis_backend.py."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.tasks import TaskResultStatus
from django.utils import timezone

from tests.worker.tasks_data import IMMEDIATE, add, always_fails, run_ready_tasks, use_tasks

pytestmark = pytest.mark.django_db


def marks(record: Path) -> int:
    return len(record.read_text().splitlines()) if record.exists() else 0


@pytest.mark.usefixtures("database_tasks")
def test_the_database_worker_marks_the_record_after_the_last_attempt_only(settings, tmp_path):
    record = tmp_path / "order"
    result = always_fails.enqueue(record=str(record))
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(1, settings.TASKS_MAX_ATTEMPTS):
            run_ready_tasks()
            assert always_fails.get_result(result.id).status == TaskResultStatus.READY
            assert marks(record) == 0, f"marked failed after attempt {attempt}, with more to come"
            clock.shift(timedelta(hours=1))
        run_ready_tasks()
    assert always_fails.get_result(result.id).status == TaskResultStatus.FAILED
    assert marks(record) == 1


def test_a_task_run_where_it_is_enqueued_marks_its_record_at_its_one_attempt(settings, tmp_path):
    use_tasks(settings, IMMEDIATE)
    record = tmp_path / "approval"
    always_fails.enqueue(record=str(record))
    assert marks(record) == 1


def test_a_task_that_succeeds_marks_nothing(settings, tmp_path):
    use_tasks(settings, IMMEDIATE)
    add.enqueue(2, 3)
    assert not list(tmp_path.iterdir())

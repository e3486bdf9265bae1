import pytest
from django_tasks_db.management.commands import db_worker

from tests.worker.tasks_data import DATABASE, use_tasks


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Tasks queued in the test's database (django-tasks-db), for a worker to run in the test's process."""
    use_tasks(settings, DATABASE)
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.TASKS_RETRY_SECONDS = 10
    # The worker drops connections it thinks stale between tasks; here that would be the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

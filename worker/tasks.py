"""The worker's own periodic task: what it keeps of finished work is pruned (ADR 23)."""

from datetime import timedelta

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from worker.models import DoneOnce
from worker.runner import forget_silent_workers, uses_database_backend

# A piece of work done is remembered this long: a duplicate of a task arrives within minutes, not months.
KEEP_DONE_ONCE = timedelta(days=90)


@task
def prune_finished() -> int:
    """Tasks that succeeded more than TASKS_KEEP_DAYS ago; failed ones are kept (the lead sees them)."""
    now = timezone.now()
    pruned = DoneOnce.objects.filter(done_at__lt=now - KEEP_DONE_ONCE).delete()[0]
    pruned += forget_silent_workers(now=now)
    if uses_database_backend():
        from django_tasks_db.models import DBTaskResult

        pruned += DBTaskResult.objects.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - timedelta(days=settings.TASKS_KEEP_DAYS)
        ).delete()[0]
    return pruned

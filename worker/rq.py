"""RQ's queue for the Redis-backed backend (TASKS_BACKEND=rq), with the retries of the database one: a job
that fails is tried again TASKS_MAX_ATTEMPTS times in all, with the same waits (worker.retries); RQ keeps
one failed for good in its failed job registry (ADR 23)."""

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry

from worker import retries


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None and settings.TASKS_MAX_ATTEMPTS > 1:
            kwargs["retry"] = Retry(
                max=settings.TASKS_MAX_ATTEMPTS - 1,
                interval=retries.waits(
                    max_attempts=settings.TASKS_MAX_ATTEMPTS, first_wait_seconds=settings.TASKS_RETRY_SECONDS
                ),
            )
        return super().create_job(*args, **kwargs)


def retried_after(task_result) -> bool:
    """Whether RQ will try the task's job again after the failure it has just told of: RQ runs a job's failure
    callback (django-tasks-rq's task_finished) before it decides, so its retries left are not yet spent. False
    for every other backend, which tell of a failure only once it is final."""
    if not type(task_result.task.get_backend()).__module__.startswith("django_tasks_rq"):
        return False
    import django_rq

    job = django_rq.get_queue(task_result.task.queue_name).fetch_job(task_result.id)
    return job is not None and bool(job.retries_left)

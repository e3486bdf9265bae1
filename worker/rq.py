"""RQ's queue for the Redis-backed backend (TASKS_BACKEND=rq), with the retries of the database one: a job
that fails is tried again TASKS_MAX_ATTEMPTS times in all, with the same waits (worker.retries); RQ keeps
one failed for good in its failed job registry (ADR 23)."""

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry, Worker

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


class PromptWorker(Worker):
    """RQ's worker, stopping promptly. RQ listens for commands on a channel in a thread that waits on the
    connection up to 60 s at a time, and as the worker stops it closes that channel on the same connection:
    the close could wait out the 60 s, so a burst run, or a worker told to stop, took a minute to end. The
    thread here waits a second at a time; the commands it listens for are the same."""

    def subscribe(self):
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )


def retried_after(task_result) -> bool:
    """Whether RQ will try the task's job again after the failure it has just told of: RQ runs a job's failure
    callback (django-tasks-rq's task_finished) before it decides, so its retries left are not yet spent. False
    for every other backend, which tell of a failure only once it is final."""
    if not type(task_result.task.get_backend()).__module__.startswith("django_tasks_rq"):
        return False
    import django_rq

    job = django_rq.get_queue(task_result.task.queue_name).fetch_job(task_result.id)
    return job is not None and bool(job.retries_left)

"""What the worker keeps beside the tasks' own table (django_tasks_db's): who is alive, when each periodic
task is next due, and which pieces of work are done (ADR 23)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A worker process, and when it last said it was alive: a task left running under a worker silent for
    TASKS_WORKER_LOST_SECONDS is run again (worker.runner.recover_lost)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"worker {self.worker_id}"


class PeriodicRun(models.Model):
    """When a periodic task (worker.schedule) is next due, and the last run enqueued: one row a task, so that
    of several workers only the one that moves `next_run_at` on enqueues it."""

    name = models.CharField(max_length=255, primary_key=True)
    next_run_at = models.DateTimeField()
    last_result_id = models.CharField(max_length=64, blank=True)
    last_enqueued_at = models.DateTimeField(null=True)

    def __str__(self):
        return self.name


class DoneOnce(models.Model):
    """A piece of work done, by its key, written in the same transaction as the work (worker.once): a task
    run a second time finds it and does not act again."""

    key = models.CharField(max_length=255, unique=True)
    done_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key

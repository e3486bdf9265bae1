"""Run background tasks (ADR 23): `make run` starts it beside the web server; production runs one or more.

manage.py worker                 run tasks as they are enqueued, and enqueue periodic tasks when due
manage.py worker --burst         run what is ready, then stop
manage.py worker --no-schedule   run tasks only (another process enqueues the periodic ones)

With TASKS_BACKEND=database (the default) it runs django-tasks-db's queue with retries and the recovery
of tasks left by a worker that died (worker.runner); with TASKS_BACKEND=rq, an RQ worker on Redis.
"""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.tasks import task_backends
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db import DatabaseBackend

from worker import runner

# A log line like the rest (JSON in production, ADR 28), not bare text on standard error.
logger = logging.getLogger("worker")


class Command(BaseCommand):
    help = "Run background tasks, and enqueue the periodic ones when due."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="run what is ready, then stop")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between looks at the queue")
        parser.add_argument("--no-schedule", action="store_false", dest="schedule", help="no periodic tasks")
        parser.add_argument("--worker-id", default="", help="unique among workers (default: made up)")

    def handle(self, *args, burst=False, interval=0.5, schedule=True, worker_id="", **options):
        backend = task_backends["default"]
        worker_id = worker_id or get_random_string(32)
        if isinstance(backend, DatabaseBackend):
            self._database(worker_id, burst=burst, interval=interval, schedule=schedule)
        elif type(backend).__module__.startswith("django_tasks_rq"):
            self._rq(worker_id, burst=burst, interval=interval, schedule=schedule)
        else:
            raise CommandError(
                f"The default tasks backend ({type(backend).__name__}) runs tasks where they are enqueued: "
                "there is nothing for a worker to do (TASKS_BACKEND=database or rq)."
            )

    def _housekeeping(self, worker_id, *, interval, schedule, database) -> runner.Housekeeping:
        housekeeping = runner.Housekeeping(
            worker_id, started_at=timezone.now(), interval=interval, schedule=schedule, database=database
        )
        # Once before any task is claimed: the worker is known to be alive before it runs anything.
        housekeeping.tick()
        return housekeeping

    def _database(self, worker_id, *, burst, interval, schedule):
        housekeeping = self._housekeeping(worker_id, interval=interval, schedule=schedule, database=True)
        if not burst:
            housekeeping.start()
            logger.info("Worker %s: running background tasks; periodic ones: %s.", worker_id, schedule)
        worker = runner.RetryingWorker(
            queue_names=["*"],
            interval=interval,
            batch=burst,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            housekeeping.stop()
            runner.forget(worker_id)

    def _rq(self, worker_id, *, burst, interval, schedule):
        import django_rq
        from django_tasks_rq.backend import Job

        from worker.rq import PromptWorker

        housekeeping = self._housekeeping(worker_id, interval=interval, schedule=schedule, database=False)
        if not burst:
            housekeeping.start()
        rq_worker = django_rq.get_worker("default", job_class=Job, worker_class=PromptWorker, name=worker_id)
        try:
            # RQ's own scheduler moves retries and deferred jobs into the queue when their time comes.
            rq_worker.work(burst=burst, with_scheduler=True)
        finally:
            housekeeping.stop()

"""What a feature does when one of its tasks has failed its last attempt (ADR 23): its record is marked (a
bundle "could not be made", a release "could not be made") so that the page says what to do next.

    @task(takes_context=True)
    @failed_for_good_marks(services.bundle_order_failed)
    def bundle_order_make(context, *, order_id): ...

``mark`` is called with the task's keyword arguments when its last attempt raises, and again when
django.tasks' task_finished says the task failed: the database worker sends that only after the last
attempt, RQ at every failure, and Django's ImmediateBackend at the first. ``mark`` must therefore be safe to
call more than once, and should change nothing for a record already made.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.tasks import TaskContext, TaskResultStatus
from django.tasks.signals import task_finished

log = logging.getLogger(__name__)


def failed_for_good_marks(mark: Callable[..., None]):
    def decorate(function):
        module_path = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def run(context: TaskContext, *args, **kwargs):
            try:
                return function(context, *args, **kwargs)
            except Exception:
                if context.attempt >= settings.TASKS_MAX_ATTEMPTS:
                    mark(**kwargs)
                raise

        def finished(sender, task_result, **signal_kwargs) -> None:
            # Sent from the worker's own bookkeeping: never raises.
            if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != module_path:
                return
            try:
                mark(**task_result.kwargs)
            except Exception:
                log.exception("Could not mark the record of a task that failed (%s)", module_path)

        task_finished.connect(finished, weak=False, dispatch_uid=f"failed-for-good:{module_path}")
        return run

    return decorate

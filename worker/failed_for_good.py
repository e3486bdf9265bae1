"""What a feature does when one of its tasks has failed its last attempt (ADR 23): its record is marked (a
bundle "could not be made", a release "could not be made") so that the page says what to do next.

    @task(takes_context=True)
    @failed_for_good_marks(services.bundle_order_failed)
    def bundle_order_make(context, *, order_id): ...

``mark`` is called with the task's keyword arguments once django.tasks' task_finished says the task failed
and will not be tried again: the database worker sends it only after the last attempt, Django's
ImmediateBackend at the first (and only) one, RQ after every failed attempt, before it decides whether to
try again (so a failure RQ will retry is passed over, worker.rq.retried_after). ``mark`` should be safe to
call twice and change nothing for a record already made. django-tasks-rq sends the task_finished of the
django-tasks package it is built on, not Django's own: the receiver listens to both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.tasks.signals import task_finished

log = logging.getLogger(__name__)


def failed_for_good_marks(mark: Callable[..., None]):
    def decorate(function):
        module_path = f"{function.__module__}.{function.__qualname__}"

        def finished(sender, task_result, **signal_kwargs) -> None:
            # Sent from the worker's own bookkeeping: never raises.
            # By name: django-tasks' TaskResultStatus is not Django's, though they say the same.
            if task_result.status.name != "FAILED" or task_result.task.module_path != module_path:
                return
            try:
                from worker import rq

                if rq.retried_after(task_result):
                    return
                mark(**task_result.kwargs)
            except Exception:
                log.exception("Could not mark the record of a task that failed (%s)", module_path)

        for signal in _task_finished_signals():
            signal.connect(finished, weak=False, dispatch_uid=f"failed-for-good:{module_path}")
        return function

    return decorate


def _task_finished_signals():
    yield task_finished
    try:
        from django_tasks.signals import task_finished as sent_by_django_tasks_rq
    except ImportError:  # without the Redis backend's packages
        return
    yield sent_by_django_tasks_rq

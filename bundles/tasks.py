"""The bundles' background work (ADR 21 and 23): a bundle asked for is made by the worker, not while the lead
waits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import TaskContext, task

from bundles import services

log = logging.getLogger(__name__)


@task(takes_context=True)
def bundle_order_make(context: TaskContext, *, order_id: str) -> str:
    """Make the bundle of the order ``order_id``; once, however often this runs."""
    try:
        made = services.bundle_order_make(order_id=order_id)
    except Exception:
        if context.attempt >= settings.TASKS_MAX_ATTEMPTS:
            # Its last attempt: said here as well as by task_finished below, which RQ sends at every failure.
            services.bundle_order_failed(order_id=order_id)
        raise
    return "made" if made is not None else "made already"


def task_finished(sender, task_result, **kwargs) -> None:
    """Connected to django.tasks' task_finished, which the worker sends once a task has failed its last attempt
    (and Django's ImmediateBackend at its first): the order is marked failed. Never raises: the worker sends
    this from its own bookkeeping."""
    try:
        services.bundle_task_finished(task_result=task_result)
    except Exception:
        log.exception("Could not mark a bundle order whose task failed")

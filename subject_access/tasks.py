"""The subject access requests' background work (ADR 22 and 23): the release approved is made by the worker,
not while the lead waits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import TaskContext, task

from subject_access import services

log = logging.getLogger(__name__)


@task(takes_context=True)
def release_make(context: TaskContext, *, approval_id: int) -> str:
    """Make and keep the release of the approval ``approval_id``; once, however often this runs."""
    try:
        made = services.release_from_approval(approval_id=approval_id)
    except Exception:
        if context.attempt >= settings.TASKS_MAX_ATTEMPTS:
            # Its last attempt: said here as well as by task_finished below, which RQ sends at every failure.
            services.release_failed(approval_id=approval_id)
        raise
    return "released" if made is not None else "released already"


def task_finished(sender, task_result, **kwargs) -> None:
    """Connected to django.tasks' task_finished, which the worker sends once a task has failed its last attempt
    (and Django's ImmediateBackend at its first): the approval is marked failed. Never raises: the worker sends
    this from its own bookkeeping."""
    try:
        services.release_task_finished(task_result=task_result)
    except Exception:
        log.exception("Could not mark a release whose task failed")

"""The bundles' background work (ADR 21 and 23): a bundle asked for is made by the worker, not while the lead
waits."""

from __future__ import annotations

from django.tasks import TaskContext, task

from bundles import services
from worker.failed_for_good import failed_for_good_marks


@task(takes_context=True)
@failed_for_good_marks(services.bundle_order_failed)
def bundle_order_make(context: TaskContext, *, order_id: str) -> str:
    """Make the bundle of the order ``order_id``; once, however often this runs. Failed for good, the child's
    list says it could not be made."""
    made = services.bundle_order_make(order_id=order_id)
    return "made" if made is not None else "made already"

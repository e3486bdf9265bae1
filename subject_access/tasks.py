"""The subject access requests' background work (ADR 22 and 23): the release approved is made by the worker,
not while the lead waits."""

from __future__ import annotations

from django.tasks import TaskContext, task

from subject_access import services
from worker.failed_for_good import failed_for_good_marks


@task(takes_context=True)
@failed_for_good_marks(services.release_failed)
def release_make(context: TaskContext, *, approval_id: int) -> str:
    """Make and keep the release of the approval ``approval_id``; once, however often this runs. Failed for
    good, the request's page says the release could not be made and the lead may approve again."""
    made = services.release_from_approval(approval_id=approval_id)
    return "released" if made is not None else "released already"

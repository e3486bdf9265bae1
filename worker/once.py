"""Work that must not be done twice when a task runs twice (a worker killed after the work but before the
task was marked done, or a task enqueued twice by mistake; ADR 23).

Inside the transaction that does the work:

    with transaction.atomic():
        if not once.first_time(f"daily-summary:{person.pk}:{day}"):
            return "already done"
        ...the work...

The key is written with the work and both commit or neither: a second run finds the key and stops. For
work outside the database (an email sent), the key is written in the transaction that sends: a failure
to send undoes it, so the task is tried again; a process killed between sending and committing sends
again (at least once, never silently lost).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from worker.models import DoneOnce


def first_time(key: str) -> bool:
    """Record `key` as done; False if it was done already. Call inside transaction.atomic()."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("once.first_time must be called inside the transaction that does the work")
    try:
        with transaction.atomic():
            DoneOnce.objects.create(key=key, done_at=timezone.now())
    except IntegrityError:
        return False
    return True


def done(key: str) -> bool:
    return DoneOnce.objects.filter(key=key).exists()

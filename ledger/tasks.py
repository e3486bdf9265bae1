"""The ledger's background tasks (ADR 13, ADR 23), enqueued by the worker when there is work (ledger.apps).

Both may run twice, or beside the sequencing a writer's process does after its commit, and still act once:
the sequencer's lock lets one run at a time, an entry leaves the queue in the transaction that places it,
and a checkpoint is signed only of a tree larger than the last one signed.
"""

from django.tasks import task

from ledger import sequencer


@task
def place_entries() -> int:
    """Place every committed entry waiting in the tree; how many were placed."""
    placed = 0
    while done := sequencer.sequence(sign=False):
        placed += done
    return placed


@task
def sign_checkpoint() -> int | None:
    """Sign a checkpoint of the tree if one is due; its size, or None."""
    checkpoint = sequencer.sign_if_due()
    return checkpoint.size if checkpoint is not None else None

"""Work done once the response has been sent: an email whose timing must
not tell anything, entries to place in the ledger's tree.

Django sends ``request_finished`` when the server has written the response
(the test client sends it too); work queued during a request runs then, so
that the page neither waits for it nor, by how long it takes, tells anything
about it. Outside a request the work runs at once.
"""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connections

log = logging.getLogger(__name__)
_request = threading.local()


def after_response(task: Callable[[], None]) -> None:
    if getattr(_request, "open", False):
        if task not in _request.tasks:  # the same function queued twice in a request runs once
            _request.tasks.append(task)
    else:
        task()


def request_opened(**kwargs) -> None:
    """Connected to request_started."""
    _request.open, _request.tasks = True, []


def run_waiting(**kwargs) -> None:
    """Connected to request_finished."""
    tasks = getattr(_request, "tasks", [])
    _request.open, _request.tasks = False, []
    if not tasks:
        return
    try:
        for task in tasks:
            try:
                task()
            except Exception:
                log.exception("Work left for after the response failed")
    finally:
        # Django's own request_finished handler may have run first: leave
        # connections as it would. Not inside a transaction (a test's own,
        # which the test client keeps open across its requests).
        if not any(database.in_atomic_block for database in connections.all(initialized_only=True)):
            close_old_connections()

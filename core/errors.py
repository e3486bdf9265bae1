"""The one application error: a write the service refuses, for a reason the person can act on.

A view checks what it can before it calls a service (the form, the record's
state), and most refusals are shown there, beside the field. The service
checks again inside its transaction, because someone else may have acted in
between (another tab recorded the draft, a consent was withdrawn). When it
refuses, it raises an ``ApplicationError`` whose message is written for the
person; ``core.middleware.ApplicationErrorMiddleware`` shows it, with what
they had typed, instead of a server error. Nothing of the refused write is
kept: the service's transaction is rolled back.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A write refused. ``message`` is shown to the person as it is; ``field`` names the answer it concerns,
    if one does; ``status`` is the HTTP status of the page that says so."""

    status = 409  # Conflict: the record is not in the state the page was shown in.

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

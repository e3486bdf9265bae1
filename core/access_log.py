"""What each view writes to the access log, declared once on the view (ASVS 16.3.2).

A view that shows case records says what a look at it is, with the action
and the subject it logs::

    @logs(Action.VIEW, subject=Subject.DRAFT)
    def draft_question(request, draft_id, question): ...

and, where it has shown one, names the record (``audit.services.shown``). A
view that shows none says why::

    @shows_no_case_records("the log's public key")
    def public_key(request): ...

The declaration is only recorded here, on the view: the access log (``audit``)
reads it, and the role matrix (tests/test_role_matrix.py) fails for a URL whose
view declares nothing, and for a look that is not logged once as declared. It
is here, on the ground floor, so that every app can declare, the ledger's
pages too, without importing the access log; the actions and subjects are
``audit.models.Action`` and ``Subject``, held here as the text they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

ATTRIBUTE = "access_log"

View = TypeVar("View", bound=Callable)


@dataclass(frozen=True)
class Logs:
    """The view shows case records: each page it shows is one event of ``subject``, with one of ``actions``;
    the first is what it logs unless it says otherwise (a CSV export of an audit history, say)."""

    actions: tuple[str, ...]
    subject: str

    @property
    def action(self) -> str:
        return self.actions[0]


@dataclass(frozen=True)
class ShowsNoCaseRecords:
    """The view shows no case record, and why: it logs no look (sign-in events are written where they happen)."""

    why: str


Declaration = Logs | ShowsNoCaseRecords


def _declare(declaration: Declaration) -> Callable[[View], View]:
    def declare(view: View) -> View:
        if ATTRIBUTE in vars(view):
            raise TypeError(f"{view.__qualname__} already declares what it logs: {vars(view)[ATTRIBUTE]}")
        setattr(view, ATTRIBUTE, declaration)
        return view

    return declare


def logs(*actions: str, subject: str) -> Callable[[View], View]:
    """Declare that a view shows case records, and what a look at it is logged as."""
    if not actions or not subject:
        raise TypeError("logs() needs at least one action and a subject")
    return _declare(Logs(actions=tuple(actions), subject=subject))


def shows_no_case_records(why: str) -> Callable[[View], View]:
    """Declare that a view shows no case record, saying why."""
    if not why.strip():
        raise TypeError("shows_no_case_records() needs a reason")
    return _declare(ShowsNoCaseRecords(why=why))


def declaration_of(view: Callable | None) -> Declaration | None:
    """What a view (a function, or a class-based view's ``as_view()``) declares, or None."""
    if view is None:
        return None
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        declaration = getattr(candidate, ATTRIBUTE, None)
        if isinstance(declaration, Logs | ShowsNoCaseRecords):
            return declaration
    return None

"""Writing the access log.

Every event goes through ``access_record``. A look at a case record goes
through ``shown``, which writes what the view declared
(``core.access_log.logs``), once a request, for the person signed in, and
refuses anything else.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AccessEvent, Action, Subject
from config import bench
from core.access_log import Logs, declaration_of
from ledger import services as ledger
from records.models import Child


def client_address(request: HttpRequest | None) -> str | None:
    """The address the connection came from.

    Only REMOTE_ADDR: a forwarding header is whatever the client chose to
    send, so it is never believed (the same key as the sign-in lockout).
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_record(
    *,
    request: HttpRequest,
    action: Action,
    subject: Subject,
    target=None,
    child: Child | None = None,
    detail: str = "",
    user=None,
    user_email: str = "",
) -> AccessEvent:
    """Append one event to the access log, and enter it in the log (ledger).

    Written before the page is sent, in its own transaction: if it cannot be
    written, the page is not shown.
    """
    if settings.BENCH_QUERY_HEADERS and bench.access_log_off(request):  # make bench only: config/bench.py
        return None
    user = user if user is not None else getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    membership = user.membership if signed_in else None
    if child is None and isinstance(target, Child):
        child = target
    if child is None and target is not None:
        child = getattr(target, "child", None)
    event = AccessEvent(
        occurred_at=timezone.now(),
        user=user if signed_in else None,
        user_email=(user.email if signed_in else user_email)[:254],
        user_name=user.full_name if signed_in else "",
        role=user.role_then.role
        if membership
        else ("Platform administrator" if signed_in and user.is_superuser else ""),
        agency=membership.agency if membership else None,
        agency_name=membership.agency.name if membership else "",
        action=action,
        subject=subject,
        object_id=str(target.pk) if target is not None else "",
        child=child,
        path=request.path[:300] if request is not None else "",
        ip_address=client_address(request),
        detail=detail[:300],
    )
    ledger.append(event)
    return event


class UndeclaredLook(RuntimeError):
    """A look the view did not declare, a second one in a request, or one with nobody signed in to log."""


# Set on the request once its look is logged, or once the view has said it showed no record.
ACCOUNTED_FOR = "access_log_accounted_for"


def declared_look(request: HttpRequest) -> Logs | None:
    """What the view answering this request declared it logs (None: it shows no case records, or says nothing)."""
    match = getattr(request, "resolver_match", None)
    declaration = declaration_of(match.func if match is not None else None)
    return declaration if isinstance(declaration, Logs) else None


def accounted_for(request: HttpRequest) -> bool:
    return getattr(request, ACCOUNTED_FOR, False)


def shown(
    request: HttpRequest,
    target=None,
    *,
    child: Child | None = None,
    detail: str = "",
    action: Action | None = None,
) -> AccessEvent | None:
    """Log that this page shows ``target`` (or a list, or search results: no target), with the subject its view
    declared and the first of its actions unless ``action`` is another it declared.

    Written before the page is sent; one event a request; never without the
    person signed in, who is the one looking.
    """
    declaration = declared_look(request)
    if declaration is None:
        raise UndeclaredLook(f"{request.path}: its view does not declare @logs(...)")
    action = action or declaration.action
    if action not in declaration.actions:
        raise UndeclaredLook(f"{request.path}: {action} is not among the actions its view declares")
    if accounted_for(request):
        raise UndeclaredLook(f"{request.path}: a page is one look, logged once")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise UndeclaredLook(f"{request.path}: nobody is signed in, so there is nobody to log")
    setattr(request, ACCOUNTED_FOR, True)
    return access_record(
        request=request, action=action, subject=Subject(declaration.subject), target=target, child=child, detail=detail
    )


def nothing_shown(request: HttpRequest) -> None:
    """This answer of a view that declares a look shows no case record (a search form sent empty, a receipt not
    ready yet): nothing is logged, and the access log's middleware is told so."""
    setattr(request, ACCOUNTED_FOR, True)

"""Writing the access log. Every look at a case record goes through ``access_record``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AccessEvent, Action, Subject
from config import bench
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
        role=membership.get_role_display()
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


def viewed(request: HttpRequest, subject: Subject, target, *, child: Child | None = None, detail: str = ""):
    """Log that the signed-in user was shown a record."""
    return access_record(
        request=request, action=Action.VIEW, subject=subject, target=target, child=child, detail=detail
    )

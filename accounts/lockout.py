"""How django-axes identifies who is trying to sign in (settings name these
functions: ``AXES_CLIENT_IP_CALLABLE``, ``AXES_USERNAME_CALLABLE``).

Failures are counted by email address and, separately, by client address
(``AXES_LOCKOUT_PARAMETERS``), so changing either one alone does not escape a
lockout.
"""

import ipaddress
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, which the client cannot choose.

    That is REMOTE_ADDR, the other end of the connection. Behind proxies
    (``TRUSTED_PROXY_COUNT``), it is the address the outermost trusted proxy
    saw, the entry it appended to X-Forwarded-For: anything to the left of it
    was written by the client and is ignored.
    """
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(forwarded) < proxies:
        # Not through every trusted proxy: the connection itself is all we know.
        return remote
    return _valid(forwarded[-proxies]) or remote


def attempted_email(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The email address typed, in the form sign-in matches it (any case), so
    "Lead@…" and "lead@…" count against the same account."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def lockout_ends_at(request: HttpRequest, credentials: dict | None = None) -> datetime | None:
    """When the latest failure counted against this email address or client
    address stops counting: signing in is possible again from then at the latest."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    handler = AxesProxyHandler.get_implementation()
    latest = None
    for attempts in handler.get_user_attempts(request, credentials):
        for attempt_time in attempts.values_list("attempt_time", flat=True):
            latest = attempt_time if latest is None else max(latest, attempt_time)
    return latest + cool_off if latest else None

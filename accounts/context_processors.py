from django.conf import settings
from django.utils import timezone

from accounts import selectors, services
from accounts.policy import session_time_left


def session_time_out(request) -> dict:
    """What the time-out warning needs (templates/includes/session_time_out.html):
    how long this signed-in session has left, and when to warn (WCAG 2.2.1)."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "two_factor":
        # Half signed in: only the second step is open, and "Stay signed in" is not.
        return {}
    signed_in_at, last_seen_at = session.get(services.SIGNED_IN_AT), session.get(services.LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return {}
    left = session_time_left(
        now=timezone.now().timestamp(),
        signed_in_at=signed_in_at,
        last_seen_at=last_seen_at,
        limits=selectors.session_limits(),
    )
    return {
        "session_time_out": {
            "idle_seconds_left": left.idle_seconds,
            "absolute_seconds_left": left.absolute_seconds,
            "warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "max_hours": settings.SESSION_MAX_HOURS,
        }
    }

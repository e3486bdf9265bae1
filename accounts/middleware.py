from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts import selectors, services
from accounts.policy import SessionEnd, session_end


class SessionLimitsMiddleware:
    """Ends a signed-in session that has been idle, or open, for too long (ADR 11).

    The person is then signed out before the view runs, so the request goes on
    as anyone's who is not signed in: pages send them to sign in, and a
    question page keeps what they were submitting (see sharing's views).
    Installed after the session, authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            ended = session_end(
                now=now,
                signed_in_at=request.session.get(services.SIGNED_IN_AT),
                last_seen_at=request.session.get(services.LAST_SEEN_AT),
                limits=selectors.session_limits(),
            )
            if ended is None:
                services.session_seen(request=request, now=now)
            else:
                services.sign_out(request=request)
                messages.info(request, self._reason(ended))
        return self.get_response(request)

    @staticmethod
    def _reason(ended: SessionEnd) -> str:
        if ended == SessionEnd.IDLE:
            return f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity."
        if ended == SessionEnd.ABSOLUTE:
            hours = settings.SESSION_MAX_HOURS
            return f"You were signed out because you had been signed in for {hours} hour{'s' if hours != 1 else ''}."
        return "You were signed out. Sign in again to carry on."


class TwoFactorRequiredMiddleware:
    """Someone signed in with a password who still owes a code (or has yet to
    set up an authenticator app) reaches nothing but that step, sign-out,
    static files, the health check and the log's public key. Installed after
    django-otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._open_to_anyone(request.path):
            step = self._second_step(request, user)
            if step is not None:
                if request.method == "GET" and services.NEXT_AFTER_TWO_FACTOR not in request.session:
                    request.session[services.NEXT_AFTER_TWO_FACTOR] = request.get_full_path()
                return redirect(f"two_factor:{step}")
        return self.get_response(request)

    @staticmethod
    def _second_step(request, user) -> str | None:
        """``selectors.second_step_for``, asked once per session while the
        answer is "none" and the person's role and the rules stay the same
        (it reads their devices: a query on every page otherwise)."""
        asked_for = f"{selectors.two_factor_mode()}:{user.role}"
        if request.session.get(services.NO_SECOND_STEP_FOR) == asked_for:
            return None
        step = selectors.second_step_for(user)
        if step is None:
            request.session[services.NO_SECOND_STEP_FOR] = asked_for
        return step

    @staticmethod
    def _open_to_anyone(path: str) -> bool:
        open_paths = (
            reverse("two_factor:verify"),
            reverse("two_factor:enrol"),
            reverse("logout"),
            reverse("healthz"),
            reverse("ledger:public_key"),
        )
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path in open_paths or path.startswith(static)

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from accounts import kept_typing, selectors, services
from accounts.policy import SessionEnd, session_end


class SessionLimitsMiddleware:
    """Ends a signed-in session that has been idle, or open, for too long (ADR 11).

    The person is then signed out before the view runs, so the request goes on
    as anyone's who is not signed in: pages send them to sign in. A form sent
    to a view that keeps typing (``accounts.kept_typing``) is not acted on:
    what it held is kept for the person, who is sent to sign in and then back
    to the form with it. The time-out warning's script sends the form that way
    when time runs out in the browser (marked ``?timed-out``): it is kept and
    never acted on, even if the session is still alive on the server.
    Installed after the session, CSRF, authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Only a form this site sent is kept (its CSRF token is checked first).
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            ended = session_end(
                now=now,
                signed_in_at=request.session.get(services.SIGNED_IN_AT),
                last_seen_at=request.session.get(services.LAST_SEEN_AT),
                limits=selectors.session_limits(),
            )
            timed_out_in_browser = request.method == "POST" and kept_typing.TIMED_OUT_PARAMETER in request.GET
            if ended is not None:
                return self._signed_out(request, ended)
            if timed_out_in_browser:
                # Alive here after all (another tab kept it going): keep the
                # typing and show the page again; the automatic send is not
                # activity, so the session is not extended by it.
                return self._typing_kept(request) or redirect(request.path)
            services.session_seen(request=request, now=now)
        return self.get_response(request)

    def _signed_out(self, request, ended: SessionEnd):
        typed = self._typed_post(request)
        user_id = request.user.pk
        carried = kept_typing.carried_take(request)
        services.sign_out(request=request)
        kept_typing.carried_keep(request=request, carried=carried, user_id=user_id)
        messages.info(request, self._reason(ended))
        if typed is None:
            return self.get_response(request)
        kept_typing.typed_keep(request=request, user_id=user_id)
        return redirect_to_login(typed.return_to)

    def _typing_kept(self, request):
        typed = self._typed_post(request)
        if typed is None:
            return None
        kept_typing.typed_keep(request=request, user_id=request.user.pk)
        return redirect(typed.return_to)

    def _typed_post(self, request) -> kept_typing.TypedPost | None:
        typed = kept_typing.typed_post(request)
        if typed is None or self.csrf.process_view(request, typed.view, (), {}) is not None:
            return None
        return typed

    @staticmethod
    def _reason(ended: SessionEnd) -> str:
        if ended == SessionEnd.IDLE:
            return f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity."
        if ended == SessionEnd.ABSOLUTE:
            hours = settings.SESSION_MAX_HOURS
            return f"You were signed out because you had been signed in for {hours} hour{'s' if hours != 1 else ''}."
        return "You were signed out. Sign in again to carry on."


class VerifiedSessionMiddleware(OTPMiddleware):
    """django-otp's middleware, without its query on every request for the device the session was
    verified with (with everyone verified, every page would pay it; ADR 16). The session's record of
    the device stands for it, and the device is read only when something asks for it. A device that
    is removed (``services.second_factor_delete``) ends the person's other sessions, so no session
    stays verified by a device that is gone; this one, if verified by it, moves to another of theirs."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        if persistent_id:
            user.otp_device = SimpleLazyObject(
                lambda: self._finalize_device(request, user, self._device_from_persistent_id(persistent_id))
            )
        return user


class TwoFactorRequiredMiddleware:
    """Someone signed in with a password who still owes a passkey or a code (or
    has yet to set up a passkey or an authenticator app) reaches nothing but that step, sign-out,
    static files, the health check and the log's public key. Installed after
    VerifiedSessionMiddleware, which tells whether the session is verified."""

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
            # The passkey's answers to the page's script. Adding one is refused by django-otp-webauthn to
            # anyone with a second factor who has not yet used it: only a first one is set up from here.
            reverse("two_factor:passkey_begin"),
            reverse("two_factor:passkey_complete"),
            reverse("passkey_add_begin"),
            reverse("passkey_add_complete"),
            reverse("logout"),
            reverse("healthz"),
            reverse("ledger:public_key"),
            # Help and the statements a public service owes everyone (about/views.py).
            reverse("about:help"),
            reverse("about:accessibility"),
            reverse("about:privacy"),
            reverse("about:cookies"),
        )
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path in open_paths or path.startswith(static)

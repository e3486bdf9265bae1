"""Writes about sign-in and sessions: what happens at sign-in, at the second
step, at sign-out, when an account is deactivated, and when a password is
chosen, changed or reset (nobody ever sets or sees another person's)."""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

import django_otp
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import emails, kept_typing, selectors, signals
from accounts.emails import LinkKind
from accounts.lockout import client_address
from accounts.models import PasswordResetAsk, UserSession
from accounts.policy import TimeLeft, password_reset_allowed, session_time_left
from accounts.recovery_codes import recovery_code_digest
from core.after_response import after_response

# Session keys: when the person signed in, and when they were last seen (as
# POSIX timestamps, which the JSON session serializer keeps as they are).
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# Where to go once the second step is done (checked when it was stored).
NEXT_AFTER_TWO_FACTOR = "next_after_two_factor"
# The two-factor rules and role under which this session was found to need no
# second step (accounts.middleware): an app set up later in another session is
# asked for at the next sign-in, a change of role or of the rules asks again.
NO_SECOND_STEP_FOR = "no_second_step_for"
# Recovery codes waiting to be shown, once, after setting up an app or a
# passkey, or asking for new ones.
RECOVERY_CODES_TO_SHOW = "recovery_codes_to_show"
# Set when the codes waiting are a new set asked for on "Your sign-in methods".
RECOVERY_CODES_REPLACED = "recovery_codes_replaced"

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_start(*, request, user) -> None:
    """Stamp a new sign-in on its session and remember the session under the
    person's name (called for every ``django.contrib.auth.login``)."""
    session = request.session
    now = timezone.now()
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now.timestamp()
    if session.session_key is None:
        # login() flushed another person's session: the new one needs its key now.
        session.save()
    kept_typing.typed_forget_unless_for(request=request, user=user)
    oldest_possible = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with transaction.atomic():
        UserSession.objects.filter(user=user, signed_in_at__lt=oldest_possible).delete()
        UserSession.objects.update_or_create(
            session_key=session.session_key, defaults={"user": user, "signed_in_at": now}
        )


# Django's password backend, for a sign-in that did not go through authenticate().
PASSWORD_BACKEND = "accounts.backends.ModelBackend"  # noqa: S105 (a module path)


def sign_in(*, request, user, next_url: str, backend: str | None = None) -> str | None:
    """Sign in with a checked password (Django gives the session a new key);
    returns the second step still to do, if any ("verify" or "enrol")."""
    auth.login(request, user, backend=backend)
    step = selectors.second_step_for(user)
    if step is not None:
        request.session[NEXT_AFTER_TWO_FACTOR] = next_url
    return step


def next_after_two_factor(request) -> str:
    return request.session.pop(NEXT_AFTER_TWO_FACTOR, None) or resolve_url(settings.LOGIN_REDIRECT_URL)


def recovery_codes_take(*, request) -> tuple[list[str] | None, bool]:
    """The recovery codes to show, and whether they replace an earlier set: shown once, then gone
    from the session."""
    return request.session.pop(RECOVERY_CODES_TO_SHOW, None), request.session.pop(RECOVERY_CODES_REPLACED, False)


def session_seen(*, request, now: float) -> None:
    """Note activity, at most once a minute, so that not every page view writes the session."""
    if now - request.session.get(LAST_SEEN_AT, 0) >= 60:
        request.session[LAST_SEEN_AT] = now


def session_extend(*, request) -> TimeLeft:
    """The "Stay signed in" of the time-out warning: the session is idle from now, whenever it was last
    written (up to its absolute limit, which nothing moves)."""
    now = timezone.now().timestamp()
    request.session[LAST_SEEN_AT] = now
    return session_time_left(
        now=now, signed_in_at=request.session[SIGNED_IN_AT], last_seen_at=now, limits=selectors.session_limits()
    )


def _session_cycle(request) -> None:
    """A new session key for the same session, and the record of it follows."""
    old_key = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
    rotate_token(request)


def sign_out(*, request) -> None:
    """End this session on the server: its cookie no longer signs anyone in."""
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()
    auth.logout(request)


def user_sessions_end(*, user, keep: str | None = None) -> int:
    """End every session the person signed in with (but the one whose key is
    ``keep``); returns how many."""
    return _sessions_end(UserSession.objects.filter(user=user).exclude(session_key=keep or ""))


def agency_sessions_end(*, agency) -> int:
    """End every session of everyone on the agency's staff, in one pass; returns how many."""
    return _sessions_end(UserSession.objects.filter(user__staff_membership__agency=agency))


def _sessions_end(sessions) -> int:
    store = _session_store()
    with transaction.atomic():
        keys = list(sessions.values_list("session_key", flat=True))
        for key in keys:
            store().delete(key)
        sessions.delete()
    return len(keys)


@transaction.atomic
def two_factor_reset(*, user, request=None) -> None:
    """A lost phone: the app, the passkeys and the recovery codes go, and so
    do the person's sessions; they set up a second factor again when they next
    sign in. The administrator who did it (``request.user``) is in the access log."""
    removed = [
        kind
        for kind, devices in (
            ("authenticator app", TOTPDevice),
            ("passkeys", WebAuthnCredential),
            ("recovery codes", StaticDevice),
        )
        if devices.objects.filter(user=user).delete()[0]
    ]
    user_sessions_end(user=user)
    what = f"removed: {' and '.join(removed)}" if removed else "nothing to remove"
    signals.two_factor_reset.send(sender=None, request=request, user=user, what=what)


def two_factor_sign_in_complete(*, request, device) -> None:
    """The second step passed: mark the session verified, under a new key."""
    django_otp.login(request, device)
    _session_cycle(request)
    how = "recovery code" if isinstance(device, StaticDevice) else selectors.second_factor_kind(device)
    signals.second_factor_passed.send(sender=None, request=request, user=device.user, how=how)


def two_factor_refused(*, request, user, why: str) -> None:
    """A code refused at the second step, or while setting up an app: why, never the code (ASVS 16.3.1)."""
    signals.second_factor_failed.send(sender=None, request=request, user=user, why=why)


def second_factor_added(*, request, device, how: str) -> None:
    """A second factor set up for ``device.user`` by whoever is signed in, ``how`` (say, "in the admin")."""
    what = f"{selectors.second_factor_kind(device)}, {how}"
    signals.second_factor_added.send(sender=None, request=request, user=device.user, what=what)


def second_factor_delete(*, request, device, how: str) -> None:
    """A second factor removed by whoever is signed in (the person themselves, or a platform
    administrator in the admin). The person's other sessions end: one of them may have been verified
    with it (accounts.middleware.VerifiedSessionMiddleware takes the session's word for its device)."""
    user, kind = device.user, selectors.second_factor_kind(device)
    own = request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk
    with transaction.atomic():
        device.delete()
        user_sessions_end(user=user, keep=request.session.session_key if own else None)
    signals.second_factor_removed.send(sender=None, request=request, user=user, what=f"{kind}, {how}")


def authenticator_start(*, user) -> TOTPDevice:
    """The app being set up: the same secret until it is confirmed, so that
    reloading the page does not invalidate what was already scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _recovery_codes_replace(*, user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    # Only digests are stored (ASVS 6.5.2): the codes are shown once and never kept.
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_digest(code)) for code in codes)
    return codes


@transaction.atomic
def authenticator_confirm(*, request, device: TOTPDevice) -> list[str]:
    """The first code from a new app was right: the app counts from now on,
    the person is signed in with it, and gets a fresh set of recovery codes,
    which are returned to be shown once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = _recovery_codes_replace(user=device.user)
    second_factor_added(request=request, device=device, how="with new recovery codes")
    two_factor_sign_in_complete(request=request, device=device)
    request.session[RECOVERY_CODES_TO_SHOW] = codes
    return codes


class SecondFactorKept(Exception):
    """The person's last passkey or app, where a second factor is required of them: it stays."""


def _own_second_factor_remove(*, request, device) -> None:
    if not selectors.sign_in_methods_for(request.user).can_remove:
        raise SecondFactorKept
    signed_in_with_it = request.session.get(django_otp.DEVICE_ID_SESSION_KEY) == device.persistent_id
    second_factor_delete(request=request, device=device, how="by its owner")
    if signed_in_with_it:
        # This session passed the second step with the device just removed: it stays signed in, as it
        # was, under another of the person's own (else django-otp would find no device and ask again).
        remaining = selectors.authenticator_for(request.user) or next(iter(selectors.passkeys_for(request.user)), None)
        if remaining is not None:
            request.session[django_otp.DEVICE_ID_SESSION_KEY] = remaining.persistent_id
            request.user.otp_device = remaining


def passkey_remove(*, request, passkey_id: int) -> None:
    """One of the signed-in person's own passkeys removed (404 for anyone else's: the view)."""
    device = WebAuthnCredential.objects.get(pk=passkey_id, user=request.user, confirmed=True)
    _own_second_factor_remove(request=request, device=device)


def authenticator_remove(*, request) -> None:
    """The signed-in person's own authenticator app removed."""
    device = selectors.authenticator_for(request.user)
    if device is None:
        raise TOTPDevice.DoesNotExist
    _own_second_factor_remove(request=request, device=device)


@transaction.atomic
def passkey_added(*, request, device: WebAuthnCredential) -> str:
    """A passkey the signed-in person just registered (django-otp-webauthn saved it): logged; and if
    it is their first second factor (setting one up at sign-in), they are signed in with it and get
    recovery codes, as with an app. Returns where the page goes next."""
    enrolling = not request.user.is_verified()
    second_factor_added(request=request, device=device, how="by its owner")
    if not enrolling:
        return resolve_url("sign_in_methods")
    codes = _recovery_codes_replace(user=device.user) if selectors.recovery_codes_left(device.user) == 0 else None
    two_factor_sign_in_complete(request=request, device=device)
    if codes:
        request.session[RECOVERY_CODES_TO_SHOW] = codes
        return resolve_url("two_factor:recovery_codes")
    return next_after_two_factor(request)


def recovery_codes_regenerate(*, request) -> list[str]:
    """A new set of recovery codes for the signed-in person, asked for on "Your sign-in methods": the
    old ones stop working at once, the new ones are shown once."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user=request.user)
        device = StaticDevice.objects.get(user=request.user, name=RECOVERY_CODES_NAME)
        second_factor_added(request=request, device=device, how="a new set by its owner, the old ones removed")
    request.session[RECOVERY_CODES_TO_SHOW] = codes
    request.session[RECOVERY_CODES_REPLACED] = True
    request.session[NEXT_AFTER_TWO_FACTOR] = resolve_url("sign_in_methods")
    return codes


# Passwords. Nobody sets or sees another person's: a new account gets an
# invitation, and an administrator can only send a link (ASVS 6.4.1, 6.4.6).


@dataclass(frozen=True)
class PasswordLinkSent:
    kind: LinkKind
    # Whether the mail server took the message.
    delivered: bool

    @property
    def description(self) -> str:
        return "An invitation" if self.kind == LinkKind.INVITATION else "A link to choose a new password"


def _password_save(user) -> None:
    # Not user.save(): the password is not in the change history (records.User),
    # so a save would add a row of history that shows no change.
    get_user_model().objects.filter(pk=user.pk).update(password=user.password)


def _password_unusable(user) -> None:
    """No password works until one is chosen with a link; a fresh unusable
    value also ends every earlier link (accounts/tokens.py)."""
    user.set_unusable_password()
    _password_save(user)


def invitation_send(*, request, user) -> PasswordLinkSent:
    """Invite someone who has not yet signed in to choose their password."""
    _password_unusable(user)
    delivered = emails.send_now(emails.link_message(request=request, user=user, kind=LinkKind.INVITATION))
    signals.password_link_sent.send(sender=None, request=request, user=user, kind=LinkKind.INVITATION)
    return PasswordLinkSent(LinkKind.INVITATION, delivered)


@transaction.atomic
def password_reset_force(*, request, user) -> PasswordLinkSent:
    """An administrator's reset: the current password stops working at once,
    the person is signed out everywhere, and they are sent a link to choose a
    new one. The administrator never learns or chooses it."""
    _password_unusable(user)
    user_sessions_end(user=user)
    kind = LinkKind.PASSWORD_RESET_BY_ADMINISTRATOR
    delivered = emails.send_now(emails.link_message(request=request, user=user, kind=kind))
    signals.password_link_sent.send(sender=None, request=request, user=user, kind=kind)
    return PasswordLinkSent(kind, delivered)


def password_link_send(*, request, user) -> PasswordLinkSent | None:
    """What an administrator's "send a link" does: a new invitation for
    someone who never signed in, a reset for anyone else; nothing (None) for
    a deactivated account."""
    if not user.is_active:
        return None
    if selectors.invitation_pending(user):
        return invitation_send(request=request, user=user)
    return password_reset_force(request=request, user=user)


def address_digest(email: str) -> str:
    """An email address as the reset limit keeps it: a keyed digest of it in lower case."""
    return salted_hmac("accounts.password_reset_ask", email.strip().lower(), algorithm="sha256").hexdigest()


def _password_reset_ask(*, request, email: str) -> bool:
    """Note an ask on "Forgotten your password?" and say whether it is within the limits (ASVS 2.4.1,
    6.3.8): asks older than the limits' time are forgotten, and every ask counts, sent or not. Not in a
    transaction: two asks at the same moment may both pass, which a limit of a few an hour can bear."""
    since = timezone.now() - timedelta(minutes=settings.PASSWORD_RESET_LIMIT_MINUTES)
    PasswordResetAsk.objects.filter(asked_at__lt=since).delete()
    digest, client = address_digest(email), client_address(request)
    allowed = password_reset_allowed(
        asked_for_address=PasswordResetAsk.objects.filter(address_digest=digest).count(),
        asked_from_client=PasswordResetAsk.objects.filter(client_address=client).count() if client else 0,
        limits=selectors.password_reset_limits(),
    )
    PasswordResetAsk.objects.create(address_digest=digest, client_address=client)
    return allowed


def password_reset_request(*, request, email: str) -> None:
    """ "Forgotten your password?": a link to the account with this address,
    if there is an active one. Either way the same work is done here and the
    same page follows; the message goes after the response has been sent
    (core/after_response.py), so neither the page nor its timing says
    whether the address has an account (ASVS 6.3.8). Past the limits on asks
    for one address or from one client address, nothing is sent, the same way."""
    allowed = _password_reset_ask(request=request, email=email)
    user = selectors.account_for_password_reset(email)
    # Someone who is not there: a stand-in of the same shape, whose message is composed and dropped.
    account = user or get_user_model()(pk=0, email=email, password=make_password(None))
    message = emails.link_message(request=request, user=account, kind=LinkKind.PASSWORD_RESET)
    if user is None or not allowed:
        return

    def send():
        emails.send_now(message)
        signals.password_link_sent.send(sender=None, request=request, user=user, kind=LinkKind.PASSWORD_RESET)

    after_response(send)


def password_link_used(*, request, user, kind: LinkKind) -> str | None:
    """A password chosen with a link (the form has set it on ``user``): it is
    saved, which ends the link, every other session ends, and the person is
    signed in. A second factor they have, or need, is still asked for
    (ASVS 6.4.3). Returns that step, if any."""
    with transaction.atomic():
        _password_save(user)
        user_sessions_end(user=user)
    step = sign_in(
        request=request, user=user, next_url=resolve_url(settings.LOGIN_REDIRECT_URL), backend=PASSWORD_BACKEND
    )
    signals.password_link_used.send(sender=None, request=request, user=user, kind=kind)
    return step


def password_change(*, request, user) -> None:
    """Their own password, changed while signed in (the form checked the
    current one): this session goes on under a new key, every other session
    of theirs ends at once."""
    with transaction.atomic():
        _password_save(user)
        old_key = request.session.session_key
        update_session_auth_hash(request, user)
        UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
        user_sessions_end(user=user, keep=request.session.session_key)
    signals.password_changed.send(sender=None, request=request, user=user)

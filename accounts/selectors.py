"""Reads about sign-in: which second step a person needs, their devices."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.policy import SessionLimits, TwoFactorMode, two_factor_required


def two_factor_mode() -> TwoFactorMode:
    return TwoFactorMode(settings.TWO_FACTOR)


def session_limits() -> SessionLimits:
    return SessionLimits(
        idle_seconds=settings.SESSION_IDLE_MINUTES * 60,
        absolute_seconds=settings.SESSION_MAX_HOURS * 3600,
    )


def two_factor_required_for(user) -> bool:
    return two_factor_required(
        mode=two_factor_mode(),
        role=user.role,
        is_superuser=user.is_superuser,
        is_staff=user.is_staff,
    )


def authenticator_for(user) -> TOTPDevice | None:
    """The authenticator app this person set up and confirmed with a code."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def authenticator_being_set_up(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__in=StaticDevice.objects.devices_for_user(user, confirmed=True)).count()


def second_step_for(user) -> str | None:
    """What a person signed in with a password does next: "verify" (enter a
    code), "enrol" (set up an authenticator app first) or nothing.

    Someone who set up an app is always asked for a code, even where the
    rules do not require it of them.
    """
    if two_factor_mode() == TwoFactorMode.OFF:
        return None
    if authenticator_for(user) is not None:
        return "verify"
    if two_factor_required_for(user):
        return "enrol"
    return None


def invitation_pending(user) -> bool:
    """Invited, and not yet signed in: no password has been chosen."""
    return user.last_login is None and not user.has_usable_password()


def account_for_password_reset(email: str):
    """The active account that signs in with this email address (any case), or None.

    Unlike Django's own reset form, an account without a usable password is
    found too: one invited, or whose password an administrator reset, chooses
    it the same way.
    """
    return get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()


def second_factor_kind(device) -> str:
    """What a django-otp device is, in words for the access log."""
    if isinstance(device, TOTPDevice):
        return "authenticator app"
    if isinstance(device, StaticDevice):
        return "recovery codes"
    return device._meta.verbose_name

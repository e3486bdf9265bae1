"""Reads about sign-in: which second step a person needs, their devices."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.policy import ResetLimits, SessionLimits, TwoFactorMode, second_factor_removable, two_factor_required
from accounts.recovery_codes import recovery_code_digests


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


def passkeys_for(user) -> list[WebAuthnCredential]:
    """The person's passkeys, the oldest first."""
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class SignInMethods:
    """What "Your sign-in methods" lists."""

    passkeys: list[WebAuthnCredential]
    authenticator: TOTPDevice | None
    recovery_codes_left: int
    two_factor_required: bool

    @property
    def can_remove(self) -> bool:
        """Whether one of the passkeys or the app may go (the same for each: what is left counts)."""
        others = len(self.passkeys) + (self.authenticator is not None) - 1
        return second_factor_removable(required=self.two_factor_required, others_left=others)


def sign_in_methods_for(user) -> SignInMethods:
    return SignInMethods(
        passkeys=passkeys_for(user),
        authenticator=authenticator_for(user),
        recovery_codes_left=recovery_codes_left(user),
        two_factor_required=two_factor_required_for(user),
    )


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__in=StaticDevice.objects.devices_for_user(user, confirmed=True)).count()


def recovery_code_stored_as(device: StaticDevice, code: str) -> str:
    """The digest of this code as it is stored on the device, under whichever key made it; the digest
    under the current key when none is (a wrong code, refused as such)."""
    digests = recovery_code_digests(code)
    if len(digests) > 1:
        found = set(device.token_set.filter(token__in=digests).values_list("token", flat=True))
        for digest in digests:
            if digest in found:
                return digest
    return digests[0]


def second_step_for(user) -> str | None:
    """What a person signed in with a password does next: "verify" (enter a
    code), "enrol" (set up an authenticator app first) or nothing.

    Someone who set up an app or a passkey is always asked for it, even where
    the rules do not require it of them.
    """
    if two_factor_mode() == TwoFactorMode.OFF:
        return None
    if authenticator_for(user) is not None or has_passkey(user):
        return "verify"
    if two_factor_required_for(user):
        return "enrol"
    return None


def invitation_pending(user) -> bool:
    """Invited, and not yet signed in: no password has been chosen."""
    return user.last_login is None and not user.has_usable_password()


def password_reset_limits() -> ResetLimits:
    return ResetLimits(
        per_address=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, per_client=settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    )


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
    if isinstance(device, WebAuthnCredential):
        return "passkey"
    return device._meta.verbose_name

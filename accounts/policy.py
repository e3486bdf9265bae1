"""Who needs a second factor, and when a session has lasted long enough.

Plain rules, read from settings by the callers (``selectors.py``,
``middleware.py``), so they can be read in one place and tested in
milliseconds.
"""

from dataclasses import dataclass
from enum import StrEnum

from records.roles import Role


class TwoFactorMode(StrEnum):
    # Safeguarding leads, agency administrators and platform administrators:
    # the accounts that see every case of an agency or manage who may.
    ROLES = "roles"
    # The default (ADR 16).
    EVERYONE = "everyone"
    # For the demo only (``make run``); refused with DEBUG off (config/serving.py, accounts/checks.py).
    OFF = "off"


ROLES_NEEDING_TWO_FACTOR = frozenset({Role.SAFEGUARDING_LEAD, Role.AGENCY_ADMIN})


def two_factor_required(*, mode: TwoFactorMode, role: str | None, is_superuser: bool, is_staff: bool) -> bool:
    """Whether this account must sign in with a code as well as a password."""
    if mode == TwoFactorMode.OFF:
        return False
    if mode == TwoFactorMode.EVERYONE:
        return True
    # Anyone who can open the admin site manages staff or agencies.
    return is_superuser or is_staff or role in ROLES_NEEDING_TWO_FACTOR


def second_factor_removable(*, required: bool, others_left: int) -> bool:
    """Whether someone may remove one of their own passkeys or their authenticator app: not the last one
    they sign in with, where a second factor is required of them (recovery codes do not count: they are
    for the day the others are lost)."""
    return not required or others_left > 0


@dataclass(frozen=True)
class ResetLimits:
    per_address: int
    per_client: int


def password_reset_allowed(*, asked_for_address: int, asked_from_client: int, limits: ResetLimits) -> bool:
    """Whether "Forgotten your password?" sends a link, given how often it was asked already, within the
    limits' time, for this address and from this client address. The same for an address without an
    account: the answer must not tell them apart (ASVS 6.3.8)."""
    return asked_for_address < limits.per_address and asked_from_client < limits.per_client


class SessionEnd(StrEnum):
    IDLE = "idle"
    ABSOLUTE = "absolute"
    # Signed in before the service kept the times: its age is unknown.
    UNDATED = "undated"


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    absolute_seconds: int


def session_end(
    *, now: float, signed_in_at: float | None, last_seen_at: float | None, limits: SessionLimits
) -> SessionEnd | None:
    """Why a signed-in session is over (timestamps in seconds), or None while it may go on.

    A session with no timestamps is over: nothing says how old it is.
    """
    if signed_in_at is None or last_seen_at is None:
        return SessionEnd.UNDATED
    if now - signed_in_at >= limits.absolute_seconds:
        return SessionEnd.ABSOLUTE
    if now - last_seen_at >= limits.idle_seconds:
        return SessionEnd.IDLE
    return None


@dataclass(frozen=True)
class TimeLeft:
    """How long a session may still go on: until it has been idle too long
    (moved on by any request, or by "Stay signed in"), and until its absolute
    limit (moved by nothing)."""

    idle_seconds: int
    absolute_seconds: int

    @property
    def ends_by(self) -> SessionEnd:
        """Which limit ends the session first, if nothing else happens."""
        return SessionEnd.ABSOLUTE if self.absolute_seconds <= self.idle_seconds else SessionEnd.IDLE

    @property
    def seconds(self) -> int:
        return min(self.idle_seconds, self.absolute_seconds)


def session_time_left(*, now: float, signed_in_at: float, last_seen_at: float, limits: SessionLimits) -> TimeLeft:
    """The time left before ``session_end`` ends the session, in whole seconds
    (rounded down, so a warning is never late); never below nought."""
    return TimeLeft(
        idle_seconds=max(0, int(last_seen_at + limits.idle_seconds - now)),
        absolute_seconds=max(0, int(signed_in_at + limits.absolute_seconds - now)),
    )

"""The rules behind sign-in, without Django: who needs a second factor, and
when a session is over."""

import pytest

from accounts.policy import (
    SessionEnd,
    SessionLimits,
    TwoFactorMode,
    session_end,
    session_time_left,
    two_factor_required,
)
from records.roles import Role


@pytest.mark.parametrize(
    ("role", "is_superuser", "is_staff", "required"),
    [
        (Role.PRACTITIONER, False, False, False),
        (Role.SAFEGUARDING_LEAD, False, False, True),
        (Role.AGENCY_ADMIN, False, True, True),
        (None, True, True, True),  # a platform administrator
        (Role.PRACTITIONER, False, True, True),  # anyone who can open the admin site
        (None, False, False, False),
    ],
)
def test_by_role_leads_and_administrators_need_a_second_factor(role, is_superuser, is_staff, required):
    assert (
        two_factor_required(mode=TwoFactorMode.ROLES, role=role, is_superuser=is_superuser, is_staff=is_staff)
        is required
    )


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.SAFEGUARDING_LEAD, None])
def test_everyone_means_everyone_and_off_means_no_one(role):
    assert two_factor_required(mode=TwoFactorMode.EVERYONE, role=role, is_superuser=False, is_staff=False)
    assert not two_factor_required(mode=TwoFactorMode.OFF, role=role, is_superuser=True, is_staff=True)


LIMITS = SessionLimits(idle_seconds=30 * 60, absolute_seconds=12 * 3600)


def test_a_session_goes_on_while_it_is_used_and_young_enough():
    assert session_end(now=1000 + 29 * 60, signed_in_at=1000, last_seen_at=1000, limits=LIMITS) is None


def test_thirty_minutes_without_activity_end_a_session():
    assert session_end(now=1000 + 30 * 60, signed_in_at=1000, last_seen_at=1000, limits=LIMITS) == SessionEnd.IDLE


def test_twelve_hours_after_signing_in_a_session_ends_however_busy():
    signed_in = 1000
    now = signed_in + 12 * 3600
    assert session_end(now=now, signed_in_at=signed_in, last_seen_at=now - 1, limits=LIMITS) == SessionEnd.ABSOLUTE


def test_a_session_of_unknown_age_is_over():
    assert session_end(now=1000, signed_in_at=None, last_seen_at=None, limits=LIMITS) == SessionEnd.UNDATED


def test_the_time_left_counts_down_from_the_last_request_and_the_sign_in():
    left = session_time_left(now=1000 + 28 * 60, signed_in_at=1000, last_seen_at=1000, limits=LIMITS)
    assert (left.idle_seconds, left.absolute_seconds) == (120, 12 * 3600 - 28 * 60)
    assert left.seconds == 120
    assert left.ends_by == SessionEnd.IDLE


def test_near_the_absolute_limit_it_is_the_one_that_ends_the_session():
    signed_in = 1000
    now = signed_in + 12 * 3600 - 90
    left = session_time_left(now=now, signed_in_at=signed_in, last_seen_at=now - 5, limits=LIMITS)
    assert left.seconds == 90
    assert left.ends_by == SessionEnd.ABSOLUTE


def test_the_time_left_never_goes_below_nought_and_rounds_down():
    left = session_time_left(now=1000 + 31 * 60 + 0.5, signed_in_at=1000, last_seen_at=1000.9, limits=LIMITS)
    assert left.idle_seconds == 0
    assert session_time_left(now=1000.5, signed_in_at=1000, last_seen_at=1000, limits=LIMITS).idle_seconds == 1799

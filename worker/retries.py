"""How long a failed task waits before it is tried again: TASKS_RETRY_SECONDS, then twice as long each
time, at most an hour (ADR 23)."""

from datetime import timedelta

LONGEST_WAIT = timedelta(hours=1)


def wait_before_retry(*, attempts: int, first_wait_seconds: int) -> timedelta:
    """The wait after `attempts` tries have failed (1 or more)."""
    return min(timedelta(seconds=first_wait_seconds * 2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def waits(*, max_attempts: int, first_wait_seconds: int) -> list[int]:
    """Every wait, in seconds, between `max_attempts` tries (RQ's Retry takes them as a list)."""
    return [
        int(wait_before_retry(attempts=attempt, first_wait_seconds=first_wait_seconds).total_seconds())
        for attempt in range(1, max_attempts)
    ]

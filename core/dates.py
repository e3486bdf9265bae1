"""Dates and times as the service reads them: in its own time zone."""

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone


def local_datetime(day: date | str, clock: str) -> datetime:
    """A date and an "HH:MM" clock time, in the service's time zone."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    hours, minutes = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


def decided_at(answers: dict[str, Any]) -> datetime:
    """When a decision was made, from its date and 24-hour clock time as answered ("decided_on", "decided_time")."""
    return local_datetime(answers["decided_on"], answers["decided_time"])

"""The worker's schedule runs the overdue checks every hour and the daily summaries once a day (ADR 24)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from worker.models import PeriodicRun
from worker.scheduler import enqueue_due

pytestmark = pytest.mark.django_db

OVERDUE = "notifications.tasks.overdue_notify"
SUMMARIES = "notifications.tasks.daily_summaries_send"


def _at(hour: int, minute: int = 0, day: int = 7) -> datetime:
    return timezone.make_aware(datetime(2026, 12, day, hour, minute))


def test_the_overdue_checks_are_enqueued_every_hour(settings, time_machine):
    time_machine.move_to(_at(10), tick=False)
    assert OVERDUE in enqueue_due()
    assert OVERDUE not in enqueue_due(now=_at(10, 59))
    assert OVERDUE in enqueue_due(now=_at(11, 1))


def test_the_daily_summaries_go_once_a_day_in_their_hour(settings, time_machine):
    settings.NOTIFICATIONS_SUMMARY_HOUR = 7
    enqueued = []
    for minutes in range(0, 48 * 60, 10):  # two days, looked at every ten minutes
        now = _at(0) + timedelta(minutes=minutes)
        time_machine.move_to(now, tick=False)
        if SUMMARIES in enqueue_due(now=now):
            enqueued.append(timezone.localtime(now))
    assert [(when.day, when.hour) for when in enqueued] == [(7, 7), (8, 7)]
    assert PeriodicRun.objects.get(name=SUMMARIES).next_run_at > _at(7, 0, day=8)

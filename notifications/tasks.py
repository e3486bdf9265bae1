"""The notifications' background work, as Django tasks (ADR 24): making the notifications once the write
that called for them has committed, each email, the daily summaries and the overdue checks.

Until a worker runs them (issue 19, point 4), Django's default backend runs each at once where it is
enqueued. The daily summaries and the overdue checks are to be scheduled (docs/operations.md).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from notifications import emails, overdue, selectors
from notifications.models import Frequency, Kind, Notification
from notifications.services import Notice, Recipients, notifications_make

log = logging.getLogger(__name__)


@task
def notifications_deliver(
    *, kind: str, link: str, about: str, people: list[int], leads_of_agency: int | None, other_than: list[int]
) -> int:
    """Record what ``services.notification_send`` was asked to tell; how many people were told."""
    made = notifications_make(
        notice=Notice(kind=Kind(kind), link=link, about=about),
        to=Recipients(people=tuple(people), leads_of_agency=leads_of_agency, other_than=tuple(other_than)),
    )
    return len(made)


@task
def notification_email(*, notification_id: str) -> bool:
    """The email of one notification, to someone who wants each straight away; sent once. A mail server
    that refuses it fails the task (to be tried again) and leaves the notification not yet emailed."""
    notification = selectors.not_yet_emailed([notification_id]).first()
    if notification is None or not notification.recipient.is_active:
        return False
    if selectors.preference_in(notification.recipient) != Frequency.IMMEDIATE:
        return False  # told in the next daily summary
    emails.immediate_message(notification).send()
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True


@task
def daily_summaries_send() -> int:
    """One email to each person who chose a daily summary and has notifications no email has told of:
    how many of each kind, and a link to the list. How many emails were sent."""
    sent = 0
    for summary in selectors.summaries_due():
        try:
            emails.summary_message(email=summary.email, counts=summary.counts).send()
        except OSError:
            # One refusing address does not keep the others' summaries; this one is tried at the next run.
            log.exception("A daily summary could not be sent")
            continue
        with transaction.atomic():
            Notification.objects.filter(pk__in=summary.notification_ids, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
        sent += 1
    return sent


@task
def overdue_notify(*, checks: list[str] | None = None) -> dict[str, int]:
    """Every overdue check (or those named): reconsider dates come, consents due for review, subject access
    deadlines near. Each person is told of each thing once, however often this runs."""
    return overdue.run(names=checks)

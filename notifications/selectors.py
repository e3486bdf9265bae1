"""Reads for notifications: a person's own, and whom to tell. Nobody reads another person's notifications."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.paging import Page, page_of
from notifications import naming
from notifications.models import Frequency, Notification, NotificationPreference
from records.models import StaffMembership, User
from records.roles import CASE_ROLES, Role


def notifications_of(*, user: User, page: int) -> Page:
    """The person's notifications, newest first, a page at a time, each with ``record_name``: the record it is
    about as the list names it, or "" (``naming``). Two queries, and one for each kind of record on the page."""
    listing = page_of(Notification.objects.filter(recipient=user).order_by("-created_at", "-id"), page)
    agency = user.agency
    named = naming.names_of(
        agency_id=agency.pk if agency else None, abouts=[notification.about for notification in listing.rows]
    )
    for notification in listing.rows:
        notification.record_name = named.get(notification.about, "")
    return listing


def notification_get_for_user(*, user: User, notification_id: uuid.UUID) -> Notification:
    """The person's own notification; anyone else's is not found."""
    found = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if found is None:
        raise Http404("No notification found")
    return found


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def frequency_of(*, user: User) -> Frequency:
    preference = NotificationPreference.objects.filter(user=user).first()
    return Frequency(preference.frequency) if preference else Frequency.IMMEDIATE


def preference_in(user: User) -> Frequency:
    """How a person read with their preference (``select_related``) likes to be told; without one, at once."""
    try:
        return Frequency(user.notification_preference.frequency)
    except NotificationPreference.DoesNotExist:
        return Frequency.IMMEDIATE


def leads_of(*, agency_id: int, other_than: Iterable[int] = ()) -> list[User]:
    """The agency's safeguarding leads who can sign in, but for the people named (who did the thing)."""
    return [
        membership.user
        for membership in StaffMembership.objects.filter(
            agency_id=agency_id, role=Role.SAFEGUARDING_LEAD, user__is_active=True, agency__is_active=True
        )
        .exclude(user_id__in=list(other_than))
        .select_related("user")
        .order_by("user_id")
    ]


def still_here(*, user_id: int, agency_id: int) -> User | None:
    """The person, if they still work with the agency's case records and can sign in."""
    membership = (
        StaffMembership.objects.filter(
            user_id=user_id, agency_id=agency_id, role__in=CASE_ROLES, user__is_active=True, agency__is_active=True
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def owner_or_leads(*, user_id: int, agency_id: int) -> list[User]:
    """Who acts on a record: the person who made it, or, once they have gone, the agency's leads."""
    owner = still_here(user_id=user_id, agency_id=agency_id)
    return [owner] if owner else leads_of(agency_id=agency_id)


def not_yet_emailed(notification_ids: Iterable[str]) -> QuerySet[Notification]:
    return Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=True).select_related(
        "recipient", "recipient__notification_preference"
    )


@dataclass(frozen=True)
class Summary:
    email: str
    counts: dict[str, int]
    notification_ids: list


def summary_hour() -> bool:
    """Whether it is the hour of the day (local time) the daily summaries go out. The worker's schedule looks at
    most once an hour after it has enqueued them, so they go once a day."""
    return timezone.localtime().hour == settings.NOTIFICATIONS_SUMMARY_HOUR


def summaries_due() -> list[Summary]:
    """For each person who chose a daily summary: how many of each kind no email has told them of yet."""
    rows = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            recipient__notification_preference__frequency=Frequency.DAILY,
            recipient__is_active=True,
        )
        .values_list("pk", "recipient_id", "recipient__email", "kind")
        .order_by("recipient_id", "created_at")
    )
    due: dict[int, Summary] = {}
    for pk, recipient_id, email, kind in rows:
        summary = due.setdefault(recipient_id, Summary(email=email, counts={}, notification_ids=[]))
        summary.counts[kind] = summary.counts.get(kind, 0) + 1
        summary.notification_ids.append(pk)
    return list(due.values())

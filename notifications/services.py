"""Writes for notifications: telling people what needs them, marking what they have opened, and how they
like to be told (ADR 24).

Another app's service tells people in one line, inside its own transaction::

    notification_send(
        notice=Notice(kind=Kind.DECISION_TO_REVIEW, link=reverse(...), about=f"decision:{decision.pk}"),
        to=Recipients(leads_of_agency=decision.agency_id, other_than=(user.pk,)),
    )

Nothing is written then: once the transaction commits (and the page has been sent), a task
(``tasks.notifications_deliver``) finds the people, records a notification for each and enqueues the
emails. A write that rolls back tells nobody, and the page that wrote runs not one query more.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from core.after_response import after_response
from notifications import selectors
from notifications.models import Frequency, Kind, Notification, NotificationPreference
from records.models import User


@dataclass(frozen=True, kw_only=True)
class Notice:
    """What is waiting: its kind, the path of its page in the service, and what it is about, as the kind of
    record, its identifier and, for a date that has come, the date (``consent:<id>:<review date>``). The
    same person is never told twice of the same ``about`` of one kind."""

    kind: Kind
    link: str
    about: str

    def __post_init__(self):
        if not self.link.startswith("/") or self.link.startswith("//"):
            raise ValueError("A notification links to a page of the service: a path, not an address")
        if not self.about:
            raise ValueError("Say what the notification is about, so it is sent once")


@dataclass(frozen=True, kw_only=True)
class Recipients:
    """Whom to tell, by account: named people, and (or) the safeguarding leads of an agency; never the people
    in ``other_than`` (who did the thing). Only those who can still sign in are told."""

    people: tuple[int, ...] = ()
    leads_of_agency: int | None = None
    other_than: tuple[int, ...] = ()


def notification_send(*, notice: Notice, to: Recipients) -> None:
    """Tell people once the caller's transaction commits and its page has been sent (see the module)."""
    payload = {"kind": str(notice.kind), "link": notice.link, "about": notice.about, **asdict(to)}
    payload = {key: list(value) if isinstance(value, tuple) else value for key, value in payload.items()}
    transaction.on_commit(partial(after_response, partial(_deliver_later, payload)))


def _deliver_later(payload: dict) -> None:
    from notifications.tasks import notifications_deliver

    notifications_deliver.enqueue(**payload)


def _recipients(to: Recipients) -> list[User]:
    people = [user for user in User.objects.filter(pk__in=to.people, is_active=True)] if to.people else []
    if to.leads_of_agency is not None:
        people += selectors.leads_of(agency_id=to.leads_of_agency)
    unique = {user.pk: user for user in people if user.pk not in set(to.other_than)}
    return [unique[pk] for pk in sorted(unique)]


@transaction.atomic
def notifications_make(*, notice: Notice, to: Recipients) -> list[Notification]:
    """Record the notice for each person not told of it already, and enqueue the emails of those who want
    them straight away once this commits. Returns the notifications made now."""
    people = _recipients(to)
    if not people:
        return []
    told = set(
        Notification.objects.filter(recipient__in=people, kind=notice.kind, about=notice.about).values_list(
            "recipient_id", flat=True
        )
    )
    now = timezone.now()
    made = [
        Notification(recipient=person, kind=notice.kind, link=notice.link, about=notice.about, created_at=now)
        for person in people
        if person.pk not in told
    ]
    # Two runs at once: the constraint keeps one of each, and the other's rows are not written.
    Notification.objects.bulk_create(made, ignore_conflicts=True)
    if made:
        transaction.on_commit(partial(_email_later, [str(notification.pk) for notification in made]))
    return made


def _email_later(notification_ids: list[str]) -> None:
    from notifications.tasks import notification_email

    for notification_id in notification_ids:
        notification_email.enqueue(notification_id=notification_id)


def notification_open(*, notification: Notification) -> Notification:
    """Mark it read, the first time it is opened."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, user: User, frequency: Frequency) -> NotificationPreference:
    preference, _made = NotificationPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return preference

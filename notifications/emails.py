"""The notification emails: what kind of thing is waiting, and a link (ADR 24).

No personal data: never a child's or an adult's name, a date of birth, an NHS
number or anything typed about them, nor the person's own name. The link is
to the notification's own page of the service, which sends the person, once
signed in, to the thing waiting (a page the role matrix protects).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.models import Kind, Notification

# The demo's address when SERVICE_URL is not set (`make run`): a task has no request to build links on.
DEMO_ADDRESS = "http://localhost:8000"


def absolute(path: str) -> str:
    return (settings.SERVICE_URL or DEMO_ADDRESS) + path


def _context() -> dict:
    return {
        "service_name": settings.SERVICE_NAME,
        "preferences": absolute(reverse("notifications:preferences")),
    }


def immediate_message(notification: Notification) -> EmailMessage:
    """The email telling of one notification."""
    label = Kind(notification.kind).label
    body = render_to_string(
        "notifications/email/immediate.txt",
        {**_context(), "label": label, "link": absolute(reverse("notifications:open", args=[notification.pk]))},
    )
    return EmailMessage(subject=f"{label}: {settings.SERVICE_NAME}", body=body, to=[notification.recipient.email])


def summary_message(*, email: str, counts: dict[str, int]) -> EmailMessage:
    """The daily summary: how many of each kind are waiting, and a link to the list."""
    lines = [
        (Kind(kind).label, count) for kind, count in sorted(counts.items(), key=lambda item: Kind.values.index(item[0]))
    ]
    body = render_to_string(
        "notifications/email/summary.txt",
        {**_context(), "lines": lines, "link": absolute(reverse("notifications:list"))},
    )
    total = sum(counts.values())
    subject = f"{total} thing{'s' if total != 1 else ''} waiting for you: {settings.SERVICE_NAME}"
    return EmailMessage(subject=subject, body=body, to=[email])

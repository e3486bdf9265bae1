"""What a notification email must never hold: the child's and the family's details, in every form the
service shows them, checked against each message as the mail server received it."""

from __future__ import annotations

import re


def personal_details(child, *adults) -> list[str]:
    born = child.date_of_birth
    details = [
        child.given_name,
        child.family_name,
        child.nhs_number,
        child.nhs_number_display,
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        f"{born.day} {born:%B %Y}",
    ]
    for adult in adults:
        details += [adult.given_name, adult.family_name]
    return [detail for detail in details if detail]


def leaks(message_bytes: bytes, details: list[str]) -> list[str]:
    """The details found in the message as words of their own: a family name "Chan" is a leak, the "chan" of
    "change how you are told" is not."""
    text = message_bytes.decode("utf-8", "replace")
    return [detail for detail in details if re.search(rf"(?<!\w){re.escape(detail)}(?!\w)", text, re.IGNORECASE)]


def told(client, user, kind) -> list[str]:
    """Where each of `user`'s notifications of `kind` leads, as its list's "open" link sends them (newest first);
    the list page names the kind as the person reads it."""
    from django.urls import reverse

    from notifications.models import Notification
    from tests.page_text import page_text

    client.force_login(user)
    assert kind.label in page_text(client.get(reverse("notifications:list")))
    return [
        client.get(reverse("notifications:open", args=[notification.pk])).url
        for notification in Notification.objects.filter(recipient=user, kind=kind).order_by("-created_at")
    ]

"""The emails the service sends: an invitation to choose a password, and a
link to choose a new one. All go through Django's email framework
(``EMAIL_BACKEND``: files in ``var/mail/`` for the demo, SMTP in production).

Each says only what it must: the service, the agency (for an invitation), the
link and when it stops working. Never the person's name, and nothing about a
child or a family.

Links are built on ``SERVICE_URL`` when it is set, so that no Host header a
client sends can change where a link points; otherwise on the address the
request came to, which Django has checked against ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.tokens import invitation_tokens, password_reset_tokens

log = logging.getLogger(__name__)


class LinkKind(StrEnum):
    INVITATION = "invitation"
    # Asked for on "Forgotten your password?".
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind of email, not a password)
    # Sent by an administrator; the old password has stopped working.
    PASSWORD_RESET_BY_ADMINISTRATOR = "password_reset_by_administrator"  # noqa: S105 (a kind of email)


@dataclass(frozen=True)
class _Link:
    url_name: str
    tokens: PasswordResetTokenGenerator
    timeout_setting: str
    subject: str


_LINKS = {
    LinkKind.INVITATION: _Link(
        "invitation_accept", invitation_tokens, "INVITATION_TIMEOUT", "Choose your password for {service}"
    ),
    LinkKind.PASSWORD_RESET: _Link(
        "password_reset_confirm", password_reset_tokens, "PASSWORD_RESET_TIMEOUT", "Reset your password for {service}"
    ),
    LinkKind.PASSWORD_RESET_BY_ADMINISTRATOR: _Link(
        "password_reset_confirm", password_reset_tokens, "PASSWORD_RESET_TIMEOUT", "Choose a new password for {service}"
    ),
}


def link_lifetime(kind: LinkKind) -> int:
    """How long a link of this kind works, in seconds."""
    return getattr(settings, _LINKS[kind].timeout_setting)


def duration_text(seconds: int) -> str:
    """72 hours, 1 hour, 30 minutes: as a person says it."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def clock_text(moment) -> str:
    """A time as GOV.UK writes it, with its date: 2:15pm on 5 December 2026."""
    local = timezone.localtime(moment)
    return f"{local.strftime('%I:%M%p').lstrip('0').lower()} on {local.day} {local:%B %Y}"


def _absolute(request: HttpRequest | None, path: str) -> str:
    if settings.SERVICE_URL:
        return settings.SERVICE_URL + path
    if request is None:
        raise ValueError("Set SERVICE_URL to send links from outside a request.")
    return request.build_absolute_uri(path)


def link_message(*, request: HttpRequest | None, user, kind: LinkKind) -> EmailMessage:
    """The email with a link for this person to choose a password (not yet sent)."""
    link = _LINKS[kind]
    path = reverse(
        link.url_name,
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": link.tokens.make_token(user)},
    )
    lifetime = link_lifetime(kind)
    # The agency only for an invitation: a reset asked for by anyone reads nothing more of the account.
    membership = user.membership if kind == LinkKind.INVITATION else None
    context = {
        "service_name": settings.SERVICE_NAME,
        "link": _absolute(request, path),
        "sign_in": _absolute(request, reverse("login")),
        "valid_for": duration_text(lifetime),
        "expires_at": clock_text(timezone.now() + timedelta(seconds=lifetime)),
        "agency_name": membership.agency.name if membership else "",
    }
    body = render_to_string(f"accounts/email/{kind}.txt", context)
    return EmailMessage(subject=link.subject.format(service=settings.SERVICE_NAME), body=body, to=[user.email])


def send_now(message: EmailMessage) -> bool:
    """Send, and say whether the mail server took the message."""
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        log.exception("An email could not be sent")
        return False
    return True

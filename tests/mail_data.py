"""Emails as the person receiving them reads them: from Django's test outbox,
or from the folder the file mailer writes to (as in the demo, ``var/mail/``)."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path
from urllib.parse import urlsplit

# Django's file mailer writes each message followed by a line of 79 dashes.
_SEPARATOR = re.compile(r"^-{79}$", re.M)
_LINK = re.compile(r"https?://\S+")


def messages_in(folder: Path) -> list[email.message.EmailMessage]:
    """Every message in the folder, oldest first."""
    found = []
    for path in sorted(Path(folder).glob("*.log"), key=lambda path: path.stat().st_mtime_ns):
        for text in _SEPARATOR.split(path.read_text()):
            if text.strip():
                found.append(email.message_from_string(text.lstrip(), policy=email.policy.default))
    return found


def body_of(message) -> str:
    """The text of a message from the folder, or of one in Django's outbox."""
    text = message.get_content() if hasattr(message, "get_content") else message.body
    return text.replace("\r\n", "\n")


def link_in(message) -> str:
    """The one link in a message."""
    (link,) = _LINK.findall(body_of(message).split("with this link:", 1)[1].split("\n\n", 1)[0])
    return link


def path_of(link: str) -> str:
    return urlsplit(link).path

"""A real mail server for the notification emails: aiosmtpd, started by the test on 127.0.0.1, with the
service sending to it by SMTP as in production."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class _Collect:
    """Keeps each message as the server received it: who from, to whom, and its bytes."""

    def __init__(self):
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK: queued"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(data, policy=email.policy.default) for _, _, data in self.received]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(data, policy=email.policy.default)
            for _, recipients, data in self.received
            if address in recipients
        ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    handler = _Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 5},
        }
    }
    settings.SERVICE_URL = "https://safeguarding.example.org"
    yield handler
    controller.stop()


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Runs what was left for after the commit (the notifications and their emails), as a commit would."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            result = write()
        return result

    return run

"""In production mail goes by SMTP: a mail server on this machine receives the
invitation and the reset link, as the service sends them.

The server is a few lines of the standard library (socketserver) speaking
plain SMTP: aiosmtpd is not among the project's packages.
"""

import email
import email.policy
import socketserver
import threading

import pytest
from django.test import Client
from django.urls import reverse

from records.roles import Role
from tests.mail_data import body_of, link_in, path_of


class _Session(socketserver.StreamRequestHandler):
    """One SMTP conversation: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def handle(self):
        self.reply("220 sink.test ESMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.strip().decode("ascii", "replace")
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink.test")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (row := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(row[1:] if row.startswith(b"..") else row)
                self.server.received.append((sender, recipients, b"".join(data)))
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def mail_server(settings):
    """A mail server on 127.0.0.1, and the service set to send to it by SMTP (no TLS: it is local)."""
    server = _Server(("127.0.0.1", 0), _Session)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.server_address[1], "use_tls": False, "timeout": 5},
        }
    }
    yield server
    server.shutdown()
    server.server_close()


def received(server) -> list[tuple[str, list[str], email.message.EmailMessage]]:
    return [
        (sender, recipients, email.message_from_bytes(data, policy=email.policy.default))
        for sender, recipients, data in server.received
    ]


def test_an_invitation_reaches_the_mail_server(admin_client_agency, mail_server, settings):
    data = {"full_name": "Sam Rivers", "email": "sam.rivers@northgate.example", "role": Role.PRACTITIONER}
    response = admin_client_agency.post(reverse("records:staff_add"), data, follow=True)
    assert "We have emailed them an invitation" in response.content.decode()
    ((sender, recipients, message),) = received(mail_server)
    assert sender == "no-reply@safeguarding.example"
    assert recipients == ["sam.rivers@northgate.example"]
    assert message["Subject"] == "Choose your password for Safeguarding information sharing"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    # The link in the message as the server received it opens the page to choose a password.
    assert Client().get(path_of(link_in(message))).status_code == 302


def test_a_reset_link_reaches_the_mail_server_once_the_page_has_gone(client, practitioner, mail_server):
    assert client.post(reverse("password_reset"), {"email": practitioner.email}).status_code == 302
    ((_, recipients, message),) = received(mail_server)
    assert recipients == [practitioner.email]
    assert "Choose a new password with this link" in body_of(message)

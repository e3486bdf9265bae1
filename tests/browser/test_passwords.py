"""Nobody knows another person's password: an agency administrator invites a
new lead, who chooses a password from the emailed link and sets up two-factor
authentication; a practitioner resets a forgotten password from an emailed
link (an hour late, the link no longer works), and changes it signed in.

Mail is read from the folder the file mailer writes to, as in the demo
(var/mail/). Each page visited is checked with axe; console errors and failed
requests fail the test (see the ``page`` fixture).
"""

import re
import time
from base64 import b32decode
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.accounts.codes import authenticator_code
from tests.browser.helpers import SIGN_IN_PATH, assert_accessible, sign_in
from tests.mail_data import body_of, link_in, messages_in

ADMIN = "admin@northgate.example"
PRACTITIONER = "practitioner@northgate.example"
NEW_PASSWORD = "lantern orchard pebble 42"
NOT_WORKING = "This link does not work"

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def mail_folder(settings, tmp_path):
    """The demo's mailer (files in a folder), writing to a folder of this test's own."""
    folder = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder


def messages_to(folder, address: str, count: int) -> list:
    """The messages to this address, once ``count`` have arrived: a reset is
    sent just after its page, so it may be a moment behind."""
    deadline = time.monotonic() + 10
    while True:
        found = [message for message in messages_in(folder) if message["To"] == address] if folder.exists() else []
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) == count, f"{len(found)} messages to {address}, not {count}"
            return found
        time.sleep(0.05)


def error_summary(page: Page):
    return page.locator(".govuk-error-summary")


def choose(page: Page, password: str, again: str | None = None) -> None:
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Type the new password again").fill(again or password)


def test_an_invited_lead_chooses_a_password_and_sets_up_two_factor(page: Page, browser, live_server, mail_folder):
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("link", name="Add a member of staff").click()
    expect(page.locator("input[type=password]")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Full name").fill("Sam Rivers")
    page.get_by_label("Email address").fill("sam.rivers@northgate.example")
    page.get_by_label("Safeguarding lead").check()
    page.get_by_role("button", name="Add member of staff").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Sam Rivers has been added. We have emailed them an invitation to choose a password"
    )
    expect(page.get_by_role("row", name=re.compile("Sam Rivers"))).to_contain_text("Invited")
    assert_accessible(page)

    (invitation,) = messages_to(mail_folder, "sam.rivers@northgate.example", 1)
    assert invitation["Subject"] == "Choose your password for Safeguarding information sharing"
    assert "Sam Rivers" not in body_of(invitation)
    link = link_in(invitation)

    # The new lead, on their own computer.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    invitee = context.new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Choose your password")
    expect(invitee.get_by_text("sam.rivers@northgate.example")).to_be_visible()
    assert "set-password" in invitee.url, "the token has left the address"
    assert_accessible(invitee)
    choose(invitee, "password1234")
    invitee.get_by_role("button", name="Set password").click()
    expect(error_summary(invitee)).to_contain_text("This password is too common.")
    assert_accessible(invitee)
    choose(invitee, NEW_PASSWORD)
    invitee.get_by_role("button", name="Set password").click()

    # Signed in, and setting up two-factor authentication comes next.
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(invitee.locator(".govuk-notification-banner")).to_contain_text("Your password has been set")
    assert_accessible(invitee)
    key = b32decode(invitee.locator("#typed-key").inner_text().replace(" ", ""))
    invitee.get_by_role("textbox", name="Code").fill(authenticator_code(key))
    invitee.get_by_role("button", name="Continue", exact=True).click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Two-factor authentication is set up")
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.locator(".app-account-bar__who")).to_contain_text("Sam Rivers")
    assert_accessible(invitee)

    # The link worked once.
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(NOT_WORKING)
    expect(invitee.get_by_text("Ask your agency administrator to send you a new invitation")).to_be_visible()
    assert_accessible(invitee)
    context.close()

    # The administrator's list now shows them as active.
    page.reload()
    expect(page.get_by_role("row", name=re.compile("Sam Rivers"))).to_contain_text("Active")


def test_a_forgotten_password_is_reset_from_an_emailed_link(page: Page, mail_folder, time_machine):
    page.goto(SIGN_IN_PATH)
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_label("Email address").fill("PRACTITIONER@northgate.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("stops working after 1 hour")).to_be_visible()
    assert_accessible(page)
    (late,) = messages_to(mail_folder, PRACTITIONER, 1)
    assert late["Subject"] == "Reset your password for Safeguarding information sharing"

    # An hour and a minute later, the link no longer works.
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60), tick=True)
    page.goto(link_in(late))
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_WORKING)
    assert_accessible(page)
    page.get_by_role("link", name="Ask for a new link").click()
    page.get_by_label("Email address").fill(PRACTITIONER)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    _, fresh = messages_to(mail_folder, PRACTITIONER, 2)

    page.goto(link_in(fresh))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    choose(page, NEW_PASSWORD, again="lantern orchard pebble 43")
    page.get_by_role("button", name="Change password").click()
    expect(error_summary(page)).to_contain_text("The passwords do not match")
    assert_accessible(page)
    choose(page, NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed")
    expect(page.locator(".app-account-bar__who")).to_contain_text("Signed in as")
    assert_accessible(page)

    # Used once, the link is spent; the new password signs in, the old one does not.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto(link_in(fresh))
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_WORKING)
    page.goto(SIGN_IN_PATH)
    page.locator("#id_username").fill(PRACTITIONER)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(error_summary(page)).to_contain_text("Enter a correct email address and password")
    sign_in(page, PRACTITIONER, NEW_PASSWORD)
    expect(page.get_by_role("link", name="Find a child")).to_be_visible()


def test_a_practitioner_changes_their_password(page: Page):
    sign_in(page, PRACTITIONER)
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
    page.get_by_label("Current password").fill("not-my-password")
    choose(page, NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(error_summary(page)).to_contain_text("Your current password is not right")
    assert_accessible(page)
    page.get_by_label("Current password").fill(settings.DEMO_PASSWORD)
    choose(page, NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed")
    assert urlsplit(page.url).path != "/accounts/password/change/"
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    sign_in(page, PRACTITIONER, NEW_PASSWORD)
    expect(page.get_by_role("link", name="Find a child")).to_be_visible()

"""Passkeys in a real Chromium, with its virtual authenticator (the DevTools protocol's WebAuthn domain)
standing in for a phone or a laptop's fingerprint reader: set up at the first sign-in, asked for first at
the next, added and removed on "Your sign-in methods", and written to the access log.

The live server answers at http://localhost, a secure context, whose host is the passkeys' domain.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page, expect

from audit.models import AccessEvent, Action
from records.models import User
from tests.browser.helpers import SIGN_IN_PATH, assert_accessible, enter_authenticator_code, sign_in

PRACTITIONER = "practitioner@northgate.example"
CODE_PATH = "/accounts/two-factor/code/"

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def passkeys_for_the_live_server(settings, live_server):
    assert urlsplit(live_server.url).hostname == "localhost"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def virtual_authenticator(page: Page) -> tuple:
    """A platform authenticator that holds passkeys and checks the person (as a fingerprint would)."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools, added["authenticatorId"]


def enter_password(page: Page, email: str) -> None:
    page.goto(SIGN_IN_PATH)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url).path != SIGN_IN_PATH)


def use_the_passkey(page: Page) -> None:
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url(lambda url: urlsplit(url).path != CODE_PATH)
    expect(page.get_by_role("link", name="Your sign-in methods")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(SIGN_IN_PATH)))


def logged(email: str, action: str) -> list[str]:
    return list(
        AccessEvent.objects.filter(user__email=email, action=action).order_by("pk").values_list("detail", flat=True)
    )


def test_a_practitioner_sets_up_a_passkey_and_signs_in_with_it(page: Page):
    devtools, authenticator = virtual_authenticator(page)
    enter_password(page, PRACTITIONER)

    # Everyone sets up a second factor: a passkey is offered first.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/set-up/$"))
    expect(page.get_by_role("link", name="Find a child")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Set up a passkey").click()

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/recovery-codes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication is set up")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".app-account-bar__who")).to_contain_text("Signed in as")
    held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(held) == 1
    assert WebAuthnCredential.objects.filter(user__email=PRACTITIONER).count() == 1
    assert logged(PRACTITIONER, Action.DEVICE_ADDED) == ["passkey, by its owner"]

    sign_out(page)
    enter_password(page, PRACTITIONER)
    # The passkey first; a recovery code as the alternative (no app was set up).
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/code/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Use your passkey")
    expect(page.get_by_role("heading", name="Or enter a recovery code")).to_be_visible()
    assert_accessible(page)
    use_the_passkey(page)
    assert (
        devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"][0]["signCount"] >= 1
    )
    assert logged(PRACTITIONER, Action.SIGN_IN)[-1] == "passkey"


def test_a_passkey_added_and_removed_on_the_sign_in_methods_page(page: Page):
    sign_in(page, PRACTITIONER)  # with an authenticator app
    devtools, authenticator = virtual_authenticator(page)
    page.get_by_role("link", name="Your sign-in methods").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sign-in methods")
    expect(page.get_by_text("You have not added a passkey.")).to_be_visible()
    # The only app cannot be removed.
    expect(page.get_by_role("button", name="Remove authenticator app")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Your passkey has been added")).to_be_visible()
    passkeys = page.get_by_label("Passkeys")
    expect(passkeys.get_by_role("term")).to_have_text(["Passkey 1"])
    expect(passkeys).to_contain_text("Not used yet")
    assert_accessible(page)

    # The next sign-in offers the passkey first, and the app as the alternative.
    sign_out(page)
    enter_password(page, PRACTITIONER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Use your passkey")
    expect(page.get_by_role("heading", name="Or enter a code")).to_be_visible()
    use_the_passkey(page)

    page.get_by_role("link", name="Your sign-in methods").click()
    expect(page.get_by_label("Passkeys")).to_contain_text("Last used")
    page.get_by_role("button", name="Remove Passkey 1").click()
    expect(page.get_by_text("Your passkey has been removed")).to_be_visible()
    expect(page.get_by_text("You have not added a passkey.")).to_be_visible()
    assert not WebAuthnCredential.objects.filter(user__email=PRACTITIONER).exists()
    assert logged(PRACTITIONER, Action.DEVICE_REMOVED) == ["passkey, by its owner"]

    # Back to the app's code at the next sign-in.
    sign_out(page)
    enter_password(page, PRACTITIONER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    enter_authenticator_code(page, PRACTITIONER)
    expect(page.locator(".app-account-bar__who")).to_contain_text("Signed in as")
    assert devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert User.objects.get(email=PRACTITIONER).is_active

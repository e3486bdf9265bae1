"""A safeguarding lead sets up two-factor authentication, sees the recovery
codes once, signs out, and signs in again with a code from the app.

Each page visited is checked with axe; console errors and failed requests fail
the test (see the ``page`` fixture).
"""

import re
from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.accounts.codes import authenticator_code
from tests.browser.helpers import SIGN_IN_PATH, assert_accessible

LEAD = "lead@northgate.example"

pytestmark = pytest.mark.usefixtures("demo")


def enter_password(page: Page) -> None:
    page.goto(SIGN_IN_PATH)
    assert_accessible(page)
    page.locator("#id_username").fill(LEAD)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url).path != SIGN_IN_PATH)


def test_a_lead_sets_up_an_authenticator_app_and_signs_in_with_it(page: Page):
    enter_password(page)

    # Setting up: a QR code, and the key to type for an app that cannot scan.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/set-up/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    expect(page.get_by_role("link", name="Find a child")).to_have_count(0)
    assert_accessible(page)
    typed_key = page.locator("#typed-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", typed_key), typed_key
    key = b32decode(typed_key.replace(" ", ""))

    page.get_by_role("textbox", name="Code").fill(authenticator_code(key))
    page.get_by_role("button", name="Continue", exact=True).click()

    # The recovery codes, once.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/recovery-codes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication is set up")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(page.get_by_text("This is the only time you will see these codes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".app-account-bar__who")).to_contain_text("Signed in as")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    # Signing in again: the password, then a code from the app.
    enter_password(page)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/code/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_role("textbox", name="Code").fill("000000" if authenticator_code(key) != "000000" else "111111")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert_accessible(page)

    device = TOTPDevice.objects.get(user__email=LEAD, confirmed=True)
    # django-otp makes the next try wait a second after a wrong code.
    page.wait_for_timeout(1100)
    page.get_by_role("textbox", name="Code").fill(authenticator_code(key, after=device.last_t))
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter the code from your authenticator app")
    expect(page.locator(".app-account-bar__who")).to_contain_text("safeguarding lead")
    expect(page.get_by_role("link", name="Find a child")).to_be_visible()
    assert_accessible(page)

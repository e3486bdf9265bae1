"""The time-out warning in Chromium (WCAG 2.2.1, after GOV.UK's pattern), and
what was typed surviving a time-out.

Time is travelled, never waited for: the browser's clock with Playwright's
``page.clock``, the server's by moving the session's own times back (the
sign-in and the last activity SessionLimitsMiddleware reads), as if the
minutes had passed there too.
"""

from datetime import datetime
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from accounts import services as account_services
from consent.models import ConsentRecord
from records.models import Child
from tests.browser import consent_form
from tests.browser.helpers import (
    SIGN_IN_PATH,
    TWO_FACTOR_CODE_PATH,
    assert_accessible,
    enter_authenticator_code,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("demo")

PRACTITIONER = "practitioner@northgate.example"
WARNING = "You’re about to be signed out"
HOW = "Mia said yes in her own words when we talked it through at school, before the call came in."


def server_time_passes(page: Page, minutes: float, *, idle: bool = True) -> None:
    """On the server, ``minutes`` pass for this browser's session: its sign-in
    (and its last activity, unless it was busy all along) move that far into the past."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[account_services.SIGNED_IN_AT] -= minutes * 60
    if idle:
        session[account_services.LAST_SEEN_AT] -= minutes * 60
    session.save()


def warning(page: Page):
    return page.get_by_role("dialog", name=WARNING)


def mia() -> Child:
    return Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1042")


def consent_page(page: Page) -> str:
    return f"/children/{mia().pk}/consent/add/"


def how_page() -> str:
    return f"/children/{mia().pk}/consent/add/how/"


def reach_how_page(page: Page) -> None:
    """Recording Mia's consent, the pages before "How they answered" answered (kept on the server)."""
    page.goto(consent_page(page))
    consent_form.choose(page, consent_form.ABOUT, "The child, Mia Turner")
    consent_form.continue_on(page)
    consent_form.choose(page, consent_form.RESPONDER, "The child themself")
    consent_form.continue_on(page)
    consent_form.choose(page, consent_form.ANSWER, "Consent given")
    consent_form.continue_on(page)
    page.wait_for_url(lambda url: urlsplit(url).path == how_page())


def stop_the_clock(page: Page) -> None:
    """From now on the browser's clock moves only when the test moves it (``fast_forward``, ``run_for``)."""
    page.clock.pause_at(datetime.fromtimestamp(page.evaluate("Date.now()") / 1000 + 1))


def assert_accessible_now(page: Page) -> None:
    """axe waits on timers of its own: the clock runs while it looks, and stops again."""
    page.clock.resume()
    assert_accessible(page)
    stop_the_clock(page)


def seconds_left(page: Page) -> int:
    """How long the server said this page's session had left when it was sent."""
    return int(page.locator("#app-timeout-dialog").get_attribute("data-idle-seconds-left"))


def test_the_warning_comes_two_minutes_before_and_staying_signed_in_keeps_the_session(page: Page):
    page.clock.install()
    sign_in(page, PRACTITIONER)
    reach_how_page(page)
    stop_the_clock(page)
    page.goto(how_page())  # loaded on the stopped clock
    how = page.get_by_label(consent_form.HOW, exact=True)
    how.fill(HOW)
    expect(how).to_be_focused()
    left = seconds_left(page)
    assert 29 * 60 < left <= 30 * 60

    # Until two minutes before the end: no warning.
    server_time_passes(page, (left - 121) / 60)
    page.clock.fast_forward((left - 121) * 1000)
    expect(warning(page)).to_be_hidden()

    # Then the warning opens, takes the focus, and says how long is left; a screen reader hears it now
    # and at a minute, not every second.
    server_time_passes(page, 1 / 60)
    page.clock.fast_forward(1000)
    expect(warning(page)).to_be_visible()
    expect(warning(page)).to_be_focused()
    expect(warning(page)).to_contain_text("For your security, we will sign you out in 2 minutes.")
    expect(warning(page)).to_contain_text("Anything you have typed on this page is kept")
    announced = warning(page).locator("[aria-live]")
    expect(announced).to_have_text("We will sign you out in 2 minutes.")
    page.clock.run_for(30_000)
    expect(warning(page)).to_contain_text("For your security, we will sign you out in 1 minute 30 seconds.")
    expect(announced).to_have_text("We will sign you out in 2 minutes.")
    page.clock.run_for(30_000)
    expect(announced).to_have_text("We will sign you out in 1 minute.")
    assert_accessible_now(page)
    # Tab stays in the dialog: the page behind it is inert while it is open.
    page.keyboard.press("Tab")
    expect(warning(page).get_by_role("button", name="Stay signed in")).to_be_focused()

    # "Stay signed in": the warning closes, the focus goes back where it was, and the server's session goes on.
    server_time_passes(page, 1)
    warning(page).get_by_role("button", name="Stay signed in").click()
    expect(warning(page)).to_be_hidden()
    expect(how).to_be_focused()

    # Again, with the keyboard: Escape stays signed in too.
    server_time_passes(page, 28)
    page.clock.fast_forward(28 * 60 * 1000)
    expect(warning(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(warning(page)).to_be_hidden()
    expect(how).to_be_focused()

    # 29 minutes after that, and an hour after the page was loaded: still signed in, with what was typed.
    server_time_passes(page, 29)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How they answered")
    assert urlsplit(page.url).path == how_page()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.get_by_label(consent_form.HOW, exact=True)).to_have_value(HOW)


def test_what_was_typed_survives_the_time_out_and_signing_in_again(page: Page):
    page.clock.install()
    sign_in(page, PRACTITIONER)
    reach_how_page(page)
    stop_the_clock(page)
    page.goto(how_page())  # loaded on the stopped clock
    recorded = ConsentRecord.objects.filter(child=mia()).count()
    consent_form.choose(page, consent_form.EXPLICITNESS, "Implied", exact=False)
    page.get_by_label(consent_form.HOW, exact=True).fill(HOW)

    # Thirty minutes without a request, here and on the server: the page goes to the sign-in page on its own,
    # so nothing personal stays on the screen, and what was typed is kept on the server.
    server_time_passes(page, 30)
    page.clock.fast_forward(30 * 60 * 1000)
    page.wait_for_url(lambda url: urlsplit(url).path == SIGN_IN_PATH)
    expect(page.get_by_text("You were signed out after 30 minutes without activity.")).to_be_visible()
    page.clock.resume()
    assert_accessible(page)
    assert ConsentRecord.objects.filter(child=mia()).count() == recorded, "nothing was recorded"

    page.get_by_label("Email address").fill(PRACTITIONER)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # Everyone gives a second factor (TWO_FACTOR=everyone), then comes back to the form.
    page.wait_for_url(lambda url: urlsplit(url).path == TWO_FACTOR_CODE_PATH)
    enter_authenticator_code(page, PRACTITIONER)
    page.wait_for_url(lambda url: urlsplit(url).path == how_page())
    expect(page.get_by_text("What you typed has been kept below.")).to_be_visible()
    expect(consent_form.group(page, consent_form.EXPLICITNESS).get_by_label("Implied", exact=False)).to_be_checked()
    expect(page.get_by_label(consent_form.HOW, exact=True)).to_have_value(HOW)
    assert_accessible(page)
    # The pages answered before the time-out are kept too.
    page.get_by_role("link", name="Back", exact=True).click()
    expect(consent_form.group(page, consent_form.ANSWER).get_by_label("Consent given")).to_be_checked()


def test_near_the_twelve_hour_limit_the_warning_says_it_cannot_be_put_off(page: Page):
    page.clock.install()
    sign_in(page, PRACTITIONER)
    server_time_passes(page, 12 * 60 - 10, idle=False)  # busy for 11 hours 50 minutes
    stop_the_clock(page)
    page.goto(consent_page(page))
    left = int(page.locator("#app-timeout-dialog").get_attribute("data-absolute-seconds-left"))
    assert 9 * 60 < left <= 10 * 60

    page.clock.fast_forward((left - 120) * 1000)
    expect(warning(page)).to_be_visible()
    expect(warning(page)).to_contain_text(
        "You have been signed in for almost 12 hours, the longest the service allows. "
        "We will sign you out in 2 minutes."
    )
    expect(warning(page).get_by_role("button", name="Stay signed in")).to_be_hidden()
    warning(page).get_by_role("button", name="Continue").click()
    expect(warning(page)).to_be_hidden()
    page.clock.run_for(60_000)
    expect(warning(page)).to_be_hidden()  # not again

    server_time_passes(page, 10, idle=False)
    page.clock.fast_forward(60_000)
    page.wait_for_url(lambda url: urlsplit(url).path == SIGN_IN_PATH)
    expect(page.get_by_text("You were signed out because you had been signed in for 12 hours.")).to_be_visible()


def test_staying_signed_in_in_one_tab_closes_the_warning_in_the_other(page: Page):
    page.clock.install()
    sign_in(page, PRACTITIONER)
    stop_the_clock(page)
    page.goto(consent_page(page))
    other = page.context.new_page()
    other.goto(f"/children/{mia().pk}/")
    left = min(seconds_left(page), seconds_left(other))

    server_time_passes(page, (left - 60) / 60)
    page.clock.fast_forward((left - 60) * 1000)
    expect(warning(page)).to_be_visible()
    expect(warning(other)).to_be_visible()
    warning(page).get_by_role("button", name="Stay signed in").click()
    expect(warning(page)).to_be_hidden()
    expect(warning(other)).to_be_hidden()
    other.close()

"""The footer's pages, as someone who cannot sign in would find them: from the
sign-in page, without signing in, each one accessible; the protective marking
heads each printed page."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible

FOOTER = {
    "Help and contact": "Help and contact",
    "Accessibility statement": "Accessibility statement for Safeguarding information sharing",
    "Privacy notice": "Privacy notice",
    "Cookies": "Cookies",
}


@pytest.mark.usefixtures("transactional_db")
def test_each_footer_page_opens_from_the_sign_in_page_without_signing_in(page: Page):
    for link, heading in FOOTER.items():
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", name="Need help?")).to_be_visible()
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)


@pytest.mark.usefixtures("transactional_db")
def test_the_feedback_link_in_the_phase_banner_goes_to_the_feedback_section(page: Page):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Tell us what you think").click()
    expect(page.get_by_role("heading", name="Tell us what you think")).to_be_in_viewport()


@pytest.mark.usefixtures("transactional_db")
def test_the_protective_marking_is_on_screen_and_on_paper(page: Page):
    page.goto("/help/")
    marking = page.get_by_text("OFFICIAL-SENSITIVE", exact=True)
    expect(marking).to_be_visible()
    page.emulate_media(media="print")
    expect(marking).to_be_visible()
    expect(marking).to_have_css("position", "fixed")

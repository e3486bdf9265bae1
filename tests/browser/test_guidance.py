"""The guidance beside the questions (issue 17, point 9): a question's paragraph numbers are links to the
paragraphs, shown in the service; the text itself opens under the question; every page passes axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, sign_in
from tests.browser.test_recording_a_decision import PRACTITIONER, start_a_decision

pytestmark = pytest.mark.usefixtures("demo")


def test_a_question_links_to_its_paragraphs_and_shows_their_text(page: Page):
    sign_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-1043", "Jayden Turner")
    question_url = page.url

    # The paragraphs under the question, a details component away.
    guidance_text = page.locator(".app-guidance-text")
    expect(guidance_text.get_by_text("3.5.4", exact=True)).to_be_hidden()
    page.get_by_text("Read what the guidance says").click()
    expect(guidance_text.get_by_text("3.5.4", exact=True)).to_be_visible()
    expect(guidance_text).to_contain_text("Is the request proportionate to the purpose for which disclosure is sought?")
    # "Proportionate" and "secondary disclosure" are explained where they are asked.
    expect(page.locator(".govuk-hint", has_text="Proportionate means a balanced response")).to_be_visible()
    expect(page.locator(".govuk-hint", has_text="Secondary disclosure is the recipient passing")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="guidance paragraphs 3.5.2 to 3.5.4").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paragraphs 3.5.2 to 3.5.4")
    expect(page.get_by_role("heading", name="Establishing the legality of information sharing")).to_be_visible()
    assert_accessible(page)

    # A link in a hint, far down the page, is clicked like any other.
    page.goto(question_url)
    hint = page.locator(".govuk-hint", has_text="Proportionate means")
    hint.get_by_role("link", name="guidance section 3.8").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 3.8: Information sharing glossary")
    expect(page.locator(".govuk-summary-list__row", has_text=re.compile(r"^\s*Proportionality"))).to_be_visible()
    assert_accessible(page)

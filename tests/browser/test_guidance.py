"""The guidance beside the questions (issue 17, point 9): a question's paragraph numbers are links to the
paragraphs, shown in the service; the text itself opens under the question; every page passes axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from sharing.guidance import QuestionKey
from tests.browser.helpers import assert_accessible, signed_in
from tests.browser.test_recording_a_decision import (
    PRACTITIONER,
    PURPOSE,
    continue_,
    expect_question,
    group,
    start_a_decision,
)

pytestmark = pytest.mark.usefixtures("demo")


def test_a_question_links_to_its_paragraphs_and_shows_their_text(page: Page):
    signed_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-1043", "Jayden Turner")

    # The paragraphs the page follows (question 1's purpose: 3.5.2 and 3.5.4), a details component away.
    guidance_text = page.locator(".app-guidance-text")
    expect(guidance_text.get_by_text("3.5.4", exact=True)).to_be_hidden()
    page.get_by_text("Read what the guidance says").click()
    expect(guidance_text.get_by_text("3.5.4", exact=True)).to_be_visible()
    expect(guidance_text).to_contain_text("Is the request proportionate to the purpose for which disclosure is sought?")
    assert_accessible(page)

    page.get_by_role("link", name="guidance paragraph 3.5.4", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paragraph 3.5.4")
    expect(page.get_by_role("heading", name="Establishing the legality of information sharing")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    expect_question(page, QuestionKey.PURPOSE)

    # The tests of 3.5.4 explain "proportionate" and "secondary disclosure" where they are asked.
    page.get_by_label("What is the purpose of sharing the information?").fill(PURPOSE)
    continue_(page)
    group(page, "What is the legal basis for sharing?").get_by_label(
        "Children Act 2004 section 11", exact=False
    ).check()
    continue_(page)
    group(page, "What is the level of concern about the child at this time?").get_by_label(
        "There is reasonable cause to believe", exact=False
    ).check()
    continue_(page)
    expect(page.locator(".govuk-caption-l")).to_contain_text("part 4 of 5: establishing a legitimate purpose")
    expect(page.locator(".govuk-hint", has_text="Proportionate means a balanced response")).to_be_visible()
    expect(page.locator(".govuk-hint", has_text="Secondary disclosure is the recipient passing")).to_be_visible()
    assert_accessible(page)

    # A link in a hint, far down the page, is clicked like any other.
    hint = page.locator(".govuk-hint", has_text="Proportionate means")
    hint.get_by_role("link", name="guidance section 3.8").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 3.8: Information sharing glossary")
    expect(page.locator(".govuk-summary-list__row", has_text=re.compile(r"^\s*Proportionality"))).to_be_visible()
    assert_accessible(page)

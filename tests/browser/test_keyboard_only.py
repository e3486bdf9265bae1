"""A decision recorded with the keyboard alone (issue 17: WCAG 2.1.1 Keyboard, 2.4.3 Focus Order): from the
child's page to the recorded decision, every control reached with Tab and worked with the keys, no mouse."""

import re

import pytest
from playwright.sync_api import Page, expect

from sharing.guidance import QuestionKey
from sharing.models import SharingDecision
from tests.browser.helpers import signed_in
from tests.browser.keyboard import choose, press, tab_to, tick, type_into
from tests.browser.test_recording_a_decision import PRACTITIONER, PURPOSE, REASONS, child, expect_question, group

pytestmark = pytest.mark.usefixtures("demo")

ANONYMISED = "Names, dates of birth and the address are left out; the concern is described without them."
SHARED = "A health visitor's concern about the home, without names."


def radio(page: Page, legend: str, label: str):
    return group(page, legend).get_by_label(label, exact=True)


def save_and_continue(page: Page) -> None:
    press(page, page.get_by_role("button", name="Continue", exact=True))


def test_a_practitioner_records_a_decision_with_the_keyboard_alone(page: Page):
    signed_in(page, PRACTITIONER)
    jayden = child("NCS-1043")
    page.goto(f"/children/{jayden.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jayden Turner")

    press(page, page.get_by_role("link", name="Record an information-sharing decision"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an information-sharing decision")
    choose(page, page.get_by_label("I want to share information", exact=True))
    press(page, page.get_by_role("button", name="Start", exact=True))

    # Question 1, a page at a time.
    expect_question(page, QuestionKey.PURPOSE)
    type_into(page, page.get_by_label("What is the purpose of sharing the information?"), PURPOSE)
    save_and_continue(page)
    tick(page, page.get_by_label("Children Act 2004 section 11", exact=False))
    save_and_continue(page)
    choose(page, page.get_by_label("There is reasonable cause to believe", exact=False))
    save_and_continue(page)
    for legend, answer in (
        ("Does the person receiving the information have a sufficient need to know?", "Yes"),
        ("Is sharing proportionate to the purpose?", "Yes"),
        ("Was the information obtained under a statutory power or duty that limits what can be done with it?", "No"),
        ("Will the recipient pass the information on to anyone else (secondary disclosure)?", "No"),
        ("Could anonymised information achieve the purpose instead?", "No"),
    ):
        choose(page, radio(page, legend, answer))
    save_and_continue(page)
    choose(page, radio(page, "Having considered these, is there a legitimate purpose to share the information?", "Yes"))
    save_and_continue(page)

    # Question 2: anonymised, so nobody is identified and questions 3 to 6 are not needed (3.5.5).
    expect_question(page, QuestionKey.IDENTIFIABLE)
    choose(page, radio(page, "Does the information identify the child or anyone else?", "No"))
    save_and_continue(page)
    # How it was anonymised, on a page of its own.
    expect_question(page, QuestionKey.IDENTIFIABLE)
    type_into(page, page.get_by_label("How has the information been anonymised?"), ANONYMISED)
    save_and_continue(page)

    expect_question(page, QuestionKey.SHARING)
    choose(page, radio(page, "What have you decided?", "Share the information"))
    save_and_continue(page)
    # Each item on a page of its own, then the list of items and whether to add another (3.7.9).
    type_into(page, page.get_by_label("Item 1: what is the information?"), SHARED)
    choose(page, radio(page, "Is it fact, opinion, hypothesis or a mixture?", "Fact"))
    save_and_continue(page)
    expect(page.get_by_role("heading", name="You have added 1 item to share")).to_be_visible()
    choose(page, radio(page, "Do you need to add another item?", "No"))
    save_and_continue(page)
    recipient = group(page, "Who will receive it?")
    type_into(page, recipient.get_by_label("Name", exact=True), "Nadia Hughes")
    type_into(page, recipient.get_by_label("Role", exact=True), "Health visitor")
    type_into(page, recipient.get_by_label("Agency", exact=True), "Northgate NHS Foundation Trust")
    choose(page, radio(page, "What kind of agency is it?", "NHS trust or GP practice"))
    type_into(page, page.get_by_label("Why do they need to know?"), "To plan a safe home visit.")
    save_and_continue(page)
    choose(page, group(page, "How will it be shared?").get_by_label("Secure email", exact=False))
    tick(page, page.get_by_label("I have checked that the information is accurate and up to date"))
    save_and_continue(page)
    choose(page, radio(page, "Does the recipient intend to pass it on to anyone else?", "No"))
    save_and_continue(page)

    expect_question(page, QuestionKey.DECISION)
    type_into(page, page.get_by_label("Why have you made this decision?"), REASONS)
    save_and_continue(page)
    # The date and time of the decision, now unless changed, on a page of their own.
    expect_question(page, QuestionKey.DECISION)
    expect(page.get_by_label("Time of the decision")).to_have_value(re.compile(r"^\d{2}:\d{2}$"))
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before recording the decision")
    record = page.get_by_role("button", name="Record decision")
    tab_to(page, record)
    expect(record).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Information-sharing decision: share the information")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    decision = SharingDecision.objects.get(child=jayden)
    assert decision.reasons == REASONS
    expect(page.locator(".app-record-summary")).to_contain_text(re.compile(re.escape(REASONS)))

"""Answering the pages of recording a disclosure (exchange.disclosure_pages) in the browser, a page at a time."""

from datetime import date

from playwright.sync_api import Page

from tests.browser.consent_form import choose, continue_on, expect_page, fill_date, group
from tests.browser.helpers import assert_accessible

TOLD = "Has the child or a parent been told that the information was shared?"
ONWARD = "Does the recipient intend to pass it on (secondary disclosure)?"
METHOD = "How was it disclosed?"
CHECKS = "Which checks were made?"
ADD_ANOTHER = "Do you need to add another item?"


def no_more_items(page: Page) -> None:
    """The items as planned: on to whom it was disclosed."""
    expect_page(page, "What was disclosed")
    choose(page, ADD_ANOTHER, "No")
    continue_on(page)


def to_the_method(page: Page) -> None:
    """The recipient and the date and time as the decision and the clock filled them in."""
    expect_page(page, "Who was it disclosed to?")
    continue_on(page)
    expect_page(page, "When was it disclosed?")
    continue_on(page)


def by_secure_email(page: Page, address: str) -> None:
    expect_page(page, METHOD)
    choose(page, METHOD, "Secure email")
    continue_on(page)
    expect_page(page, "Where it was sent")
    page.get_by_label("What secure email address was it sent to?").fill(address)
    continue_on(page)
    expect_page(page, "The checks made")
    for check in group(page, CHECKS).get_by_role("checkbox").all():
        check.check()
    continue_on(page)


def told_on(page: Page, when: date, by: str) -> None:
    expect_page(page, "Telling the child or a parent")
    choose(page, TOLD, "Yes")
    fill_date(page, "When were they told?", when)
    page.get_by_label("Who told them?", exact=True).fill(by)
    continue_on(page)


def not_passed_on(page: Page) -> None:
    expect_page(page, "Passing it on")
    choose(page, ONWARD, "No")
    continue_on(page)


def record(page: Page) -> None:
    expect_page(page, "Check your answers before recording the disclosure")
    assert_accessible(page)
    page.get_by_role("button", name="Record disclosure", exact=True).click()

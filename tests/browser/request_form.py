"""Logging a request for information a page at a time, as a practitioner would (shared by the browser tests).

Each ``answer_*`` answers its page and presses "Continue", checking the page with axe first; ``fill_request``
answers them all, to "Check your answers"; ``log_request`` logs it from there.
"""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from exchange.models import InformationRequest
from tests.browser.consent_form import choose, fill_date, group
from tests.browser.helpers import assert_accessible

# The pages' headings (exchange.request_pages), each the page's question where it asks one.
WHO = "Who is asking?"
RECEIVED = "How and when did the request come in?"
KNOWN = "Do you already know this person in their professional role?"
INFORMATION = "What information do they need?"
WHY = "Why do they need it, and what will they do with it?"
OTHERS = "Who else needs to be told if concerns about the child persist?"
RISK = "What is the perceived level of risk of harm at this time?"
ADULTS = "Does the request also concern any of these adults?"
CHECK = "Check your answers before logging the request"
REASONABLE_CAUSE = "There is reasonable cause to believe"


@dataclass(frozen=True)
class Requester:
    name: str
    role: str
    agency: str
    agency_kind: str
    contact: str


@dataclass(frozen=True)
class Asked:
    information: str
    reason: str
    use: str
    others: str = ""


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def on_page(page: Page, title: str) -> None:
    expect(heading(page)).to_have_text(title)
    assert_accessible(page)


def answer_who(page: Page, requester: Requester) -> None:
    on_page(page, WHO)
    page.get_by_label("Name", exact=True).fill(requester.name)
    page.get_by_label("Role", exact=True).fill(requester.role)
    page.get_by_label("Agency", exact=True).fill(requester.agency)
    choose(page, "What kind of agency is it?", requester.agency_kind)
    page.get_by_label("Contact details", exact=True).fill(requester.contact)
    continue_(page)


def answer_received(page: Page, received: tuple[date, str] | None = None) -> None:
    """By telephone; received now (the date and time start as now) unless given."""
    on_page(page, RECEIVED)
    choose(page, "How did the request come in?", "Telephone")
    if received is not None:
        fill_date(page, "Date received", received[0])
        page.get_by_label("Time received", exact=True).fill(received[1])
    continue_(page)


def answer_known(page: Page, *, known: bool) -> None:
    on_page(page, KNOWN)
    choose(page, KNOWN, "Yes" if known else "No")
    continue_(page)


def answer_information(page: Page, asked: Asked) -> None:
    on_page(page, INFORMATION)
    page.get_by_label(INFORMATION, exact=True).fill(asked.information)
    continue_(page)


def answer_why(page: Page, asked: Asked) -> None:
    on_page(page, WHY)
    page.get_by_label("Why do they need it?", exact=True).fill(asked.reason)
    page.get_by_label("What will they do with it?", exact=True).fill(asked.use)
    continue_(page)


def answer_others(page: Page, asked: Asked) -> None:
    on_page(page, OTHERS)
    page.get_by_label(OTHERS, exact=True).fill(asked.others)
    continue_(page)


def answer_risk(page: Page) -> None:
    on_page(page, RISK)
    group(page, RISK).get_by_label(REASONABLE_CAUSE, exact=False).check()
    continue_(page)


def pass_adults(page: Page) -> None:
    """The adults page, asked when the child has adults linked: left as it is (the adults chosen already, if any)."""
    expect(heading(page)).to_have_text(re.compile(rf"^\s*({re.escape(ADULTS)}|{re.escape(CHECK)})\s*$"))
    if heading(page).inner_text().strip() == ADULTS:
        assert_accessible(page)
        continue_(page)


def fill_request(
    page: Page, requester: Requester, asked: Asked, *, known: bool, received: tuple[date, str] | None = None
) -> None:
    """Every page of the request, to "Check your answers"."""
    answer_who(page, requester)
    answer_received(page, received)
    answer_known(page, known=known)
    answer_information(page, asked)
    answer_why(page, asked)
    answer_others(page, asked)
    answer_risk(page)
    pass_adults(page)
    on_page(page, CHECK)


def log_request(page: Page) -> InformationRequest:
    page.get_by_role("button", name="Log request", exact=True).click()
    expect(heading(page)).to_have_text(re.compile(r"^Request REQ-[0-9A-F]{8} from "))
    logged = InformationRequest.objects.get(pk=urlsplit(page.url).path.split("/")[2])
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Request {logged.reference} has been logged."
    )
    assert_accessible(page)
    return logged

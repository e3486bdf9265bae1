"""A subject access request, in the browser: the lead records it from the child's page (first with nothing
filled in), redacts words from the child's details with a reason, reads the release, approves it (the agency
has one lead) and finds it answered; the request's pages are checked with axe and reflow at 320 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from records.models import Child
from tests.browser.helpers import assert_accessible, signed_in

LEAD = "lead@northgate.example"
REQUESTER = "Sophie Turner"

pytestmark = pytest.mark.usefixtures("demo")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_a_lead_records_redacts_and_releases_a_subject_access_request(page: Page):
    mia = Child.objects.get(agency__name="Northgate Children's Services", local_reference="NCS-1042")
    signed_in(page, LEAD)
    page.goto(f"/children/{mia.pk}/")
    page.get_by_role("link", name="Record a request about Mia Turner", exact=True).click()
    expect(heading(page)).to_have_text("Record a subject access request")
    assert_accessible(page)
    page.get_by_role("button", name="Record the request", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select who is asking for the information")
    expect(summary).to_contain_text("Enter the date the request was received")
    assert_accessible(page)

    page.get_by_label("A parent or carer, for a child who cannot make the request themself").check()
    page.get_by_label("Their name", exact=True).fill(REQUESTER)
    page.get_by_label("How did you check who they are?").fill("Saw her passport and Mia's birth certificate.")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record the request", exact=True).click()
    expect(heading(page)).to_have_text("Subject access request")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Answer it by 1 January 2027")
    assert_accessible(page)

    page.get_by_role("link", name="Details held about Mia Turner", exact=True).click()
    expect(heading(page)).to_have_text("Details held about Mia Turner")
    assert_accessible(page)
    name_row = page.locator(".govuk-summary-list__row").filter(has_text=re.compile(r"^\s*2\. Name"))
    name_row.get_by_role("link", name=re.compile("Redact words")).click()
    expect(page.get_by_role("heading", name=re.compile("Redact words from part 2"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Words to redact").fill("Turner")
    page.get_by_label(re.compile("Serious harm to anyone")).check()
    page.get_by_role("button", name="Redact these words", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("redacted in 1 place")
    expect(page.locator(".app-release-preview")).to_contain_text("Mia [Redacted: serious harm]")
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    assert not page_scrolls_sideways(page), "the record's page scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Back to the request", exact=True).click()
    page.get_by_role("link", name="Extend the deadline", exact=True).click()
    expect(heading(page)).to_have_text("Extend the deadline")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Read the release and approve it", exact=True).click()
    expect(heading(page)).to_have_text("The release, as it will be sent")
    assert_accessible(page)
    page.get_by_label(re.compile("I have read the records as they will be released")).check()
    page.get_by_role("button", name="Approve and release", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved and kept")
    expect(page.get_by_role("heading", name="Answered", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Download the PDF released")).to_be_visible()
    assert_accessible(page)

    page.goto("/subject-access/")
    expect(heading(page)).to_have_text("Subject access requests")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/subject-access/", "/for-review/"):
        page.goto(path)
        assert not page_scrolls_sideways(page), f"{path} scrolls sideways at 320 px"
        assert_accessible(page)

"""A practitioner's own lists (issue 17, point 10), reached from the menu: "My decisions", whose draft
opens where it was left and whose recorded decision opens by its name, and "Requests I am handling", whose
request opens by who asked. Each page is checked with axe, and at 320 px does not scroll sideways."""

import re

import pytest
from playwright.sync_api import Page, expect

from records.models import Child, User
from sharing import services
from sharing.guidance import QUESTION_BY_KEY, QuestionKey
from sharing.models import SharingDecision
from tests.browser.helpers import assert_accessible, signed_in
from tests.sharing.recorded import complete_answers

PRACTITIONER = "practitioner@northgate.example"
AGENCY = "Northgate Children's Services"

pytestmark = pytest.mark.usefixtures("demo")


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_a_practitioner_walks_to_their_decisions_and_requests_from_the_menu(page: Page):
    practitioner = User.objects.get(email=PRACTITIONER)
    jayden = Child.objects.get(agency__name=AGENCY, local_reference="NCS-1043")
    # A decision about Jayden begun and left after question 1.
    draft = services.draft_start(user=practitioner, child=jayden, adults=[], direction="proposing")
    draft.answers = {QuestionKey.PURPOSE.value: complete_answers()[QuestionKey.PURPOSE]}
    draft.save()
    recorded = SharingDecision.objects.filter(recorded_by=practitioner).order_by("-recorded_at").first()
    recorded_child = recorded.subject["child"]["name"]

    signed_in(page, PRACTITIONER)
    menu(page).get_by_role("link", name="My decisions").click()
    expect(heading(page)).to_have_text("My decisions")
    expect(menu(page).get_by_role("link", name="My decisions")).to_have_attribute("aria-current", "page")
    in_progress = page.get_by_role("table", name="Decisions in progress, last saved first")
    expect(in_progress).to_contain_text(jayden.full_name)
    expect(in_progress).to_contain_text("Question 2 of 8")
    expect(page.get_by_text(re.compile(r"^Showing 1 to \d+ of \d+, newest first\.$"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Continue the decision about {jayden.full_name}").click()
    expect(heading(page)).to_have_text("Record an information-sharing decision")
    page.get_by_role("link", name=QUESTION_BY_KEY[QuestionKey.IDENTIFIABLE].wording).click()
    expect(heading(page)).to_have_text(QUESTION_BY_KEY[QuestionKey.IDENTIFIABLE].wording)

    menu(page).get_by_role("link", name="My decisions").click()
    page.get_by_role("table", name="Recorded decisions, newest first").get_by_role(
        "link", name=re.compile(f"^Decision about {re.escape(recorded_child)}: ")
    ).first.click()
    expect(page).to_have_url(re.compile(f"/decisions/{recorded.pk}/$"))

    menu(page).get_by_role("link", name="Requests I am handling").click()
    expect(heading(page)).to_have_text("Requests I am handling")
    handled = page.get_by_role("table", name="Requests I am handling, newest first")
    expect(handled.get_by_role("row")).not_to_have_count(1)
    assert_accessible(page)
    first = handled.get_by_role("link").first
    who = first.inner_text()
    first.click()
    expect(heading(page)).to_contain_text("Request REQ-")
    assert who.startswith("From ")

    page.set_viewport_size({"width": 320, "height": 640})
    for path, title in (("/my-decisions/", "My decisions"), ("/my-requests/", "Requests I am handling")):
        page.goto(path)
        expect(heading(page)).to_have_text(title)
        assert not page_scrolls_sideways(page), f"{path} scrolls sideways at 320 px"
        assert_accessible(page)

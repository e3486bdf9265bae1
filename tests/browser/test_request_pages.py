"""Logging a request for information a page at a time (issue 17, point 1): each page checked with axe, the police
force's page of 3.6.9 asked of the police alone, a correction made on the same pages, and a request logged with
the keyboard alone (WCAG 2.1.1)."""

import re

import pytest
from playwright.sync_api import Page, expect

from exchange.models import InformationRequest
from records.models import Child
from tests.browser.helpers import assert_accessible, signed_in
from tests.browser.keyboard import choose, press, type_into
from tests.browser.request_form import (
    ADULTS,
    CHECK,
    INFORMATION,
    KNOWN,
    OTHERS,
    RECEIVED,
    RISK,
    WHO,
    WHY,
    Asked,
    Requester,
    answer_information,
    answer_known,
    answer_others,
    answer_received,
    answer_risk,
    answer_who,
    answer_why,
    continue_,
    fill_request,
    heading,
    log_request,
    on_page,
)
from tests.browser.test_requests_and_disclosures import PRACTITIONER, row

pytestmark = pytest.mark.usefixtures("demo")

OFFICER = "officer@northgate-police.example"
SOCIAL_WORKER = Requester(
    name="Priya Shah",
    role="Social worker",
    agency="Northgate Children's Services",
    agency_kind="Local authority children's social care",
    contact="01632 960 001 (multi-agency safeguarding hub)",
)
ASKED_OF_THE_POLICE = Asked(
    information="Police call-outs to 14 Elm Grove in the last year.",
    reason="A strategy discussion under s47 Children Act 1989 this week.",
    use="To decide with the police whether to make joint enquiries.",
    others="The children's school.",
)
CATEGORY = "Which category of request is this?"


def child(agency: str, reference: str) -> Child:
    return Child.objects.get(agency__name=agency, local_reference=reference)


def test_a_police_force_is_asked_the_category_of_3_6_9_on_a_page_of_its_own(page: Page):
    mia = child("Northgate Police", "NP-CAIT-0412")
    signed_in(page, OFFICER)
    page.goto(f"/children/{mia.pk}/")
    page.get_by_role("link", name="Log a request for information", exact=True).click()
    # The risk page is followed by the police's own question, and the paragraphs it cites link to the guidance.
    answers_before_the_category(page)
    on_page(page, CATEGORY)
    expect(page.get_by_role("link", name="guidance paragraph 3.6.9")).to_be_visible()
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the category of request")
    assert_accessible(page)
    page.get_by_label("None of these", exact=False).check()
    continue_(page)
    on_page(page, ADULTS)
    continue_(page)
    on_page(page, CHECK)
    expect(row(page, CATEGORY)).to_contain_text("None of these")
    logged = log_request(page)
    # 3.6.10: outside the categories, it is to be declined.
    expect(page.get_by_text("must be declined")).to_be_visible()
    assert logged.police_category == "none"


def answers_before_the_category(page: Page) -> None:
    answer_who(page, SOCIAL_WORKER)
    answer_received(page)
    answer_known(page, known=True)
    answer_information(page, ASKED_OF_THE_POLICE)
    answer_why(page, ASKED_OF_THE_POLICE)
    answer_others(page, ASKED_OF_THE_POLICE)
    answer_risk(page)


def test_a_correction_starts_on_the_check_page_and_changes_one_page(page: Page):
    jayden = child("Northgate Children's Services", "NCS-1043")
    signed_in(page, PRACTITIONER)
    page.goto(f"/children/{jayden.pk}/")
    page.get_by_role("link", name="Log a request for information", exact=True).click()
    fill_request(page, SOCIAL_WORKER, ASKED_OF_THE_POLICE, known=False)
    logged = log_request(page)
    page.get_by_role("link", name="Correct the details of this request", exact=True).click()
    on_page(page, f"Check your corrections to request {logged.reference}")
    page.get_by_role("link", name=f"Change {OTHERS.lower()}", exact=True).click()
    on_page(page, OTHERS)
    page.get_by_label(OTHERS, exact=True).fill("The children's school and their GP.")
    continue_(page)
    on_page(page, f"Check your corrections to request {logged.reference}")
    expect(row(page, OTHERS)).to_contain_text("The children's school and their GP.")
    page.get_by_role("button", name="Save corrections", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The request has been corrected.")
    assert_accessible(page)
    logged.refresh_from_db()
    assert logged.others_to_tell == "The children's school and their GP."


def test_a_request_is_logged_with_the_keyboard_alone(page: Page):
    jayden = child("Northgate Children's Services", "NCS-1043")
    signed_in(page, PRACTITIONER)
    page.goto(f"/children/{jayden.pk}/")
    press(page, page.get_by_role("link", name="Log a request for information", exact=True))

    expect(heading(page)).to_have_text(WHO)
    type_into(page, page.get_by_label("Name", exact=True), SOCIAL_WORKER.name)
    type_into(page, page.get_by_label("Role", exact=True), SOCIAL_WORKER.role)
    type_into(page, page.get_by_label("Agency", exact=True), SOCIAL_WORKER.agency)
    choose(page, page.get_by_label(SOCIAL_WORKER.agency_kind, exact=True))
    type_into(page, page.get_by_label("Contact details", exact=True), SOCIAL_WORKER.contact)
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(RECEIVED)
    choose(page, page.get_by_label("Telephone", exact=True))
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(KNOWN)
    choose(page, page.get_by_label("No", exact=True))
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(INFORMATION)
    type_into(page, page.get_by_label(INFORMATION, exact=True), ASKED_OF_THE_POLICE.information)
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(WHY)
    type_into(page, page.get_by_label("Why do they need it?", exact=True), ASKED_OF_THE_POLICE.reason)
    type_into(page, page.get_by_label("What will they do with it?", exact=True), ASKED_OF_THE_POLICE.use)
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(OTHERS)
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(RISK)
    choose(page, page.get_by_label("There is reasonable cause to believe", exact=False))
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(ADULTS)
    press(page, page.get_by_role("button", name="Continue", exact=True))

    expect(heading(page)).to_have_text(CHECK)
    press(page, page.get_by_role("button", name="Log request", exact=True))
    expect(heading(page)).to_have_text(
        re.compile(rf"^Request REQ-[0-9A-F]{{8}} from {re.escape(SOCIAL_WORKER.agency)}$")
    )
    logged = InformationRequest.objects.get(child=jayden)
    assert (logged.requester_name, logged.requester_known, logged.others_to_tell) == (SOCIAL_WORKER.name, False, "")
    assert_accessible(page)

"""A request for information sent through this service (issue 19, ADR 26), in the browser.

A detective constable of Northgate Police asks Northgate Children's Services about Mia Turner, a page at a
time, checks the answers and sends it. A social worker of children's services finds it on her list of
requests, received through the service, matches it to her own record of Mia, sees the requester verified by
their account (3.7.4), decides with the eight key questions and records the decision. Back at the police,
the officer sees that it was matched and what was decided, and nothing else of children's services' records.
Each new page is checked with axe.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from exchange.models import InformationRequest, RequestMatch, SentRequest
from records.models import Child
from sharing.guidance import QuestionKey
from tests.browser.consent_form import group
from tests.browser.helpers import assert_accessible, signed_in
from tests.browser.request_form import REASONABLE_CAUSE
from tests.browser.test_requests_and_disclosures import (
    answer_confidential,
    answer_consent_not_sought,
    answer_decision,
    answer_identifiable,
    answer_no_statutory_duty,
    answer_public_interest,
    answer_purpose,
    answer_sharing,
    expect_question,
    heading,
    row,
    sign_out,
    status_tags,
    success,
)

pytestmark = pytest.mark.usefixtures("demo")

OFFICER = "officer@northgate-police.example"
OFFICER_NAME = "Tom Fielding"
SOCIAL_WORKER = "practitioner@northgate.example"
POLICE = "Northgate Police"
CHILDRENS_SERVICES = "Northgate Children's Services"
INFORMATION = "Whether Mia is known to children's services, and any plan in place for her."
WHY = "We attended a domestic incident at her home last night."
USE = "To decide on a referral and a joint visit."
OTHERS = "Nobody else: the request goes to children's services alone."


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def test_a_request_sent_by_the_police_is_matched_decided_and_answered(page: Page):
    police_mia = Child.objects.get(agency__name=POLICE, local_reference="NP-CAIT-0412")
    their_mia = Child.objects.get(agency__name=CHILDRENS_SERVICES, local_reference="NCS-1042")

    # The officer asks, a page at a time.
    signed_in(page, OFFICER)
    page.goto(f"/children/{police_mia.pk}/")
    page.get_by_role("link", name="Ask another agency on this service", exact=True).click()
    expect(heading(page)).to_have_text("Requests sent to other agencies on this service")
    assert_accessible(page)
    page.get_by_role("link", name="Ask another agency on this service", exact=True).click()
    expect(heading(page)).to_have_text("Which agency are you asking?")
    # The police's own agency is not offered.
    expect(page.get_by_label(POLICE, exact=True)).to_have_count(0)
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the agency you are asking")
    assert_accessible(page)
    page.get_by_label(CHILDRENS_SERVICES, exact=True).check()
    continue_(page)
    expect(heading(page)).to_have_text("What information do you need?")
    assert_accessible(page)
    page.get_by_label("What information do you need?", exact=True).fill(INFORMATION)
    continue_(page)
    expect(heading(page)).to_have_text("Why do you need it, and what will you do with it?")
    assert_accessible(page)
    page.get_by_label("Why do you need it?", exact=True).fill(WHY)
    page.get_by_label("What will you do with it?", exact=True).fill(USE)
    continue_(page)
    expect(heading(page)).to_have_text("Who else will be told?")
    assert_accessible(page)
    page.get_by_label("Who else will be told?", exact=True).fill(OTHERS)
    continue_(page)
    group(page, "What is the perceived level of risk of harm at this time?").get_by_label(
        REASONABLE_CAUSE, exact=False
    ).check()
    assert_accessible(page)
    continue_(page)
    expect(heading(page)).to_have_text("Check your answers before sending the request")
    expect(row(page, "Which agency are you asking?")).to_contain_text(CHILDRENS_SERVICES)
    expect(row(page, "Who else will be told?")).to_contain_text(OTHERS)
    assert_accessible(page)
    assert not SentRequest.objects.exists()
    page.get_by_role("button", name="Send request", exact=True).click()
    sent = SentRequest.objects.get()
    success(page, f"Request {sent.reference} has been sent to {CHILDRENS_SERVICES}.")
    expect(heading(page)).to_have_text(f"Request {sent.reference} sent to {CHILDRENS_SERVICES}")
    expect(status_tags(page)).to_have_text(["Sent, not yet matched to a child"])
    expect(row(page, "Information needed")).to_contain_text(INFORMATION)
    assert_accessible(page)
    sign_out(page)

    # Children's services: on the list of requests, received through the service, to be matched.
    signed_in(page, SOCIAL_WORKER)
    page.goto("/requests/")
    expect(page.get_by_role("heading", name="Received through this service, to be matched")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(rf"^{sent.reference} from {OFFICER_NAME}, {POLICE}")).click()
    expect(heading(page)).to_have_text(f"Request {sent.reference} from {POLICE}")
    expect(row(page, "Verification (guidance paragraph 3.7.4)")).to_contain_text("you do not need to call them back")
    expect(row(page, "Name")).to_contain_text("Mia Turner")
    assert_accessible(page)
    # Their own Mia, of the same name and date of birth, is offered; chosen, the request is logged for her.
    page.get_by_role("button", name="Match to this child", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the child the request is about")
    assert_accessible(page)
    page.get_by_label("Mia Turner", exact=True).check()
    page.get_by_role("button", name="Match to this child", exact=True).click()
    logged = InformationRequest.objects.get(child=their_mia, channel="service")
    assert RequestMatch.objects.get().information_request == logged
    expect(heading(page)).to_have_text(f"Request {logged.reference} from {POLICE}")
    expect(status_tags(page)).to_have_text(["Open", "Requester verified"])
    expect(row(page, "Received")).to_contain_text("through this service")
    expect(row(page, "Verification")).to_contain_text("Verified by their account on this service")
    assert_accessible(page)

    # Decided with the eight key questions, as any request.
    page.get_by_role("button", name="Decide using the eight key questions", exact=True).click()
    expect_question(page, QuestionKey.PURPOSE)
    answer_purpose(page)
    answer_identifiable(page)
    answer_confidential(page)
    answer_consent_not_sought(page)
    answer_no_statutory_duty(page)
    answer_public_interest(page)
    answer_sharing(page)
    answer_decision(page)
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    sign_out(page)

    # The police see where it stands, and the answer.
    signed_in(page, OFFICER)
    page.goto(f"/sent-requests/{sent.pk}/")
    expect(status_tags(page)).to_have_text(["Decided to share some of the information"])
    today = timezone.localdate()
    expect(row(page, "Matched to a child, being considered")).to_contain_text(f"{today.day} {today:%B %Y}")
    expect(row(page, "Their answer")).to_contain_text("Decided to share some of the information")
    expect(page.get_by_role("main")).not_to_contain_text(logged.reference)
    assert_accessible(page)

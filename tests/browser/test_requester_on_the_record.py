"""Who asked, on the record of the decision (issue 14, point 10), and verifying them until something is
disclosed (point 14), end to end in the browser from the demo sign-ins.

A practitioner asked by a police officer she does not know starts a decision: the service offers to log
the request first and goes on to question 1 from it; every question page and the check page say the
officer is not verified (point 16); she decides not to share, and the recorded refusal, on screen and on
paper, says who asked, how, and that he was not verified, with a way to verify him. Verified after the
decision, the record says so. Another request is decided before its requester is verified: it stays on
the lead's "Requests not verified" until the lead verifies her, after which the disclosure is recorded
without the override, and the telephone check "The person was verified" is asked again (point 15).
Every page is checked with axe.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from exchange.models import Disclosure, InformationRequest
from sharing.guidance import QuestionKey
from sharing.models import DecisionDraft, SharingDecision
from tests.browser.consent_form import choose, continue_on, group
from tests.browser.disclosure_pages import no_more_items, not_passed_on, record, to_the_method, told_on
from tests.browser.helpers import assert_accessible, signed_in
from tests.browser.test_requests_and_disclosures import (
    CALLED_BACK,
    HEALTH_VISITOR,
    JAYDEN_REQUEST,
    LEAD,
    LEAD_NAME,
    PRACTITIONER,
    PRACTITIONER_NAME,
    SERVICE_NAME,
    Asked,
    Requester,
    answer_confidential,
    answer_consent_not_sought,
    answer_decision,
    answer_identifiable,
    answer_no_statutory_duty,
    answer_public_interest,
    answer_purpose,
    answer_sharing,
    child,
    continue_,
    error_summary,
    expect_question,
    fill_request,
    heading,
    long_date,
    open_request_form,
    row,
    sign_out,
    status_tags,
    success,
)

pytestmark = pytest.mark.usefixtures("demo")

OFFICER = Requester(
    name="DC Sam Reid",
    role="Detective constable",
    agency="Northgate Police",
    agency_kind="Police",
    contact="01632 960 999 (the number he gave)",
)
OFFICERS_REQUEST = Asked(
    information="Everything held about the family, including the child and family assessment.",
    reason="He says he is making enquiries about the mother's partner.",
    use="To decide whether to interview the partner.",
)
NOT_VERIFIED = f"{OFFICER.name} ({OFFICER.role}, {OFFICER.agency}) has not been verified."
WITHHELD = "All of it: no need to know the assessment has been shown, and he could not be verified."
REFUSAL_REASONS = "The officer could not say why he needs the assessment, and has not been verified (3.7.4)."
VERIFIED_LATER = "Called Northgate Police on 101; the duty sergeant confirmed DC Reid is with the child abuse team."
VERIFIED_LEAD = "Called the trust's published number, 01632 960 200; the duty desk put me through to her."
RECORD_REQUEST = "The request this decision answers"


def warning(page: Page) -> Locator:
    return page.locator(".app-requester-unverified")


def answer_refusal(page: Page) -> None:
    choose(page, "What have you decided?", "Do not share the information")
    page.get_by_label("What information are you not sharing, and why?", exact=True).fill(WITHHELD)
    continue_(page)


def answer_refusal_reasons(page: Page) -> None:
    page.get_by_label("Why have you made this decision?").fill(REFUSAL_REASONS)
    continue_(page)
    # A reason for departing from the guidance, on a page of its own where the decision departs from it.
    expect(page.get_by_label("Time of the decision").or_(page.get_by_label(DEPARTURE))).to_be_visible()
    if page.get_by_label(DEPARTURE).count():
        page.get_by_label(DEPARTURE).fill("No need to know has been shown, and the caller is not verified.")
        continue_(page)
    continue_(page)


DEPARTURE = "Your decision differs from what the guidance points to. Why?"


def answered(page: Page, key: str) -> Locator:
    """A row of the decision's "The request this decision answers", by its key in full."""
    return page.locator(".app-request-answered .govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )


def test_asked_to_share_the_request_is_logged_first_and_the_refusal_says_who_asked(page: Page):
    jayden = child("NCS-1043")
    signed_in(page, PRACTITIONER)
    page.goto(f"/children/{jayden.pk}/")
    page.get_by_role("link", name="Record an information-sharing decision").click()
    expect(heading(page)).to_have_text("Record an information-sharing decision")
    assert_accessible(page)
    page.get_by_label("I have been asked to share information", exact=True).check()
    page.get_by_role("button", name="Start", exact=True).click()

    # Point 10: offered to log the request first.
    expect(heading(page)).to_have_text("You have been asked to share information")
    expect(page).to_have_title(f"You have been asked to share information – {SERVICE_NAME}")
    expect(page.locator(".govuk-caption-l")).to_have_text("Jayden Turner")
    which = group(page, "Which request are you answering?")
    expect(which.get_by_role("radio")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page).to_have_title(f"Error: You have been asked to share information – {SERVICE_NAME}")
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(["Select the request you are answering, or log it now"])
    assert not DecisionDraft.objects.filter(child=jayden).exists()
    assert_accessible(page)

    group(page, "Which request are you answering?").get_by_label("Log the request now, then decide", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(heading(page)).to_have_text("Who is asking?")
    expect(page.get_by_text("Once it is logged you go on to the decision")).to_be_visible()
    assert_accessible(page)
    fill_request(page, OFFICER, OFFICERS_REQUEST, known=False)
    page.get_by_role("button", name="Log request and decide", exact=True).click()

    # Question 1, from the request; and (point 16) the officer is not verified, on every page.
    expect_question(page, QuestionKey.PURPOSE)
    request = InformationRequest.objects.get(child=jayden)
    success(page, f"Request {request.reference} has been logged.")
    expect(page.get_by_label("What is the purpose of sharing the information?", exact=True)).to_have_value(
        re.compile(rf"^{re.escape(OFFICER.name)} \({OFFICER.role}, {OFFICER.agency}\) asked for: ")
    )
    expect(warning(page)).to_contain_text(NOT_VERIFIED)
    expect(warning(page).get_by_role("link", name="Verify the requester")).to_have_attribute(
        "href", f"/requests/{request.pk}/#verify"
    )
    assert DecisionDraft.objects.get(child=jayden).request == request
    answer_purpose(page)
    for question, answer in (
        (QuestionKey.IDENTIFIABLE, answer_identifiable),
        (QuestionKey.CONFIDENTIAL, answer_confidential),
        (QuestionKey.CONSENT, answer_consent_not_sought),
        (QuestionKey.STATUTORY, answer_no_statutory_duty),
        (QuestionKey.PUBLIC_INTEREST, answer_public_interest),
        (QuestionKey.SHARING, answer_refusal),
        (QuestionKey.DECISION, answer_refusal_reasons),
    ):
        expect_question(page, question)
        expect(warning(page)).to_contain_text(NOT_VERIFIED)
        answer(page)

    expect(heading(page)).to_have_text("Check your answers before recording the decision")
    expect(warning(page)).to_contain_text(NOT_VERIFIED)
    assert_accessible(page)
    page.get_by_role("button", name="Record decision").click()

    # The refusal says who asked, how, and that he was not verified (3.7.1, 3.7.4, 3.7.9; 000).
    expect(heading(page)).to_have_text("Information-sharing decision: do not share the information")
    decision = SharingDecision.objects.get(child=jayden)
    decision_path = f"/decisions/{decision.pk}/"
    assert urlsplit(page.url).path == decision_path
    expect(page.get_by_role("heading", name=RECORD_REQUEST)).to_be_visible()
    expect(answered(page, "Asked by")).to_contain_text(
        f"{OFFICER.name}, {OFFICER.role}, {OFFICER.agency} ({OFFICER.agency_kind})"
    )
    expect(answered(page, "How they asked")).to_contain_text(f"Telephone, on {long_date(request.received_at)}")
    expect(answered(page, "How they asked")).to_contain_text(f"Contact: {OFFICER.contact}")
    verified = answered(page, "Verified (guidance paragraph 3.7.4)")
    expect(verified).to_contain_text("No: not verified. They can be verified until something is disclosed.")
    expect(answered(page, "Request")).to_contain_text(request.reference)
    expect(page.get_by_text("Nothing: the decision was not to share.")).to_be_visible()
    assert_accessible(page)

    # On paper too, without the link to verify him.
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name=RECORD_REQUEST)).to_be_visible()
    expect(answered(page, "Asked by")).to_be_visible()
    expect(verified).to_be_visible()
    expect(verified.get_by_role("link", name="Verify the requester")).to_be_hidden()
    assert_accessible(page)
    page.emulate_media(media="screen")

    # Point 14: the decision did not close verifying. He is called back, and the record says it was after.
    verified.get_by_role("link", name="Verify the requester").click()
    expect(heading(page)).to_have_text(f"Request {request.reference} from {OFFICER.agency}")
    expect(status_tags(page)).to_have_text(["Decided", "Requester not verified"])
    expect(page.get_by_role("heading", name="Verify the requester")).to_be_visible()
    expect(page.get_by_text("The decision has been recorded: the requester can still be verified")).to_be_visible()
    assert_accessible(page)
    choose(page, "How did you verify who they are?", CALLED_BACK)
    page.get_by_label("Details", exact=True).fill(VERIFIED_LATER)
    page.get_by_role("button", name="Record verification", exact=True).click()
    success(page, "The requester's verification has been recorded.")
    expect(status_tags(page)).to_have_text(["Decided", "Requester verified"])
    expect(page.get_by_role("heading", name="Verify the requester")).to_have_count(0)
    assert_accessible(page)

    row(page, "Outcome").get_by_role("link", name="the decision").click()
    assert urlsplit(page.url).path == decision_path
    verified = answered(page, "Verified (guidance paragraph 3.7.4)")
    called_back = f"{CALLED_BACK} (guidance paragraph 3.7.4)"  # the page links the paragraph
    expect(verified).to_contain_text(
        f"Not when the decision was made. Verified afterwards: {called_back[:1].lower()}{called_back[1:]}, "
        f"by {PRACTITIONER_NAME} on {long_date(request.received_at)}"
    )
    expect(verified.get_by_role("link", name="Verify the requester")).to_have_count(0)
    assert_accessible(page)


UNVERIFIED_REASON = "Jayden is at immediate risk and the health visitor is at the door."


def override(page: Page) -> Locator:
    """The reason for disclosing before the requester is verified (3.7.4)."""
    return page.get_by_role("textbox", name=re.compile("^Why are you disclosing without verifying them"))


def requests_not_verified(page: Page) -> Locator:
    return page.locator("table[aria-describedby='unverified'] tbody tr")


def test_a_decided_request_stays_on_the_leads_list_until_its_requester_is_verified(page: Page):
    jayden = child("NCS-1043")
    signed_in(page, PRACTITIONER)
    open_request_form(page, "NCS-1043", "Jayden Turner")
    fill_request(page, HEALTH_VISITOR, JAYDEN_REQUEST, known=False)
    page.get_by_role("button", name="Log request", exact=True).click()
    request = InformationRequest.objects.get(child=jayden)
    expect(heading(page)).to_have_text(f"Request {request.reference} from {HEALTH_VISITOR.agency}")
    page.get_by_role("button", name="Decide using the eight key questions", exact=True).click()
    for question, answer in (
        (QuestionKey.PURPOSE, answer_purpose),
        (QuestionKey.IDENTIFIABLE, answer_identifiable),
        (QuestionKey.CONFIDENTIAL, answer_confidential),
        (QuestionKey.CONSENT, answer_consent_not_sought),
        (QuestionKey.STATUTORY, answer_no_statutory_duty),
        (QuestionKey.PUBLIC_INTEREST, answer_public_interest),
        (QuestionKey.SHARING, answer_sharing),
        (QuestionKey.DECISION, answer_decision),
    ):
        expect_question(page, question)
        answer(page)
    page.get_by_role("button", name="Record decision").click()
    expect(heading(page)).to_have_text("Information-sharing decision: share some of the information")
    decision = SharingDecision.objects.get(child=jayden)

    # Point 15: disclosing now needs the override, and then "The person was verified" is not asked.
    # Straight after recording, "What happens next" offers the link too: the practitioner follows that one.
    page.locator(".app-next-steps").get_by_role("link", name="Record what was disclosed").click()
    expect(heading(page)).to_have_text("The requester has not been verified")
    expect(override(page)).to_be_visible()
    assert_accessible(page)
    override(page).fill(UNVERIFIED_REASON)
    continue_on(page)
    no_more_items(page)
    to_the_method(page)
    choose(page, "How was it disclosed?", "Telephone")
    continue_on(page)
    expect(heading(page)).to_have_text("The checks made")
    phone_checks = group(page, "Which checks were made?")
    expect(phone_checks.get_by_role("checkbox")).to_have_count(1)
    expect(phone_checks.get_by_label("A record of what was said has been made")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("^The person was verified"))).to_have_count(0)
    assert_accessible(page)
    sign_out(page)

    # Point 14: decided, and still on the lead's list, until verified.
    signed_in(page, LEAD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="For review").click()
    expect(heading(page)).to_have_text("For review")
    expect(page.get_by_role("heading", name=re.compile(r"^Requests not verified \(1\)$"))).to_be_visible()
    waiting = requests_not_verified(page).filter(has_text="Jayden Turner")
    expect(waiting.locator("td")).to_have_text(
        [
            long_date(request.received_at),
            "Jayden Turner",
            f"From {HEALTH_VISITOR.name}, {HEALTH_VISITOR.agency}",
            "Decided, nothing disclosed yet",
        ]
    )
    assert_accessible(page)

    waiting.get_by_role("link").click()
    expect(status_tags(page)).to_have_text(["Decided", "Requester not verified"])
    choose(page, "How did you verify who they are?", CALLED_BACK)
    page.get_by_label("Details", exact=True).fill(VERIFIED_LEAD)
    page.get_by_role("button", name="Record verification", exact=True).click()
    success(page, "The requester's verification has been recorded.")
    expect(row(page, "Verification")).to_contain_text(f"{CALLED_BACK} (guidance paragraph 3.7.4), by {LEAD_NAME}")
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="For review").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Requests not verified \(0\)$"))).to_be_visible()
    expect(page.get_by_text("No requester is waiting to be verified.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # Verified after the decision: disclosed without the override, and with the telephone's own check.
    signed_in(page, PRACTITIONER)
    page.goto(f"/decisions/{decision.pk}/")
    expect(answered(page, "Verified (guidance paragraph 3.7.4)")).to_contain_text(
        f"Not when the decision was made. Verified afterwards: called back through their agency's published "
        f"number (guidance paragraph 3.7.4), by {LEAD_NAME}"
    )
    # The draft begun before goes on at the checks, now with the telephone's own check; the reason for not
    # verifying, typed then, no longer applies and is not recorded (3.7.4).
    page.get_by_role("link", name="Record what was disclosed").click()
    expect(heading(page)).to_have_text("The checks made")
    phone_checks = group(page, "Which checks were made?")
    phone_checks.get_by_role("checkbox", name=re.compile("^The person was verified")).check()
    phone_checks.get_by_label("A record of what was said has been made").check()
    assert_accessible(page)
    continue_on(page)
    not_passed_on(page)
    told_on(page, request.received_at.date(), PRACTITIONER_NAME)
    expect(page.get_by_role("main")).not_to_contain_text(UNVERIFIED_REASON)
    record(page)
    success(page, "The disclosure has been recorded.")
    disclosure = Disclosure.objects.get(child=jayden)
    assert (disclosure.checks, disclosure.unverified_override) == (["caller_verified", "written_record"], "")
    expect(page.get_by_text("Disclosed before the requester was verified")).to_have_count(0)
    assert_accessible(page)

    # Something has been disclosed: verifying is over, and the request is off the lead's list for good.
    page.goto(f"/requests/{request.pk}/")
    expect(status_tags(page)).to_have_text(["Decided", "Requester verified"])
    expect(page.get_by_role("heading", name="Verify the requester")).to_have_count(0)
    assert_accessible(page)

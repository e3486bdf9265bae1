"""Requests for information, the decisions that answer them, what was disclosed, and the chronology.

A practitioner logs a request from a health visitor she does not know,
verifies her by calling back, decides with the eight key questions started
from the request, and records what was disclosed without telling the family;
the safeguarding lead then finds it under "For review" and records that the
family has now been told. The chronology filters and prints; the list of
requests filters by status. Each page visited is checked with axe, validation
errors included; console errors and failed requests fail the test (see the
``page`` fixture).
"""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from exchange.models import Disclosure, InformationRequest, InformedFollowUp, RequestOutcome
from records.models import Child
from sharing.guidance import QUESTION_BY_KEY, QuestionKey
from sharing.models import SharingDecision
from tests.browser.consent_form import choose, continue_on, fill_date, group
from tests.browser.disclosure_pages import no_more_items, not_passed_on, record
from tests.browser.helpers import assert_accessible, signed_in
from tests.browser.request_form import (
    CHECK,
    INFORMATION,
    KNOWN,
    REASONABLE_CAUSE,
    WHY,
    Asked,
    Requester,
    answer_information,
    answer_known,
    answer_others,
    answer_received,
    answer_risk,
    answer_who,
    fill_request,
    log_request,
    pass_adults,
)
from tests.ledger_data import seal
from tests.receipt_data import checkpoint_text, place_text

PRACTITIONER = "practitioner@northgate.example"
PRACTITIONER_NAME = "Priya Shah"
LEAD = "lead@northgate.example"
LEAD_NAME = "Laura Bennett"
AGENCY = "Northgate Children's Services"
SERVICE_NAME = "Safeguarding information sharing"

PURPOSE_QUESTION = "What is the purpose of sharing the information?"
CONCERN_QUESTION = "What is the level of concern about the child at this time?"
# The checks and ways of verifying as the pages offer them: the paragraph each cites is its hint, not its label.
# The records read as they always have, with the paragraph, a link ("... (guidance paragraph 3.7.8)").
SECURE_SYSTEM = "Sent through a secure system, not ordinary internet email"
CONFIDENTIALITY_WARNING = "The email carried a confidentiality warning"
CALLED_BACK = "Called back through their agency's published number"


HEALTH_VISITOR = Requester(
    name="Aisha Rahman",
    role="Health visitor",
    agency="Northgate NHS Foundation Trust",
    agency_kind="NHS trust or GP practice",
    contact="01632 960 260 (health visiting team)",
)
JAYDEN_REQUEST = Asked(
    information="Whether the family is known to children's social care, and any risk to a lone visitor.",
    reason="She is due to visit Jayden at home for his developmental review next week.",
    use="To plan a safe home visit, with a colleague if needed.",
    others="Her safeguarding supervisor.",
)
PREFILLED_PURPOSE = (
    f"{HEALTH_VISITOR.name} ({HEALTH_VISITOR.role}, {HEALTH_VISITOR.agency}) asked for: {JAYDEN_REQUEST.information}\n"
    f"Why: {JAYDEN_REQUEST.reason}\n"
    f"What they will do with it: {JAYDEN_REQUEST.use}\n"
    f"Who else needs to know: {JAYDEN_REQUEST.others}"
)
VERIFICATION = "Called the trust's published number, 01632 960 200, and was put through to her by the duty desk."
SHARED_FACT = "Police attended a domestic incident at the home last month."
SHARED_OPINION = "In my view the mother's partner, Ryan Cole, can be hostile to professionals."
RECIPIENT_NEED = "She visits the home alone next week."
NOT_TOLD = "Telling the mother now could put her at risk from her partner (3.5.19)."
DECISION_REASONS = (
    "Reasonable cause to believe Jayden may be at risk; the health visitor needs to know to visit safely."
)
TOLD_BY = "Priya Shah, social worker"

SCHOOL_NURSE = Requester(
    name="Sam Patel",
    role="School nurse",
    agency="Northgate Academy",
    agency_kind="School",
    contact="sam.patel@northgate-academy.example",
)
ELLIE_REQUEST = Asked(
    information="Whether Ellie has a social worker.",
    reason="Ellie asked the school nurse for help with anxiety.",
    use="To offer Ellie support sessions at school.",
)
DECLINE_REASONS = (
    "Ellie can tell the school nurse herself, and has said she would rather; there is no risk of harm to weigh "
    "against her confidence."
)

pytestmark = pytest.mark.usefixtures("demo")


def child(reference: str) -> Child:
    return Child.objects.get(agency__name=AGENCY, local_reference=reference)


def long_date(when: date) -> str:
    """As the service shows a date: 7 March 2026."""
    return f"{when.day} {when:%B %Y}"


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def error_summary(page: Page) -> Locator:
    """GOV.UK's error summary: "There is a problem", then a link to each field to fix."""
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    return summary


def success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def row(scope: Page | Locator, key: str) -> Locator:
    """A summary list row by its key, in full."""
    return scope.locator(".govuk-summary-list__row").filter(
        has=scope.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def expect_question(page: Page, question: QuestionKey) -> None:
    expect(heading(page)).to_have_text(QUESTION_BY_KEY[question].wording)
    # A page of a question asked over several pages names the page first ("Legal basis: Question 1: ...").
    expect(page).to_have_title(re.compile(rf"^(Error: )?([^:]+: )?Question {QUESTION_BY_KEY[question].number}: "))
    assert_accessible(page)


def open_child(page: Page, reference: str, name: str) -> None:
    page.goto(f"/children/{child(reference).pk}/")
    expect(heading(page)).to_have_text(name)
    assert_accessible(page)


def open_request_form(page: Page, reference: str, name: str) -> None:
    open_child(page, reference, name)
    page.get_by_role("link", name="Log a request for information", exact=True).click()
    expect(heading(page)).to_have_text("Who is asking?")
    expect(page).to_have_title(f"Who is asking?: log a request for information – {SERVICE_NAME}")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{name}: log a request for information")
    assert_accessible(page)


def status_tags(page: Page) -> Locator:
    return page.get_by_role("main").locator("p > .govuk-tag")


# The eight key questions, answered for a request received without consent (3.4.2, 3.5.16).


def answer_purpose(page: Page) -> None:
    """Question 1 as the request filled it (the purpose, the level of concern), a page each (guidance.PAGES);
    then on to question 2."""
    continue_(page)
    expect_question(page, QuestionKey.PURPOSE)
    group(page, "What is the legal basis for sharing?").get_by_label(
        "Children Act 2004 section 11", exact=False
    ).check()
    continue_(page)
    expect_question(page, QuestionKey.PURPOSE)
    expect(group(page, CONCERN_QUESTION).get_by_label(REASONABLE_CAUSE, exact=False)).to_be_checked()
    continue_(page)
    expect_question(page, QuestionKey.PURPOSE)
    for legend, option in (
        ("Does the person receiving the information have a sufficient need to know?", "Yes"),
        ("Is sharing proportionate to the purpose?", "Yes"),
        (
            "Was the information obtained under a statutory power or duty that limits what can be done with it?",
            "No",
        ),
        ("Will the recipient pass the information on to anyone else (secondary disclosure)?", "No"),
        ("Could anonymised information achieve the purpose instead?", "No"),
    ):
        choose(page, legend, option)
    continue_(page)
    expect_question(page, QuestionKey.PURPOSE)
    choose(page, "Having considered these, is there a legitimate purpose to share the information?", "Yes")
    continue_(page)


def answer_identifiable(page: Page) -> None:
    choose(page, "Does the information identify the child or anyone else?", "Yes")
    continue_(page)
    page.get_by_label("Who could be identified?").fill("Jayden, his mother and her partner")
    continue_(page)


def answer_confidential(page: Page) -> None:
    group(page, "Is the information confidential?").get_by_label(
        "Yes: a formal confidential relationship", exact=False
    ).check()
    continue_(page)
    page.get_by_label("Why?", exact=True).fill("Given to the social worker during a child and family assessment.")
    continue_(page)


def answer_consent_not_sought(page: Page) -> None:
    choose(page, "Has consent to share been obtained?", "Consent was not sought")
    continue_(page)
    choose(page, "Why was consent not sought?", "Asking would place an adult at risk of serious harm")
    continue_(page)


def answer_no_statutory_duty(page: Page) -> None:
    choose(page, "Is there a statutory duty or a court order to share the information?", "No")
    continue_(page)


def answer_public_interest(page: Page) -> None:
    page.get_by_label("What might happen if the information is shared?", exact=True).fill(
        "The mother may feel her trust has been broken if she learns of it."
    )
    continue_(page)
    page.get_by_label("What might happen if it is not shared?", exact=True).fill(
        "The health visitor would visit alone, unaware of recent violence by the partner."
    )
    continue_(page)
    page.get_by_label("Why is sharing, or not sharing, proportionate?", exact=True).fill(
        "Only the police call-out and a view of the partner are shared; the assessment is not."
    )
    continue_(page)
    choose(page, "Did you seek advice?", "Yes")
    continue_(page)
    choose(page, "From whom?", "Safeguarding lead or named child protection lead")
    page.get_by_label("Their name and role", exact=True).fill(f"{LEAD_NAME}, designated safeguarding lead")
    page.get_by_label("What did they advise?", exact=True).fill("Share what the visit needs, not the assessment.")
    continue_(page)


def answer_sharing(page: Page) -> None:
    """Question 7, a thing to a page: two items added one after the other (GOV.UK's "add another" pattern)."""
    choose(page, "What have you decided?", "Share some of the information")
    page.get_by_label("What information are you not sharing, and why?", exact=True).fill(
        "The child and family assessment: not needed for a safe visit."
    )
    continue_(page)
    page.get_by_label("Item 1: what is the information?").fill(SHARED_FACT)
    choose(page, "Is it fact, opinion, hypothesis or a mixture?", "Fact")
    continue_(page)
    choose(page, "Do you need to add another item?", "Yes")
    continue_(page)
    page.get_by_label("Item 2: what is the information?").fill(SHARED_OPINION)
    choose(page, "Is it fact, opinion, hypothesis or a mixture?", "Opinion")
    continue_(page)
    # Two items listed, each with Change and Remove; at 320 px too, without scrolling sideways (WCAG 1.4.10).
    expect(page.get_by_role("button", name="Remove item 2")).to_be_visible()
    assert_accessible(page)
    wide = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert_accessible(page)
    page.set_viewport_size(wide)
    choose(page, "Do you need to add another item?", "No")
    continue_(page)
    recipient = group(page, "Who will receive it?")
    recipient.get_by_label("Name", exact=True).fill(HEALTH_VISITOR.name)
    recipient.get_by_label("Role", exact=True).fill(HEALTH_VISITOR.role)
    recipient.get_by_label("Agency", exact=True).fill(HEALTH_VISITOR.agency)
    choose(page, "What kind of agency is it?", HEALTH_VISITOR.agency_kind)
    page.get_by_label("Why do they need to know?").fill(RECIPIENT_NEED)
    continue_(page)
    group(page, "How will it be shared?").get_by_label("Secure email", exact=False).check()
    page.get_by_label("I have checked that the information is accurate and up to date").check()
    continue_(page)
    choose(page, "Does the recipient intend to pass it on to anyone else?", "No")
    continue_(page)
    choose(page, "Will the person the information is about be told it has been shared?", "No")
    page.get_by_label("Why will they not be told?", exact=True).fill(NOT_TOLD)
    # 3.5.19: a date to reconsider telling them, still to come.
    fill_date(page, "When should telling them be reconsidered?", timezone.localdate() + timedelta(days=14))
    continue_(page)


def answer_decision(page: Page) -> None:
    page.get_by_label("Why have you made this decision?").fill(DECISION_REASONS)
    continue_(page)
    # The date and time of the decision: now.
    expect(page.get_by_label("Time of the decision")).to_be_visible()
    continue_(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    assert_accessible(page)


def not_yet_told(page: Page) -> Locator:
    return page.get_by_role("table", name="People not yet told of a share, oldest reconsider date first")


@pytest.fixture
def next_day():
    """Moves the service's clock on a day, for the rest of the test (the live server runs in this process)."""
    travels = []

    def move() -> date:
        travel = time_machine.travel(timezone.now() + timedelta(days=1))
        travel.start()
        travels.append(travel)
        return timezone.localdate()

    yield move
    for travel in reversed(travels):
        travel.stop()


def test_from_request_to_decision_to_disclosure(page: Page, next_day):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    jayden = child("NCS-1043")
    signed_in(page, PRACTITIONER)
    open_request_form(page, "NCS-1043", "Jayden Turner")

    answer_who(page, HEALTH_VISITOR)
    answer_received(page)
    answer_known(page, known=False)
    answer_information(page, JAYDEN_REQUEST)

    # Sent without saying what they will do with the information: the error, on its page, and what was typed kept.
    expect(heading(page)).to_have_text(WHY)
    page.get_by_label("Why do they need it?", exact=True).fill(JAYDEN_REQUEST.reason)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page).to_have_title(f"Error: {WHY}: log a request for information – {SERVICE_NAME}")
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(["Enter what they will do with the information"])
    use = page.get_by_label("What will they do with it?", exact=True)
    expect(page.locator(".govuk-error-message")).to_have_text(
        [re.compile(r"^\s*Error: Enter what they will do with the information\s*$")]
    )
    expect(page.get_by_label("Why do they need it?", exact=True)).to_have_value(JAYDEN_REQUEST.reason)
    assert not InformationRequest.objects.filter(child=jayden).exists()
    assert_accessible(page)

    # The summary's link leads to the answer to give.
    summary.get_by_role("link").click()
    expect(use).to_be_focused()
    use.fill(JAYDEN_REQUEST.use)
    page.get_by_role("button", name="Continue", exact=True).click()
    answer_others(page, JAYDEN_REQUEST)
    answer_risk(page)
    pass_adults(page)

    # Check your answers: each answer with a link to change it; a change comes back here.
    expect(heading(page)).to_have_text(CHECK)
    expect(row(page, "Name")).to_contain_text(HEALTH_VISITOR.name)
    expect(row(page, "What will they do with it?")).to_contain_text(JAYDEN_REQUEST.use)
    expect(row(page, KNOWN)).to_contain_text("No")
    assert_accessible(page)
    page.get_by_role("link", name=f"Change {INFORMATION.lower()}", exact=True).click()
    expect(heading(page)).to_have_text(INFORMATION)
    expect(page.get_by_label(INFORMATION, exact=True)).to_have_value(JAYDEN_REQUEST.information)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(heading(page)).to_have_text(CHECK)
    assert not InformationRequest.objects.filter(child=jayden).exists()
    logged = log_request(page)

    expect(heading(page)).to_have_text(f"Request {logged.reference} from {HEALTH_VISITOR.agency}")
    expect(status_tags(page)).to_have_text(["Open", "Requester not verified"])
    expect(row(page, "From")).to_contain_text(f"{HEALTH_VISITOR.name}, {HEALTH_VISITOR.role}, {HEALTH_VISITOR.agency}")
    expect(row(page, "What they will do with it")).to_have_text(re.compile(re.escape(JAYDEN_REQUEST.use)))
    expect(row(page, "Verification")).to_contain_text("Not verified yet")
    expect(row(page, "Logged by")).to_contain_text(f"{PRACTITIONER_NAME} on {long_date(today)}")
    assert (logged.child, logged.requester_known, logged.logged_by.email) == (jayden, False, PRACTITIONER)

    # 3.7.4: the health visitor is not known, so she is called back through her agency.
    choose(page, "How did you verify who they are?", CALLED_BACK)
    page.get_by_label("Details", exact=True).fill(VERIFICATION)
    page.get_by_role("button", name="Record verification", exact=True).click()
    success(page, "The requester's verification has been recorded.")
    expect(status_tags(page)).to_have_text(["Open", "Requester verified"])
    verified = f"{CALLED_BACK} (guidance paragraph 3.7.4), by {PRACTITIONER_NAME} on {long_date(today)}"
    expect(row(page, "Verification")).to_contain_text(verified)
    expect(row(page, "Verification")).to_contain_text(VERIFICATION)
    expect(page.get_by_role("heading", name="Verify the requester")).to_have_count(0)
    assert_accessible(page)
    request_path = urlsplit(page.url).path

    # The eight questions, started from the request: question 1 says what was asked, and the risk of harm.
    page.get_by_role("button", name="Decide using the eight key questions", exact=True).click()
    expect_question(page, QuestionKey.PURPOSE)
    expect(page.locator(".govuk-caption-l")).to_have_text("Jayden Turner: question 1 of 8, part 1 of 5: purpose")
    expect(page.get_by_label(PURPOSE_QUESTION, exact=True)).to_have_value(PREFILLED_PURPOSE)
    answer_purpose(page)
    expect_question(page, QuestionKey.IDENTIFIABLE)
    answer_identifiable(page)
    expect_question(page, QuestionKey.CONFIDENTIAL)
    answer_confidential(page)
    expect_question(page, QuestionKey.CONSENT)
    answer_consent_not_sought(page)
    expect_question(page, QuestionKey.STATUTORY)
    answer_no_statutory_duty(page)
    expect_question(page, QuestionKey.PUBLIC_INTEREST)
    answer_public_interest(page)
    expect_question(page, QuestionKey.SHARING)
    answer_sharing(page)
    expect_question(page, QuestionKey.DECISION)
    answer_decision(page)

    expect(heading(page)).to_have_text("Check your answers before recording the decision")
    expect(page.get_by_text(PREFILLED_PURPOSE.splitlines()[0])).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record decision").click()

    expect(heading(page)).to_have_text("Information-sharing decision: share some of the information")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    decision = SharingDecision.objects.get(child=jayden)
    decision_path = f"/decisions/{decision.pk}/"
    assert urlsplit(page.url).path == decision_path
    expect(page.get_by_text("No disclosure has been recorded yet.")).to_be_visible()
    assert_accessible(page)

    # Recording the decision closed the request as decided, with a link to the decision.
    page.goto(request_path)
    expect(status_tags(page)).to_have_text(["Decided", "Requester verified"])
    expect(row(page, "Outcome")).to_contain_text(f"Decided on {long_date(today)}")
    expect(row(page, "Outcome")).to_contain_text(f"by {PRACTITIONER_NAME}")
    expect(page.get_by_role("button", name="Decide using the eight key questions")).to_have_count(0)
    expect(page.get_by_role("button", name="Record outcome")).to_have_count(0)
    assert_accessible(page)
    outcome = RequestOutcome.objects.get(request=logged)
    assert (outcome.outcome, outcome.decision) == ("decided", decision)
    row(page, "Outcome").get_by_role("link", name="the decision").click()
    assert urlsplit(page.url).path == decision_path

    # What was disclosed, a page at a time, filled in from question 7.
    page.get_by_role("link", name="Record what was disclosed").click()
    expect(heading(page)).to_have_text("What was disclosed")
    expect(page).to_have_title(f"What was disclosed: record what was disclosed – {SERVICE_NAME}")
    expect(page.locator(".govuk-caption-l")).to_have_text("Jayden Turner: record what was disclosed")
    expect(page.get_by_role("main")).to_contain_text(f"answering request {logged.reference}")
    expect(row(page, "Item 1 (fact)")).to_contain_text(SHARED_FACT)
    expect(row(page, "Item 2 (opinion)")).to_contain_text(SHARED_OPINION)
    assert_accessible(page)
    no_more_items(page)
    expect(heading(page)).to_have_text("Who was it disclosed to?")
    expect(page.get_by_label("Name", exact=True)).to_have_value(HEALTH_VISITOR.name)
    expect(page.get_by_label("Role", exact=True)).to_have_value(HEALTH_VISITOR.role)
    expect(page.get_by_label("Agency", exact=True)).to_have_value(HEALTH_VISITOR.agency)
    assert_accessible(page)
    continue_on(page)
    expect(heading(page)).to_have_text("When was it disclosed?")
    expect(group(page, "Date disclosed").get_by_label("Day")).to_have_value(str(today.day))
    expect(page.get_by_label("Time disclosed", exact=True)).to_have_value(re.compile(r"^\d{2}:\d{2}$"))
    assert_accessible(page)
    continue_on(page)

    # Verified, and no consent relied on: neither the override nor the limits of consent are asked.
    expect(heading(page)).to_have_text("How was it disclosed?")
    choose(page, "How was it disclosed?", "Secure email")
    continue_on(page)
    page.get_by_label("What secure email address was it sent to?").fill("aisha.rahman@nhs.example")
    continue_on(page)

    # The method's checks not ticked: refused, and the summary names the first check missing.
    expect(heading(page)).to_have_text("The checks made")
    secure_email_checks = group(page, "Which checks were made?")
    expect(secure_email_checks.get_by_role("checkbox")).to_have_count(2)
    continue_on(page)
    expect(page).to_have_title(f"Error: The checks made: record what was disclosed – {SERVICE_NAME}")
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text([f"Confirm each check for this method: {SECURE_SYSTEM}"])
    expect(secure_email_checks.locator(".govuk-error-message")).to_contain_text(SECURE_SYSTEM)
    assert not Disclosure.objects.filter(child=jayden).exists()
    assert_accessible(page)

    # The summary's link leads to the checks; one of the two ticked is still refused: all must be.
    summary.get_by_role("link").click()
    expect(secure_email_checks.get_by_role("checkbox").first).to_be_focused()
    secure_email_checks.get_by_label(SECURE_SYSTEM, exact=True).check()
    continue_on(page)
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text([f"Confirm each check for this method: {CONFIDENTIALITY_WARNING}"])
    expect(secure_email_checks.get_by_label(SECURE_SYSTEM, exact=True)).to_be_checked()
    expect(secure_email_checks.get_by_label(CONFIDENTIALITY_WARNING, exact=True)).not_to_be_checked()
    assert_accessible(page)
    secure_email_checks.get_by_label(CONFIDENTIALITY_WARNING, exact=True).check()
    continue_on(page)

    not_passed_on(page)
    expect(heading(page)).to_have_text("Telling the child or a parent")
    told = group(page, "Has the child or a parent been told that the information was shared?")
    told.get_by_label("No", exact=True).check()
    page.get_by_label("Why have they not been told?", exact=True).fill(NOT_TOLD)
    fill_date(page, "When should this be reconsidered?", tomorrow)
    assert_accessible(page)
    continue_on(page)
    expect(page.get_by_role("main")).to_contain_text(NOT_TOLD)
    assert not Disclosure.objects.filter(child=jayden).exists()
    record(page)

    expect(heading(page)).to_have_text(f"Disclosure to {HEALTH_VISITOR.name}, {HEALTH_VISITOR.agency}")
    success(page, "The disclosure has been recorded.")
    disclosure = Disclosure.objects.get(child=jayden)
    disclosure_path = f"/disclosures/{disclosure.pk}/"
    assert urlsplit(page.url).path == disclosure_path
    expect(row(page, "Disclosed")).to_contain_text(f"{long_date(today)}, ")
    expect(row(page, "Disclosed")).to_contain_text("by secure email (aisha.rahman@nhs.example)")
    expect(row(page, "To")).to_contain_text(f"{HEALTH_VISITOR.name}, {HEALTH_VISITOR.role}, {HEALTH_VISITOR.agency}")
    expect(row(page, "Item 1 (fact)")).to_contain_text(SHARED_FACT)
    expect(row(page, "Item 2 (opinion)")).to_contain_text(SHARED_OPINION)
    expect(row(page, "Checks made").get_by_role("listitem")).to_have_text(
        [f"{SECURE_SYSTEM} (guidance paragraph 3.7.8)", f"{CONFIDENTIALITY_WARNING} (guidance paragraph 3.7.8)"]
    )
    expect(row(page, "Passing it on")).to_contain_text("No")
    expect(row(page, "Child or parent told")).to_contain_text(f"No: {NOT_TOLD}")
    expect(row(page, "Child or parent told")).to_contain_text(f"Reconsider by {long_date(tomorrow)}")
    expect(row(page, "Request")).to_have_text(re.compile(logged.reference))
    expect(row(page, "Recorded")).to_contain_text(f"By {PRACTITIONER_NAME}, practitioner, on {long_date(today)}")
    # Its place in the log: signed here rather than left to the server's sequencer, whose timing varies.
    seal()
    page.reload()
    page.locator(".app-tamper-check").first.get_by_text("Tamper check").click()
    expect(row(page, "Place in the log")).to_contain_text(place_text(disclosure))
    expect(row(page, "Signed checkpoint")).to_contain_text(checkpoint_text(disclosure))
    expect(page.get_by_role("link", name="Download the receipt (JSON) of the disclosure")).to_have_attribute(
        "href", f"/disclosures/{disclosure.pk}/receipt/"
    )
    expect(page.get_by_text("None.", exact=True)).to_be_visible()
    assert_accessible(page)
    assert disclosure.checks == ["secure_system", "confidentiality_warning"]
    assert (disclosure.informed, disclosure.reconsider_on, disclosure.request) == (False, tomorrow, logged)

    # The decision and the request both lead to it.
    page.get_by_role("link", name="Back to the decision").click()
    expect(page.get_by_role("link", name=f"To {HEALTH_VISITOR.name}, {HEALTH_VISITOR.agency}, on ")).to_have_count(1)
    assert_accessible(page)

    # The next day the safeguarding lead sees that the family has not been told, and the date to reconsider has come.
    sign_out(page)
    today = next_day()
    signed_in(page, LEAD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="For review").click()
    expect(heading(page)).to_have_text("For review")
    expect(page).to_have_title(f"For review – {SERVICE_NAME}")
    jayden_row = not_yet_told(page).get_by_role("row").filter(has_text="Jayden Turner")
    expect(jayden_row).to_have_count(1)
    expect(jayden_row.get_by_role("cell").first).to_have_text(long_date(tomorrow))
    # The demo's disclosure about Mia is waiting too.
    expect(not_yet_told(page).get_by_role("row").filter(has_text="Mia Turner")).to_have_count(1)
    assert_accessible(page)

    jayden_row.get_by_role("link").click()
    assert urlsplit(page.url).path == disclosure_path
    expect(page.get_by_role("heading", name="Record a follow-up")).to_be_visible()
    assert_accessible(page)

    # "Yes" without saying when or by whom: the errors.
    now_told = group(page, "Has the child or a parent now been told?")
    now_told.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record follow-up", exact=True).click()
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(["Enter when they were told", "Enter who told them"])
    expect(group(page, "Has the child or a parent now been told?").get_by_label("Yes", exact=True)).to_be_checked()
    assert not InformedFollowUp.objects.exists()
    assert_accessible(page)

    fill_date(page, "When were they told?", today)
    page.get_by_label("Who told them?", exact=True).fill(TOLD_BY)
    page.get_by_role("button", name="Record follow-up", exact=True).click()

    success(page, "The follow-up has been recorded.")
    assert urlsplit(page.url).path == disclosure_path
    follow_ups = page.get_by_role("main").locator(".govuk-inset-text")
    expect(follow_ups).to_have_count(1)
    expect(follow_ups).to_contain_text(f"Told on {long_date(today)} by {TOLD_BY}.")
    expect(follow_ups).to_contain_text(f"Recorded by {LEAD_NAME} on {long_date(today)}")
    # Append-only: the disclosure as recorded is unchanged, and nothing more to follow up.
    expect(row(page, "Child or parent told")).to_contain_text(f"No: {NOT_TOLD}")
    expect(page.get_by_role("heading", name="Record a follow-up")).to_have_count(0)
    assert_accessible(page)
    # The follow-up's own place in the log, and its receipt, as the disclosure's.
    seal()
    page.reload()
    follow_up = InformedFollowUp.objects.get()
    follow_ups.get_by_text("Tamper check").click()
    follow_up_rows = follow_ups.locator(".govuk-summary-list__row")
    for key, text in (("Place in the log", place_text(follow_up)), ("Signed checkpoint", checkpoint_text(follow_up))):
        key_cell = page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{key}\s*$"))
        expect(follow_up_rows.filter(has=key_cell)).to_contain_text(text)
    expect(page.get_by_role("link", name="Download the receipt (JSON) of this follow-up")).to_have_attribute(
        "href", f"/disclosures/{disclosure.pk}/follow-ups/{follow_up.pk}/receipt/"
    )
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="For review").click()
    expect(heading(page)).to_have_text("For review")
    expect(not_yet_told(page).get_by_role("row").filter(has_text="Jayden Turner")).to_have_count(0)
    expect(not_yet_told(page).get_by_role("row").filter(has_text="Mia Turner")).to_have_count(1)
    assert_accessible(page)


def chronology_rows(page: Page) -> Locator:
    return page.locator("table.app-chronology tbody tr")


def kinds_shown(page: Page) -> Locator:
    return chronology_rows(page).locator("td:nth-child(2)")


def test_the_chronology_lists_everything_and_prints(page: Page):
    mia = child("NCS-1042")
    decision = SharingDecision.objects.get(child=mia)
    signed_in(page, PRACTITIONER)
    open_child(page, "NCS-1042", "Mia Turner")
    page.get_by_role("link", name="Chronology", exact=True).click()

    expect(heading(page)).to_have_text("Chronology: Mia Turner")
    expect(page).to_have_title(f"Chronology: Mia Turner – {SERVICE_NAME}")
    assert urlsplit(page.url).path == f"/children/{mia.pk}/chronology/"
    # The demo: a request, the call back that verified the health visitor, the decision that answered the
    # request (which closed it), and what was disclosed; newest first.
    expect(kinds_shown(page)).to_have_text(
        ["Disclosure", "Request outcome", "Decision", "Requester verified", "Request received"]
    )
    verified_row = chronology_rows(page).filter(has=page.get_by_role("link", name="Requester verified", exact=True))
    expect(verified_row).to_contain_text(
        "Verified Nadia Hughes, Northgate NHS Foundation Trust: called back through their agency's published number"
    )
    expect(verified_row).to_contain_text(PRACTITIONER_NAME)
    # 3.5.19, 3.7.3: the disclosure's line says the family was not told, and why.
    expect(chronology_rows(page).filter(has=page.get_by_role("link", name="Disclosure", exact=True))).to_contain_text(
        f"The child or parents were not told: {NOT_TOLD}"
    )
    decision_row = chronology_rows(page).filter(has=page.get_by_role("link", name="Decision", exact=True))
    expect(decision_row).to_contain_text(timezone.localtime(decision.decided_at).strftime("%-d %b %Y, %H:%M"))
    expect(decision_row).to_contain_text("Share some of the information. Reasonable cause to believe")
    expect(decision_row).to_contain_text(f"{PRACTITIONER_NAME}, practitioner")
    expect(page.get_by_role("table", name="Chronology, newest first")).to_be_visible()
    assert_accessible(page)

    # Decisions only.
    show = group(page, "Show")
    show.get_by_label("Decision", exact=True).check()
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(kinds_shown(page)).to_have_text(["Decision"])
    expect(group(page, "Show").get_by_label("Decision", exact=True)).to_be_checked()
    expect(group(page, "Show").get_by_label("Disclosure", exact=True)).not_to_be_checked()
    chronology_rows(page).get_by_role("link", name="Decision", exact=True).click()
    # The decision's page loaded before going back: leaving it half-loaded aborts its requests.
    expect(heading(page)).to_have_text(re.compile(r"^Information-sharing decision: "))
    assert urlsplit(page.url).path == f"/decisions/{decision.pk}/"
    page.go_back()
    expect(kinds_shown(page)).to_have_text(["Decision"])
    assert_accessible(page)

    # Everything again, oldest first.
    group(page, "Show").get_by_label("Decision", exact=True).uncheck()
    page.get_by_label("Order", exact=True).select_option(label="Oldest first")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(kinds_shown(page)).to_have_text(
        ["Request received", "Requester verified", "Decision", "Request outcome", "Disclosure"]
    )
    expect(page.get_by_role("table", name="Chronology, oldest first")).to_be_visible()
    expect(page.get_by_label("Order", exact=True)).to_have_value("oldest")
    assert_accessible(page)

    # On paper: no filters, buttons or menu, but who printed it and when.
    printed = page.get_by_text(re.compile(r"^Printed \d{1,2} \w+ \d{4}, \d{2}:\d{2} by Priya Shah\. 5 entries\.$"))
    filters = page.locator("form.app-no-print")
    print_button = page.get_by_role("button", name="Print", exact=True)
    on_screen = [
        filters,
        print_button,
        page.get_by_role("button", name="Apply", exact=True),
        page.get_by_role("navigation", name="Menu"),
        page.get_by_role("button", name="Sign out"),
        page.get_by_role("link", name="Back to Mia Turner"),
    ]
    for locator in on_screen:
        expect(locator).to_be_visible()
    expect(printed).to_be_hidden()

    page.emulate_media(media="print")

    for locator in on_screen:
        expect(locator).to_be_hidden()
    expect(page.locator("button:visible, .govuk-button:visible, input:visible, select:visible")).to_have_count(0)
    expect(printed).to_be_visible()
    expect(heading(page)).to_be_visible()
    expect(chronology_rows(page)).to_have_count(5)
    for index in range(5):
        expect(chronology_rows(page).nth(index)).to_be_visible()
    assert_accessible(page)

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1_000


def requests_table(page: Page) -> Locator:
    return page.get_by_role("table", name="Requests, newest first")


def request_rows(page: Page) -> Locator:
    return requests_table(page).locator("tbody tr")


def filter_requests(page: Page, status: str) -> None:
    page.get_by_label("Status", exact=True).select_option(label=status)
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.get_by_label("Status", exact=True).locator("option:checked")).to_have_text(status)
    assert_accessible(page)


def test_the_request_list_filters(page: Page):
    yesterday = timezone.localdate() - timedelta(days=1)
    signed_in(page, PRACTITIONER)
    open_request_form(page, "NCS-1043", "Jayden Turner")
    fill_request(page, HEALTH_VISITOR, JAYDEN_REQUEST, known=True, received=(yesterday, "16:45"))
    jaydens = log_request(page)
    expect(row(page, "Received")).to_have_text(re.compile(rf"{long_date(yesterday)}, 16:45, telephone"))
    expect(status_tags(page)).to_have_text(["Open", "Requester verified"])
    expect(row(page, "Verification")).to_contain_text("Already known to the person who logged it")

    open_request_form(page, "NCS-2210", "Ellie Adeyemi")
    fill_request(page, SCHOOL_NURSE, ELLIE_REQUEST, known=False)
    ellies = log_request(page)
    expect(row(page, "Who else needs to know")).to_contain_text("Not stated")

    # Declined, first without the reasons.
    outcome = group(page, "What happened to the request?")
    outcome.get_by_label("Declined: no information will be shared", exact=True).check()
    page.get_by_role("button", name="Record outcome", exact=True).click()
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(["Enter the reasons"])
    expect(
        group(page, "What happened to the request?").get_by_label("Declined: no information will be shared", exact=True)
    ).to_be_checked()
    assert not RequestOutcome.objects.filter(request=ellies).exists()
    assert_accessible(page)

    page.get_by_label("Reasons", exact=True).fill(DECLINE_REASONS)
    page.get_by_role("button", name="Record outcome", exact=True).click()
    success(page, "What happened to the request has been recorded.")
    expect(status_tags(page)).to_have_text(["Declined", "Requester not verified"])
    expect(row(page, "Outcome")).to_contain_text(f"Declined on {long_date(timezone.localdate())}")
    expect(row(page, "Outcome")).to_contain_text(DECLINE_REASONS)
    expect(page.get_by_role("button", name="Record outcome")).to_have_count(0)
    expect(page.get_by_role("button", name="Record verification")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Requests", exact=True).click()
    expect(heading(page)).to_have_text("Requests for information")
    expect(page).to_have_title(f"Requests for information – {SERVICE_NAME}")
    # Both new requests, and the demo's request about Mia (decided), received six days ago; newest first.
    expect(request_rows(page)).to_have_count(3)
    expect(request_rows(page).locator("td:nth-child(2)")).to_have_text(["Ellie Adeyemi", "Jayden Turner", "Mia Turner"])
    expect(request_rows(page).locator("td:nth-child(4)")).to_have_text(["Declined", "Open", "Decided"])
    assert_accessible(page)

    filter_requests(page, "Declined")
    expect(request_rows(page)).to_have_count(1)
    expect(request_rows(page)).to_contain_text("Ellie Adeyemi")
    expect(request_rows(page)).to_contain_text(SCHOOL_NURSE.agency)
    expect(request_rows(page).locator("td:nth-child(4)")).to_have_text("Declined")

    filter_requests(page, "Open")
    expect(request_rows(page)).to_have_count(1)
    expect(request_rows(page)).to_contain_text("Jayden Turner")
    expect(request_rows(page)).to_contain_text(HEALTH_VISITOR.agency)
    expect(request_rows(page).locator("td:nth-child(4)")).to_have_text("Open")
    request_rows(page).get_by_role("link").click()
    assert urlsplit(page.url).path == f"/requests/{jaydens.pk}/"
    expect(heading(page)).to_have_text(f"Request {jaydens.reference} from {HEALTH_VISITOR.agency}")
    page.go_back()

    filter_requests(page, "Withdrawn")
    expect(requests_table(page)).to_have_count(0)
    expect(page.get_by_text("No requests match.")).to_be_visible()

    filter_requests(page, "Any")
    expect(request_rows(page)).to_have_count(3)

"""Recording an information-sharing decision in the browser, as a practitioner would.

The practitioner works through the eight key questions one page at a time,
records the consent it relies on without leaving the flow (question 4), checks
the answers, records the decision and adds an addendum; the recorded decision
prints as a clean paper record. Each page visited is checked with axe,
validation errors included; console errors and failed requests fail the test
(see the ``page`` fixture).
"""

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from consent.models import ConsentRecord
from records.models import Child
from sharing.guidance import QUESTION_BY_KEY, QuestionKey
from sharing.models import SharingDecision
from tests.browser import consent_form
from tests.browser.helpers import assert_accessible, signed_in
from tests.ledger_data import seal
from tests.receipt_data import checkpoint_text, place_text

PRACTITIONER = "practitioner@northgate.example"
PRACTITIONER_NAME = "Priya Shah"
AGENCY = "Northgate Children's Services"
SERVICE_NAME = "Safeguarding information sharing"

PURPOSE = "The health visitor asked whether the family is known, to plan a safe home visit to Jayden."
WHO_IDENTIFIED = "Jayden and his mother"
CONFIDENTIAL_REASON = "Given to the social worker during a child and family assessment."
CHANGED_CONFIDENTIAL_REASON = "Jayden's mother told the social worker in confidence at a home visit."
HOW_CONSENT_WAS_GIVEN = "Kelly Turner signed the consent form at the office after we talked it through."
ABOUT_JAYDEN = "The child, Jayden Turner"
KELLY_TURNER = "Kelly Turner, mother (parental responsibility, lives with the child)"
RYAN_COLE = "Ryan Cole, partner of a parent (no parental responsibility, lives with the child)"
CONSENT_SCOPE = consent_form.Scope(
    information="Police attendance at the home and what the family has told the social worker about it.",
    purposes="Planning a safe home visit by the health visitor.",
    kinds=["Local authority children's social care", "NHS trust or GP practice"],
    recipients="The health visiting team",
    use="Planning and carrying out home visits to Jayden; not for the detection of crime.",
)
SHARED_ITEM = "Police attended a domestic incident at the home last month."
RECIPIENT_NEED = "She visits the home alone next week."
REASONS = "Jayden's mother agreed, and the health visitor needs to know to keep him and herself safe."
ADDENDUM = "The health visitor confirmed on the phone that she received the information."

pytestmark = pytest.mark.usefixtures("demo")


def child(reference: str) -> Child:
    return Child.objects.get(agency__name=AGENCY, local_reference=reference)


def long_date(when: date) -> str:
    """As the service shows a date: 7 March 2026."""
    return f"{when.day} {when:%B %Y}"


def group(page: Page, legend: str) -> Locator:
    """A fieldset (radios, checkboxes, a date) by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def choose(page: Page, legend: str, option: str) -> None:
    group(page, legend).get_by_label(option, exact=True).check()


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def expect_question(page: Page, question: QuestionKey) -> None:
    wording = QUESTION_BY_KEY[question].wording
    expect(page.get_by_role("heading", level=1)).to_have_text(wording)
    # A page of a question asked over several pages names the page first ("Legal basis: Question 1: ...").
    expect(page).to_have_title(re.compile(rf"^(Error: )?([^:]+: )?Question {QUESTION_BY_KEY[question].number}: "))
    assert_accessible(page)


def error_summary(page: Page) -> Locator:
    """GOV.UK's error summary: "There is a problem", then a link to each field to fix."""
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    return summary


def decide_without_logging_the_request(page: Page) -> None:
    """Asked to share, the service offers to log the request first (3.7.9); these journeys decide without it
    (logging it first: tests/browser/test_requests_and_disclosures.py)."""
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been asked to share information")
    assert_accessible(page)
    page.get_by_label("Decide without logging the request", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()


def start_a_decision(page: Page, reference: str, name: str) -> None:
    """From the child's page, start a decision about a request received."""
    page.goto(f"/children/{child(reference).pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert_accessible(page)
    page.get_by_role("link", name="Record an information-sharing decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an information-sharing decision")
    assert_accessible(page)
    page.get_by_label("I have been asked to share information", exact=True).check()
    page.get_by_role("button", name="Start", exact=True).click()
    decide_without_logging_the_request(page)
    expect_question(page, QuestionKey.PURPOSE)


def answer_purpose(page: Page) -> None:
    page.get_by_label("What is the purpose of sharing the information?").fill(PURPOSE)
    continue_(page)
    answer_purpose_pages(page)


def expect_purpose_page(page: Page, part: int, title: str) -> None:
    """A page of question 1 after its first (guidance.PAGES), checked with axe."""
    expect(page.locator(".govuk-caption-l")).to_contain_text(f"question 1 of 8, part {part} of 5: {title}")
    expect_question(page, QuestionKey.PURPOSE)


def answer_purpose_pages(page: Page, *, concern: bool = True) -> None:
    """Question 1 after the purpose itself, a page each: legal basis, level of concern, the tests of 3.5.4, and
    the conclusion; then on to the next question. ``concern``: choose the level of concern (not when a request
    gave it)."""
    expect_purpose_page(page, 2, "legal basis")
    group(page, "What is the legal basis for sharing?").get_by_label(
        "Children Act 2004 section 11", exact=False
    ).check()
    continue_(page)
    expect_purpose_page(page, 3, "level of concern")
    if concern:
        group(page, "What is the level of concern about the child at this time?").get_by_label(
            "There is reasonable cause to believe", exact=False
        ).check()
    continue_(page)
    expect_purpose_page(page, 4, "establishing a legitimate purpose")
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
    expect_purpose_page(page, 5, "conclusion")
    choose(page, "Having considered these, is there a legitimate purpose to share the information?", "Yes")
    continue_(page)


def expect_page(page: Page, question: QuestionKey, title: str) -> None:
    """A page of a question after its first (guidance.PAGES), checked with axe."""
    expect(page.locator(".govuk-caption-l")).to_contain_text(f"question {QUESTION_BY_KEY[question].number} of 8")
    expect(page.locator(".govuk-caption-l")).to_contain_text(f": {title}")
    expect_question(page, question)


def answer_identifiable(page: Page) -> None:
    # Who is identified is asked on a page of its own, only once the answer is that someone is (3.5.5).
    expect(page.get_by_label("Who could be identified?")).to_have_count(0)
    group(page, "Does the information identify the child or anyone else?").get_by_label("Yes", exact=True).check()
    continue_(page)
    expect_page(page, QuestionKey.IDENTIFIABLE, "who could be identified")
    page.get_by_label("Who could be identified?").fill(WHO_IDENTIFIED)
    continue_(page)


def answer_confidential(page: Page, reason: str = CONFIDENTIAL_REASON) -> None:
    group(page, "Is the information confidential?").get_by_label(
        "Yes: a formal confidential relationship", exact=False
    ).check()
    continue_(page)
    expect_page(page, QuestionKey.CONFIDENTIAL, "why")
    page.get_by_label("Why?", exact=True).fill(reason)
    continue_(page)


def record_consent_from_question_4(page: Page) -> None:
    """Question 4 has no consent to answer with yet: record Kelly Turner's, from the flow, and come back."""
    today = timezone.localdate()
    review_on = today + timedelta(days=180)
    question_4 = urlsplit(page.url).path
    # Which record is asked on a page of its own, once consent is sought and given or refused (3.7.2).
    expect(group(page, "Which consent record?")).to_have_count(0)
    expect(group(page, "Does this consent cover the purpose of this decision?")).to_have_count(0)
    choose(page, "Has consent to share been obtained?", "Consent was sought and given")
    continue_(page)
    expect_page(page, QuestionKey.CONSENT, "consent record")
    expect(page.get_by_text("There is no consent record to choose: record the consent first.")).to_be_visible()
    page.locator(".govuk-inset-text").get_by_role("link", name="record the consent").click()
    consent_form.expect_page(page, consent_form.WHOSE)
    expect(page).to_have_title(f"{consent_form.WHOSE}: record consent – {SERVICE_NAME}")
    expect(page.locator(".govuk-caption-l")).to_have_text("Jayden Turner: record consent")
    # Back goes to question 4, not to the child's page.
    expect(page.get_by_role("link", name="Back", exact=True)).to_have_attribute("href", question_4)
    assert_accessible(page)
    choose(page, consent_form.ABOUT, ABOUT_JAYDEN)
    consent_form.continue_on(page)

    # A mistake first: consent from Ryan Cole, who has no parental responsibility for Jayden. Said on that page.
    responder = group(page, consent_form.RESPONDER)
    responder.get_by_label(RYAN_COLE, exact=True).check()
    consent_form.continue_on(page)
    expect(page).to_have_title(re.compile(rf"^Error: {re.escape(consent_form.RESPONDER)}: record consent"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [re.compile(r"^Only a person with parental responsibility can consent on a child's behalf")]
    )
    expect(responder.locator(".govuk-error-message")).to_contain_text("Only a person with parental responsibility")
    expect(responder.get_by_label(RYAN_COLE, exact=True)).to_be_checked()
    assert not ConsentRecord.objects.filter(child=child("NCS-1043")).exists()
    assert_accessible(page)

    # The summary's link leads to the question to fix.
    summary.get_by_role("link").click()
    expect(responder.get_by_role("radio").first).to_be_focused()
    responder.get_by_label(KELLY_TURNER, exact=True).check()
    consent_form.continue_on(page)
    choose(page, consent_form.ANSWER, "Consent given")
    consent_form.continue_on(page)
    consent_form.choose(page, consent_form.EXPLICITNESS, "Explicit", exact=False)
    choose(page, consent_form.WRITTEN_OR_VERBAL, "In writing")
    page.get_by_label(consent_form.HOW, exact=True).fill(HOW_CONSENT_WAS_GIVEN)
    consent_form.continue_on(page)
    consent_form.expect_page(page, consent_form.FAMILY)
    consent_form.continue_on(page)
    consent_form.fill_scope(page, CONSENT_SCOPE, told_can_withdraw=True, review_on=review_on)
    consent_form.record_consent(page)

    # Back on question 4's page of consent records, with the new record chosen.
    expect_page(page, QuestionKey.CONSENT, "consent record")
    expect(page.get_by_role("alert")).to_contain_text("The consent has been recorded")
    records = group(page, "Which consent record?")
    expect(records.get_by_role("radio")).to_have_count(1)
    kelly = records.get_by_label(
        f"Given by Kelly Turner (mother) on {long_date(today)}, about Jayden Turner; review by {long_date(review_on)}",
        exact=True,
    )
    expect(kelly).to_be_checked()
    record = ConsentRecord.objects.get(child=child("NCS-1043"))
    assert (record.responder_name, record.response, record.explicitness, record.form) == (
        "Kelly Turner",
        "given",
        "explicit",
        "written",
    )
    assert record.scope_recipient_kinds == ["childrens_social_care", "health"]
    assert record.told_can_withdraw is True


def answer_consent(page: Page) -> None:
    """On question 4's page of consent records, with a record of consent given chosen: whether it covers the
    purpose, on a page of its own (3.3.14)."""
    continue_(page)
    expect_page(page, QuestionKey.CONSENT, "what the consent covers")
    choose(page, "Does this consent cover the purpose of this decision?", "Yes")
    continue_(page)


def answer_sharing(page: Page) -> None:
    """Question 7, one thing to a page: the decision, each item on its own page and the list of them (GOV.UK's
    "add another" pattern), the recipient, how, passing it on, telling the person; each page passes axe."""
    choose(page, "What have you decided?", "Share the information")
    continue_(page)
    expect(page.get_by_role("heading", name="Add item 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Item 1: what is the information?").fill(SHARED_ITEM)
    choose(page, "Is it fact, opinion, hypothesis or a mixture?", "Fact")
    continue_(page)
    expect(page.get_by_role("heading", name="You have added 1 item to share")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row")).to_contain_text(SHARED_ITEM)
    assert_accessible(page)
    choose(page, "Do you need to add another item?", "No")
    continue_(page)
    recipient = group(page, "Who will receive it?")
    recipient.get_by_label("Name", exact=True).fill("Nadia Hughes")
    recipient.get_by_label("Role", exact=True).fill("Health visitor")
    recipient.get_by_label("Agency", exact=True).fill("Northgate NHS Foundation Trust")
    choose(page, "What kind of agency is it?", "NHS trust or GP practice")
    page.get_by_label("Why do they need to know?").fill(RECIPIENT_NEED)
    assert_accessible(page)
    continue_(page)
    group(page, "How will it be shared?").get_by_label("Secure email", exact=False).check()
    page.get_by_label("I have checked that the information is accurate and up to date").check()
    assert_accessible(page)
    continue_(page)
    choose(page, "Does the recipient intend to pass it on to anyone else?", "No")
    page.get_by_label("The recipient understands the limits of the consent that was given").check()
    assert_accessible(page)
    continue_(page)
    choose(page, "Will the person the information is about be told it has been shared?", "Yes, they already know")
    assert_accessible(page)
    continue_(page)


def answer_decision(page: Page) -> None:
    page.get_by_label("Why have you made this decision?").fill(REASONS)
    continue_(page)
    expect_page(page, QuestionKey.DECISION, "date and time")
    # The date and time of the decision default to now (to the minute, so allow for the clock moving on).
    decided_on = group(page, "Date of the decision")
    time_of_decision = page.get_by_label("Time of the decision")
    expect(time_of_decision).to_have_value(re.compile(r"^\d{2}:\d{2}$"))
    hours, minutes = (int(part) for part in time_of_decision.input_value().split(":"))
    shown = timezone.make_aware(
        datetime(
            int(decided_on.get_by_label("Year").input_value()),
            int(decided_on.get_by_label("Month").input_value()),
            int(decided_on.get_by_label("Day").input_value()),
            hours,
            minutes,
        )
    )
    assert timedelta(0) <= timezone.now() - shown < timedelta(minutes=2), f"{shown} is not now"
    continue_(page)


def summary_card(page: Page, question: QuestionKey) -> Locator:
    title = f"{QUESTION_BY_KEY[question].number}. {QUESTION_BY_KEY[question].wording}"
    return page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name=title, exact=True))


def row(card: Locator, key: str) -> Locator:
    return card.locator(".govuk-summary-list__row").filter(
        has=card.page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{re.escape(key)}$"))
    )


def test_record_a_decision_end_to_end(page: Page):
    signed_in(page, PRACTITIONER)
    search_box = page.get_by_label("Name, NHS number or case reference")
    search_box.fill("Jayden Turner")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 child found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name="Jayden Turner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jayden Turner")
    expect(page.get_by_text("No decisions have been recorded about this child.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record an information-sharing decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an information-sharing decision")
    expect(page.locator(".govuk-caption-l")).to_have_text("Jayden Turner")
    assert_accessible(page)
    page.get_by_label("I have been asked to share information", exact=True).check()
    page.get_by_role("button", name="Start", exact=True).click()
    decide_without_logging_the_request(page)
    expect_question(page, QuestionKey.PURPOSE)

    # Question 1, one thing to a page: sent empty, the error by the field; then the purpose.
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Error: Purpose: Question 1: "))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the purpose of sharing the information")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What is the purpose of sharing the information?").fill(PURPOSE)
    continue_(page)
    # The legal basis page sent with nothing chosen: its one error, and Back to the purpose, kept.
    expect_purpose_page(page, 2, "legal basis")
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Error: Legal basis: Question 1: "))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link", name="Select the legal basis for sharing, or enter another")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.get_by_label("What is the purpose of sharing the information?")).to_have_value(PURPOSE)
    continue_(page)

    answer_purpose_pages(page)
    expect_question(page, QuestionKey.IDENTIFIABLE)
    answer_identifiable(page)
    expect_question(page, QuestionKey.CONFIDENTIAL)
    answer_confidential(page)
    expect_question(page, QuestionKey.CONSENT)
    record_consent_from_question_4(page)
    answer_consent(page)
    # Consent was given, so questions 5 and 6 do not arise.
    expect_question(page, QuestionKey.SHARING)
    answer_sharing(page)
    expect_question(page, QuestionKey.DECISION)
    answer_decision(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before recording the decision")
    assert_accessible(page)
    expect(page.locator(".govuk-inset-text")).to_contain_text("Decision: Share the information")
    for question in (
        QuestionKey.PURPOSE,
        QuestionKey.IDENTIFIABLE,
        QuestionKey.CONFIDENTIAL,
        QuestionKey.CONSENT,
        QuestionKey.SHARING,
        QuestionKey.DECISION,
    ):
        expect(summary_card(page, question)).to_be_visible()
    for question in (QuestionKey.STATUTORY, QuestionKey.PUBLIC_INTEREST):
        expect(summary_card(page, question)).to_have_count(0)
    expect(summary_card(page, QuestionKey.PURPOSE)).to_contain_text(PURPOSE)
    expect(row(summary_card(page, QuestionKey.IDENTIFIABLE), "Who could be identified?")).to_contain_text(
        WHO_IDENTIFIED
    )
    expect(row(summary_card(page, QuestionKey.CONFIDENTIAL), "Why?")).to_contain_text(CONFIDENTIAL_REASON)
    expect(row(summary_card(page, QuestionKey.CONSENT), "Consent record")).to_contain_text(
        "Given by Kelly Turner (mother)"
    )
    expect(row(summary_card(page, QuestionKey.SHARING), "What kind of agency is it?")).to_have_text(
        re.compile("NHS trust or GP practice")
    )
    expect(row(summary_card(page, QuestionKey.SHARING), "Item 1 (fact)")).to_contain_text(SHARED_ITEM)
    expect(row(summary_card(page, QuestionKey.DECISION), "Why have you made this decision?")).to_contain_text(REASONS)

    # Question 1 is changed an answer at a time, on the page that asks it; sending it returns to the check page.
    concern = "What is the level of concern about the child at this time?"
    page.get_by_role("link", name=f"Change answer: {concern}", exact=True).click()
    expect_purpose_page(page, 3, "level of concern")
    expect(page.get_by_role("link", name="Back", exact=True)).to_have_attribute("href", re.compile(r"/check/$"))
    group(page, concern).get_by_label("There is evidence that the child is suffering", exact=False).check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before recording the decision")
    expect(row(summary_card(page, QuestionKey.PURPOSE), concern)).to_contain_text("There is evidence that the child")

    # Change question 3's reason, on its page; sending it again returns to the check page.
    page.get_by_role("link", name="Change answer: Why?", exact=True).click()
    expect_page(page, QuestionKey.CONFIDENTIAL, "why")
    why = page.get_by_label("Why?", exact=True)
    expect(why).to_have_value(CONFIDENTIAL_REASON)
    expect(page.get_by_role("link", name="Back", exact=True)).to_have_attribute("href", re.compile(r"/check/$"))
    why.fill(CHANGED_CONFIDENTIAL_REASON)
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before recording the decision")
    expect(row(summary_card(page, QuestionKey.CONFIDENTIAL), "Why?")).to_contain_text(CHANGED_CONFIDENTIAL_REASON)
    assert_accessible(page)

    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Information-sharing decision: share the information")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    next_steps = page.locator(".app-next-steps li")
    expect(next_steps.last).to_have_text("Your safeguarding lead will review the decision (guidance paragraph 3.5.18).")
    expect(next_steps.first.get_by_role("link", name="Record what was disclosed")).to_be_visible()
    assert_accessible(page)
    decision = SharingDecision.objects.get(child=child("NCS-1043"))
    assert urlsplit(page.url).path == f"/decisions/{decision.pk}/"
    record = page.locator(".app-record-summary")
    expect(row(record, "About")).to_contain_text("Jayden Turner")
    expect(row(record, "Decision")).to_have_text(re.compile(r"Share the information"))
    expect(row(record, "Reasons")).to_contain_text(REASONS)
    expect(row(record, "Decided and recorded by")).to_contain_text(f"{PRACTITIONER_NAME}, practitioner")
    # Its place in the log and signed checkpoint. Whether the server's own sequencer has signed one yet
    # depends on timing, so the test signs one (as the sequencer would within seconds) and reloads.
    seal()
    page.reload()
    # Under "Tamper check", after the record rather than in the middle of it, closed until asked for.
    tamper_check = page.locator(".app-record-summary + .app-tamper-check")
    expect(tamper_check.locator(".govuk-details__text")).to_be_hidden()
    tamper_check.get_by_text("Tamper check").click()
    expect(row(tamper_check, "Place in the log")).to_contain_text(place_text(decision))
    expect(row(tamper_check, "Signed checkpoint")).to_contain_text(checkpoint_text(decision))
    receipt = tamper_check.get_by_role("link", name="Download the receipt (JSON) of the decision")
    expect(receipt).to_have_attribute("href", f"/decisions/{decision.pk}/receipt/")
    assert_accessible(page)
    for question in (
        QuestionKey.PURPOSE,
        QuestionKey.IDENTIFIABLE,
        QuestionKey.CONFIDENTIAL,
        QuestionKey.CONSENT,
        QuestionKey.SHARING,
        QuestionKey.DECISION,
    ):
        number, wording = QUESTION_BY_KEY[question].number, QUESTION_BY_KEY[question].wording
        expect(page.get_by_role("heading", name=f"{number}. {wording}", exact=True)).to_be_visible()
    expect(row(summary_card(page, QuestionKey.CONFIDENTIAL), "Why?")).to_contain_text(CHANGED_CONFIDENTIAL_REASON)
    expect(row(summary_card(page, QuestionKey.SHARING), "Item 1 (fact)")).to_contain_text(SHARED_ITEM)
    consent_record = row(summary_card(page, QuestionKey.CONSENT), "Consent record")
    expect(consent_record).to_contain_text("Given by Kelly Turner (mother)")
    expect(consent_record).to_contain_text("about Jayden Turner")
    expect(page.get_by_text("No addenda.")).to_be_visible()

    # An addendum: refused when empty, then added with the author's name.
    page.get_by_role("button", name="Add addendum").click()
    expect(error_summary(page).get_by_role("link")).to_have_text(["Enter the addendum"])
    assert_accessible(page)
    page.get_by_label("Addendum", exact=True).fill(ADDENDUM)
    page.get_by_role("button", name="Add addendum").click()

    expect(page.get_by_role("alert")).to_contain_text("Your addendum has been added to the record")
    addendum = page.locator(".app-addendum")
    expect(addendum).to_have_count(1)
    expect(addendum).to_contain_text(ADDENDUM)
    expect(addendum).to_contain_text(f"Added by {PRACTITIONER_NAME}, practitioner, on ")
    expect(page.get_by_text("No addenda.")).to_have_count(0)
    assert_accessible(page)


def test_the_back_link_keeps_earlier_answers(page: Page):
    signed_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-1043", "Jayden Turner")
    answer_purpose(page)
    expect_question(page, QuestionKey.IDENTIFIABLE)
    answer_identifiable(page)
    expect_question(page, QuestionKey.CONFIDENTIAL)

    page.get_by_role("link", name="Back", exact=True).click()

    # Back to question 2's last page asked, then its first.
    expect_page(page, QuestionKey.IDENTIFIABLE, "who could be identified")
    expect(page.get_by_label("Who could be identified?")).to_have_value(WHO_IDENTIFIED)
    page.get_by_role("link", name="Back", exact=True).click()
    expect_question(page, QuestionKey.IDENTIFIABLE)
    expect(
        group(page, "Does the information identify the child or anyone else?").get_by_label("Yes", exact=True)
    ).to_be_checked()

    page.get_by_role("link", name="Back", exact=True).click()

    # Back to question 1's last page, its conclusion, then its pages before it in turn.
    expect_purpose_page(page, 5, "conclusion")
    expect(
        group(page, "Having considered these, is there a legitimate purpose to share the information?").get_by_label(
            "Yes", exact=True
        )
    ).to_be_checked()
    for _part in range(4):
        page.get_by_role("link", name="Back", exact=True).click()
    expect(page.locator(".govuk-caption-l")).to_contain_text("question 1 of 8, part 1 of 5: purpose")
    expect(page.get_by_label("What is the purpose of sharing the information?")).to_have_value(PURPOSE)


def test_the_decision_prints_as_a_clean_paper_record(page: Page):
    seal()  # the demo's records in a signed checkpoint, as the sequencer would have them within seconds
    signed_in(page, PRACTITIONER)
    page.goto(f"/children/{child('NCS-1042').pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mia Turner")
    assert_accessible(page)
    decisions = page.get_by_role("table", name="Recorded decisions")
    decisions.get_by_role("link").first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Information-sharing decision: share some of the information")
    assert_accessible(page)

    service_navigation = page.get_by_role("navigation", name="Menu")
    sign_out = page.get_by_role("button", name="Sign out")
    back = page.get_by_role("link", name="Back to Mia Turner")
    addendum_box = page.get_by_label("Addendum", exact=True)
    add_addendum = page.get_by_role("button", name="Add addendum")
    answers = page.locator(".app-question-record")
    reasons = row(page.locator(".app-record-summary"), "Reasons")
    decision = SharingDecision.objects.get(pk=urlsplit(page.url).path.split("/")[2])
    tamper_check = page.locator(".app-record-summary + .app-tamper-check")
    place = row(tamper_check, "Place in the log")
    checkpoint = row(tamper_check, "Signed checkpoint")
    on_screen = [service_navigation, sign_out, back, addendum_box, add_addendum]
    for locator in on_screen:
        expect(locator).to_be_visible()
    # On screen the tamper check is closed until asked for; on paper it is printed open.
    expect(place).to_be_hidden()

    page.emulate_media(media="print")

    for locator in on_screen:
        expect(locator).to_be_hidden()
    expect(page.locator("button:visible, .govuk-button:visible, input:visible, textarea:visible")).to_have_count(0)
    expect(heading).to_be_visible()
    expect(reasons).to_be_visible()
    expect(reasons).to_contain_text("Reasonable cause to believe the children may be at risk")
    expect(answers).to_have_count(8)
    for index in range(8):
        expect(answers.nth(index)).to_be_visible()
    expect(page.get_by_text("The mother's partner, Ryan Cole, can be hostile to professionals.")).to_be_visible()
    # On paper too: its place in the log and the checkpoint (size, signing time, key ID, root), without the link.
    expect(place).to_be_visible()
    expect(place).to_contain_text(place_text(decision))
    expect(checkpoint).to_be_visible()
    expect(checkpoint).to_contain_text(checkpoint_text(decision))
    expect(page.locator("a:visible", has_text="Download the receipt")).to_have_count(0)
    assert_accessible(page)

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1_000


def test_save_and_come_back_later(page: Page):
    signed_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-1043", "Jayden Turner")
    page.get_by_label("What is the purpose of sharing the information?").fill(PURPOSE)

    page.get_by_role("button", name="Save and come back later").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Draft decisions")
    expect(page).to_have_title(f"Draft decisions – {SERVICE_NAME}")
    expect(page.get_by_role("alert")).to_contain_text("Your answers have been saved")
    drafts = page.get_by_role("table", name="Draft decisions")
    draft_row = drafts.get_by_role("row").filter(has_text="Jayden Turner")
    expect(draft_row).to_have_count(1)
    expect(draft_row).to_contain_text("You")
    assert_accessible(page)

    draft_row.get_by_role("link", name="Continue the decision about Jayden Turner").click()

    # The task list: question 1 was typed but not checked, so it is still to do.
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an information-sharing decision")
    expect(task_in_list(page, QuestionKey.PURPOSE)).to_contain_text("Incomplete")
    task_link(page, QuestionKey.PURPOSE).click()

    expect_question(page, QuestionKey.PURPOSE)
    expect(page.get_by_label("What is the purpose of sharing the information?")).to_have_value(PURPOSE)


def task_in_list(page: Page, question: QuestionKey) -> Locator:
    """A question's line in the task list."""
    return page.locator(".govuk-task-list__item").filter(has_text=QUESTION_BY_KEY[question].wording)


def task_link(page: Page, question: QuestionKey) -> Locator:
    name = f"Question {QUESTION_BY_KEY[question].number}: {QUESTION_BY_KEY[question].wording}"
    return page.get_by_role("link", name=name, exact=True)


def test_the_task_list_shows_each_question_done_or_still_to_do(page: Page):
    signed_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-1043", "Jayden Turner")
    answer_purpose(page)
    expect_question(page, QuestionKey.IDENTIFIABLE)

    page.get_by_role("link", name="Back to the task list", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record an information-sharing decision")
    expect(page).to_have_title(f"Record an information-sharing decision – {SERVICE_NAME}")
    assert re.fullmatch(r"/decisions/drafts/[0-9a-f-]{36}/", urlsplit(page.url).path), "no personal data in it"
    expect(page.locator(".govuk-caption-l")).to_have_text("Jayden Turner")
    expect(page.get_by_text("1 of the 8 questions this decision needs is completed.")).to_be_visible()
    expect(task_in_list(page, QuestionKey.PURPOSE).locator(".govuk-task-list__status")).to_have_text("Completed")
    expect(task_in_list(page, QuestionKey.IDENTIFIABLE).locator(".govuk-task-list__status")).to_have_text("Incomplete")
    for later in list(QuestionKey)[2:]:
        expect(task_in_list(page, later).locator(".govuk-task-list__status")).to_have_text("Cannot start yet")
        expect(task_link(page, later)).to_have_count(0)
    check = page.locator(".govuk-task-list__item").filter(has_text="Check your answers")
    expect(check).to_contain_text("Cannot start yet")
    expect(check.get_by_role("link")).to_have_count(0)
    assert_accessible(page)

    # Question 1 again, as answered; then on where the task list says.
    task_link(page, QuestionKey.PURPOSE).click()
    expect_question(page, QuestionKey.PURPOSE)
    expect(page.get_by_label("What is the purpose of sharing the information?")).to_have_value(PURPOSE)
    page.get_by_role("link", name="Back to the task list", exact=True).click()
    task_link(page, QuestionKey.IDENTIFIABLE).click()

    expect_question(page, QuestionKey.IDENTIFIABLE)
    answer_identifiable(page)
    expect_question(page, QuestionKey.CONFIDENTIAL)

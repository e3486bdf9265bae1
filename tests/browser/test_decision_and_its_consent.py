"""The recorded decision and the consent it relies on, in the browser (issue 14, points 1, 2 and 12).

- Consent that does not name the recipient's kind of agency is not relied on:
  questions 5 and 6 are asked, and the lead sees the decision among those
  without consent (3.3.14, 3.3.22, 3.3.28).
- Once the consent a decision relied on is withdrawn, the decision says so,
  on screen and on paper; a disclosure under it is refused until the
  practitioner makes a new decision or records why it goes ahead on another
  basis, which the lead then sees (3.3.21-3.3.22).
- A decision to share without telling the person carries a date to reconsider,
  still to come, and is on the lead's list once it comes (3.5.19, 3.7.3).

Each page visited is checked with axe, validation errors included; console
errors and failed requests fail the test (see the ``page`` fixture).
"""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from consent.models import ConsentRecord
from exchange.models import Disclosure
from records.models import Child
from sharing.guidance import QUESTION_BY_KEY, QuestionKey
from sharing.models import SharingDecision
from tests.browser.consent_form import continue_on, fill_date
from tests.browser.disclosure_pages import by_secure_email, no_more_items, not_passed_on, record, to_the_method, told_on
from tests.browser.helpers import assert_accessible, signed_in
from tests.browser.test_recording_a_decision import (
    answer_confidential,
    answer_identifiable,
    answer_purpose,
    choose,
    continue_,
    error_summary,
    expect_question,
    group,
    start_a_decision,
    summary_card,
)

PRACTITIONER = "practitioner@northgate.example"
PRACTITIONER_NAME = "Priya Shah"
LEAD = "lead@northgate.example"
AGENCY = "Northgate Children's Services"

POLICE_NEED = "The officer is investigating a report that Ellie was approached by an adult outside school."
WITHOUT_CONSENT_REASONS = "Ellie may be at risk from the adult; the police need what the school nurse saw."
NOT_TOLD = "Telling Jayden's mother now could put her at risk from her partner."
LAPSED_BASIS = "A s47 enquiry has begun: children's social care has a statutory duty to share what the visit needs."

pytestmark = pytest.mark.usefixtures("demo")


def child(reference: str) -> Child:
    return Child.objects.get(agency__name=AGENCY, local_reference=reference)


def long_date(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def record_row(page: Page, key: str) -> Locator:
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def open_for_review(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="For review", exact=True).click()
    expect(heading(page)).to_have_text("For review")
    assert_accessible(page)


def limits_told(page: Page) -> Locator:
    return page.get_by_role("checkbox", name=re.compile(r"^The recipient was told the limits of the consent given"))


def for_review_table(page: Page, caption: str) -> Locator:
    return page.get_by_role("table", name=caption)


@pytest.fixture
def later():
    """Moves the service's clock on, for the rest of the test (the live server runs in this process)."""
    travels = []

    def move(days: int) -> date:
        travel = time_machine.travel(timezone.now() + timedelta(days=days))
        travel.start()
        travels.append(travel)
        return timezone.localdate()

    yield move
    for travel in reversed(travels):
        travel.stop()


def answer_public_interest(page: Page) -> None:
    """Question 6, a page at a time: what might happen either way, proportionality, then advice (none sought)."""
    page.get_by_label("What might happen if the information is shared?").fill("Ellie may feel let down by us.")
    continue_(page)
    page.get_by_label("What might happen if it is not shared?").fill("The police could not protect her.")
    continue_(page)
    page.get_by_label("Why is sharing, or not sharing, proportionate?").fill("Only what the nurse saw is shared.")
    continue_(page)
    choose(page, "Did you seek advice?", "No")
    continue_(page)
    expect_question(page, QuestionKey.PUBLIC_INTEREST)
    page.get_by_label("Why did you not seek advice?").fill("The officer needs it today; the lead is on leave.")
    continue_(page)


def answer_decision_reasons(page: Page, reasons: str) -> None:
    """Question 8: the reasons, then the date and time of the decision (now)."""
    page.get_by_label("Why have you made this decision?").fill(reasons)
    continue_(page)
    expect_question(page, QuestionKey.DECISION)
    expect(page.get_by_label("Time of the decision")).to_be_visible()
    continue_(page)


def share_with(page: Page, *, name: str, role: str, agency: str, kind: str, need: str, item: str) -> None:
    """Question 7 from its first page to naming the recipient: to share, one item (its own page, then the list of
    items), and who receives it."""
    choose(page, "What have you decided?", "Share the information")
    continue_(page)
    page.get_by_label("Item 1: what is the information?").fill(item)
    choose(page, "Is it fact, opinion, hypothesis or a mixture?", "Fact")
    continue_(page)
    choose(page, "Do you need to add another item?", "No")
    continue_(page)
    recipient = group(page, "Who will receive it?")
    recipient.get_by_label("Name", exact=True).fill(name)
    recipient.get_by_label("Role", exact=True).fill(role)
    recipient.get_by_label("Agency", exact=True).fill(agency)
    choose(page, "What kind of agency is it?", kind)
    page.get_by_label("Why do they need to know?").fill(need)
    continue_(page)


def sent_securely_not_passed_on(page: Page) -> None:
    """Question 7's pages on how it is shared, and whether it is passed on: left on the page that asks that."""
    group(page, "How will it be shared?").get_by_label("Secure email", exact=False).check()
    page.get_by_label("I have checked that the information is accurate and up to date").check()
    continue_(page)
    choose(page, "Does the recipient intend to pass it on to anyone else?", "No")


def to_question_4_about_ellie(page: Page) -> Child:
    """Signed in as the practitioner, a decision about Ellie answered up to question 4, her consent."""
    ellie = child("NCS-2210")
    signed_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-2210", ellie.full_name)
    answer_purpose(page)
    expect_question(page, QuestionKey.IDENTIFIABLE)
    answer_identifiable(page)
    expect_question(page, QuestionKey.CONFIDENTIAL)
    answer_confidential(page)
    expect_question(page, QuestionKey.CONSENT)
    return ellie


def test_consent_that_does_not_name_the_recipients_agency_is_not_relied_on(page: Page):
    """Point 2 (and point 3: question 4 shows what the consent covers)."""
    ellie = to_question_4_about_ellie(page)

    # Beside Ellie's consent, what she was told it covers (3.3.11, 3.3.28).
    choose(page, "Has consent to share been obtained?", "Consent was sought and given")
    continue_(page)
    expect_question(page, QuestionKey.CONSENT)
    records = group(page, "Which consent record?")
    expect(records.get_by_role("radio")).to_have_count(1)
    expect(records.locator(".govuk-radios__hint")).to_contain_text("With which kinds of agency: School; NHS trust")
    expect(records.locator(".govuk-radios__hint")).to_contain_text("What the recipients may use it for: To offer")
    records.get_by_role("radio").check()
    continue_(page)
    expect_question(page, QuestionKey.CONSENT)
    choose(page, "Does this consent cover the purpose of this decision?", "Yes")
    continue_(page)

    # Question 7: shared with the police, whom Ellie was not told of.
    expect_question(page, QuestionKey.SHARING)
    share_with(
        page,
        name="DC Sam Okafor",
        role="Detective constable",
        agency="Northgate Police",
        kind="Police",
        need=POLICE_NEED,
        item="The school nurse saw an adult wait for Ellie at the gate on three days.",
    )

    # The decision goes on as one without consent: question 5 next, saying why.
    expect_question(page, QuestionKey.STATUTORY)
    expect(page.get_by_role("complementary", name="What the guidance says")).to_contain_text(
        "The consent relied on does not cover sharing with the kind of agency named at question 7"
    )
    expect(page.get_by_role("complementary", name="What the guidance says")).to_contain_text(
        "This decision goes on as one without consent (guidance paragraph 3.3.28)."
    )
    choose(page, "Is there a statutory duty or a court order to share the information?", "No")
    continue_(page)
    expect_question(page, QuestionKey.PUBLIC_INTEREST)
    answer_public_interest(page)
    # Question 7 again where it was left, what was given kept; the limits of a consent not relied on are not asked.
    expect_question(page, QuestionKey.SHARING)
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.get_by_label("Why do they need to know?")).to_have_value(POLICE_NEED)
    continue_(page)
    sent_securely_not_passed_on(page)
    expect(page.get_by_label("The recipient understands the limits of the consent that was given")).to_have_count(0)
    continue_(page)
    choose(page, "Will the person the information is about be told it has been shared?", "Yes, they already know")
    continue_(page)
    expect_question(page, QuestionKey.DECISION)
    answer_decision_reasons(page, WITHOUT_CONSENT_REASONS)

    expect(heading(page)).to_have_text("Check your answers before recording the decision")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "The consent does not cover sharing with this kind of agency, so the decision is without consent. (guidance "
        "paragraph 3.3.28)"
    )
    for question in (QuestionKey.STATUTORY, QuestionKey.PUBLIC_INTEREST):
        expect(summary_card(page, question)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record decision").click()

    expect(heading(page)).to_have_text("Information-sharing decision: share the information")
    decision = SharingDecision.objects.get(child=ellie, reasons=WITHOUT_CONSENT_REASONS)
    assert [a.question_number for a in decision.answers.all()] == [1, 2, 3, 4, 5, 6, 7, 8]
    for question in (QuestionKey.STATUTORY, QuestionKey.PUBLIC_INTEREST):
        number, wording = QUESTION_BY_KEY[question].number, QUESTION_BY_KEY[question].wording
        expect(page.get_by_role("heading", name=f"{number}. {wording}", exact=True)).to_be_visible()
    assert_accessible(page)

    # The lead sees it among the decisions to share without consent.
    sign_out(page)
    signed_in(page, LEAD)
    open_for_review(page)
    without_consent = for_review_table(page, "Decisions to share without consent, newest first")
    ellie_row = without_consent.get_by_role("row").filter(has_text=ellie.full_name)
    expect(ellie_row).to_have_count(1)
    expect(ellie_row).to_contain_text(
        f"Decision about {ellie.full_name}: share the information, by {PRACTITIONER_NAME}"
    )
    ellie_row.get_by_role("link").click()
    assert urlsplit(page.url).path == f"/decisions/{decision.pk}/"
    assert_accessible(page)


def test_question_4_asks_for_the_consent_record_only_once_consent_was_sought_and_given_or_refused(page: Page):
    """Issue 17, point 2: a follow-up is shown only when it applies (3.7.2, 3.3.14, 3.3.22)."""
    to_question_4_about_ellie(page)

    records = group(page, "Which consent record?")
    covers = group(page, "Does this consent cover the purpose of this decision?")
    why_not = page.get_by_role("group", name="Why was consent not sought?")
    back = page.get_by_role("link", name="Back", exact=True)
    # Each follow-up is a page of its own, asked only where the answer before it calls for it.
    for answer, shown in (
        ("Consent was sought and refused", records),
        ("Consent was not sought", why_not),
        ("Consent was sought and given", records),
    ):
        expect(records).to_have_count(0)
        expect(covers).to_have_count(0)
        expect(why_not).to_have_count(0)
        choose(page, "Has consent to share been obtained?", answer)
        continue_(page)
        expect_question(page, QuestionKey.CONSENT)
        expect(shown).to_be_visible()
        expect(covers).to_have_count(0)
        if answer != "Consent was sought and given":
            back.click()
            expect_question(page, QuestionKey.CONSENT)
    # Whether the consent covers the purpose: only once a consent given is chosen (3.3.14).
    records.get_by_role("radio").check()
    continue_(page)
    expect_question(page, QuestionKey.CONSENT)
    expect(covers).to_be_visible()
    expect(records).to_have_count(0)


def test_after_the_consent_is_withdrawn_a_disclosure_needs_a_new_decision_or_its_basis(page: Page):
    """Point 1: Ellie withdraws the consent the demo's decision relied on (3.3.22)."""
    ellie = child("NCS-2210")
    decision = SharingDecision.objects.get(child=ellie)
    consent = ConsentRecord.objects.get(child=ellie)
    today = timezone.localdate()
    signed_in(page, PRACTITIONER)

    # While the consent stands, the decision says nothing of it; a disclosure would ask about its limits.
    page.goto(f"/decisions/{decision.pk}/")
    expect(heading(page)).to_have_text("Information-sharing decision: share the information")
    expect(page.get_by_text("The consent this decision relied on")).to_have_count(0)
    page.get_by_role("link", name="Record what was disclosed").click()
    expect(heading(page)).to_have_text("What was disclosed")
    expect(page.get_by_role("link", name="Make a new decision")).to_have_count(0)

    page.goto(f"/consent/{consent.pk}/")
    page.get_by_role("link", name="Record a withdrawal").click()
    expect(heading(page)).to_have_text("Record a withdrawal of consent")
    choose(page, "How was it withdrawn?", "Explicit: given in words, spoken or written")
    choose(page, "If explicit, was it written or verbal?", "Verbally")
    page.get_by_label("What did they say or do?").fill("Ellie told the school nurse she no longer agrees.")
    page.get_by_role("button", name="Record withdrawal").click()
    expect(page.get_by_role("alert")).to_contain_text("The withdrawal has been recorded.")

    # The decision says so, on screen and on paper.
    page.goto(f"/decisions/{decision.pk}/")
    lapsed = page.locator(".app-consent-lapsed")
    expect(lapsed).to_contain_text(
        "The consent this decision relied on has been withdrawn (guidance paragraph 3.3.22). Withdrawn by "
        f"{consent.responder_name} on "
        f"{long_date(today)}. Nothing more should be disclosed under this decision: make a new decision, or, if "
        "this disclosure goes ahead on another basis, record why."
    )
    assert_accessible(page)
    print_button = page.get_by_role("button", name="Print", exact=True)
    printed_by = page.get_by_text(
        re.compile(rf"^Printed on {long_date(today)}, \d{{2}}:\d{{2}} by {PRACTITIONER_NAME}\.$")
    )
    expect(print_button).to_be_visible()
    expect(printed_by).to_be_hidden()
    page.emulate_media(media="print")
    expect(lapsed).to_be_visible()
    expect(printed_by).to_be_visible()
    expect(print_button).to_be_hidden()
    page.emulate_media(media="screen")

    # A disclosure under it: its first page says to make a new decision, and refuses without the other basis.
    page.get_by_role("link", name="Record what was disclosed").click()
    expect(heading(page)).to_have_text("The consent no longer stands")
    expect(page.locator(".govuk-warning-text")).to_contain_text("has been withdrawn (guidance paragraph 3.3.22)")
    expect(page.get_by_role("link", name="Make a new decision")).to_have_attribute(
        "href", f"/children/{ellie.pk}/decisions/start/"
    )
    assert_accessible(page)
    continue_on(page)
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(
        ["Make a new decision, or explain on what other basis this disclosure goes ahead"]
    )
    assert Disclosure.objects.filter(decision=decision).count() == 1, "only the demo's, from before"
    assert_accessible(page)
    summary.get_by_role("link").click()
    basis = page.get_by_role("textbox", name=re.compile("^On what other basis does this disclosure go ahead"))
    expect(basis).to_be_focused()
    basis.fill(LAPSED_BASIS)
    continue_on(page)
    no_more_items(page)
    to_the_method(page)
    by_secure_email(page, "school.nurse@nhs.example")
    not_passed_on(page)
    # The limits of a consent that no longer stands are not asked (nor, then, recorded as told).
    told_on(page, today, PRACTITIONER_NAME)
    record(page)

    expect(page.get_by_role("alert")).to_contain_text("The disclosure has been recorded.")
    disclosure = Disclosure.objects.get(decision=decision, consent_lapsed_reason=LAPSED_BASIS)
    expect(record_row(page, "Disclosed after the consent relied on lapsed, because")).to_contain_text(LAPSED_BASIS)
    expect(record_row(page, "Told the limits of consent")).to_have_count(0)
    assert_accessible(page)

    # The lead sees it under "For review", and what the practitioner recorded.
    sign_out(page)
    signed_in(page, LEAD)
    open_for_review(page)
    lapsed_list = for_review_table(page, "Disclosures after the consent relied on lapsed, newest first")
    ellie_row = lapsed_list.get_by_role("row").filter(has_text=ellie.full_name)
    expect(ellie_row).to_have_count(1)
    ellie_row.get_by_role("link").click()
    assert urlsplit(page.url).path == f"/disclosures/{disclosure.pk}/"
    expect(record_row(page, "Disclosed after the consent relied on lapsed, because")).to_contain_text(LAPSED_BASIS)
    assert_accessible(page)


def test_a_decision_not_to_tell_is_reconsidered_on_a_date_to_come(page: Page, later):
    """Point 12 (and point 9: question 7's checks are hidden for a decision not to share)."""
    jayden = child("NCS-1043")
    today = timezone.localdate()
    signed_in(page, PRACTITIONER)
    start_a_decision(page, "NCS-1043", "Jayden Turner")
    answer_purpose(page)
    answer_identifiable(page)
    answer_confidential(page)
    expect_question(page, QuestionKey.CONSENT)
    choose(page, "Has consent to share been obtained?", "Consent was not sought")
    continue_(page)
    choose(page, "Why was consent not sought?", "Asking would place a child at increased risk of significant harm")
    continue_(page)
    expect_question(page, QuestionKey.STATUTORY)
    choose(page, "Is there a statutory duty or a court order to share the information?", "No")
    continue_(page)
    expect_question(page, QuestionKey.PUBLIC_INTEREST)
    answer_public_interest(page)
    expect_question(page, QuestionKey.SHARING)

    # What only a share needs is asked on the pages after the decision, of a share only (3.5.20).
    expect(group(page, "Who will receive it?")).to_have_count(0)
    share_with(
        page,
        name="Nadia Hughes",
        role="Health visitor",
        agency="Northgate NHS Foundation Trust",
        kind="NHS trust or GP practice",
        need="She visits the home alone next week.",
        item="Police attended a domestic incident at the home last month.",
    )
    sent_securely_not_passed_on(page)
    continue_(page)

    # Not told, with a date that has passed: refused (3.5.19).
    choose(page, "Will the person the information is about be told it has been shared?", "No")
    page.get_by_label("Why will they not be told?", exact=True).fill(NOT_TOLD)
    fill_date(page, "When should telling them be reconsidered?", today - timedelta(days=1))
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Error: Telling the person: Question 7: "))
    summary = error_summary(page)
    expect(summary.get_by_role("link")).to_have_text(["The date to reconsider telling them must be in the future"])
    expect(page.get_by_label("Why will they not be told?", exact=True)).to_have_value(NOT_TOLD)
    assert_accessible(page)
    reconsider_on = today + timedelta(days=3)
    fill_date(page, "When should telling them be reconsidered?", reconsider_on)
    continue_(page)
    expect_question(page, QuestionKey.DECISION)
    answer_decision_reasons(page, "The visitor needs to know to be safe.")
    expect(heading(page)).to_have_text("Check your answers before recording the decision")
    page.get_by_role("button", name="Record decision").click()

    expect(heading(page)).to_have_text("Information-sharing decision: share the information")
    decision = SharingDecision.objects.get(child=jayden)
    assert decision.reconsider_on == reconsider_on
    expect(
        summary_card(page, QuestionKey.SHARING)
        .locator(".govuk-summary-list__row")
        .filter(has_text="When should telling them be reconsidered?")
    ).to_contain_text(long_date(reconsider_on))
    assert_accessible(page)

    # Before the date, the lead has nothing waiting about Jayden; once it comes, the decision is listed.
    sign_out(page)
    signed_in(page, LEAD)
    open_for_review(page)
    not_told = for_review_table(page, "People not yet told of a share, oldest reconsider date first")
    expect(not_told.get_by_role("row").filter(has_text="Jayden Turner")).to_have_count(0)
    sign_out(page)

    later(3)
    signed_in(page, LEAD)
    open_for_review(page)
    jayden_row = not_told.get_by_role("row").filter(has_text="Jayden Turner")
    expect(jayden_row).to_have_count(1)
    expect(jayden_row.get_by_role("cell").first).to_have_text(long_date(reconsider_on))
    expect(jayden_row).to_contain_text(f"share the information, by {PRACTITIONER_NAME}; nothing disclosed yet")
    jayden_row.get_by_role("link").click()
    assert urlsplit(page.url).path == f"/decisions/{decision.pk}/"
    expect(heading(page)).to_have_text("Information-sharing decision: share the information")
    assert_accessible(page)
